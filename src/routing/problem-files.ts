/**
 * @module
 * The routing problem files of `deltatrace route solve` and their solutions as JSON data:
 * - `{"kind":"allocation","total_qty":Q,"venues":[{"id","fee_per_lot","impact","capacity"}]}`
 *   (cost of venue i is c·x + k·x²) → integer lots per venue by ADMM;
 * - `{"kind":"schedule","total_qty":X,"periods":N,"tau","sigma","eta","gamma","epsilon","lambda"}`
 *   → the Almgren–Chriss trajectory in closed form, or, with `venues:[{"id","eta","epsilon",
 *   "capacity"}]`, the multi-venue schedule by ADMM.
 * The schema checks shape; the solvers check meaning (ROUTE_INVALID_PROBLEM, ROUTE_INFEASIBLE).
 */
import { z } from 'zod';

import { type JsonObject, LotsSchema, NameSchema } from '../core/index.js';
import { solveAllocationAdmm } from './allocation-admm.js';
import { solveScheduleClosedForm } from './almgren-chriss.js';
import { toLots } from './lots.js';
import { parseWithSchema } from './primitives.js';
import { solveScheduleAdmm } from './schedule-admm.js';
import { allocationObjective } from './water-filling.js';

export const AllocationProblemFileSchema = z.strictObject({
  kind: z.literal('allocation'),
  total_qty: LotsSchema,
  venues: z.array(
    z.strictObject({
      id: NameSchema,
      fee_per_lot: z.number(),
      impact: z.number(),
      capacity: LotsSchema,
    }),
  ),
});
export type AllocationProblemFile = z.infer<typeof AllocationProblemFileSchema>;

export const ScheduleProblemFileSchema = z
  .strictObject({
    kind: z.literal('schedule'),
    total_qty: z.number().nonnegative(),
    periods: z.number().int().positive(),
    tau: z.number(),
    sigma: z.number(),
    eta: z.number().optional(),
    gamma: z.number(),
    epsilon: z.number().optional(),
    lambda: z.number(),
    venues: z
      .array(
        z.strictObject({
          id: NameSchema,
          eta: z.number(),
          epsilon: z.number(),
          capacity: z.number().nonnegative(),
        }),
      )
      .optional(),
  })
  .refine(
    (file) => file.venues !== undefined || (file.eta !== undefined && file.epsilon !== undefined),
    {
      message: 'a single-venue schedule needs eta and epsilon',
      path: ['eta'],
    },
  );
export type ScheduleProblemFile = z.infer<typeof ScheduleProblemFileSchema>;

export const RouteProblemFileSchema = z.discriminatedUnion('kind', [
  AllocationProblemFileSchema,
  ScheduleProblemFileSchema,
]);
export type RouteProblemFile = z.infer<typeof RouteProblemFileSchema>;

/** @throws INPUT_SCHEMA_VIOLATION */
export function parseRouteProblem(value: unknown): RouteProblemFile {
  return parseWithSchema(RouteProblemFileSchema, value, 'routing problem');
}

function solveAllocationFile(file: AllocationProblemFile): JsonObject {
  const problem = {
    totalQty: file.total_qty,
    venues: file.venues.map((v) => ({
      id: v.id,
      feePerLot: v.fee_per_lot,
      impact: v.impact,
      capacity: v.capacity,
    })),
  };
  const result = solveAllocationAdmm(problem);
  const lots = toLots(
    result.quantities,
    file.total_qty,
    file.venues.map((v) => v.capacity),
  );
  const order = file.venues
    .map((v, i) => ({ id: v.id, i }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    allocations: Object.fromEntries(order.map(({ id, i }) => [id, lots[i]!])),
    objective: allocationObjective(problem, lots),
    continuous_objective: result.objective,
    multiplier: result.multiplier,
    iterations: result.iterations,
    primal_residual: result.primalResidual,
    dual_residual: result.dualResidual,
    converged: result.converged,
  };
}

function solveScheduleFile(file: ScheduleProblemFile): JsonObject {
  const common = {
    totalQty: file.total_qty,
    periods: file.periods,
    tau: file.tau,
    sigma: file.sigma,
    gamma: file.gamma,
    lambda: file.lambda,
  };
  if (file.venues === undefined) {
    const result = solveScheduleClosedForm({
      ...common,
      eta: file.eta ?? Number.NaN,
      epsilon: file.epsilon ?? Number.NaN,
    });
    return {
      trades: result.trades,
      holdings: result.holdings,
      expected_cost: result.expectedCost,
      variance: result.variance,
      utility: result.utility,
      kappa: result.kappa,
    };
  }
  const venues = file.venues.map((v) => ({
    id: v.id,
    eta: v.eta,
    epsilon: v.epsilon,
    capacityPerPeriod: v.capacity,
  }));
  const result = solveScheduleAdmm({ ...common, venues });
  return {
    trades: result.trades,
    holdings: result.holdings,
    expected_cost: result.expectedCost,
    variance: result.variance,
    utility: result.utility,
    venue_trades: Object.fromEntries(venues.map((v, i) => [v.id, result.venueTrades[i]!])),
    iterations: result.iterations,
    primal_residual: result.primalResidual,
    dual_residual: result.dualResidual,
    converged: result.converged,
  };
}

/**
 * The solution of a parsed problem file, as the `data` of the CLI's envelope.
 * @throws ROUTE_INVALID_PROBLEM, ROUTE_INFEASIBLE from the solvers.
 * @example solveRouteProblem(parseRouteProblem(JSON.parse(text))).allocations
 */
export function solveRouteProblem(file: RouteProblemFile): JsonObject {
  switch (file.kind) {
    case 'allocation':
      return solveAllocationFile(file);
    case 'schedule':
      return solveScheduleFile(file);
    default: {
      const unreachable: never = file;
      return unreachable;
    }
  }
}
