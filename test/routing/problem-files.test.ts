import { describe, expect, it } from 'vitest';

import {
  DualVariablesSchema,
  LocalExecutionTaskSchema,
  LocalProblemSchema,
  parseRouteProblem,
  PrivacyBudgetSchema,
  routingJsonSchemas,
  SharedMarketContextSchema,
  SharedVariablesSchema,
  solveAllocationExact,
  solveRouteProblem,
  solveScheduleClosedForm,
} from '../../src/routing/index.js';
import { expectErrorCode } from '../helpers/errors.js';

const ALLOCATION = {
  kind: 'allocation',
  total_qty: 100,
  venues: [
    { id: 'B', fee_per_lot: 1, impact: 0.02, capacity: 80 },
    { id: 'A', fee_per_lot: 0.5, impact: 0.05, capacity: 80 },
  ],
};

const SCHEDULE = {
  kind: 'schedule',
  total_qty: 1e6,
  periods: 5,
  tau: 1,
  sigma: 0.95,
  eta: 2.5e-6,
  gamma: 2.5e-7,
  epsilon: 0.0625,
  lambda: 2e-6,
};

describe('solveRouteProblem', () => {
  it('solves an allocation file into integer lots per venue id', () => {
    const data = solveRouteProblem(parseRouteProblem(ALLOCATION));
    const allocations = data.allocations as Record<string, number>;
    expect(Object.keys(allocations)).toEqual(['A', 'B']);
    expect(allocations.A! + allocations.B!).toBe(100);
    const exact = solveAllocationExact({
      totalQty: 100,
      venues: ALLOCATION.venues.map((v) => ({
        id: v.id,
        feePerLot: v.fee_per_lot,
        impact: v.impact,
        capacity: v.capacity,
      })),
    });
    expect(data.continuous_objective as number).toBeCloseTo(exact.objective, 9);
    expect(data).toMatchObject({ converged: true });
    for (const key of ['objective', 'iterations', 'primal_residual', 'dual_residual']) {
      expect(typeof data[key]).toBe('number');
    }
  });

  it('solves a single-venue schedule file in closed form', () => {
    const data = solveRouteProblem(parseRouteProblem(SCHEDULE));
    const exact = solveScheduleClosedForm({ ...SCHEDULE, totalQty: SCHEDULE.total_qty });
    expect(data).toMatchObject({
      trades: exact.trades,
      holdings: exact.holdings,
      expected_cost: exact.expectedCost,
      variance: exact.variance,
      utility: exact.utility,
    });
  });

  it('solves a multi-venue schedule file by ADMM', () => {
    const { eta: _eta, epsilon: _epsilon, ...rest } = SCHEDULE;
    const data = solveRouteProblem(
      parseRouteProblem({
        ...rest,
        venues: [
          { id: 'X', eta: 5e-6, epsilon: 0.0625, capacity: 1e6 },
          { id: 'Y', eta: 5e-6, epsilon: 0.0625, capacity: 1e6 },
        ],
      }),
    );
    const trades = data.trades as number[];
    expect(trades.reduce((a, b) => a + b, 0)).toBeCloseTo(1e6, 2);
    expect(Object.keys(data.venue_trades as object)).toEqual(['X', 'Y']);
    expect(data).toMatchObject({ converged: true });
  });

  describe('when the file is wrong', () => {
    it('reports INPUT_SCHEMA_VIOLATION for an unknown kind, a missing member or a fraction of a lot', () => {
      expectErrorCode(() => parseRouteProblem({ kind: 'other' }), 'INPUT_SCHEMA_VIOLATION');
      expectErrorCode(
        () => parseRouteProblem({ ...ALLOCATION, total_qty: 1.5 }),
        'INPUT_SCHEMA_VIOLATION',
      );
      const { eta: _eta, ...noEta } = SCHEDULE;
      const error = expectErrorCode(() => parseRouteProblem(noEta), 'INPUT_SCHEMA_VIOLATION');
      expect(JSON.stringify(error.details)).toContain('eta');
    });

    it('reports the solver codes for a meaningless or infeasible problem', () => {
      const venues = ALLOCATION.venues.map((v) => ({ ...v, impact: -1 }));
      expectErrorCode(
        () => solveRouteProblem(parseRouteProblem({ ...ALLOCATION, venues })),
        'ROUTE_INVALID_PROBLEM',
      );
      expectErrorCode(
        () => solveRouteProblem(parseRouteProblem({ ...ALLOCATION, total_qty: 161 })),
        'ROUTE_INFEASIBLE',
      );
    });
  });
});

describe('routingJsonSchemas', () => {
  it('exports a JSON Schema for the problem files and every primitive', () => {
    const schemas = routingJsonSchemas();
    expect(Object.keys(schemas)).toEqual([
      'route_problem',
      'local_problem',
      'shared_variables',
      'dual_variables',
      'plan_delta',
      'privacy_budget',
      'routing_ir',
    ]);
    for (const schema of Object.values(schemas)) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    }
    expect(schemas.local_problem).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['venue', 'instrument', 'fee_per_lot', 'impact', 'capacity_lots', 'latency_ns'],
    });
    expect(schemas.plan_delta.required).toEqual([
      'plan_id',
      'base_version',
      'version',
      'instrument',
      'side',
      'changes',
      'causes',
    ]);
  });
});

describe('the primitives', () => {
  it('keep the seeds’ other names as aliases', () => {
    expect(LocalExecutionTaskSchema).toBe(LocalProblemSchema);
    expect(SharedMarketContextSchema).toBe(SharedVariablesSchema);
  });

  it('reject shared variables whose totals or signals have more than one encoding', () => {
    const shared = {
      version: 0,
      instrument: 'ACME',
      side: 'buy',
      total_lots: 10,
      periods: 2,
      period_totals: [5, 5],
      signals: [
        { name: 'sigma', value: 1 },
        { name: 'lambda', value: 2 },
      ],
    };
    expect(SharedVariablesSchema.safeParse(shared).success).toBe(false);
    expect(SharedVariablesSchema.safeParse({ ...shared, signals: [] }).success).toBe(true);
    expect(SharedVariablesSchema.safeParse({ ...shared, signals: [], periods: 3 }).success).toBe(
      false,
    );
    expect(DualVariablesSchema.safeParse({ version: 0, rho: 0, multipliers: [1] }).success).toBe(
      false,
    );
  });

  it('write a privacy budget in decimal strings, as the privacy accountant does', () => {
    const budget = {
      signal: 'mid',
      epsilon_total: '1',
      epsilon_spent: '0.25',
      epsilon_remaining: '0.75',
      sensitivity: '0.5',
      mechanism: 'laplace',
      composition: 'basic',
    };
    expect(PrivacyBudgetSchema.safeParse(budget).success).toBe(true);
    expect(PrivacyBudgetSchema.safeParse({ ...budget, epsilon_spent: 0.25 }).success).toBe(false);
    expect(PrivacyBudgetSchema.safeParse({ ...budget, epsilon_remaining: '-1' }).success).toBe(
      false,
    );
    expect(PrivacyBudgetSchema.safeParse({ ...budget, epsilon_total: '0' }).success).toBe(false);
  });
});
