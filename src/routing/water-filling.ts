/**
 * @module
 * The exact solution of the separable allocation problem
 *
 *   minimise Σ cᵢ·xᵢ + kᵢ·xᵢ²   subject to   Σ xᵢ = Q,  0 ≤ xᵢ ≤ capᵢ,  kᵢ > 0
 *
 * by its KKT conditions: xᵢ(ν) = clamp((ν − cᵢ) / 2kᵢ, 0, capᵢ) for the one multiplier ν at which
 * Σ xᵢ(ν) = Q ("water-filling"). Σ xᵢ(ν) is piecewise linear and non-decreasing in ν, so walking its
 * sorted breakpoints finds ν exactly. Pure; the iterative solvers are checked against it.
 */
import { InputError } from '../core/index.js';

export interface AllocationVenue {
  readonly id: string;
  /** Linear cost per lot (cᵢ). */
  readonly feePerLot: number;
  /** Quadratic impact coefficient (kᵢ > 0). */
  readonly impact: number;
  /** Most lots this venue can take. */
  readonly capacity: number;
}

export interface AllocationProblem {
  readonly totalQty: number;
  readonly venues: readonly AllocationVenue[];
}

export interface ContinuousAllocation {
  /** Per venue, in the order of the problem's venues. */
  readonly quantities: readonly number[];
  /** The multiplier of the coupling constraint Σ xᵢ = Q (the marginal cost of one more lot). */
  readonly multiplier: number;
  readonly objective: number;
}

/** Σ cᵢ·xᵢ + kᵢ·xᵢ² of an allocation. */
export function allocationObjective(
  problem: AllocationProblem,
  quantities: readonly number[],
): number {
  let total = 0;
  problem.venues.forEach((venue, i) => {
    const x = quantities[i] ?? 0;
    total += venue.feePerLot * x + venue.impact * x * x;
  });
  return total;
}

/**
 * @throws ROUTE_INVALID_PROBLEM for no venues, a non-finite or negative quantity or capacity, or an
 *   impact that is not positive; ROUTE_INFEASIBLE when Σ capᵢ < Q.
 */
export function assertAllocationProblem(problem: AllocationProblem): void {
  const invalid = (message: string, details: Record<string, string | number> = {}): never => {
    throw new InputError('ROUTE_INVALID_PROBLEM', message, { details });
  };
  if (problem.venues.length === 0) invalid('an allocation needs at least one venue');
  if (!Number.isFinite(problem.totalQty) || problem.totalQty < 0) {
    invalid('total_qty must be a finite number ≥ 0', { total_qty: String(problem.totalQty) });
  }
  let capacity = 0;
  const seen = new Set<string>();
  for (const venue of problem.venues) {
    if (seen.has(venue.id)) invalid(`venue ${venue.id} appears twice`, { venue: venue.id });
    seen.add(venue.id);
    if (!Number.isFinite(venue.feePerLot))
      invalid('fee_per_lot must be finite', { venue: venue.id });
    if (!Number.isFinite(venue.impact) || venue.impact <= 0) {
      invalid('impact must be a finite number > 0', { venue: venue.id });
    }
    if (!Number.isFinite(venue.capacity) || venue.capacity < 0) {
      invalid('capacity must be a finite number ≥ 0', { venue: venue.id });
    }
    capacity += venue.capacity;
  }
  if (capacity < problem.totalQty) {
    throw new InputError('ROUTE_INFEASIBLE', 'the venues cannot take the whole quantity', {
      details: { total_qty: problem.totalQty, total_capacity: capacity },
    });
  }
}

/** The exact continuous optimum. @throws as {@link assertAllocationProblem}. */
export function solveAllocationExact(problem: AllocationProblem): ContinuousAllocation {
  assertAllocationProblem(problem);
  const { venues, totalQty } = problem;
  const breakpoints = venues
    .flatMap((v) => [v.feePerLot, v.feePerLot + 2 * v.impact * v.capacity])
    .sort((a, b) => a - b);
  const quantitiesAt = (nu: number): number[] =>
    venues.map((v) => Math.min(v.capacity, Math.max(0, (nu - v.feePerLot) / (2 * v.impact))));
  const sumAt = (nu: number): number => quantitiesAt(nu).reduce((a, b) => a + b, 0);

  let multiplier = breakpoints[0]!;
  if (totalQty > 0) {
    // The first breakpoint at which the sum reaches Q bounds the segment holding ν.
    let hi = breakpoints.findIndex((b) => sumAt(b) >= totalQty);
    if (hi < 0) hi = breakpoints.length - 1;
    const upper = breakpoints[hi]!;
    const lower = hi === 0 ? upper : breakpoints[hi - 1]!;
    const sLower = sumAt(lower);
    const sUpper = sumAt(upper);
    multiplier =
      sUpper === sLower
        ? upper
        : lower + ((totalQty - sLower) * (upper - lower)) / (sUpper - sLower);
  }
  const quantities = quantitiesAt(multiplier);
  return { quantities, multiplier, objective: allocationObjective(problem, quantities) };
}

/**
 * Integer lots summing to `totalLots`: each venue gets the floor of its share, and the lots left go
 * to the largest remainders (ties to the earlier venue), never above a venue's integer capacity.
 */
export function roundAllocation(
  quantities: readonly number[],
  totalLots: number,
  capacities: readonly number[],
): number[] {
  const lots = quantities.map((q, i) =>
    Math.min(Math.floor(q + 1e-9), Math.floor(capacities[i] ?? 0)),
  );
  let left = totalLots - lots.reduce((a, b) => a + b, 0);
  const order = quantities
    .map((q, i) => ({ i, remainder: q - Math.floor(q + 1e-9) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  while (left > 0) {
    let placed = false;
    for (const { i } of order) {
      if (left === 0) break;
      if (lots[i]! < Math.floor(capacities[i] ?? 0)) {
        lots[i]!++;
        left--;
        placed = true;
      }
    }
    if (!placed) break;
  }
  return lots;
}
