/**
 * @module
 * What-if replay: the recorded run's market data, traded again with changed strategy parameters
 * against the sandbox matching engine next to a baseline with the recorded ones, so the report can
 * say which decisions changed and what the changed decisions would have got — their fills and
 * slippage — rather than only where the first one differs.
 */
import {
  buildRouter,
  buildStrategy,
  InMemoryCapture,
  type ParamValue,
  type RunStartPayload,
  type StrategyCatalog,
} from '../pipeline/index.js';
import { type BacktestTick, runBacktest } from './backtest.js';
import type { BacktestMetrics } from './backtest-metrics.js';
import type { RecordedEvent } from './recorded-event.js';

export interface OrderDecision {
  readonly at_ns: string;
  readonly venue: string;
  readonly side: string;
  readonly qty_lots: number;
  readonly limit_px: number | null;
}

export interface WhatIfReport {
  readonly changed_params: Readonly<Record<string, ParamValue>>;
  readonly baseline: BacktestMetrics;
  readonly changed: BacktestMetrics;
  /** Orders the changed run sends and the baseline does not, and the reverse (first 20 each). */
  readonly orders_added: readonly OrderDecision[];
  readonly orders_removed: readonly OrderDecision[];
  readonly orders_added_count: number;
  readonly orders_removed_count: number;
}

/** The recorded ticks of a run, as market data. */
export function ticksOfRun(events: Iterable<RecordedEvent>): BacktestTick[] {
  const ticks: BacktestTick[] = [];
  for (const event of events) {
    if (event.type !== 'md.tick') continue;
    const p = event.payload;
    const n = (key: string): number | undefined =>
      typeof p[key] === 'number' ? p[key] : undefined;
    const optional = (key: keyof BacktestTick, value: number | undefined): Partial<BacktestTick> =>
      value === undefined ? {} : { [key]: value };
    ticks.push({
      tsNs: event.wallNs,
      venue: String(p['venue']),
      instrument: String(p['instrument']),
      ...optional('bidPx', n('bid_px')),
      ...optional('bidQty', n('bid_qty')),
      ...optional('askPx', n('ask_px')),
      ...optional('askQty', n('ask_qty')),
      ...optional('lastPx', n('last_px')),
      ...optional('lastQty', n('last_qty')),
    });
  }
  return ticks;
}

function ordersOf(capture: InMemoryCapture, startNs: bigint): OrderDecision[] {
  return capture.bodies
    .filter((b) => b.type === 'order.new')
    .map((b) => {
      const p = b.payload as Record<string, unknown>;
      return {
        at_ns: (b.ts.mono_ns - startNs).toString(),
        venue: String(p['venue']),
        side: String(p['side']),
        qty_lots: Number(p['qty_lots']),
        limit_px: typeof p['limit_px'] === 'number' ? p['limit_px'] : null,
      };
    });
}

function keyOf(order: OrderDecision): string {
  return `${order.at_ns}|${order.venue}|${order.side}|${order.qty_lots}|${order.limit_px}`;
}

/** Orders of `a` not in `b`, as multisets. */
function difference(a: readonly OrderDecision[], b: readonly OrderDecision[]): OrderDecision[] {
  const counts = new Map<string, number>();
  for (const order of b) counts.set(keyOf(order), (counts.get(keyOf(order)) ?? 0) + 1);
  const out: OrderDecision[] = [];
  for (const order of a) {
    const left = counts.get(keyOf(order)) ?? 0;
    if (left > 0) counts.set(keyOf(order), left - 1);
    else out.push(order);
  }
  return out;
}

export function whatIf(
  config: RunStartPayload,
  ticks: readonly BacktestTick[],
  set: Readonly<Record<string, ParamValue>>,
  catalog: StrategyCatalog,
): WhatIfReport {
  const fees = Object.fromEntries(
    config.venues.map((v) => [
      v.id,
      { maker: v.maker_fee_centiticks_per_lot, taker: v.taker_fee_centiticks_per_lot },
    ]),
  );
  const risk = {
    maxOrderLots: Number(config.risk_limits['max_order_lots']),
    maxPositionLots: Number(config.risk_limits['max_position_lots']),
    priceCollarTicks: Number(config.risk_limits['price_collar_ticks']),
    maxOrdersPerSecond: Number(config.risk_limits['max_orders_per_second']),
  };
  const trade = (
    params: Readonly<Record<string, ParamValue>>,
  ): { metrics: BacktestMetrics; orders: OrderDecision[] } => {
    const capture = new InMemoryCapture('what-if');
    const result = runBacktest({
      ticks,
      strategy: buildStrategy(catalog, config.strategy, params),
      router: buildRouter(catalog, config.router.name, config.router.params),
      capture,
      seed: BigInt(config.seed),
      risk,
      fees,
    });
    return { metrics: result.metrics, orders: ordersOf(capture, capture.bodies[0]!.ts.mono_ns) };
  };
  const baseline = trade(config.params);
  const changed = trade({ ...config.params, ...set });
  const added = difference(changed.orders, baseline.orders);
  const removed = difference(baseline.orders, changed.orders);
  return {
    changed_params: set,
    baseline: baseline.metrics,
    changed: changed.metrics,
    orders_added: added.slice(0, 20),
    orders_removed: removed.slice(0, 20),
    orders_added_count: added.length,
    orders_removed_count: removed.length,
  };
}
