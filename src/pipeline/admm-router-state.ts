/**
 * @module
 * The ADMM router's state in a `state.snapshot`: each plan's warm start (the split, ρ and the
 * multiplier its next solve starts from) and convergence record, the liquidity last released per
 * venue, and the privacy budgets. Doubles are kept as their IEEE-754 bits in hex, so a run resumed
 * from a snapshot solves from exactly the numbers the original had (a hashed payload holds no
 * binary floats).
 */
import { z } from 'zod';

import { IntegrityError, type JsonValue } from '../core/index.js';
import type { PrivacyAccountantState } from '../privacy/index.js';
import type { AllocationWarm } from '../routing/index.js';
import { float64ToHex, hexToFloat64, sortedEntries } from './pipeline-state.js';

/** What the router keeps of one plan between its solves. */
export interface PlanState {
  warm: AllocationWarm;
  totalLots: number;
  version: number;
  convergence: {
    solves: number;
    coldIterations: number;
    warmIterations: number;
    unconverged: number;
    maxPrimalResidual: number;
    firstHistory: readonly number[];
    lastHistory: readonly number[];
  };
}

const HexSchema = z.string().regex(/^[0-9a-f]{16}$/);
const CountSchema = z.number().int().min(0);
/** What {@link AdmmRouter.snapshot} writes: doubles as their IEEE-754 bits. */
const AdmmRouterStateSchema = z.strictObject({
  plans: z.array(
    z.strictObject({
      plan_id: z.string(),
      total_lots: CountSchema,
      version: CountSchema,
      warm_quantities: z.array(z.tuple([z.string(), HexSchema])),
      duals: z.strictObject({
        version: CountSchema,
        rho: HexSchema,
        multipliers: z.array(HexSchema),
      }),
      solves: CountSchema,
      cold_iterations: CountSchema,
      warm_iterations: CountSchema,
      unconverged: CountSchema,
      max_primal_residual: HexSchema,
      first_history: z.array(HexSchema),
      last_history: z.array(HexSchema),
    }),
  ),
  released: z.array(z.tuple([z.string(), HexSchema])),
  accountant: z
    .array(
      z.strictObject({
        signal: z.string(),
        total_units: z.string(),
        sensitivity_units: z.string(),
        spent_units: z.string(),
        shares: CountSchema,
        refusals: CountSchema,
      }),
    )
    .nullable(),
});

/** The router's state as it is written into a snapshot. */
export function admmRouterStateJson(
  plans: ReadonlyMap<string, PlanState>,
  released: ReadonlyMap<string, number>,
  accountant: PrivacyAccountantState | null,
): JsonValue {
  const hex = (values: readonly number[]): string[] => values.map(float64ToHex);
  return {
    plans: sortedEntries(plans).map(([planId, p]) => ({
      plan_id: planId,
      total_lots: p.totalLots,
      version: p.version,
      warm_quantities: sortedEntries(p.warm.quantities).map(([venue, q]) => [
        venue,
        float64ToHex(q),
      ]),
      duals: {
        version: p.warm.duals.version,
        rho: float64ToHex(p.warm.duals.rho),
        multipliers: hex(p.warm.duals.multipliers),
      },
      solves: p.convergence.solves,
      cold_iterations: p.convergence.coldIterations,
      warm_iterations: p.convergence.warmIterations,
      unconverged: p.convergence.unconverged,
      max_primal_residual: float64ToHex(p.convergence.maxPrimalResidual),
      first_history: hex(p.convergence.firstHistory),
      last_history: hex(p.convergence.lastHistory),
    })),
    released: sortedEntries(released).map(([venue, v]) => [venue, float64ToHex(v)]),
    accountant: accountant ?? null,
  };
}

/** What {@link admmRouterStateJson} wrote, read back. */
export interface AdmmRouterState {
  readonly plans: ReadonlyMap<string, PlanState>;
  readonly released: ReadonlyMap<string, number>;
  readonly accountant: PrivacyAccountantState | null;
}

/** @throws REPLAY_SNAPSHOT_INVALID for a state the router did not write. */
export function parseAdmmRouterState(state: JsonValue): AdmmRouterState {
  const parsed = AdmmRouterStateSchema.safeParse(state);
  if (!parsed.success) {
    throw new IntegrityError('REPLAY_SNAPSHOT_INVALID', 'the admm router state does not parse', {
      details: { path: parsed.error.issues[0]?.path.map(String).join('.') ?? '' },
    });
  }
  const value = parsed.data;
  const floats = (values: readonly string[]): number[] => values.map(hexToFloat64);
  const plans = new Map<string, PlanState>();
  for (const p of value.plans) {
    plans.set(p.plan_id, {
      totalLots: p.total_lots,
      version: p.version,
      warm: {
        quantities: new Map(p.warm_quantities.map(([venue, q]) => [venue, hexToFloat64(q)])),
        duals: {
          version: p.duals.version,
          rho: hexToFloat64(p.duals.rho),
          multipliers: floats(p.duals.multipliers),
        },
      },
      convergence: {
        solves: p.solves,
        coldIterations: p.cold_iterations,
        warmIterations: p.warm_iterations,
        unconverged: p.unconverged,
        maxPrimalResidual: hexToFloat64(p.max_primal_residual),
        firstHistory: floats(p.first_history),
        lastHistory: floats(p.last_history),
      },
    });
  }
  return {
    plans,
    released: new Map(value.released.map(([venue, v]) => [venue, hexToFloat64(v)])),
    accountant: value.accountant satisfies PrivacyAccountantState | null,
  };
}
