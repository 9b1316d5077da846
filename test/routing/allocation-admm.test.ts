import { describe, expect, it } from 'vitest';

import {
  allocationObjective,
  type AllocationProblem,
  solveAllocationAdmm,
  solveAllocationExact,
} from '../../src/routing/index.js';
import { expectErrorCode } from '../helpers/errors.js';
import { randomAllocationProblems } from './instances.js';

const INSTANCES = randomAllocationProblems(20_240_601, 3000);

function relativeGap(value: number, exact: number): number {
  return Math.abs(value - exact) / Math.max(1e-12, Math.abs(exact));
}

describe('solveAllocationAdmm', () => {
  it('matches the exact water-filling optimum within 1e-6 on 3 000 random instances', () => {
    let worst = 0;
    for (const problem of INSTANCES) {
      const exact = solveAllocationExact(problem);
      const admm = solveAllocationAdmm(problem);
      expect(admm.converged).toBe(true);
      expect(admm.sumResidual).toBeLessThanOrEqual(1e-9 * Math.max(1, problem.totalQty));
      admm.quantities.forEach((x, i) => {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(problem.venues[i]!.capacity);
      });
      worst = Math.max(worst, relativeGap(admm.objective, exact.objective));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('reaches 1e-6 on its own ADMM iterate, before the multiplier polish', () => {
    let worst = 0;
    for (const problem of INSTANCES.slice(0, 1000)) {
      const exact = solveAllocationExact(problem);
      const raw = solveAllocationAdmm(problem, { polish: false });
      expect(raw.polished).toBe(false);
      expect(raw.converged).toBe(true);
      // The iterate is inside every box but meets Σx = Q only to the primal residual.
      expect(raw.sumResidual).toBeLessThanOrEqual(1e-6 * Math.max(1, problem.totalQty));
      worst = Math.max(worst, relativeGap(raw.objective, exact.objective));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('finds the multiplier: the marginal cost of every venue strictly inside its box', () => {
    for (const problem of INSTANCES.slice(0, 500)) {
      const { quantities, multiplier } = solveAllocationAdmm(problem);
      problem.venues.forEach((v, i) => {
        const x = quantities[i]!;
        if (x > 1e-6 && x < v.capacity - 1e-6) {
          expect(Math.abs(v.feePerLot + 2 * v.impact * x - multiplier)).toBeLessThan(
            1e-7 * (1 + Math.abs(multiplier)),
          );
        }
      });
    }
  });

  it('returns its convergence history, one primal and dual residual per iteration', () => {
    const result = solveAllocationAdmm(INSTANCES[3]!);
    expect(result.history.primal).toHaveLength(result.iterations);
    expect(result.history.dual).toHaveLength(result.iterations);
    expect(result.history.rho).toHaveLength(result.iterations);
    expect(result.history.primal.at(-1)).toBe(result.primalResidual);
    expect(result.history.dual.at(-1)).toBe(result.dualResidual);
  });

  it('is deterministic', () => {
    const problem = INSTANCES[7]!;
    expect(solveAllocationAdmm(problem)).toEqual(solveAllocationAdmm(problem));
  });

  it('reports a run that hits its iteration limit as not converged, not as an error', () => {
    const problem = INSTANCES.find((p) => solveAllocationAdmm(p).iterations > 5)!;
    const result = solveAllocationAdmm(problem, { maxIterations: 2, polish: false });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(2);
  });

  describe('when warm-started from the previous solution after a fill', () => {
    it('converges in fewer iterations than from cold, to the same optimum', () => {
      let warmTotal = 0;
      let coldTotal = 0;
      for (const problem of INSTANCES.slice(0, 300)) {
        if (problem.totalQty < 10) continue;
        const first = solveAllocationAdmm(problem);
        const venue = first.quantities.indexOf(Math.max(...first.quantities));
        const filled = Math.floor(first.quantities[venue]! / 5);
        const after: AllocationProblem = {
          totalQty: problem.totalQty - filled,
          venues: problem.venues.map((v, i) =>
            i === venue ? { ...v, capacity: v.capacity - filled } : v,
          ),
        };
        const quantities = new Map(
          problem.venues.map((v, i) => [v.id, first.quantities[i]! - (i === venue ? filled : 0)]),
        );
        const warm = solveAllocationAdmm(
          after,
          {},
          {
            quantities,
            multiplier: first.multiplier,
            rho: first.rho,
          },
        );
        const cold = solveAllocationAdmm(after);
        expect(relativeGap(warm.objective, solveAllocationExact(after).objective)).toBeLessThan(
          1e-6,
        );
        warmTotal += warm.iterations;
        coldTotal += cold.iterations;
      }
      expect(warmTotal).toBeLessThan(coldTotal * 0.7);
    });
  });

  describe('when the problem is infeasible or malformed', () => {
    const venue = { feePerLot: 0, impact: 1, capacity: 5 };

    it('reports ROUTE_INFEASIBLE when Σ capacity < Q, not a wrong plan', () => {
      expectErrorCode(
        () =>
          solveAllocationAdmm({
            totalQty: 11,
            venues: [
              { id: 'A', ...venue },
              { id: 'B', ...venue },
            ],
          }),
        'ROUTE_INFEASIBLE',
      );
    });

    it('reports ROUTE_INVALID_PROBLEM for a non-positive impact or a NaN fee', () => {
      expectErrorCode(
        () => solveAllocationAdmm({ totalQty: 1, venues: [{ id: 'A', ...venue, impact: 0 }] }),
        'ROUTE_INVALID_PROBLEM',
      );
      expectErrorCode(
        () => solveAllocationAdmm({ totalQty: 1, venues: [{ id: 'A', ...venue, feePerLot: NaN }] }),
        'ROUTE_INVALID_PROBLEM',
      );
    });

    it('reports ROUTE_INVALID_PROBLEM for options it cannot run with', () => {
      const problem = { totalQty: 1, venues: [{ id: 'A', ...venue }] };
      for (const options of [
        { maxIterations: 0 },
        { relaxation: 2 },
        { rho: -1 },
        { absTolerance: -1 },
      ]) {
        expectErrorCode(() => solveAllocationAdmm(problem, options), 'ROUTE_INVALID_PROBLEM');
      }
    });
  });

  it('gives zero to every venue of an empty order', () => {
    const problem = INSTANCES.find((p) => p.totalQty === 0) ?? {
      totalQty: 0,
      venues: [{ id: 'A', feePerLot: 1, impact: 1, capacity: 3 }],
    };
    const result = solveAllocationAdmm(problem);
    expect(result.quantities.every((x) => x === 0)).toBe(true);
    expect(allocationObjective(problem, result.quantities)).toBe(0);
  });
});
