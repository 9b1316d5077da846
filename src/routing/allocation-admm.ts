/**
 * @module
 * The allocation problem (minimise Σ cᵢxᵢ + kᵢxᵢ² subject to Σ xᵢ = Q, 0 ≤ xᵢ ≤ capᵢ) solved by
 * sharing ADMM, then polished on the multiplier: each local problem answers a price ν with its
 * best response xᵢ(ν) = clamp((ν − cᵢ)/2kᵢ, 0, capᵢ) and its slope, and the coordinator, seeing only
 * the two sums, takes safeguarded Newton steps on Σ xᵢ(ν) = Q from ADMM's own estimate ν = −ρu.
 * Σ xᵢ(ν) is piecewise linear, so from a ν on the right piece one step is exact; no local cost
 * coefficient ever crosses to the coordinator. Pure.
 */
import {
  type AdmmOptions,
  type ConvergenceHistory,
  runSharingAdmm,
  type SharingLocals,
} from './sharing-admm.js';
import {
  allocationObjective,
  type AllocationProblem,
  assertAllocationProblem,
} from './water-filling.js';

/** A previous solution to start from: continuous quantities by venue id, and its duals. */
export interface AllocationWarmStart {
  /** Venue id → quantity; venues missing here start at 0. */
  readonly quantities: ReadonlyMap<string, number>;
  /** The coupling multiplier ν (ticks per lot) of the previous solve. */
  readonly multiplier: number;
  readonly rho: number;
}

export interface AllocationAdmmOptions extends AdmmOptions {
  /** Newton polish on the multiplier after ADMM. Default true. */
  readonly polish?: boolean;
}

export interface AllocationAdmmResult {
  /** Per venue, in the order of the problem's venues; each inside its box. */
  readonly quantities: readonly number[];
  /** ν: the marginal cost of one more lot, equal for every venue strictly inside its box. */
  readonly multiplier: number;
  readonly rho: number;
  readonly objective: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Whether the polish reached Σ xᵢ = Q (to 1e-12 relative); false leaves ADMM's iterate. */
  readonly polished: boolean;
  readonly primalResidual: number;
  readonly dualResidual: number;
  /** |Σ xᵢ − Q| of the returned quantities, lots. */
  readonly sumResidual: number;
  readonly history: ConvergenceHistory;
}

const POLISH_STEPS = 64;

function localsOf(problem: AllocationProblem): SharingLocals {
  const { venues } = problem;
  return {
    fee: Float64Array.from(venues, (v) => v.feePerLot),
    curvature: Float64Array.from(venues, (v) => v.impact),
    capacity: Float64Array.from(venues, (v) => v.capacity),
  };
}

/** Σ xᵢ(ν) and Σ dxᵢ/dν over the local best responses. */
function respond(locals: SharingLocals, nu: number, out: Float64Array): [number, number] {
  let sum = 0;
  let slope = 0;
  for (let i = 0; i < out.length; i++) {
    const twoK = 2 * locals.curvature[i]!;
    const cap = locals.capacity[i]!;
    const x = (nu - locals.fee[i]!) / twoK;
    if (x <= 0) {
      out[i] = 0;
    } else if (x >= cap) {
      out[i] = cap;
    } else {
      out[i] = x;
      slope += 1 / twoK;
    }
    sum += out[i]!;
  }
  return [sum, slope];
}

/**
 * Safeguarded Newton on Σ xᵢ(ν) = Q inside the bracket [min cᵢ, max cᵢ + 2kᵢcapᵢ], where the sum
 * runs from 0 to Σ capᵢ ≥ Q. Returns ν, or undefined when it does not settle.
 */
function polishMultiplier(
  locals: SharingLocals,
  total: number,
  guess: number,
  out: Float64Array,
): number | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < out.length; i++) {
    lo = Math.min(lo, locals.fee[i]!);
    hi = Math.max(hi, locals.fee[i]! + 2 * locals.curvature[i]! * locals.capacity[i]!);
  }
  const tolerance = 1e-12 * Math.max(1, total);
  let nu = Number.isFinite(guess) ? Math.min(hi, Math.max(lo, guess)) : (lo + hi) / 2;
  for (let step = 0; step < POLISH_STEPS; step++) {
    const [sum, slope] = respond(locals, nu, out);
    const gap = total - sum;
    if (Math.abs(gap) <= tolerance) return nu;
    if (gap > 0) lo = nu;
    else hi = nu;
    const newton = slope > 0 ? nu + gap / slope : Number.NaN;
    nu = newton > lo && newton < hi ? newton : (lo + hi) / 2;
  }
  const [sum] = respond(locals, nu, out);
  return Math.abs(total - sum) <= tolerance ? nu : undefined;
}

/**
 * Solves the allocation problem by ADMM (warm-started when `warm` is given).
 * @throws ROUTE_INVALID_PROBLEM, ROUTE_INFEASIBLE as {@link assertAllocationProblem}.
 */
export function solveAllocationAdmm(
  problem: AllocationProblem,
  options: AllocationAdmmOptions = {},
  warm?: AllocationWarmStart,
): AllocationAdmmResult {
  assertAllocationProblem(problem);
  const locals = localsOf(problem);
  const total = problem.totalQty;
  const totals = Float64Array.of(total);
  const start =
    warm === undefined
      ? undefined
      : {
          quantities: Float64Array.from(problem.venues, (v) => warm.quantities.get(v.id) ?? 0),
          scaledDual: Float64Array.of(-warm.multiplier / warm.rho),
          rho: warm.rho,
        };
  const run = runSharingAdmm(locals, 1, (_w, _rho, out) => out.fill(total), totals, start, options);
  const multiplierEstimate = -run.rho * run.scaledDual[0]!;

  let quantities = run.quantities;
  let multiplier = multiplierEstimate;
  let polished = false;
  if (options.polish ?? true) {
    const out = new Float64Array(quantities.length);
    const nu = polishMultiplier(locals, total, multiplierEstimate, out);
    if (nu !== undefined) {
      quantities = out;
      multiplier = nu;
      polished = true;
    }
  }
  const list = Array.from(quantities);
  const sum = list.reduce((a, b) => a + b, 0);
  return {
    quantities: list,
    multiplier,
    rho: run.rho,
    objective: allocationObjective(problem, list),
    iterations: run.iterations,
    converged: run.converged,
    polished,
    primalResidual: run.primalResidual,
    dualResidual: run.dualResidual,
    sumResidual: Math.abs(sum - total),
    history: run.history,
  };
}
