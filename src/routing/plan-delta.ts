/**
 * @module
 * From a plan and a new target to the PlanDelta between them: only the venues whose lots, limit
 * price or earliest send time change, in venue order, with the solver's metadata as decimal
 * strings (never floats in a hashed payload). Also the seeds' "delta size" metric and the timing of
 * child orders from the venues' latencies. Pure.
 */
import {
  canonicalBytes,
  type EventId,
  numberToDecimal,
  type PlanDeltaPayload,
  type Side,
} from '../core/index.js';
import { type PlanState, toPlanDeltaPayload } from './delta-sync.js';
import type { LocalProblem, PlanDelta } from './primitives.js';

/** What a venue should hold after the delta; unset limit or timing keeps the plan's. */
export interface PlanTarget {
  readonly venue: string;
  readonly lots: number;
  readonly limitPx?: number;
  readonly notBeforeNs?: string;
}

export interface PlanDeltaSolver {
  readonly algorithm: string;
  readonly iterations: number;
  readonly primalResidual: number;
  readonly dualResidual: number;
  readonly objective: number;
}

export interface PlanDeltaInput {
  readonly planId: string;
  readonly instrument: string;
  readonly side: Side;
  /** Ids of the events the decision derives from (signal, fill, …). */
  readonly causes: readonly EventId[];
  readonly solver?: PlanDeltaSolver;
}

/** Residuals are small numbers: more decimals than the objective's, so they do not read as 0. */
const RESIDUAL_DIGITS = 15;

/**
 * The delta taking `plan` (undefined: a new plan at version 0) to `targets`; venues of the plan
 * missing from `targets` go to zero lots. Returns undefined when nothing changes.
 * @example diffPlan(state, [{ venue: 'XSIM1', lots: 40 }, { venue: 'XSIM2', lots: 60 }], meta)
 */
export function diffPlan(
  plan: PlanState | undefined,
  targets: readonly PlanTarget[],
  input: PlanDeltaInput,
): PlanDelta | undefined {
  const before = new Map((plan?.venues ?? []).map((v) => [v.venue, v]));
  const after = new Map(targets.map((t) => [t.venue, t]));
  const venues = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const changes: PlanDelta['changes'][number][] = [];
  for (const venue of venues) {
    const old = before.get(venue);
    const next = after.get(venue);
    const qtyDelta = (next?.lots ?? 0) - (old?.lots ?? 0);
    const limitPx =
      next?.limitPx !== undefined && next.limitPx !== old?.limitPx ? next.limitPx : undefined;
    const notBeforeNs =
      next?.notBeforeNs !== undefined && next.notBeforeNs !== old?.notBeforeNs
        ? next.notBeforeNs
        : undefined;
    if (qtyDelta === 0 && limitPx === undefined && notBeforeNs === undefined) continue;
    changes.push({
      venue,
      qty_delta_lots: qtyDelta,
      ...(limitPx === undefined ? {} : { limit_px: limitPx }),
      ...(notBeforeNs === undefined ? {} : { not_before_ns: notBeforeNs }),
    });
  }
  if (changes.length === 0) return undefined;
  const version = plan?.version ?? 0;
  const { solver } = input;
  return {
    plan_id: input.planId,
    base_version: version,
    version: version + 1,
    instrument: input.instrument,
    side: input.side,
    changes,
    ...(solver === undefined
      ? {}
      : {
          solver: {
            algorithm: solver.algorithm,
            iterations: solver.iterations,
            primal_residual: numberToDecimal(solver.primalResidual, RESIDUAL_DIGITS),
            dual_residual: numberToDecimal(solver.dualResidual, RESIDUAL_DIGITS),
            objective: numberToDecimal(solver.objective),
          },
        }),
    causes: [...input.causes],
  };
}

export interface PlanDeltaSize {
  readonly changedVenues: number;
  /** Length of the RFC 8785 canonical JSON of the ledger payload (without causes). */
  readonly canonicalBytes: number;
}

/** The seeds' "delta size" of one delta. */
export function measurePlanDelta(delta: PlanDeltaPayload): PlanDeltaSize {
  return {
    changedVenues: delta.changes.length,
    canonicalBytes: canonicalBytes(toPlanDeltaPayload(delta)).length,
  };
}

/**
 * Earliest send time per venue so that child orders reach every venue at once: the slowest venue
 * is sent to at `nowNs`, a venue faster by d ns at `nowNs + d`. Sorted by venue id.
 */
export function arrivalTimes(
  problems: readonly LocalProblem[],
  nowNs: bigint,
): readonly { readonly venue: string; readonly notBeforeNs: string }[] {
  const latencies = problems.map((p) => BigInt(p.latency_ns));
  const slowest = latencies.reduce((a, b) => (b > a ? b : a), 0n);
  return problems
    .map((p, i) => ({ venue: p.venue, notBeforeNs: (nowNs + slowest - latencies[i]!).toString() }))
    .sort((a, b) => (a.venue < b.venue ? -1 : a.venue > b.venue ? 1 : 0));
}
