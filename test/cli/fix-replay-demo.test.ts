/**
 * The demo's venues with `fixLogDir`: each venue's FIX session (the FixVenueGateway in front of a
 * simulated market, market data over FIX from XSIM1) records `<dir>/<venue>-DTCLIENT.log` while the
 * demo's client trades on the system clock; `deltatrace replay-fix` replays each identically.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';

import { afterAll, describe, expect, it } from 'vitest';

import { SystemClock } from '../../src/cli/context.js';
import { DemoClient } from '../../src/cli/demo/demo-client.js';
import { DEMO_INSTRUMENT, startVenues, stopVenues } from '../../src/cli/demo/demo-world.js';
import type { DeltaTraceError } from '../../src/core/index.js';
import type { PipelineInput } from '../../src/pipeline/index.js';
import { SystemScheduler } from '../../src/runtime/system-scheduler.js';
import { runReplayFixCli } from '../adapters/fix/replay-fix-cli.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-replay-fix-demo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the demo world with FIX session logs', () => {
  it('records each venue session while trading, and each log replays identically', async () => {
    const dir = path.join(work, 'fix');
    const scheduler = new SystemScheduler(new SystemClock());
    const errors: DeltaTraceError[] = [];
    const inputs: PipelineInput[] = [];
    const venues = await startVenues({
      scheduler,
      seed: 11,
      network: undefined,
      onError: (error) => errors.push(error),
      processingLatencyNs: 0n,
      fixLogDir: dir,
    });
    const client = new DemoClient({
      scheduler,
      seed: 11,
      venues,
      deliver: (input) => inputs.push(input),
      onError: (error) => errors.push(error),
    });
    try {
      await client.connect();
      await until(() => client.loggedOn, 'logon');
      for (const side of venues) side.simulator.start();
      await until(() => inputs.filter((i) => i.kind === 'tick').length > 20, 'ticks');
      for (const [n, venue] of ['XSIM1', 'XSIM2', 'XSIM1'].entries()) {
        client.send({
          kind: 'new-order',
          venue,
          orderId: `T${n}`,
          instrument: DEMO_INSTRUMENT,
          side: n % 2 === 0 ? 'buy' : 'sell',
          qtyLots: 5,
          orderType: 'market',
          tif: 'ioc',
          ref: n,
        });
      }
      await until(
        () => inputs.filter((i) => i.kind === 'fill' || i.kind === 'cancelled').length >= 3,
        'the orders done',
      );
      for (const side of venues) side.simulator.stop();
      client.logout();
      await until(() => client.sessions.every((s) => s.state === 'disconnected'), 'logout');
    } finally {
      for (const side of venues) side.simulator.stop();
      await client.close();
      await stopVenues(venues);
      scheduler.cancelAll();
    }
    expect(errors).toEqual([]);
    for (const mic of ['XSIM1', 'XSIM2']) {
      const file = path.join(dir, `${mic}-DTCLIENT.log`);
      expect(existsSync(file)).toBe(true);
      const stdout = new PassThrough();
      let text = '';
      stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      const code = await runReplayFixCli(
        ['node', 'deltatrace', 'replay-fix', '--log', file],
        stdout,
        new PassThrough(),
      );
      const result = JSON.parse(text) as {
        data: { identical: boolean; recorded_outbound: number; inputs: { send: number } };
      };
      expect(code).toBe(0);
      expect(result.data.identical).toBe(true);
      // The gateway's executions (and XSIM1's market data) are sends the replay made again.
      expect(result.data.inputs.send).toBeGreaterThan(mic === 'XSIM1' ? 20 : 0);
      expect(result.data.recorded_outbound).toBeGreaterThan(3);
    }
  });
});
