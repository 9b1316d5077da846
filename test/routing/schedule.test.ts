import { describe, expect, it } from 'vitest';

import { SeededRng } from '../../src/core/index.js';
import {
  evaluateSchedule,
  type ScheduleParams,
  solveScheduleAdmm,
  solveScheduleClosedForm,
} from '../../src/routing/index.js';
import { expectErrorCode } from '../helpers/errors.js';

/** The worked example of Almgren & Chriss (2000), §4: 1e6 shares over 5 days. */
const PAPER: ScheduleParams = {
  totalQty: 1e6,
  periods: 5,
  tau: 1,
  sigma: 0.95,
  eta: 2.5e-6,
  gamma: 2.5e-7,
  epsilon: 0.0625,
  lambda: 2e-6,
};

function randomParams(rng: SeededRng): ScheduleParams {
  const tau = 0.1 + rng.next();
  const gamma = rng.next() * 1e-6;
  return {
    totalQty: rng.int(1, 1e6),
    periods: rng.int(1, 80),
    tau,
    sigma: rng.next() * 2,
    eta: (gamma * tau) / 2 + 1e-7 + rng.next() * 1e-5,
    gamma,
    epsilon: rng.next() * 0.1,
    lambda: rng.next() < 0.1 ? 0 : Math.exp(Math.log(1e-8) + rng.next() * Math.log(1e4)),
  };
}

describe('solveScheduleClosedForm', () => {
  it('follows x_j = sinh(κ(T − t_j))/sinh(κT)·X with 2(cosh κτ − 1)/τ² = λσ²/η̃', () => {
    const result = solveScheduleClosedForm(PAPER);
    const etaTilde = PAPER.eta - (PAPER.gamma * PAPER.tau) / 2;
    expect((2 * (Math.cosh(result.kappa * PAPER.tau) - 1)) / PAPER.tau ** 2).toBeCloseTo(
      (PAPER.lambda * PAPER.sigma ** 2) / etaTilde,
      12,
    );
    const horizon = PAPER.periods * PAPER.tau;
    result.holdings.forEach((x, j) => {
      const expected =
        (Math.sinh(result.kappa * (horizon - j * PAPER.tau)) / Math.sinh(result.kappa * horizon)) *
        PAPER.totalQty;
      expect(Math.abs(x - expected)).toBeLessThan(1e-6);
    });
    expect(result.holdings[0]).toBe(PAPER.totalQty);
    expect(result.holdings.at(-1)).toBe(0);
    expect(result.trades.reduce((a, b) => a + b, 0)).toBeCloseTo(PAPER.totalQty, 6);
  });

  it('reports E and V as the paper defines them', () => {
    const result = solveScheduleClosedForm(PAPER);
    const etaTilde = PAPER.eta - (PAPER.gamma * PAPER.tau) / 2;
    const expected =
      0.5 * PAPER.gamma * PAPER.totalQty ** 2 +
      PAPER.epsilon * PAPER.totalQty +
      (etaTilde / PAPER.tau) * result.trades.reduce((a, n) => a + n * n, 0);
    expect(result.expectedCost).toBeCloseTo(expected, 3);
    const variance =
      PAPER.sigma ** 2 * PAPER.tau * result.holdings.slice(1).reduce((a, x) => a + x * x, 0);
    expect(result.variance).toBeCloseTo(variance, 0);
    expect(result.utility).toBeCloseTo(result.expectedCost + PAPER.lambda * result.variance, 3);
  });

  it('gives the straight line (TWAP) as λ → 0', () => {
    for (const lambda of [0, 1e-300, 1e-20]) {
      const result = solveScheduleClosedForm({ ...PAPER, lambda });
      for (const n of result.trades) expect(n).toBeCloseTo(PAPER.totalQty / PAPER.periods, 6);
    }
  });

  it('no feasible perturbation of the trajectory lowers E + λV, on random parameters', () => {
    const rng = new SeededRng(11);
    for (let t = 0; t < 500; t++) {
      const params = randomParams(rng);
      const best = solveScheduleClosedForm(params);
      if (params.periods < 2) continue;
      const i = rng.int(0, params.periods - 1);
      const j = (i + rng.int(1, params.periods - 1)) % params.periods;
      const step = params.totalQty * 1e-3;
      const moved = [...best.trades];
      moved[i]! += step;
      moved[j]! -= step;
      if (moved[j]! < 0) continue;
      const perturbed = evaluateSchedule(params, moved);
      expect(perturbed.utility).toBeGreaterThanOrEqual(best.utility * (1 - 1e-12));
    }
  });

  it('does not overflow for a large κT', () => {
    const result = solveScheduleClosedForm({ ...PAPER, lambda: 1e3, periods: 400 });
    expect(result.holdings.every(Number.isFinite)).toBe(true);
    expect(result.trades[0]).toBeGreaterThan(0.99 * PAPER.totalQty);
  });

  it('reports ROUTE_INVALID_PROBLEM when η̃ = η − γτ/2 ≤ 0 or a parameter is out of range', () => {
    expectErrorCode(
      () => solveScheduleClosedForm({ ...PAPER, eta: PAPER.gamma / 2 }),
      'ROUTE_INVALID_PROBLEM',
    );
    expectErrorCode(
      () => solveScheduleClosedForm({ ...PAPER, periods: 0 }),
      'ROUTE_INVALID_PROBLEM',
    );
    expectErrorCode(() => solveScheduleClosedForm({ ...PAPER, tau: 0 }), 'ROUTE_INVALID_PROBLEM');
    expectErrorCode(
      () => solveScheduleClosedForm({ ...PAPER, lambda: -1 }),
      'ROUTE_INVALID_PROBLEM',
    );
  });
});

describe('solveScheduleAdmm', () => {
  const wide = 1e9;

  it('matches the closed form for one venue', () => {
    const rng = new SeededRng(12);
    for (let t = 0; t < 100; t++) {
      const params = randomParams(rng);
      const exact = solveScheduleClosedForm(params);
      const admm = solveScheduleAdmm({
        ...params,
        venues: [{ id: 'A', eta: params.eta, epsilon: params.epsilon, capacityPerPeriod: wide }],
      });
      expect(admm.converged).toBe(true);
      expect(Math.abs(admm.utility - exact.utility) / exact.utility).toBeLessThan(1e-6);
      admm.trades.forEach((n, k) => {
        expect(Math.abs(n - exact.trades[k]!)).toBeLessThan(1e-6 * params.totalQty);
      });
    }
  });

  it('matches the closed form with 1/η̃ = Σ 1/η̃ᵥ across venues of equal fees', () => {
    const params = { ...PAPER, periods: 60, tau: 1 / 12 };
    const etas = [2e-6, 3e-6, 5e-6, 1e-5];
    const etaTilde = 1 / etas.reduce((a, e) => a + 1 / (e - (params.gamma * params.tau) / 2), 0);
    const exact = solveScheduleClosedForm({
      ...params,
      eta: etaTilde + (params.gamma * params.tau) / 2,
    });
    const admm = solveScheduleAdmm({
      ...params,
      venues: etas.map((eta, i) => ({
        id: `V${i}`,
        eta,
        epsilon: params.epsilon,
        capacityPerPeriod: wide,
      })),
    });
    expect(admm.converged).toBe(true);
    admm.trades.forEach((n, k) => {
      expect(Math.abs(n - exact.trades[k]!)).toBeLessThan(1e-6 * params.totalQty);
    });
    expect(Math.abs(admm.utility - exact.utility) / exact.utility).toBeLessThan(1e-6);
    // Each period is split in proportion to 1/η̃ᵥ, and every venue's marginal cost is its period's
    // multiplier.
    const k = 10;
    admm.venueTrades.forEach((row, v) => {
      const share = 1 / (etas[v]! - (params.gamma * params.tau) / 2) / (1 / etaTilde);
      expect(row[k]! / admm.trades[k]!).toBeCloseTo(share, 6);
    });
  });

  it('respects per-period venue capacities and still sums to X', () => {
    const admm = solveScheduleAdmm({
      ...PAPER,
      venues: [
        { id: 'A', eta: 1e-6, epsilon: 0.05, capacityPerPeriod: 100_000 },
        { id: 'B', eta: 4e-6, epsilon: 0.07, capacityPerPeriod: 400_000 },
      ],
    });
    expect(admm.converged).toBe(true);
    for (const n of admm.venueTrades[0]!) expect(n).toBeLessThanOrEqual(100_000);
    expect(admm.holdings.at(-1)!).toBeLessThan(1e-3);
    expect(admm.trades.reduce((a, b) => a + b, 0)).toBeCloseTo(PAPER.totalQty, 2);
  });

  it('warm-starts from its previous result', () => {
    const params = {
      ...PAPER,
      periods: 60,
      venues: Array.from({ length: 10 }, (_, i) => ({
        id: `V${i}`,
        eta: 1e-6 * (1 + i),
        epsilon: 0.01 * (1 + (i % 3)),
        capacityPerPeriod: wide,
      })),
    };
    const first = solveScheduleAdmm(params);
    const again = solveScheduleAdmm(params, {}, first);
    expect(again.iterations).toBeLessThan(first.iterations);
    expect(Math.abs(again.utility - first.utility) / first.utility).toBeLessThan(1e-8);
  });

  it('reports ROUTE_INFEASIBLE when the venues cannot take X in N periods', () => {
    expectErrorCode(
      () =>
        solveScheduleAdmm({
          ...PAPER,
          venues: [{ id: 'A', eta: PAPER.eta, epsilon: 0, capacityPerPeriod: 1000 }],
        }),
      'ROUTE_INFEASIBLE',
    );
  });

  it('reports ROUTE_INVALID_PROBLEM for no venues, a duplicate id or η̃ᵥ ≤ 0', () => {
    const venue = { id: 'A', eta: PAPER.eta, epsilon: 0, capacityPerPeriod: wide };
    expectErrorCode(() => solveScheduleAdmm({ ...PAPER, venues: [] }), 'ROUTE_INVALID_PROBLEM');
    expectErrorCode(
      () => solveScheduleAdmm({ ...PAPER, venues: [venue, venue] }),
      'ROUTE_INVALID_PROBLEM',
    );
    expectErrorCode(
      () => solveScheduleAdmm({ ...PAPER, venues: [{ ...venue, eta: 0 }] }),
      'ROUTE_INVALID_PROBLEM',
    );
  });
});
