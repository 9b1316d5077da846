/**
 * @module
 * The allocation planner: local problems (one per venue) and the shared variables in, integer lots
 * per venue out, with the duals, the residual history and what the next solve warm-starts from.
 * Only the shared and dual variables cross between the local problems (sharing ADMM); the lots sum
 * exactly to `total_lots`. Pure and deterministic: venues are solved in venue-id order.
 */
import { InputError } from '../core/index.js';
import {
  type AllocationAdmmOptions,
  type AllocationWarmStart,
  solveAllocationAdmm,
} from './allocation-admm.js';
import { toLots } from './lots.js';
import type { DualVariables, LocalProblem, SharedVariables } from './primitives.js';
import type { ConvergenceHistory } from './sharing-admm.js';
import { allocationObjective, type AllocationProblem } from './water-filling.js';

/** Solver metadata; its first five members are what a `plan.delta` records. */
export interface SolverSummary {
  readonly algorithm: string;
  readonly iterations: number;
  readonly primalResidual: number;
  readonly dualResidual: number;
  /** Cost of the continuous solution, ticks. */
  readonly objective: number;
  readonly converged: boolean;
  readonly polished: boolean;
}

/** A previous plan's continuous solution and duals (the `warm` of an {@link AllocationPlan}). */
export interface AllocationWarm {
  /** Venue id → continuous quantity; after a fill, pass the quantities less what filled. */
  readonly quantities: ReadonlyMap<string, number>;
  readonly duals: DualVariables;
}

export interface AllocationPlanRequest {
  /** One per venue, all for `shared.instrument`; any order. */
  readonly problems: readonly LocalProblem[];
  /** Total to allocate (`total_lots`), one period, and the version the result carries. */
  readonly shared: SharedVariables;
  readonly warm?: AllocationWarm;
  readonly options?: AllocationAdmmOptions;
}

export interface AllocationPlan {
  /** Venue ids, sorted; `lots` and `quantities` follow this order. */
  readonly venues: readonly string[];
  /** Integer lots per venue, summing to `total_lots`, each within its capacity. */
  readonly lots: readonly number[];
  readonly quantities: readonly number[];
  /** The input's shared variables with `period_totals` = [total_lots]. */
  readonly shared: SharedVariables;
  /** The coupling multiplier ν (ticks per lot) and the final ρ, at `shared.version`. */
  readonly duals: DualVariables;
  readonly solver: SolverSummary;
  /** Cost of the integer lots, ticks (≥ the continuous objective). */
  readonly lotsObjective: number;
  readonly history: ConvergenceHistory;
  /** Feed back as `warm` to re-plan from here. */
  readonly warm: AllocationWarm;
}

export const ADMM_ALGORITHM = 'admm-sharing';

/**
 * @throws ROUTE_INVALID_PROBLEM for no local problems, a duplicate venue, a problem for another
 *   instrument, or shared variables of more than one period; ROUTE_INFEASIBLE when the capacities
 *   cannot hold `total_lots`.
 */
export function toAllocationProblem(
  problems: readonly LocalProblem[],
  shared: SharedVariables,
): AllocationProblem {
  const invalid = (message: string, details: Record<string, string | number>): never => {
    throw new InputError('ROUTE_INVALID_PROBLEM', message, { details });
  };
  if (shared.periods !== 1) invalid('an allocation has one period', { periods: shared.periods });
  for (const problem of problems) {
    if (problem.instrument !== shared.instrument) {
      invalid(`venue ${problem.venue} plans another instrument`, {
        venue: problem.venue,
        instrument: problem.instrument,
      });
    }
  }
  const venues = [...problems]
    .sort((a, b) => (a.venue < b.venue ? -1 : a.venue > b.venue ? 1 : 0))
    .map((p) => ({
      id: p.venue,
      feePerLot: p.fee_per_lot,
      impact: p.impact,
      capacity: p.capacity_lots,
    }));
  return { totalQty: shared.total_lots, venues };
}

/**
 * Plans an allocation; with `warm` (the previous plan's), re-planning after a fill takes a few
 * iterations instead of a cold start.
 * @throws as {@link toAllocationProblem} and solveAllocationAdmm.
 * @example
 * const plan = planAllocation({ problems, shared });
 * const next = planAllocation({ problems, shared: afterFill, warm: plan.warm });
 */
export function planAllocation(request: AllocationPlanRequest): AllocationPlan {
  const problem = toAllocationProblem(request.problems, request.shared);
  const warm: AllocationWarmStart | undefined =
    request.warm === undefined
      ? undefined
      : {
          quantities: request.warm.quantities,
          multiplier: request.warm.duals.multipliers[0] ?? 0,
          rho: request.warm.duals.rho,
        };
  const result = solveAllocationAdmm(problem, request.options, warm);
  const capacities = problem.venues.map((v) => v.capacity);
  const lots = toLots(result.quantities, problem.totalQty, capacities);
  const venues = problem.venues.map((v) => v.id);
  const shared: SharedVariables = { ...request.shared, period_totals: [problem.totalQty] };
  const duals: DualVariables = {
    version: request.shared.version,
    rho: result.rho,
    multipliers: [result.multiplier],
  };
  return {
    venues,
    lots,
    quantities: result.quantities,
    shared,
    duals,
    solver: {
      algorithm: ADMM_ALGORITHM,
      iterations: result.iterations,
      primalResidual: result.primalResidual,
      dualResidual: result.dualResidual,
      objective: result.objective,
      converged: result.converged,
      polished: result.polished,
    },
    lotsObjective: allocationObjective(problem, lots),
    history: result.history,
    warm: {
      quantities: new Map(venues.map((venue, i) => [venue, result.quantities[i]!])),
      duals,
    },
  };
}
