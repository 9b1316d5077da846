import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  createCoreRegistry,
  Ledger,
  SeededRng,
  verifyLog,
  VirtualScheduler,
} from '../../src/core/index.js';
import type { InMemoryCapture } from '../../src/pipeline/index.js';
import {
  LedgerCapture,
  NullCapture,
  Pipeline,
  registerPipelineEventTypes,
  VwapStrategy,
  WaterFillingRouter,
} from '../../src/pipeline/index.js';
import { createStore } from '../../src/storage/index.js';
import { expectErrorCode } from '../helpers/errors.js';
import { DEFAULT_RISK, runSimulation, vwapParams, WALL_ORIGIN_NS } from './simulation.js';

function typesOf(capture: InMemoryCapture): Map<string, number> {
  const counts = new Map<string, number>();
  for (const body of capture.bodies) counts.set(body.type, (counts.get(body.type) ?? 0) + 1);
  return counts;
}

describe('Pipeline with the VWAP strategy', () => {
  const run = runSimulation();
  const { capture, pipeline } = run;
  const byId = new Map(capture.bodies.map((body, i) => [capture.ids[i]!, body]));

  it('works the parent order to completion', () => {
    expect(pipeline.orders.parentFilledLots('P1')).toBe(2000);
    expect(pipeline.orders.position('ACME')).toBe(2000);
    expect(pipeline.stats.ordersSent).toBeGreaterThan(5);
  });

  it('records only payloads that the registry accepts', () => {
    const registry = registerPipelineEventTypes(createCoreRegistry());
    for (const body of capture.bodies) {
      expect(() => registry.parsePayload(body.type, body.type_v, body.payload)).not.toThrow();
    }
    const counts = typesOf(capture);
    for (const type of [
      'run.start',
      'md.tick',
      'signal',
      'plan.delta',
      'risk.check',
      'order.new',
      'order.ack',
      'fill',
      'timer.fire',
      'run.end',
    ]) {
      expect(counts.get(type) ?? 0, type).toBeGreaterThan(0);
    }
  });

  it('links every decision to what it derives from', () => {
    const causeTypes = (id: string): string[] =>
      byId
        .get(id)!
        .causes.map((c) => byId.get(c)!.type)
        .sort();
    capture.bodies.forEach((body, i) => {
      const id = capture.ids[i]!;
      switch (body.type) {
        case 'signal':
          for (const t of causeTypes(id))
            expect([
              'md.tick',
              'timer.fire',
              'fill',
              'order.cancelled',
              'order.reject',
              'signal',
            ]).toContain(t);
          break;
        case 'order.new':
          expect(causeTypes(id)).toEqual(['plan.delta', 'risk.check']);
          break;
        case 'risk.check':
          expect(causeTypes(id)).toEqual(['plan.delta']);
          break;
        case 'order.ack':
        case 'fill':
          expect(causeTypes(id)).toEqual(['order.new']);
          break;
        case 'plan.delta': {
          const types = causeTypes(id);
          expect(types.length).toBeGreaterThan(0);
          for (const t of types)
            expect(['signal', 'risk.check', 'order.cancelled', 'order.reject']).toContain(t);
          break;
        }
        default:
          break;
      }
    });
  });

  it('keeps every plan equal to the fold of its deltas, each naming the version it applies to', () => {
    const folded = new Map<string, number>();
    let version = 0;
    for (const body of capture.bodies) {
      if (body.type !== 'plan.delta') continue;
      const p = body.payload as {
        base_version: number;
        version: number;
        changes: { venue: string; qty_delta_lots: number }[];
      };
      expect(p.base_version).toBe(version);
      expect(p.version).toBe(version + 1);
      version = p.version;
      for (const c of p.changes) folded.set(c.venue, (folded.get(c.venue) ?? 0) + c.qty_delta_lots);
    }
    const plan = pipeline.plans.get('P1')!;
    expect(plan.version).toBe(version);
    expect(new Map(plan.lots)).toEqual(folded);
    // What is planned is what was filled or is still working.
    let filledOrWorking = 0;
    for (const order of pipeline.orders.all())
      filledOrWorking += order.cumQtyLots + order.leavesLots;
    expect([...folded.values()].reduce((a, b) => a + b, 0)).toBe(filledOrWorking);
  });

  it('is deterministic: the same seed gives the same event ids', () => {
    expect(runSimulation().capture.ids).toEqual(capture.ids);
    expect(runSimulation({ seed: 8 }).capture.ids).not.toEqual(capture.ids);
  });

  it('does not depend on the order venues are registered in', () => {
    const swapped = runSimulation({ venueIds: ['XSIM-B', 'XSIM-A'] });
    expect(swapped.capture.ids).toEqual(capture.ids);
  });

  it('captures into a real SQLite ledger that verifies, with the same ids', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-pipeline-'));
    try {
      const registry = registerPipelineEventTypes(createCoreRegistry());
      const store = await createStore(path.join(dir, 'store'), {
        backend: 'sqlite',
        origin: 'test/pipeline',
      });
      const ledger = await Ledger.open(store, {
        registry,
        clock: { wallNs: () => 0n, monoNs: () => 0n },
      });
      const ledgerCapture = new LedgerCapture(ledger, { run: 'sim-7', batchSize: 256 });
      runSimulation({ capture: ledgerCapture });
      await ledgerCapture.flush();
      expect(ledger.snapshot.size).toBe(capture.ids.length);
      expect(Array.from({ length: ledgerCapture.count }, (_, i) => ledgerCapture.idOf(i))).toEqual(
        capture.ids,
      );
      const report = await verifyLog(store, {
        openCheckpoint: () => {
          throw new Error('no checkpoints in this test');
        },
      });
      expect(report.ok).toBe(true);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('risk checks', () => {
  it('blocks orders over the size limit, records the failure and gives the lots back to the plan', () => {
    const { capture, pipeline } = runSimulation({ risk: { maxOrderLots: 30 } });
    expect(pipeline.stats.riskFailures).toBeGreaterThan(0);
    for (const order of pipeline.orders.all()) expect(order.qtyLots).toBeLessThanOrEqual(30);
    const failed = capture.bodies.filter(
      (b) => b.type === 'risk.check' && (b.payload as { outcome: string }).outcome === 'fail',
    );
    expect(failed.length).toBe(pipeline.stats.riskFailures);
    const rules = (failed[0]!.payload as { rules: { rule: string; passed: boolean }[] }).rules;
    expect(rules.find((r) => r.rule === 'max_order_size')?.passed).toBe(false);
    let filledOrWorking = 0;
    for (const order of pipeline.orders.all())
      filledOrWorking += order.cumQtyLots + order.leavesLots;
    const planned = pipeline.plans.get('P1')!.lots.reduce((sum, [, lots]) => sum + lots, 0);
    expect(planned).toBe(filledOrWorking);
  });

  it('enforces the message rate', () => {
    const { pipeline } = runSimulation({
      risk: { maxOrdersPerSecond: 3 },
      params: { maxSliceLots: 40 },
    });
    expect(pipeline.stats.ordersSent).toBe(3);
    expect(pipeline.stats.riskFailures).toBeGreaterThan(0);
  });
});

describe('Pipeline configuration', () => {
  const env = () => {
    const scheduler = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
    return {
      clock: scheduler.clock,
      rng: new SeededRng(1),
      capture: new NullCapture(),
      send: () => undefined,
      setTimer: () => undefined,
    };
  };
  const config = {
    node: 'n',
    seed: 1n,
    clock: 'simulated' as const,
    instruments: ['ACME'],
    risk: DEFAULT_RISK,
    orderIdPrefix: 'C',
  };

  it('reports PIPELINE_INVALID_CONFIG for no venues, duplicate venues, bad limits or bad strategy parameters', () => {
    const strategy = new VwapStrategy(vwapParams());
    expectErrorCode(
      () => new Pipeline({ ...config, venues: [] }, strategy, new WaterFillingRouter(), env()),
      'PIPELINE_INVALID_CONFIG',
    );
    const venue = { id: 'A', makerFeeCentiTicksPerLot: 0, takerFeeCentiTicksPerLot: 0 };
    expectErrorCode(
      () =>
        new Pipeline(
          { ...config, venues: [venue, venue] },
          strategy,
          new WaterFillingRouter(),
          env(),
        ),
      'PIPELINE_INVALID_CONFIG',
    );
    expectErrorCode(
      () =>
        new Pipeline(
          { ...config, venues: [venue], risk: { ...DEFAULT_RISK, maxOrderLots: 0 } },
          strategy,
          new WaterFillingRouter(),
          env(),
        ),
      'PIPELINE_INVALID_CONFIG',
    );
    expectErrorCode(
      () => new VwapStrategy(vwapParams({ totalLots: 0 })),
      'PIPELINE_INVALID_CONFIG',
    );
  });

  it('refuses inputs before start and after stop', () => {
    const pipeline = new Pipeline(
      {
        ...config,
        venues: [{ id: 'A', makerFeeCentiTicksPerLot: 0, takerFeeCentiTicksPerLot: 0 }],
      },
      new VwapStrategy(vwapParams()),
      new WaterFillingRouter(),
      env(),
    );
    expectErrorCode(
      () => pipeline.onInput({ kind: 'timer', name: 'x' }),
      'PIPELINE_INVALID_CONFIG',
    );
    pipeline.start();
    pipeline.onInput({ kind: 'timer', name: 'x' });
    pipeline.stop('stopped');
    expectErrorCode(
      () => pipeline.onInput({ kind: 'timer', name: 'x' }),
      'PIPELINE_INVALID_CONFIG',
    );
  });
});
