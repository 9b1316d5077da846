import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  allocationObjective,
  type AllocationProblem,
  roundAllocation,
  solveAllocationExact,
} from '../../src/routing/index.js';
import { expectErrorCode } from '../helpers/errors.js';

const venueArb = fc.record({
  feePerLot: fc.double({ min: 0, max: 5, noNaN: true }),
  impact: fc.double({ min: 1e-4, max: 2, noNaN: true }),
  capacity: fc.integer({ min: 0, max: 5000 }),
});

const problemArb = fc.array(venueArb, { minLength: 1, maxLength: 12 }).chain((venues) => {
  const capacity = venues.reduce((a, v) => a + v.capacity, 0);
  return fc.record({
    totalQty: fc.integer({ min: 0, max: capacity }),
    venues: fc.constant(venues.map((v, i) => ({ id: `V${i}`, ...v }))),
  });
});

describe('solveAllocationExact', () => {
  it('satisfies the KKT conditions on random problems', () => {
    fc.assert(
      fc.property(problemArb, (problem: AllocationProblem) => {
        const { quantities, multiplier } = solveAllocationExact(problem);
        const sum = quantities.reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - problem.totalQty)).toBeLessThanOrEqual(1e-6 * (1 + problem.totalQty));
        problem.venues.forEach((v, i) => {
          const x = quantities[i]!;
          const marginal = v.feePerLot + 2 * v.impact * x;
          const tol = 1e-7 * (1 + Math.abs(multiplier));
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(v.capacity);
          if (x > 1e-9 && x < v.capacity - 1e-9)
            expect(Math.abs(marginal - multiplier)).toBeLessThan(tol + 1e-6);
          if (x <= 1e-9 && v.capacity > 0)
            expect(v.feePerLot).toBeGreaterThanOrEqual(multiplier - tol - 1e-6);
          if (x >= v.capacity - 1e-9 && v.capacity > 0)
            expect(marginal).toBeLessThanOrEqual(multiplier + tol + 1e-6);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('is no worse than any feasible perturbation', () => {
    fc.assert(
      fc.property(problemArb, fc.nat(), fc.nat(), (problem, a, b) => {
        const { quantities, objective } = solveAllocationExact(problem);
        const n = quantities.length;
        const i = a % n;
        const j = b % n;
        const step = Math.min(1, quantities[i]!, problem.venues[j]!.capacity - quantities[j]!);
        if (i === j || step <= 0) return;
        const moved = [...quantities];
        moved[i]! -= step;
        moved[j]! += step;
        expect(allocationObjective(problem, moved)).toBeGreaterThanOrEqual(
          objective - 1e-6 * (1 + Math.abs(objective)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('splits equal venues equally', () => {
    const venue = { feePerLot: 1, impact: 0.5, capacity: 100 };
    const result = solveAllocationExact({
      totalQty: 90,
      venues: [
        { id: 'A', ...venue },
        { id: 'B', ...venue },
        { id: 'C', ...venue },
      ],
    });
    for (const q of result.quantities) expect(q).toBeCloseTo(30, 9);
  });

  describe('when the problem is infeasible or malformed', () => {
    it('reports ROUTE_INFEASIBLE when the capacities are short', () => {
      expectErrorCode(
        () =>
          solveAllocationExact({
            totalQty: 11,
            venues: [
              { id: 'A', feePerLot: 0, impact: 1, capacity: 5 },
              { id: 'B', feePerLot: 0, impact: 1, capacity: 5 },
            ],
          }),
        'ROUTE_INFEASIBLE',
      );
    });

    it('reports ROUTE_INVALID_PROBLEM for a non-positive impact, no venues or a duplicate id', () => {
      expectErrorCode(
        () =>
          solveAllocationExact({
            totalQty: 1,
            venues: [{ id: 'A', feePerLot: 0, impact: 0, capacity: 5 }],
          }),
        'ROUTE_INVALID_PROBLEM',
      );
      expectErrorCode(
        () => solveAllocationExact({ totalQty: 0, venues: [] }),
        'ROUTE_INVALID_PROBLEM',
      );
      expectErrorCode(
        () =>
          solveAllocationExact({
            totalQty: 1,
            venues: [
              { id: 'A', feePerLot: 0, impact: 1, capacity: 5 },
              { id: 'A', feePerLot: 0, impact: 1, capacity: 5 },
            ],
          }),
        'ROUTE_INVALID_PROBLEM',
      );
    });
  });
});

describe('roundAllocation', () => {
  it('sums to the total, respects capacities, and moves no venue by a lot or more', () => {
    fc.assert(
      fc.property(problemArb, (problem) => {
        const { quantities } = solveAllocationExact(problem);
        const caps = problem.venues.map((v) => v.capacity);
        const lots = roundAllocation(quantities, problem.totalQty, caps);
        expect(lots.reduce((a, b) => a + b, 0)).toBe(problem.totalQty);
        lots.forEach((l, i) => {
          expect(Number.isInteger(l)).toBe(true);
          expect(l).toBeLessThanOrEqual(caps[i]!);
          expect(Math.abs(l - quantities[i]!)).toBeLessThan(1 + 1e-6);
        });
      }),
      { numRuns: 1000 },
    );
  });
});
