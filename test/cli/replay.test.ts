/**
 * `deltatrace replay` in child processes: demo runs replay byte for byte in a process other than
 * the one that captured them; a what-if reports its configuration change; a strategy that reads
 * Math.random or the wall clock is caught as nondeterministic; a replay starts from a snapshot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { createCoreRegistry, Ledger } from '../../src/core/index.js';
import {
  LedgerCapture,
  registerPipelineEventTypes,
  type StrategyParams,
  VwapStrategy,
} from '../../src/pipeline/index.js';
import type { ReplayReport, WhatIfReport } from '../../src/replay/index.js';
import { createStore } from '../../src/storage/index.js';
import { ClockedStrategy, NoisyStrategy } from '../fixtures/strategies/noisy-strategy.js';
import { runCli } from '../helpers/cli.js';
import { runSimulation } from '../pipeline/simulation.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-replay-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const NOISY_MODULE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'strategies',
  'noisy-strategy.ts',
);

function demoStore(seed: number): string {
  const home = path.join(work, `demo-${seed}`);
  const result = runCli(
    [
      'demo',
      '--clock',
      'simulated',
      '--seed',
      String(seed),
      '--ticks',
      '1500',
      '--snapshot-every',
      '400',
    ],
    { home },
  );
  expect(result.code, result.stderr).toBe(0);
  return path.join(home, 'demo', 'store');
}

function replay(store: string, args: readonly string[]) {
  const result = runCli(['replay', ...args], { home: store });
  const report = (result.json.data ??
    (result.json.error?.details as { report?: ReplayReport } | undefined)?.report) as ReplayReport;
  return { result, report };
}

describe('deltatrace replay', () => {
  const stores = [11, 23, 37].map((seed) => ({ seed, store: demoStore(seed) }));

  it('reproduces demo runs byte for byte in another process, for several seeds', () => {
    for (const { seed, store } of stores) {
      const { result, report } = replay(store, ['--run', `demo-simulated-${seed}`]);
      expect(result.code, result.stderr).toBe(0);
      expect(report.identical).toBe(true);
      expect(report.outputs).toBeGreaterThan(50);
    }
  });

  it('reports a what-if parameter change as a configuration change, exit 0', () => {
    const { seed, store } = stores[0]!;
    const { result, report } = replay(store, [
      '--run',
      `demo-simulated-${seed}`,
      '--set',
      'max_slice_lots=80',
    ]);
    expect(result.code).toBe(0);
    expect(report.strategy.changedParams).toEqual(['max_slice_lots']);
    expect(report.divergence?.cause).toBe('config-changed');
    const what = (report as ReplayReport & { what_if: WhatIfReport }).what_if;
    expect(what.changed_params).toEqual({ max_slice_lots: 80 });
    expect(what.orders_added_count + what.orders_removed_count).toBeGreaterThan(0);
    expect(what.baseline.filled_lots).toBeGreaterThan(0);
    expect(what.changed.filled_lots).toBeGreaterThan(0);
    expect(what.changed.slippage_ticks).not.toBeNull();
  });

  it.each([
    ['Math.random', 'noisy', (params: StrategyParams) => new NoisyStrategy(params)],
    ['a wall-clock read', 'clocked', (params: StrategyParams) => new ClockedStrategy(params)],
  ] as const)(
    'catches %s in strategy code as nondeterminism, exit 3',
    async (_what, name, strategy) => {
      const dir = path.join(work, name);
      const store = await createStore(dir, { backend: 'sqlite', origin: `test/${name}` });
      const ledger = await Ledger.open(store, {
        registry: registerPipelineEventTypes(createCoreRegistry()),
        clock: { wallNs: () => 0n, monoNs: () => 0n },
      });
      const run = `${name}-run`;
      const capture = new LedgerCapture(ledger, { run });
      runSimulation({ capture, strategy: (params) => strategy(new VwapStrategy(params).params) });
      await capture.flush();
      await store.close();
      const { result, report } = replay(dir, ['--run', run, '--strategy-module', NOISY_MODULE]);
      expect(result.code, result.stderr).toBe(3);
      expect(result.json.error?.code).toBe('REPLAY_DIVERGED');
      expect(report.divergence?.cause).toBe('nondeterminism');
    },
  );

  it('starts from the latest state snapshot at or before --from and reproduces the rest', () => {
    const { seed, store } = stores[1]!;
    const run = `demo-simulated-${seed}`;
    const full = replay(store, ['--run', run]).report;
    const { result, report } = replay(store, ['--run', run, '--from', '1200']);
    expect(result.code, result.stderr).toBe(0);
    expect(report.identical).toBe(true);
    expect(result.stderr).toMatch(
      /started from the state snapshot at seq \d+ \(after \d+ inputs\)/,
    );
    const snapshot = report.resumedFrom!.snapshot;
    expect(snapshot.seq).toBeLessThanOrEqual(1200);
    expect(snapshot.inputs % 400).toBe(0);
    expect(report.events).toBe(full.events - snapshot.seq - 1);
    expect(report.outputs).toBeGreaterThan(0);
    expect(report.outputs).toBeLessThan(full.outputs);

    const early = replay(store, ['--run', run, '--from', '3']);
    expect(early.result.code).toBe(2);
    expect(early.result.json.error?.code).toBe('REPLAY_SNAPSHOT_NOT_FOUND');

    const backwards = replay(store, ['--run', run, '--from', '1200', '--to', '1100']);
    expect(backwards.result.code).toBe(2);
    expect(backwards.result.json.error?.code).toBe('INPUT_INVALID_ARGUMENT');
  });

  it('reports REPLAY_RUN_NOT_FOUND for a run the log does not have, exit 2', () => {
    const { result } = replay(stores[0]!.store, ['--run', 'no-such-run']);
    expect(result.code).toBe(2);
    expect(result.json.error?.code).toBe('REPLAY_RUN_NOT_FOUND');
  });
});
