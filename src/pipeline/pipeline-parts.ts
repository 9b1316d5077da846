/**
 * @module
 * The parts of a pipeline its state lives in: an input folded into them (market, orders, the
 * decisions an answer releases), and the state a snapshot holds (./pipeline-state.ts) taken from
 * them and put back — what `Pipeline#snapshot` writes and `Pipeline.resume` reads. Pure.
 */
import { InputError, type SeededRng } from '../core/index.js';
import type { EventRef, HybridStamper } from './capture.js';
import type { DecisionCounts, DecisionFlow } from './decision-flow.js';
import type { PipelineInput } from './inputs.js';
import type { MarketState } from './market-state.js';
import type { OrderManager } from './order-manager.js';
import { type PipelineState, sortedEntries } from './pipeline-state.js';
import type { PlanBook } from './plan-book.js';
import type { RiskEngine } from './risk.js';

export interface PipelineStats extends DecisionCounts {
  inputs: number;
}

/** The parts of a pipeline whose state a snapshot holds, the strategy's and router's aside. */
export interface PipelineParts {
  readonly flow: DecisionFlow;
  readonly timerFirings: Map<string, number>;
  readonly stats: PipelineStats;
  readonly stamper: HybridStamper;
  readonly rng: SeededRng;
  readonly routerRng: SeededRng;
  readonly market: MarketState;
  readonly orders: OrderManager;
  readonly plans: PlanBook;
  readonly risk: RiskEngine;
}

/** What an input is folded into. */
export interface InputFolds {
  readonly market: MarketState;
  readonly orders: OrderManager;
  readonly flow: DecisionFlow;
}

/** Folds a recorded input into the market and order state; an answer may release decisions. */
export function applyInput(
  { market, orders, flow }: InputFolds,
  input: PipelineInput,
  ref: EventRef,
  monoNs: bigint,
): void {
  switch (input.kind) {
    case 'tick':
      market.apply(input, ref, monoNs);
      return;
    case 'ack':
      orders.onAck(input.orderId, input.venue, input.venueOrderId);
      return;
    case 'fill':
      orders.onFill(input, ref);
      return;
    case 'reject':
      flow.release(orders.get(input.orderId), () => orders.onReject(input, monoNs), ref);
      return;
    case 'cancelled':
      flow.release(orders.get(input.orderId), () => orders.onCancelled(input), ref);
      return;
    case 'timer':
    case 'feed-status':
    case 'session-status':
      return;
    default: {
      const unreachable: never = input;
      throw new InputError('PIPELINE_INVALID_CONFIG', `unknown input ${String(unreachable)}`);
    }
  }
}

/** The clock readings a pipeline keeps in its own fields. */
export interface PipelineTimes {
  readonly nowMonoNs: bigint;
  readonly startMonoNs: bigint;
}

export function snapshotPipeline(
  parts: PipelineParts,
  times: PipelineTimes & { readonly halted: boolean },
  strategy: PipelineState['strategy'],
  router: PipelineState['router'],
): PipelineState {
  const { flow, stats } = parts;
  return {
    now_mono_ns: times.nowMonoNs.toString(),
    start_mono_ns: times.startMonoNs.toString(),
    next_order: flow.nextOrder,
    halted: times.halted,
    last_risk_failure_mono_ns: flow.lastRiskFailureMonoNs?.toString() ?? null,
    timer_firings: sortedEntries(parts.timerFirings),
    last_signals: sortedEntries(flow.lastSignals),
    stats: {
      inputs: stats.inputs,
      signals: stats.signals,
      plan_deltas: stats.planDeltas,
      risk_checks: stats.riskChecks,
      risk_failures: stats.riskFailures,
      orders_sent: stats.ordersSent,
      cancels_sent: stats.cancelsSent,
    },
    stamper: parts.stamper.snapshot(),
    rng: parts.rng.state(),
    router_rng: parts.routerRng.state(),
    market: parts.market.snapshot(),
    orders: parts.orders.snapshot(),
    plans: parts.plans.snapshot(),
    risk_sent_mono_ns: parts.risk.snapshot(),
    strategy,
    router,
  };
}

/** Puts a snapshot's state back into the parts; the times are the pipeline's to keep. */
export function restorePipeline(parts: PipelineParts, state: PipelineState): PipelineTimes {
  parts.flow.restore(
    state.next_order,
    state.last_signals,
    state.last_risk_failure_mono_ns === null ? undefined : BigInt(state.last_risk_failure_mono_ns),
  );
  parts.timerFirings.clear();
  for (const [name, n] of state.timer_firings) parts.timerFirings.set(name, n);
  const { stats } = parts;
  stats.inputs = state.stats.inputs;
  stats.signals = state.stats.signals;
  stats.planDeltas = state.stats.plan_deltas;
  stats.riskChecks = state.stats.risk_checks;
  stats.riskFailures = state.stats.risk_failures;
  stats.ordersSent = state.stats.orders_sent;
  stats.cancelsSent = state.stats.cancels_sent;
  parts.stamper.restore(state.stamper);
  parts.rng.restore(state.rng);
  parts.routerRng.restore(state.router_rng);
  parts.market.restore(state.market);
  parts.orders.restore(state.orders);
  parts.plans.restore(state.plans);
  parts.risk.restore(state.risk_sent_mono_ns);
  return { nowMonoNs: BigInt(state.now_mono_ns), startMonoNs: BigInt(state.start_mono_ns) };
}
