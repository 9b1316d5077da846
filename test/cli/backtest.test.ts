/**
 * `deltatrace backtest` in child processes: a recorded run's ticks (a ledger export) and a CSV of
 * ticks through the VWAP strategy against the sandbox engine; the result ledger verifies and
 * replays; bad data is refused with the line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { BacktestMetrics } from '../../src/replay/index.js';
import { runCli } from '../helpers/cli.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-backtest-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface BacktestOutput {
  readonly run: string;
  readonly store: string;
  readonly ticks: number;
  readonly verify: { ok: boolean };
  readonly metrics: BacktestMetrics;
}

describe('deltatrace backtest', () => {
  it('backtests the ticks of a recorded run, and the result replays byte for byte', () => {
    const demoHome = path.join(work, 'demo');
    expect(
      runCli(['demo', '--clock', 'simulated', '--seed', '4', '--ticks', '1500'], { home: demoHome })
        .code,
    ).toBe(0);
    const exported = runCli(['export', '--format', 'jsonl'], {
      home: path.join(demoHome, 'demo', 'store'),
    });
    expect(exported.code).toBe(0);
    const data = path.join(work, 'recorded.jsonl');
    writeFileSync(data, exported.stdout);

    const home = path.join(work, 'bt');
    const result = runCli(['backtest', '--data', data, '--set', 'total_lots=800'], { home });
    expect(result.code, result.stderr).toBe(0);
    const out = result.json.data as BacktestOutput;
    expect(out.ticks).toBeGreaterThan(1000);
    expect(out.verify.ok).toBe(true);
    expect(out.metrics.filled_lots).toBeGreaterThan(0);
    expect(out.metrics.filled_lots).toBeLessThanOrEqual(800);
    expect(out.metrics.slippage_ticks).not.toBeNull();

    const replay = runCli(['replay', '--run', out.run], { home: out.store });
    expect(replay.code, replay.stderr).toBe(0);
    expect((replay.json.data as { identical: boolean }).identical).toBe(true);
  });

  it('reads a CSV of ticks', () => {
    const lines = ['ts_ns,venue,instrument,bid_px,bid_qty,ask_px,ask_qty'];
    for (let i = 0; i < 400; i++) {
      const mid = 10_000 + Math.round(3 * Math.sin(i / 20));
      for (const venue of ['XA', 'XB'])
        lines.push(
          `${1_767_364_200_000_000_000n + BigInt(i) * 10_000_000n},${venue},ACME,${mid - 1},50,${mid + 1},50`,
        );
    }
    const data = path.join(work, 'ticks.csv');
    writeFileSync(data, `${lines.join('\n')}\n`);
    const result = runCli(['backtest', '--data', data, '--set', 'total_lots=300'], {
      home: path.join(work, 'csv'),
    });
    expect(result.code, result.stderr).toBe(0);
    const out = result.json.data as BacktestOutput;
    expect(out.ticks).toBe(800);
    expect(out.metrics.filled_lots).toBeGreaterThan(0);
  });

  it('refuses a bad line with its number, exit 2', () => {
    const data = path.join(work, 'bad.csv');
    writeFileSync(
      data,
      'ts_ns,venue,instrument,bid_px,bid_qty,ask_px,ask_qty\n1,XA,ACME,1,1,2,1\n2,XA,ACME,x,1,2,1\n',
    );
    const result = runCli(['backtest', '--data', data], { home: path.join(work, 'bad') });
    expect(result.code).toBe(2);
    expect(result.json.error?.code).toBe('INPUT_SCHEMA_VIOLATION');
    expect(result.json.error?.details['line']).toBe(3);
  });
});
