/**
 * @module
 * The strategy interface: `onEvent(event, ctx)` returns decisions, and nothing else reaches the
 * outside. The context carries the event's capture time (never a fresh clock read, so a replay that
 * feeds the same inputs gets the same decisions), a seeded random source, and read-only views of
 * the market and the orders. Strategies are pure functions of what they are given.
 */
import type { JsonValue, Rng, Side } from '../core/index.js';
import type { EventRef } from './capture.js';
import type { RecordedInput } from './inputs.js';
import type { MarketView } from './market-state.js';
import type { OrderView } from './order-manager.js';

export type ParamValue = string | number | boolean;
export type StrategyParams = Readonly<Record<string, ParamValue>>;

export interface StrategyContext {
  /** Monotonic capture time of the event being handled. */
  readonly nowMonoNs: bigint;
  /** Wall-clock capture time of the event being handled. */
  readonly nowWallNs: bigint;
  /** Monotonic time the run started. */
  readonly startMonoNs: bigint;
  readonly rng: Rng;
  readonly market: MarketView;
  readonly orders: OrderView;
  readonly params: StrategyParams;
  /** When a pre-trade risk check last refused one of this run's orders (monotonic ns). */
  readonly lastRiskFailureMonoNs: bigint | undefined;
  /** The last signal of this name the strategy emitted, if any. */
  lastSignal(name: string): EventRef | undefined;
}

/**
 * An observation the strategy bases decisions on; becomes a `signal` event caused by the events in
 * `basis`. Later decisions of the same call cite it by `label`.
 */
export interface SignalDecision {
  readonly kind: 'signal';
  readonly label: string;
  readonly name: string;
  readonly instrument: string;
  /** Exact decimal text (see ratioToDecimal / numberToDecimal). */
  readonly value: string;
  readonly basis: readonly EventRef[];
  readonly horizonNs?: bigint;
}

/** Work `qtyLots` more of a parent order now; the router splits it across venues. */
export interface ExecuteDecision {
  readonly kind: 'execute';
  readonly parentId: string;
  readonly instrument: string;
  readonly side: Side;
  readonly qtyLots: number;
  readonly limitPx: number;
  readonly tif: 'day' | 'ioc';
  /** Labels of the signals (of the same call) this decision rests on. */
  readonly basis: readonly string[];
}

export interface CancelDecision {
  readonly kind: 'cancel';
  readonly orderId: string;
  readonly reason: string;
  readonly basis: readonly string[];
}

/** Ask for a `timer` input named `name` after `delayNs`. */
export interface TimerDecision {
  readonly kind: 'timer';
  readonly name: string;
  readonly delayNs: bigint;
}

export type Decision = SignalDecision | ExecuteDecision | CancelDecision | TimerDecision;

export interface Strategy {
  readonly name: string;
  /** Changes whenever the decision logic changes: a replay compares it with the recorded one. */
  readonly version: string;
  readonly params: StrategyParams;
  /** Called once when the run starts, before any input. */
  onStart(ctx: StrategyContext): readonly Decision[];
  onEvent(event: RecordedInput, ctx: StrategyContext): readonly Decision[];
  /**
   * The strategy's own state (beyond what the context holds), for a state snapshot; a strategy
   * without it cannot be snapshotted or resumed. A strategy that keeps everything in the context
   * returns null.
   */
  snapshot?(): JsonValue;
  /** Puts back what {@link snapshot} returned. */
  restore?(state: JsonValue): void;
}
