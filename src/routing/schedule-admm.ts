/**
 * @module
 * The Almgren–Chriss schedule across several venues: venue v trades nᵥₖ lots in period k at its own
 * cost εᵥ·n + (η̃ᵥ/τ)·n² (η̃ᵥ = ηᵥ − γτ/2) within its per-period capacity, while the risk term
 * λσ²τΣxₖ² and the constraint Σₖ sₖ = X depend only on the period totals sₖ = Σᵥ nᵥₖ. Each venue
 * solves its own schedule (a closed-form clamp per period); sharing ADMM coordinates them over the
 * period totals, whose step is a tridiagonal solve in the holdings x₁ … x_{N−1} (x₀ = X, x_N = 0).
 * With one venue, or equal fees, the optimum is the closed form with 1/η̃ = Σᵥ 1/η̃ᵥ. Pure.
 */
import { InputError } from '../core/index.js';
import {
  assertScheduleParams,
  effectiveEta,
  holdingsOf,
  type ScheduleResult,
  varianceOf,
} from './almgren-chriss.js';
import {
  type AdmmOptions,
  type ConvergenceHistory,
  runSharingAdmm,
  type SharingCoordinator,
} from './sharing-admm.js';

export interface ScheduleVenue {
  readonly id: string;
  /** ηᵥ: temporary impact at this venue. */
  readonly eta: number;
  /** εᵥ: fixed cost per lot at this venue, ticks. */
  readonly epsilon: number;
  /** Most lots this venue takes in one period. */
  readonly capacityPerPeriod: number;
}

export interface MultiVenueScheduleParams {
  readonly totalQty: number;
  readonly periods: number;
  readonly tau: number;
  readonly sigma: number;
  readonly gamma: number;
  readonly lambda: number;
  readonly venues: readonly ScheduleVenue[];
}

export interface MultiVenueSchedule extends ScheduleResult {
  /** Per venue (in the order given), its trades per period. */
  readonly venueTrades: readonly (readonly number[])[];
  /** Per period, the marginal cost of one more lot in that period (ticks). */
  readonly multipliers: readonly number[];
  readonly rho: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly primalResidual: number;
  readonly dualResidual: number;
  readonly history: ConvergenceHistory;
}

/**
 * @throws ROUTE_INVALID_PROBLEM for bad parameters (as the single-venue schedule), no venues, a
 *   duplicate id, a negative or non-finite capacity, or ηᵥ ≤ γτ/2; ROUTE_INFEASIBLE when
 *   N·Σᵥ capᵥ < X.
 */
export function assertMultiVenueSchedule(params: MultiVenueScheduleParams): void {
  const invalid = (message: string, details: Record<string, string | number>): never => {
    throw new InputError('ROUTE_INVALID_PROBLEM', message, { details });
  };
  if (params.venues.length === 0) invalid('a schedule needs at least one venue', {});
  const seen = new Set<string>();
  let capacity = 0;
  for (const venue of params.venues) {
    if (seen.has(venue.id)) invalid(`venue ${venue.id} appears twice`, { venue: venue.id });
    seen.add(venue.id);
    assertScheduleParams({ ...params, eta: venue.eta, epsilon: Math.abs(venue.epsilon) });
    if (!Number.isFinite(venue.epsilon)) invalid('epsilon must be finite', { venue: venue.id });
    if (!Number.isFinite(venue.capacityPerPeriod) || venue.capacityPerPeriod < 0) {
      invalid('capacity must be a finite number ≥ 0', { venue: venue.id });
    }
    capacity += venue.capacityPerPeriod;
  }
  if (capacity * params.periods < params.totalQty) {
    throw new InputError('ROUTE_INFEASIBLE', 'the venues cannot take the whole quantity in time', {
      details: { total_qty: params.totalQty, total_capacity: capacity * params.periods },
    });
  }
}

/**
 * The coordinator's step: minimise λσ²τΣxₖ² + (ρ/2M)Σₖ(xₖ₋₁ − xₖ − Wₖ)² over x₁ … x_{N−1}, a
 * symmetric tridiagonal system solved by the Thomas algorithm (O(N), scratch allocated once).
 */
function riskCoordinator(params: MultiVenueScheduleParams): SharingCoordinator {
  const { periods, totalQty } = params;
  const b = 2 * params.lambda * params.sigma * params.sigma * params.tau;
  const inner = Math.max(0, periods - 1);
  const cPrime = new Float64Array(inner);
  const dPrime = new Float64Array(inner);
  const x = new Float64Array(periods + 1);
  return (w, a, out) => {
    const diagonal = b + 2 * a;
    for (let j = 0; j < inner; j++) {
      // Row j is the holdings after period j + 1; its right side is a(W_{j+2} − W_{j+1}).
      let rhs = a * (w[j + 1]! - w[j]!);
      if (j === 0) rhs += a * totalQty;
      const previousC = j === 0 ? 0 : cPrime[j - 1]!;
      const previousD = j === 0 ? 0 : dPrime[j - 1]!;
      const pivot = diagonal + a * previousC;
      cPrime[j] = -a / pivot;
      dPrime[j] = (rhs + a * previousD) / pivot;
    }
    x[0] = totalQty;
    x[periods] = 0;
    for (let j = inner - 1; j >= 0; j--) {
      x[j + 1] = dPrime[j]! - cPrime[j]! * x[j + 2]!;
    }
    for (let k = 0; k < periods; k++) out[k] = x[k]! - x[k + 1]!;
  };
}

/**
 * Solves the multi-venue schedule by ADMM over the period totals.
 * @param warm a previous result of the same shape (venue trades and multipliers) to start from.
 * @throws ROUTE_INVALID_PROBLEM, ROUTE_INFEASIBLE as {@link assertMultiVenueSchedule}.
 */
export function solveScheduleAdmm(
  params: MultiVenueScheduleParams,
  options: AdmmOptions = {},
  warm?: Pick<MultiVenueSchedule, 'venueTrades' | 'multipliers' | 'rho'>,
): MultiVenueSchedule {
  assertMultiVenueSchedule(params);
  const { venues, periods, tau, gamma, totalQty } = params;
  const locals = {
    fee: Float64Array.from(venues, (v) => v.epsilon),
    curvature: Float64Array.from(venues, (v) => effectiveEta(v.eta, gamma, tau) / tau),
    capacity: Float64Array.from(venues, (v) => v.capacityPerPeriod),
  };
  const twap = new Float64Array(periods).fill(totalQty / periods);
  const start =
    warm === undefined
      ? undefined
      : {
          quantities: Float64Array.from(warm.venueTrades.flat()),
          scaledDual: Float64Array.from(warm.multipliers, (m) => -m / warm.rho),
          rho: warm.rho,
        };
  const run = runSharingAdmm(locals, periods, riskCoordinator(params), twap, start, options);

  const venueTrades = venues.map((_, v) =>
    Array.from(run.quantities.subarray(v * periods, (v + 1) * periods)),
  );
  const trades = Array.from({ length: periods }, (_, k) =>
    venueTrades.reduce((sum, row) => sum + row[k]!, 0),
  );
  const holdings = holdingsOf(totalQty, trades);
  let expectedCost = 0.5 * gamma * totalQty * totalQty;
  venues.forEach((venue, v) => {
    const a = locals.curvature[v]!;
    for (const n of venueTrades[v]!) expectedCost += venue.epsilon * Math.abs(n) + a * n * n;
  });
  const variance = varianceOf(params, holdings);
  return {
    trades,
    holdings,
    expectedCost,
    variance,
    utility: expectedCost + params.lambda * variance,
    venueTrades,
    multipliers: Array.from(run.scaledDual, (u) => -run.rho * u),
    rho: run.rho,
    iterations: run.iterations,
    converged: run.converged,
    primalResidual: run.primalResidual,
    dualResidual: run.dualResidual,
    history: run.history,
  };
}
