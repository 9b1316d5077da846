import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { solveAllocationAdmm, toLots } from '../../src/routing/index.js';
import { expectErrorCode } from '../helpers/errors.js';
import { randomAllocationProblems } from './instances.js';

describe('toLots', () => {
  it('sums exactly to Q, respects capacities and moves no venue by a lot or more', () => {
    for (const problem of randomAllocationProblems(5, 1000)) {
      const { quantities } = solveAllocationAdmm(problem);
      const caps = problem.venues.map((v) => v.capacity);
      const lots = toLots(quantities, problem.totalQty, caps);
      expect(lots.reduce((a, b) => a + b, 0)).toBe(problem.totalQty);
      lots.forEach((l, i) => {
        expect(Number.isInteger(l)).toBe(true);
        expect(l).toBeGreaterThanOrEqual(0);
        expect(l).toBeLessThanOrEqual(caps[i]!);
        expect(Math.abs(l - quantities[i]!)).toBeLessThan(1 + 1e-6);
      });
    }
  });

  it('gives the lots left to the largest remainders, ties to the earlier entry', () => {
    expect(toLots([0.5, 1.5, 1], 3, [10, 10, 10])).toEqual([1, 1, 1]);
    expect(toLots([1.2, 1.7, 0.1], 3, [10, 10, 10])).toEqual([1, 2, 0]);
    expect(toLots([1 / 3, 1 / 3, 1 / 3], 1, [1, 1, 1])).toEqual([1, 0, 0]);
    // A full venue is skipped, the next remainder takes the lot.
    expect(toLots([0.9, 0.6, 0.5], 2, [0, 5, 5])).toEqual([0, 1, 1]);
  });

  it('still sums exactly for shares that do not (greedy passes after the first)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -5, max: 50, noNaN: true }), fc.nat(40)), {
          minLength: 1,
          maxLength: 10,
        }),
        fc.nat(),
        (entries, seed) => {
          const caps = entries.map(([, cap]) => cap);
          const total = seed % (caps.reduce((a, b) => a + b, 0) + 1);
          const lots = toLots(
            entries.map(([q]) => q),
            total,
            caps,
          );
          expect(lots.reduce((a, b) => a + b, 0)).toBe(total);
          lots.forEach((l, i) => expect(l >= 0 && l <= caps[i]!).toBe(true));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports ROUTE_INFEASIBLE when the capacities cannot hold the total', () => {
    expectErrorCode(() => toLots([1, 1], 5, [2, 2]), 'ROUTE_INFEASIBLE');
  });

  it('reports ROUTE_INVALID_PROBLEM for a fractional total or capacity, or mismatched lengths', () => {
    expectErrorCode(() => toLots([1, 1], 1.5, [2, 2]), 'ROUTE_INVALID_PROBLEM');
    expectErrorCode(() => toLots([1, 1], 1, [2, 2.5]), 'ROUTE_INVALID_PROBLEM');
    expectErrorCode(() => toLots([1], 1, [2, 2]), 'ROUTE_INVALID_PROBLEM');
    expectErrorCode(() => toLots([NaN], 1, [2]), 'ROUTE_INVALID_PROBLEM');
  });
});
