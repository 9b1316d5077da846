/**
 * The main job, end to end in child processes: two sandbox venues over loopback FIX 4.4 and
 * WebSocket, the VWAP strategy, capture in a writer process, checkpoint, verification and the
 * summary. With the simulated clock, a seed gives a byte-identical ledger.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { RunSummary } from '../../src/reports/index.js';
import { openStore } from '../../src/storage/index.js';
import { runCli } from '../helpers/cli.js';

interface DemoResult {
  readonly root: string;
  readonly size: number;
  readonly store: string;
  readonly verifier_key: string;
  readonly verify: { ok: boolean; findings: number };
  readonly summary: RunSummary;
  readonly filled_lots: number;
  readonly fix_session_logs: string[];
  readonly plan_convergence: {
    plan_id: string;
    solves: number;
    unconverged: number;
    first_solve_primal_residuals: string[];
  }[];
}

const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-demo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function demo(name: string, args: readonly string[]): DemoResult {
  const result = runCli(['demo', ...args], { home: path.join(work, name) });
  expect(result.code, result.stderr).toBe(0);
  expect(result.json.ok).toBe(true);
  return result.json.data as DemoResult;
}

async function entries(dir: string): Promise<{ type: string; id: string; causes: string[] }[]> {
  const store = await openStore(dir, { readonly: true });
  const all: { type: string; id: string; causes: string[] }[] = [];
  for await (const lines of store.scan()) {
    for (const line of lines)
      all.push(JSON.parse(line) as { type: string; id: string; causes: string[] });
  }
  await store.close();
  return all;
}

describe('deltatrace demo', () => {
  const simulated = ['--clock', 'simulated', '--seed', '11', '--ticks', '2500'];
  const first = demo('sim-a', simulated);

  it('trades, captures, signs and verifies', () => {
    expect(first.verify).toEqual({ ok: true, entries: first.size, findings: 0 });
    const types = first.summary.events_by_type;
    for (const type of [
      'run.start',
      'md.tick',
      'signal',
      'plan.delta',
      'risk.check',
      'order.new',
      'order.ack',
      'fill',
      'session.status',
      'privacy.budget',
      'privacy.spend',
      'governance.trigger',
      'run.end',
    ]) {
      expect(types[type] ?? 0, type).toBeGreaterThan(0);
    }
    expect(first.summary.orders).toBeGreaterThan(10);
    expect(first.filled_lots).toBeGreaterThan(0);
    expect(first.summary.latency.order_to_ack.count).toBe(first.summary.orders);
  });

  it('logs every FIX session, each of which replays byte for byte', () => {
    expect(first.fix_session_logs.map((f) => path.basename(f))).toEqual([
      'DTCLIENT-XSIM1.log',
      'DTCLIENT-XSIM2.log',
      'XSIM1-DTCLIENT.log',
      'XSIM2-DTCLIENT.log',
    ]);
    for (const log of first.fix_session_logs) {
      const replay = runCli(['replay-fix', '--log', log], { home: path.join(work, 'sim-a') });
      expect(replay.code, replay.stderr).toBe(0);
      expect((replay.json.data as { identical: boolean }).identical).toBe(true);
    }
  });

  it('routes by the ADMM planner, every solve converging, its liquidity shares budgeted', () => {
    const [plan] = first.summary.plans;
    expect(plan).toMatchObject({ plan_id: 'PARENT-1', algorithm: 'admm-sharing' });
    const [convergence] = first.plan_convergence;
    expect(convergence!.solves).toBe(plan!.solves);
    expect(convergence!.unconverged).toBe(0);
    const residuals = convergence!.first_solve_primal_residuals.map(Number);
    expect(residuals.at(-1)!).toBeLessThan(residuals[0]! * 1e-6);
    expect(first.summary.privacy.map((p) => p.signal)).toEqual([
      'liquidity.XSIM1',
      'liquidity.XSIM2',
    ]);
  });

  it('gives a byte-identical ledger for the same seed in another process, and another for another seed', async () => {
    const second = demo('sim-b', simulated);
    expect(second.root).toBe(first.root);
    expect(await entries(second.store)).toEqual(await entries(first.store));
    const other = demo('sim-c', ['--clock', 'simulated', '--seed', '12', '--ticks', '2500']);
    expect(other.root).not.toBe(first.root);
  });

  it('links decisions to their causes in the stored log', async () => {
    const log = await entries(first.store);
    const typeOf = new Map(log.map((e) => [e.id, e.type]));
    for (const entry of log) {
      const causes = entry.causes.map((id) => typeOf.get(id)).sort();
      if (entry.type === 'order.new') expect(causes).toEqual(['plan.delta', 'risk.check']);
      if (entry.type === 'order.ack' || entry.type === 'fill')
        expect(causes).toEqual(['order.new']);
      if (entry.type === 'risk.check') expect(causes).toEqual(['plan.delta']);
    }
  });

  it('leaves its checkpoint and verifier key beside the store, for verify to check again', () => {
    const demoDir = path.dirname(first.store);
    const keyFile = path.join(demoDir, 'verifier-key.txt');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(first.verifier_key);
    const checkpoint = path.join(demoDir, 'checkpoint.txt');
    const again = runCli(['verify', '--checkpoint', checkpoint, '--key', keyFile], {
      home: first.store,
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.data).toMatchObject({ ok: true, root: first.root });
    // Without the key, the store's own checkpoint is unverifiable: said so, with what to pass.
    const keyless = runCli(['verify'], { home: first.store });
    expect(keyless.code).toBe(3);
    expect(keyless.stderr).toMatch(/hint: .*--key/);
  });

  it('exports its ledger, which imports into fresh stores with the same root, in a writer process too', () => {
    const exported = path.join(work, 'demo.jsonl');
    const out = runCli(['export', '--format', 'jsonl', '--output', exported], {
      home: first.store,
    });
    expect(out.code, out.stderr).toBe(0);
    for (const writer of ['inline', 'process']) {
      const other = path.join(work, `import-${writer}`);
      expect(runCli(['init', '--no-key'], { home: other }).code).toBe(0);
      // Batches smaller than the log: several in flight.
      const imported = runCli(['import', exported, '--writer', writer, '--batch-size', '700'], {
        home: other,
      });
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.json.data).toEqual({
        imported: first.size,
        size: first.size,
        root: first.root,
      });
    }
  });

  it('measures real latencies with the system clock', () => {
    const live = demo('live', ['--clock', 'system', '--seed', '3', '--ticks', '1200']);
    expect(live.verify.ok).toBe(true);
    expect(live.summary.latency.plan_to_order.p50_ns).toBeGreaterThan(0);
    expect(live.summary.latency.order_to_ack.p50_ns).toBeGreaterThan(0);
  });
});
