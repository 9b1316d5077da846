/**
 * @module
 * The sample strategy: work one parent order across venues toward a VWAP-like schedule. The
 * schedule is an intraday volume profile (buckets of the horizon, each with a weight); at any time
 * the target is the profile's cumulative share of the parent quantity. When filled plus working
 * falls behind the target by a slice, it sends one — passive at its own touch while close to
 * schedule, crossing the spread when fills lag — and cancels orders that the market has left
 * behind. Slice sizes are jittered with the run's seeded random source, as execution algorithms do
 * against detection, so a replay needs the recorded seed.
 */
import { z } from 'zod';

import { InputError, ratioToDecimal, type Side } from '../core/index.js';
import type { RecordedInput } from './inputs.js';
import type { ManagedOrder } from './order-manager.js';
import type { Decision, Strategy, StrategyContext, StrategyParams } from './strategy.js';

export interface VwapParams {
  readonly parentId: string;
  readonly instrument: string;
  readonly side: Side;
  readonly totalLots: number;
  readonly horizonNs: bigint;
  /** Bucket weights of the volume profile, in order; any positive integers. */
  readonly profile: readonly number[];
  readonly minSliceLots: number;
  readonly maxSliceLots: number;
  /** Lots behind schedule on fills at which the strategy starts to cross the spread. */
  readonly aggressiveBehindLots: number;
  /** How often the schedule is checked without market data. */
  readonly checkIntervalNs: bigint;
  /** A working order older than this and off the touch is cancelled. */
  readonly repriceAfterNs: bigint;
  /** Slice jitter, in percent either way (0 = none). */
  readonly jitterPct: number;
}

export const VWAP_STRATEGY_NAME = 'vwap-schedule';
export const VWAP_STRATEGY_VERSION = '1.0.0';
const SCHEDULE_TIMER = 'schedule';
const SHORTFALL_SIGNAL = 'schedule.shortfall_lots';

/** A classic U-shaped intraday profile in ten buckets. */
export const DEFAULT_PROFILE = [14, 10, 8, 7, 6, 6, 7, 9, 12, 21] as const;

function assertVwapParams(p: VwapParams): void {
  const bad = (what: string): never => {
    throw new InputError('PIPELINE_INVALID_CONFIG', `vwap strategy: ${what}`);
  };
  if (!Number.isSafeInteger(p.totalLots) || p.totalLots <= 0)
    bad('totalLots must be a positive integer');
  if (p.horizonNs <= 0n) bad('horizonNs must be positive');
  if (p.profile.length === 0 || p.profile.some((w) => !Number.isSafeInteger(w) || w <= 0)) {
    bad('profile weights must be positive integers');
  }
  if (!Number.isSafeInteger(p.minSliceLots) || p.minSliceLots <= 0)
    bad('minSliceLots must be positive');
  if (!Number.isSafeInteger(p.maxSliceLots) || p.maxSliceLots < p.minSliceLots) {
    bad('maxSliceLots must be at least minSliceLots');
  }
  if (p.checkIntervalNs <= 0n || p.repriceAfterNs <= 0n) bad('intervals must be positive');
  if (!Number.isInteger(p.jitterPct) || p.jitterPct < 0 || p.jitterPct >= 100)
    bad('jitterPct must be in [0, 100)');
}

/**
 * The schedule's constants as BigInts, computed once per strategy: the schedule is read on every
 * tick, and summing the profile and converting it again each time cost more than the reading.
 */
interface ScheduleTable {
  readonly buckets: bigint;
  /** By bucket: the weights of the buckets before it, times the horizon. */
  readonly beforeTimesHorizon: readonly bigint[];
  readonly weights: readonly bigint[];
  /** By bucket: where it starts, in units of elapsed time × bucket count. */
  readonly starts: readonly bigint[];
  readonly totalLots: bigint;
  /** The profile's total weight times the horizon. */
  readonly denominator: bigint;
}

function scheduleTable(p: VwapParams): ScheduleTable {
  const horizon = p.horizonNs;
  const weights = p.profile.map((w) => BigInt(w));
  const beforeTimesHorizon: bigint[] = [];
  let before = 0n;
  for (const weight of weights) {
    beforeTimesHorizon.push(before * horizon);
    before += weight;
  }
  return {
    buckets: BigInt(weights.length),
    beforeTimesHorizon,
    weights,
    starts: weights.map((_, bucket) => BigInt(bucket) * horizon),
    totalLots: BigInt(p.totalLots),
    denominator: before * horizon,
  };
}

function targetLots(p: VwapParams, table: ScheduleTable, elapsedNs: bigint): number {
  if (elapsedNs >= p.horizonNs) return p.totalLots;
  if (elapsedNs <= 0n) return 0;
  const scaled = elapsedNs * table.buckets;
  const bucket = Number(scaled / p.horizonNs);
  const numerator =
    table.beforeTimesHorizon[bucket]! + table.weights[bucket]! * (scaled - table.starts[bucket]!);
  return Number((table.totalLots * numerator) / table.denominator);
}

/** Lots the schedule wants done after `elapsedNs`: the profile's cumulative share, floored. */
export function scheduleTargetLots(p: VwapParams, elapsedNs: bigint): number {
  return targetLots(p, scheduleTable(p), elapsedNs);
}

const NsSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/)
  .transform((text) => BigInt(text));
const PositiveIntSchema = z.number().int().positive();

/** The flat parameters a run.start records, back to a strategy's own (see VwapStrategy.params). */
const VwapParamsSchema = z
  .strictObject({
    aggressive_behind_lots: PositiveIntSchema,
    check_interval_ns: NsSchema,
    horizon_ns: NsSchema,
    instrument: z.string().min(1),
    jitter_pct: z.number().int().min(0).max(99),
    max_slice_lots: PositiveIntSchema,
    min_slice_lots: PositiveIntSchema,
    parent_id: z.string().min(1),
    profile: z.string().regex(/^[1-9][0-9]*(,[1-9][0-9]*)*$/),
    reprice_after_ns: NsSchema,
    side: z.enum(['buy', 'sell']),
    total_lots: PositiveIntSchema,
  })
  .transform((p): VwapParams => ({
    parentId: p.parent_id,
    instrument: p.instrument,
    side: p.side,
    totalLots: p.total_lots,
    horizonNs: p.horizon_ns,
    profile: p.profile.split(',').map(Number),
    minSliceLots: p.min_slice_lots,
    maxSliceLots: p.max_slice_lots,
    aggressiveBehindLots: p.aggressive_behind_lots,
    checkIntervalNs: p.check_interval_ns,
    repriceAfterNs: p.reprice_after_ns,
    jitterPct: p.jitter_pct,
  }));

export class VwapStrategy implements Strategy {
  readonly name = VWAP_STRATEGY_NAME;
  readonly version = VWAP_STRATEGY_VERSION;
  readonly params: StrategyParams;
  readonly #p: VwapParams;
  readonly #schedule: ScheduleTable;

  constructor(params: VwapParams) {
    assertVwapParams(params);
    this.#p = params;
    this.#schedule = scheduleTable(params);
    this.params = {
      aggressive_behind_lots: params.aggressiveBehindLots,
      check_interval_ns: params.checkIntervalNs.toString(),
      horizon_ns: params.horizonNs.toString(),
      instrument: params.instrument,
      jitter_pct: params.jitterPct,
      max_slice_lots: params.maxSliceLots,
      min_slice_lots: params.minSliceLots,
      parent_id: params.parentId,
      profile: params.profile.join(','),
      reprice_after_ns: params.repriceAfterNs.toString(),
      side: params.side,
      total_lots: params.totalLots,
    };
  }

  /**
   * The strategy a run.start's `params` describe.
   * @throws PIPELINE_INVALID_CONFIG naming the parameters that do not parse.
   */
  static fromParams(params: StrategyParams): VwapStrategy {
    const parsed = VwapParamsSchema.safeParse(params);
    if (!parsed.success) {
      throw new InputError('PIPELINE_INVALID_CONFIG', 'vwap strategy: bad parameters', {
        details: { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
      });
    }
    return new VwapStrategy(parsed.data);
  }

  /** Stateless: the schedule is a function of the parameters, the context and the time. */
  snapshot(): null {
    return null;
  }

  restore(): void {
    // Nothing to put back.
  }

  onStart(): readonly Decision[] {
    return [{ kind: 'timer', name: SCHEDULE_TIMER, delayNs: this.#p.checkIntervalNs }];
  }

  onEvent(event: RecordedInput, ctx: StrategyContext): readonly Decision[] {
    const p = this.#p;
    const decisions: Decision[] = [];
    const filled = ctx.orders.parentFilledLots(p.parentId);
    if (event.kind === 'timer' && event.name === SCHEDULE_TIMER && filled < p.totalLots) {
      decisions.push({ kind: 'timer', name: SCHEDULE_TIMER, delayNs: p.checkIntervalNs });
    }
    const relevant =
      event.kind === 'timer' ||
      event.kind === 'fill' ||
      event.kind === 'cancelled' ||
      event.kind === 'reject' ||
      (event.kind === 'tick' && event.instrument === p.instrument);
    if (!relevant) return decisions;
    const { bid, ask } = ctx.market.nbbo(p.instrument);
    if (bid?.bidPx === undefined || ask?.askPx === undefined) return decisions;
    const bidPx = bid.bidPx;
    const askPx = ask.askPx;
    const elapsed = ctx.nowMonoNs - ctx.startMonoNs;
    const target = targetLots(p, this.#schedule, elapsed);
    const ownTouch = p.side === 'buy' ? bidPx : askPx;
    // One pass over the parent's working orders for their lots and the stale ones: this runs on
    // every tick, and most ticks find nothing to do.
    let workingLots = 0;
    const stale: ManagedOrder[] = [];
    for (const o of ctx.orders.working(p.instrument)) {
      if (o.parentId !== p.parentId) continue;
      workingLots += o.leavesLots;
      if (
        !o.cancelRequested &&
        ctx.nowMonoNs - o.sentMonoNs >= p.repriceAfterNs &&
        o.limitPx !== undefined &&
        (p.side === 'buy' ? o.limitPx < ownTouch : o.limitPx > ownTouch)
      ) {
        stale.push(o);
      }
    }
    const shortfall = target - filled - workingLots;
    const late = elapsed >= p.horizonNs;
    // After a refusal (pre-trade risk, or the venue), wait a check interval: retrying on every
    // event would only repeat it.
    const lastRefusal =
      ctx.lastRiskFailureMonoNs === undefined ||
      ctx.lastRiskFailureMonoNs < ctx.orders.lastRejectMonoNs()
        ? ctx.orders.lastRejectMonoNs()
        : ctx.lastRiskFailureMonoNs;
    const refusedRecently = lastRefusal >= 0n && ctx.nowMonoNs - lastRefusal < p.checkIntervalNs;
    const wantSlice = !refusedRecently && (shortfall >= p.minSliceLots || (late && shortfall > 0));
    if (stale.length === 0 && !wantSlice) return decisions;

    const basisTicks = bid.ref === ask.ref ? [bid.ref] : [bid.ref, ask.ref];
    if (wantSlice) {
      // First what the decision rests on most: the shortfall, which counts every fill — the
      // previous shortfall accounted for those before it, the fills since are named here.
      const previous = ctx.lastSignal(SHORTFALL_SIGNAL);
      const fills = ctx.orders.parentFillsAfter(p.parentId, previous);
      decisions.push({
        kind: 'signal',
        label: 'shortfall',
        name: SHORTFALL_SIGNAL,
        instrument: p.instrument,
        value: String(shortfall),
        basis: [...new Set([event.ref, ...(previous === undefined ? [] : [previous]), ...fills])],
      });
    }
    decisions.push({
      kind: 'signal',
      label: 'mid',
      name: 'nbbo.mid',
      instrument: p.instrument,
      value: ratioToDecimal(bidPx + askPx, 2, 1),
      basis: basisTicks,
    });
    for (const order of stale) {
      decisions.push({ kind: 'cancel', orderId: order.orderId, reason: 'reprice', basis: ['mid'] });
    }
    if (!wantSlice) return decisions;
    decisions.push({
      kind: 'signal',
      label: 'imbalance',
      name: 'nbbo.imbalance',
      instrument: p.instrument,
      value: ratioToDecimal(bid.bidQty - ask.askQty, Math.max(1, bid.bidQty + ask.askQty), 4),
      basis: basisTicks,
    });
    const behind = target - filled;
    const aggressive = late || behind >= p.aggressiveBehindLots;
    const limitPx = aggressive ? (p.side === 'buy' ? askPx : bidPx) : ownTouch;
    const jitter = p.jitterPct === 0 ? 0 : Math.floor((ctx.rng.next() * 2 - 1) * p.jitterPct);
    const base = Math.min(shortfall, p.maxSliceLots);
    const slice = Math.max(1, Math.min(shortfall, Math.floor((base * (100 + jitter)) / 100)));
    decisions.push({
      kind: 'execute',
      parentId: p.parentId,
      instrument: p.instrument,
      side: p.side,
      qtyLots: slice,
      limitPx,
      tif: 'day',
      basis: ['shortfall', 'mid', 'imbalance'],
    });
    return decisions;
  }
}
