/**
 * @module
 * The summary of a captured run, built from its events alone: counts by type, orders and fills,
 * fill ratio, and the latency of each hop of the decision path, measured between an event and the
 * cause it was derived from on the capturing node's monotonic clock
 * (tick → signal → plan → order → ack → fill, and tick-to-trade end to end), in HDR histograms;
 * per routing plan, how its re-plans converged (solver iterations and residuals, as recorded in
 * each plan.delta); per privacy-budgeted signal, what was spent and refused.
 */
import hdr from 'hdr-histogram-js';

import { canonicalize, InputError } from '../core/index.js';

/** The part of a log entry the summary reads. */
export interface SummaryEntry {
  readonly id: string;
  readonly type: string;
  readonly run: string;
  readonly ts: { readonly mono_ns: string };
  readonly causes: readonly string[];
  readonly payload: Readonly<Record<string, unknown>>;
}

export const LATENCY_HOPS = [
  'tick_to_signal',
  'signal_to_plan',
  'plan_to_order',
  'order_to_ack',
  'ack_to_fill',
  'tick_to_order',
] as const;
export type LatencyHop = (typeof LATENCY_HOPS)[number];

export interface LatencyStats {
  readonly count: number;
  readonly p50_ns: number;
  readonly p99_ns: number;
  readonly p99_9_ns: number;
  readonly max_ns: number;
}

/** One routing plan (a parent order) as its plan.delta events tell it. */
export interface PlanSummary {
  readonly plan_id: string;
  /** The plan's latest version: one per plan.delta. */
  readonly version: number;
  /** Lots planned less lots given back, across venues: what the plan stands at. */
  readonly planned_lots: number;
  /** plan.delta events that came from a solve, and the solver they name. */
  readonly solves: number;
  readonly algorithm: string | null;
  readonly iterations_first: number;
  /** Mean iterations of the solves after the first (warm-started from the one before). */
  readonly iterations_mean_after_first: string;
  readonly iterations_max: number;
  /** The largest final primal residual of any solve, as recorded. */
  readonly max_primal_residual: string;
  /** Mean and largest size of the plan's deltas: canonical JSON bytes of the payload. */
  readonly delta_bytes_mean: string;
  readonly delta_bytes_max: number;
}

/** One privacy-budgeted signal, from its privacy.budget and privacy.spend events. */
export interface PrivacySignalSummary {
  readonly signal: string;
  readonly epsilon_total: string | null;
  /** As the latest spend left it. */
  readonly epsilon_spent: string;
  readonly shares: number;
  readonly refusals: number;
}

export interface RunSummary {
  readonly run: string | null;
  readonly events: number;
  readonly events_by_type: Readonly<Record<string, number>>;
  readonly orders: number;
  readonly ordered_lots: number;
  readonly fills: number;
  readonly filled_lots: number;
  /** filled lots / ordered lots, as a decimal string with 4 places. */
  readonly fill_ratio: string;
  readonly rejects: number;
  readonly risk_failures: number;
  readonly latency: Readonly<Record<LatencyHop, LatencyStats>>;
  /** By plan id. */
  readonly plans: readonly PlanSummary[];
  /** By signal name. */
  readonly privacy: readonly PrivacySignalSummary[];
}

interface PlanTally {
  version: number;
  plannedLots: number;
  solves: number;
  algorithm: string | null;
  iterationsFirst: number;
  iterationsAfterFirst: number;
  iterationsMax: number;
  maxPrimalResidual: string;
  deltas: number;
  deltaBytes: number;
  deltaBytesMax: number;
}

interface PrivacyTally {
  epsilonTotal: string | null;
  epsilonSpent: string;
  shares: number;
  refusals: number;
}

interface Seen {
  readonly type: string;
  readonly monoNs: bigint;
  /** Monotonic time of the latest md.tick in this event's ancestry. */
  readonly tickNs: bigint | undefined;
}

const HOUR_NS = 3_600_000_000_000;
const UTF8 = new TextEncoder();

function histogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HOUR_NS,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

function statsOf(h: hdr.Histogram): LatencyStats {
  if (h.totalCount === 0) return { count: 0, p50_ns: 0, p99_ns: 0, p99_9_ns: 0, max_ns: 0 };
  return {
    count: h.totalCount,
    p50_ns: h.getValueAtPercentile(50),
    p99_ns: h.getValueAtPercentile(99),
    p99_9_ns: h.getValueAtPercentile(99.9),
    max_ns: h.maxValue,
  };
}

function stringField(payload: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = payload[key];
  return typeof value === 'string' ? value : undefined;
}

const byKey = <T>(map: ReadonlyMap<string, T>): [string, T][] =>
  [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function numberField(payload: Readonly<Record<string, unknown>>, key: string): number {
  const value = payload[key];
  return typeof value === 'number' ? value : 0;
}

/**
 * Builds the summary incrementally: feed entries in log order, then read {@link result}.
 * Memory grows with the number of events (one small record per id, to resolve causes).
 */
export class RunSummaryBuilder {
  readonly #seen = new Map<string, Seen>();
  readonly #acks = new Map<string, bigint>();
  readonly #counts = new Map<string, number>();
  readonly #hops = new Map<LatencyHop, hdr.Histogram>(
    LATENCY_HOPS.map((hop) => [hop, histogram()]),
  );
  #run: string | null = null;
  #events = 0;
  #orders = 0;
  #orderedLots = 0;
  #fills = 0;
  #filledLots = 0;
  #rejects = 0;
  #riskFailures = 0;
  readonly #plans = new Map<string, PlanTally>();
  readonly #privacy = new Map<string, PrivacyTally>();

  /** @throws INPUT_SCHEMA_VIOLATION when a timestamp is not integer nanoseconds. */
  add(entry: SummaryEntry): void {
    let monoNs: bigint;
    try {
      monoNs = BigInt(entry.ts.mono_ns);
    } catch {
      throw new InputError('INPUT_SCHEMA_VIOLATION', 'an entry has no integer mono_ns', {
        details: { id: entry.id },
      });
    }
    this.#run ??= entry.run;
    this.#events++;
    this.#counts.set(entry.type, (this.#counts.get(entry.type) ?? 0) + 1);
    const causes = entry.causes
      .map((id) => this.#seen.get(id))
      .filter((seen): seen is Seen => seen !== undefined);
    const latestCause = (type: string): Seen | undefined => {
      let latest: Seen | undefined;
      for (const cause of causes) {
        if (cause.type === type && (latest === undefined || cause.monoNs > latest.monoNs))
          latest = cause;
      }
      return latest;
    };
    const record = (hop: LatencyHop, fromNs: bigint | undefined): void => {
      if (fromNs === undefined || monoNs < fromNs) return;
      this.#hops.get(hop)!.recordValue(Number(monoNs - fromNs));
    };
    let tickNs: bigint | undefined;
    for (const cause of causes) {
      if (cause.tickNs !== undefined && (tickNs === undefined || cause.tickNs > tickNs))
        tickNs = cause.tickNs;
    }
    const payload = entry.payload;
    switch (entry.type) {
      case 'md.tick':
        tickNs = monoNs;
        break;
      case 'signal':
        record('tick_to_signal', latestCause('md.tick')?.monoNs);
        break;
      case 'plan.delta':
        record('signal_to_plan', latestCause('signal')?.monoNs);
        this.#addPlanDelta(payload);
        break;
      case 'privacy.budget':
      case 'privacy.spend':
        this.#addPrivacy(entry.type, payload);
        break;
      case 'order.new':
        this.#orders++;
        this.#orderedLots += numberField(payload, 'qty_lots');
        record('plan_to_order', latestCause('plan.delta')?.monoNs);
        record('tick_to_order', tickNs);
        break;
      case 'order.ack': {
        record('order_to_ack', latestCause('order.new')?.monoNs);
        const orderId = payload['order_id'];
        if (typeof orderId === 'string') this.#acks.set(orderId, monoNs);
        break;
      }
      case 'fill': {
        this.#fills++;
        this.#filledLots += numberField(payload, 'qty_lots');
        const orderId = payload['order_id'];
        record('ack_to_fill', typeof orderId === 'string' ? this.#acks.get(orderId) : undefined);
        break;
      }
      case 'order.reject':
        this.#rejects++;
        break;
      case 'risk.check':
        if (payload['outcome'] === 'fail') this.#riskFailures++;
        break;
      default:
        break;
    }
    this.#seen.set(entry.id, { type: entry.type, monoNs, tickNs });
  }

  #addPlanDelta(payload: Readonly<Record<string, unknown>>): void {
    const planId = stringField(payload, 'plan_id');
    if (planId === undefined) return;
    let plan = this.#plans.get(planId);
    if (plan === undefined) {
      plan = {
        version: 0,
        plannedLots: 0,
        solves: 0,
        algorithm: null,
        iterationsFirst: 0,
        iterationsAfterFirst: 0,
        iterationsMax: 0,
        maxPrimalResidual: '0',
        deltas: 0,
        deltaBytes: 0,
        deltaBytesMax: 0,
      };
      this.#plans.set(planId, plan);
    }
    const bytes = UTF8.encode(canonicalize(payload)).length;
    plan.deltas++;
    plan.deltaBytes += bytes;
    plan.deltaBytesMax = Math.max(plan.deltaBytesMax, bytes);
    plan.version = Math.max(plan.version, numberField(payload, 'version'));
    const changes = payload['changes'];
    if (Array.isArray(changes)) {
      for (const change of changes as unknown[]) {
        if (typeof change === 'object' && change !== null) {
          plan.plannedLots += numberField(change as Record<string, unknown>, 'qty_delta_lots');
        }
      }
    }
    const solver = payload['solver'];
    if (typeof solver !== 'object' || solver === null) return;
    const fields = solver as Record<string, unknown>;
    const iterations = numberField(fields, 'iterations');
    if (plan.solves === 0) plan.iterationsFirst = iterations;
    else plan.iterationsAfterFirst += iterations;
    plan.solves++;
    plan.algorithm = stringField(fields, 'algorithm') ?? plan.algorithm;
    plan.iterationsMax = Math.max(plan.iterationsMax, iterations);
    const residual = stringField(fields, 'primal_residual');
    if (residual !== undefined && Number(residual) > Number(plan.maxPrimalResidual)) {
      plan.maxPrimalResidual = residual;
    }
  }

  #addPrivacy(type: string, payload: Readonly<Record<string, unknown>>): void {
    const signal = stringField(payload, 'signal');
    if (signal === undefined) return;
    let tally = this.#privacy.get(signal);
    if (tally === undefined) {
      tally = { epsilonTotal: null, epsilonSpent: '0', shares: 0, refusals: 0 };
      this.#privacy.set(signal, tally);
    }
    if (type === 'privacy.budget') {
      tally.epsilonTotal = stringField(payload, 'epsilon_total') ?? null;
      return;
    }
    tally.epsilonSpent = stringField(payload, 'epsilon_spent') ?? tally.epsilonSpent;
    if (payload['outcome'] === 'refused') tally.refusals++;
    else tally.shares++;
  }

  result(): RunSummary {
    const byType: Record<string, number> = {};
    for (const type of [...this.#counts.keys()].sort()) byType[type] = this.#counts.get(type)!;
    const latency = {} as Record<LatencyHop, LatencyStats>;
    for (const hop of LATENCY_HOPS) latency[hop] = statsOf(this.#hops.get(hop)!);
    const ratio = this.#orderedLots === 0 ? '0' : (this.#filledLots / this.#orderedLots).toFixed(4);
    return {
      run: this.#run,
      events: this.#events,
      events_by_type: byType,
      orders: this.#orders,
      ordered_lots: this.#orderedLots,
      fills: this.#fills,
      filled_lots: this.#filledLots,
      fill_ratio: ratio,
      rejects: this.#rejects,
      risk_failures: this.#riskFailures,
      latency,
      plans: byKey(this.#plans).map(([planId, p]) => ({
        plan_id: planId,
        version: p.version,
        planned_lots: p.plannedLots,
        solves: p.solves,
        algorithm: p.algorithm,
        iterations_first: p.iterationsFirst,
        iterations_mean_after_first:
          p.solves > 1 ? (p.iterationsAfterFirst / (p.solves - 1)).toFixed(1) : '0',
        iterations_max: p.iterationsMax,
        max_primal_residual: p.maxPrimalResidual,
        delta_bytes_mean: (p.deltaBytes / p.deltas).toFixed(1),
        delta_bytes_max: p.deltaBytesMax,
      })),
      privacy: byKey(this.#privacy).map(([signal, t]) => ({
        signal,
        epsilon_total: t.epsilonTotal,
        epsilon_spent: t.epsilonSpent,
        shares: t.shares,
        refusals: t.refusals,
      })),
    };
  }
}

export function summarizeRun(entries: Iterable<SummaryEntry>): RunSummary {
  const builder = new RunSummaryBuilder();
  for (const entry of entries) builder.add(entry);
  return builder.result();
}
