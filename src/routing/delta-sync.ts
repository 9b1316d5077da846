/**
 * @module
 * Delta-sync: a plan is the fold of its PlanDeltas. Each delta names the version it applies to
 * (`base_version` → `version = base_version + 1`), so folding the recorded `plan.delta` payloads in
 * order rebuilds the plan exactly, and a duplicated, missing, out-of-order or conflicting delta is
 * a typed error rather than a silently different plan. The fold works on the ledger's payloads
 * (extra members such as a PlanDelta's `causes` are ignored). Pure.
 */
import {
  canonicalize,
  IntegrityError,
  type PlanDeltaPayload,
  sha256,
  type Side,
  toHex,
} from '../core/index.js';

export interface PlanVenue {
  readonly venue: string;
  readonly lots: number;
  readonly limitPx?: number;
  /** Earliest send time, integer ns as a decimal string. */
  readonly notBeforeNs?: string;
}

export interface PlanState {
  readonly planId: string;
  readonly instrument: string;
  readonly side: Side;
  readonly version: number;
  /** Every venue a delta has touched, sorted by venue id. */
  readonly venues: readonly PlanVenue[];
  /** SHA-256 of the canonical JSON of each applied delta's payload, by base_version. */
  readonly deltaDigests: readonly string[];
}

/** The ledger payload of a delta: its own members without `causes`. */
export function toPlanDeltaPayload(delta: PlanDeltaPayload): PlanDeltaPayload {
  return {
    plan_id: delta.plan_id,
    base_version: delta.base_version,
    version: delta.version,
    instrument: delta.instrument,
    side: delta.side,
    changes: delta.changes,
    ...(delta.solver === undefined ? {} : { solver: delta.solver }),
  };
}

function digestOf(delta: PlanDeltaPayload): string {
  return toHex(sha256(canonicalize(toPlanDeltaPayload(delta))));
}

function fail(
  code:
    | 'ROUTE_DELTA_INVALID'
    | 'ROUTE_DELTA_DUPLICATE'
    | 'ROUTE_DELTA_MISSING'
    | 'ROUTE_DELTA_OUT_OF_ORDER'
    | 'ROUTE_DELTA_CONFLICT',
  message: string,
  delta: PlanDeltaPayload,
  extra: Record<string, string | number> = {},
): never {
  throw new IntegrityError(code, message, {
    details: {
      plan_id: delta.plan_id,
      base_version: delta.base_version,
      version: delta.version,
      ...extra,
    },
  });
}

/**
 * Applies one delta to a plan (`undefined`: the plan before its first delta).
 * @throws ROUTE_DELTA_INVALID when version ≠ base_version + 1, the delta is for another plan,
 *   instrument or side, names a venue twice, or takes a venue below zero lots;
 *   ROUTE_DELTA_DUPLICATE when this very delta was applied already; ROUTE_DELTA_CONFLICT when a
 *   different delta was applied at its base_version; ROUTE_DELTA_MISSING when its base_version is
 *   ahead of the plan.
 */
export function applyPlanDelta(plan: PlanState | undefined, delta: PlanDeltaPayload): PlanState {
  if (delta.version !== delta.base_version + 1) {
    fail('ROUTE_DELTA_INVALID', 'a delta moves its plan by exactly one version', delta);
  }
  const current = plan?.version ?? 0;
  if (plan !== undefined) {
    if (delta.plan_id !== plan.planId) {
      fail('ROUTE_DELTA_INVALID', `the delta is for plan ${delta.plan_id}`, delta, {
        plan: plan.planId,
      });
    }
    if (delta.instrument !== plan.instrument || delta.side !== plan.side) {
      fail('ROUTE_DELTA_INVALID', 'the delta changes the instrument or side of its plan', delta);
    }
  }
  if (delta.base_version < current) {
    const applied = plan?.deltaDigests[delta.base_version];
    if (applied === digestOf(delta)) {
      fail('ROUTE_DELTA_DUPLICATE', 'this delta was applied already', delta, { current });
    }
    fail('ROUTE_DELTA_CONFLICT', 'another delta was applied at this base version', delta, {
      current,
    });
  }
  if (delta.base_version > current) {
    fail('ROUTE_DELTA_MISSING', `deltas ${current}→${delta.base_version} are missing`, delta, {
      current,
    });
  }

  const venues = new Map<string, PlanVenue>((plan?.venues ?? []).map((v) => [v.venue, v]));
  const seen = new Set<string>();
  for (const change of delta.changes) {
    if (seen.has(change.venue)) {
      fail('ROUTE_DELTA_INVALID', `venue ${change.venue} appears twice`, delta, {
        venue: change.venue,
      });
    }
    seen.add(change.venue);
    const before = venues.get(change.venue);
    const lots = (before?.lots ?? 0) + change.qty_delta_lots;
    if (lots < 0) {
      fail('ROUTE_DELTA_INVALID', `venue ${change.venue} would go below zero lots`, delta, {
        venue: change.venue,
        lots,
      });
    }
    const limitPx = change.limit_px ?? before?.limitPx;
    const notBeforeNs = change.not_before_ns ?? before?.notBeforeNs;
    venues.set(change.venue, {
      venue: change.venue,
      lots,
      ...(limitPx === undefined ? {} : { limitPx }),
      ...(notBeforeNs === undefined ? {} : { notBeforeNs }),
    });
  }
  return {
    planId: delta.plan_id,
    instrument: delta.instrument,
    side: delta.side,
    version: delta.version,
    venues: [...venues.values()].sort((a, b) =>
      a.venue < b.venue ? -1 : a.venue > b.venue ? 1 : 0,
    ),
    deltaDigests: [...(plan?.deltaDigests ?? []), digestOf(delta)],
  };
}

/**
 * Folds one plan's deltas in recorded order, optionally onto a plan rebuilt earlier. A delta that
 * arrives ahead of the plan while the one it needs comes later in `deltas` is reported as
 * ROUTE_DELTA_OUT_OF_ORDER rather than missing.
 * @throws the codes of {@link applyPlanDelta}, and ROUTE_DELTA_OUT_OF_ORDER.
 */
export function rebuildPlan(
  deltas: readonly PlanDeltaPayload[],
  from?: PlanState,
): PlanState | undefined {
  let plan = from;
  deltas.forEach((delta, index) => {
    const current = plan?.version ?? 0;
    if (
      delta.base_version > current &&
      deltas.slice(index + 1).some((later) => later.base_version === current)
    ) {
      fail('ROUTE_DELTA_OUT_OF_ORDER', `the delta from version ${current} comes later`, delta, {
        current,
        index,
      });
    }
    plan = applyPlanDelta(plan, delta);
  });
  return plan;
}

/**
 * Rebuilds every plan from a log's `plan.delta` payloads (interleaved across plans, in log order);
 * the plans come back sorted by plan id.
 * @throws as {@link rebuildPlan}.
 */
export function rebuildPlans(deltas: readonly PlanDeltaPayload[]): readonly PlanState[] {
  const byPlan = new Map<string, PlanDeltaPayload[]>();
  for (const delta of deltas) {
    const list = byPlan.get(delta.plan_id);
    if (list === undefined) byPlan.set(delta.plan_id, [delta]);
    else list.push(delta);
  }
  return [...byPlan.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((planId) => rebuildPlan(byPlan.get(planId)!)!);
}
