import { describe, expect, it } from 'vitest';

import { createCoreRegistry } from '../../src/core/index.js';
import {
  BUILT_IN_CATALOG,
  InMemoryCapture,
  registerPipelineEventTypes,
  VwapStrategy,
  WaterFillingRouter,
} from '../../src/pipeline/index.js';
import {
  type BacktestTick,
  type RecordedEvent,
  replayRun,
  runBacktest,
} from '../../src/replay/index.js';
import { expectErrorCode } from '../helpers/errors.js';
import { recordedEvents } from '../helpers/recorded-events.js';
import { DEFAULT_RISK, runSimulation, vwapParams } from '../pipeline/simulation.js';

const registry = registerPipelineEventTypes(createCoreRegistry());

/** The ticks of a recorded run, as historical market data. */
function ticksOf(capture: InMemoryCapture): BacktestTick[] {
  return capture.bodies
    .filter((b) => b.type === 'md.tick')
    .map((b) => {
      const p = b.payload as Record<string, number | string>;
      return {
        tsNs: b.ts.wall_ns,
        venue: String(p['venue']),
        instrument: String(p['instrument']),
        ...(p['bid_px'] === undefined
          ? {}
          : { bidPx: Number(p['bid_px']), bidQty: Number(p['bid_qty']) }),
        ...(p['ask_px'] === undefined
          ? {}
          : { askPx: Number(p['ask_px']), askQty: Number(p['ask_qty']) }),
      };
    });
}

function backtest(ticks: readonly BacktestTick[], params = vwapParams({ totalLots: 1500 })) {
  const capture = new InMemoryCapture('backtest');
  const result = runBacktest({
    ticks,
    strategy: new VwapStrategy(params),
    router: new WaterFillingRouter(),
    capture,
    seed: 3n,
    risk: DEFAULT_RISK,
    fees: { 'XSIM-A': { maker: -10, taker: 30 }, 'XSIM-B': { maker: -5, taker: 25 } },
  });
  return { ...result, capture };
}

describe('runBacktest', () => {
  const ticks = ticksOf(runSimulation().capture);
  const first = backtest(ticks);

  it('trades the recorded market through the sandbox engine and reports the usual metrics', () => {
    const m = first.metrics;
    expect(m.orders).toBeGreaterThan(5);
    expect(m.filled_lots).toBeGreaterThan(0);
    expect(m.filled_lots).toBeLessThanOrEqual(1500);
    expect(m.position_lots).toBe(m.filled_lots);
    expect(Number(m.avg_fill_px)).toBeGreaterThan(9_900);
    expect(m.arrival_px).not.toBeNull();
    expect(m.benchmark).toBe('twap-mid');
    expect(Math.abs(Number(m.slippage_ticks))).toBeLessThan(20);
    expect(m.pnl).not.toBeNull();
  });

  it('is deterministic', () => {
    expect(backtest(ticks).capture.ids).toEqual(first.capture.ids);
  });

  it('leaves a run that replays byte for byte, like a live one', async () => {
    const events = recordedEvents(first.capture);
    async function* chunks(): AsyncGenerator<readonly RecordedEvent[]> {
      await Promise.resolve();
      yield events;
    }
    const report = await replayRun(chunks, { catalog: BUILT_IN_CATALOG, registry });
    expect(report.identical).toBe(true);
  });

  it('gives other fills to other parameters', () => {
    const changed = backtest(ticks, vwapParams({ totalLots: 1500, maxSliceLots: 60 }));
    expect(changed.metrics.orders).not.toBe(first.metrics.orders);
  });

  it('reports INPUT_INVALID_ARGUMENT for no ticks or ticks out of order', () => {
    expectErrorCode(() => backtest([]), 'INPUT_INVALID_ARGUMENT');
    expectErrorCode(
      () => backtest([ticks[1]!, ticks[0]!].map((t, i) => ({ ...t, tsNs: BigInt(10 - i) }))),
      'INPUT_INVALID_ARGUMENT',
    );
  });
});
