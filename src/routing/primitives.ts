/**
 * @module
 * The routing primitives of the seeds (ExoRoute, ExProve) as zod schemas, in the snake_case wire
 * form they have in the canonical IR, CLI files and ledger payloads:
 * - `LocalProblem` (`LocalExecutionTask`): one venue × instrument planning unit;
 * - `SharedVariables` (`SharedMarketContext`): the versioned values shared between local problems;
 * - `DualVariables`: the multipliers of the coupling constraints;
 * - `PlanDelta`: a `plan.delta` payload plus the ids of the events it was derived from;
 * - `PrivacyBudget`: per-signal ε accounting (defined, with its mechanisms, in `privacy`).
 * Solver coefficients are JSON numbers (finite doubles below 2^53 in magnitude, which RFC 8785
 * writes identically in every language); lots and ticks are integers; nanoseconds and ε are
 * decimal strings. Pure: no I/O.
 */
import { z } from 'zod';

import {
  EventIdSchema,
  InputError,
  type JsonObject,
  LotsSchema,
  NameSchema,
  PlanDeltaPayloadSchema,
  QtyLotsSchema,
  SideSchema,
} from '../core/index.js';

export const NsTextSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,19})$/, 'expected integer nanoseconds');

/**
 * A solver coefficient: a finite double below 2^53 in magnitude. Every double beyond is an
 * integer that canonical JSON refuses (it would not read back the same in every language).
 */
export const CoefficientSchema = z
  .number()
  .min(-(2 ** 53) + 1)
  .max(2 ** 53 - 1);

/** Names that must be sorted by UTF-16 code unit and unique, so the value has one encoding. */
export function isSortedUnique(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if (!(names[i - 1]! < names[i]!)) return false;
  return true;
}

/**
 * One venue × instrument planning unit. Its cost for x lots is `fee_per_lot·x + impact·x²`
 * (allocation) or, per period of a schedule, `fee_per_lot·n + (impact − γτ/2)/τ·n²` with `impact`
 * the venue's temporary impact η (Almgren–Chriss 2000). Costs are in price ticks.
 */
export const LocalProblemSchema = z.strictObject({
  venue: NameSchema,
  instrument: NameSchema,
  /** Linear cost per lot (fee plus spread), ticks per lot. */
  fee_per_lot: CoefficientSchema,
  /** Quadratic impact coefficient, ticks per lot²; > 0 so the local step has a unique optimum. */
  impact: CoefficientSchema.positive(),
  /** Most lots this venue takes (per period, in a schedule). */
  capacity_lots: LotsSchema,
  /** One-way latency to the venue: orders are timed so that every venue sees them at once. */
  latency_ns: NsTextSchema,
});
export type LocalProblem = z.infer<typeof LocalProblemSchema>;
/** The ExProve name of a {@link LocalProblem}. */
export const LocalExecutionTaskSchema = LocalProblemSchema;
export type LocalExecutionTask = LocalProblem;

export const SignalValueSchema = z.strictObject({ name: NameSchema, value: CoefficientSchema });

/**
 * What the local problems share. `period_totals` is the coordinator's side of the coupling
 * constraint (lots per period across all venues, summing to `total_lots`); `signals` are
 * privacy-safe market context (volatility, risk aversion, …), sorted by name.
 */
export const SharedVariablesSchema = z
  .strictObject({
    /** Bumped whenever a value changes; a local problem knows which context it solved against. */
    version: LotsSchema,
    instrument: NameSchema,
    side: SideSchema,
    total_lots: LotsSchema,
    /** 1 for an allocation, N for a schedule of N periods. */
    periods: QtyLotsSchema,
    period_totals: z.array(CoefficientSchema),
    signals: z.array(SignalValueSchema),
  })
  .refine((s) => s.period_totals.length === s.periods, {
    message: 'period_totals needs one entry per period',
    path: ['period_totals'],
  })
  .refine((s) => isSortedUnique(s.signals.map((signal) => signal.name)), {
    message: 'signals must be sorted by name and unique',
    path: ['signals'],
  });
export type SharedVariables = z.infer<typeof SharedVariablesSchema>;
/** The ExProve name of {@link SharedVariables}. */
export const SharedMarketContextSchema = SharedVariablesSchema;
export type SharedMarketContext = SharedVariables;

/**
 * The multipliers of the coupling constraints, one per period: the marginal cost (ticks) of one
 * more lot in that period, which at the optimum every active local problem equals. `rho` is the
 * ADMM penalty they were found under; both warm-start the next solve.
 */
export const DualVariablesSchema = z.strictObject({
  version: LotsSchema,
  rho: CoefficientSchema.positive(),
  multipliers: z.array(CoefficientSchema).min(1),
});
export type DualVariables = z.infer<typeof DualVariablesSchema>;

/**
 * A PlanDelta: exactly the ledger's `plan.delta` payload (plan id, base_version → version,
 * per-venue changes in lots and ticks, solver metadata as decimal strings) plus its causes.
 */
export const PlanDeltaSchema = PlanDeltaPayloadSchema.extend({
  causes: z.array(EventIdSchema),
});
export type PlanDelta = z.infer<typeof PlanDeltaSchema>;

/** The seeds' PrivacyBudget; its one definition is the privacy accountant's. */
export { type PrivacyBudget, PrivacyBudgetSchema } from '../privacy/index.js';

/**
 * Parses outside input against a schema.
 * @throws INPUT_SCHEMA_VIOLATION naming each bad path (at most 20).
 */
export function parseWithSchema<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 20).map((issue): JsonObject => ({
    path: issue.path.map((part) => String(part)).join('.') || '(root)',
    message: issue.message,
  }));
  throw new InputError('INPUT_SCHEMA_VIOLATION', `invalid ${what}`, { details: { issues } });
}
