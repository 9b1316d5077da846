/**
 * @module
 * The ledger events of privacy accounting: `privacy.budget` when a signal's PrivacyBudget is
 * opened, `privacy.spend` for every share of the signal and every refusal. ε and values are
 * decimal strings, never binary floats. A spend records the released (noisy) value, never the
 * raw one: the ledger may travel further than the signal was allowed to.
 */
import { z } from 'zod';

import {
  DecimalStringSchema,
  type EventTypeDefinition,
  type EventTypeRegistry,
  NameSchema,
  QtyLotsSchema,
} from '../core/index.js';

/** A positive decimal string, as an ε or a sensitivity. */
const PositiveDecimalSchema = DecimalStringSchema.regex(
  /^[0-9.]*[1-9][0-9.]*$/,
  'expected a positive decimal',
);
/** A non-negative decimal string (ε spent or remaining). */
const AmountSchema = DecimalStringSchema.regex(/^[^-]/, 'expected a non-negative decimal');

/**
 * The seeds' PrivacyBudget: a signal's differential-privacy budget as it stands (Laplace
 * mechanism, basic composition) — ε granted, spent and left, and the signal's sensitivity Δ. The
 * one definition: the routing IR carries it, the accountant reports it.
 */
export const PrivacyBudgetSchema = z.strictObject({
  signal: NameSchema,
  epsilon_total: PositiveDecimalSchema,
  epsilon_spent: AmountSchema,
  epsilon_remaining: AmountSchema,
  sensitivity: PositiveDecimalSchema,
  mechanism: z.literal('laplace'),
  composition: z.literal('basic'),
});
export type PrivacyBudget = z.infer<typeof PrivacyBudgetSchema>;

export const PrivacyBudgetPayloadSchema = z.strictObject({
  signal: NameSchema,
  epsilon_total: PositiveDecimalSchema,
  /** Δ: how far one venue's contribution can move the signal's value. */
  sensitivity: PositiveDecimalSchema,
  mechanism: z.literal('laplace'),
  composition: z.literal('basic'),
});
export type PrivacyBudgetPayload = z.infer<typeof PrivacyBudgetPayloadSchema>;

const SpendCommonShape = {
  signal: NameSchema,
  /** Position of this share or refusal among the signal's, from 1. */
  seq: QtyLotsSchema,
  /** ε this share asked for. */
  epsilon: PositiveDecimalSchema,
  /** Σ ε of the signal's shares so far, this one included when shared. */
  epsilon_spent: AmountSchema,
  epsilon_remaining: AmountSchema,
};

export const PrivacySpendPayloadSchema = z.discriminatedUnion('outcome', [
  z.strictObject({
    ...SpendCommonShape,
    outcome: z.literal('shared'),
    mechanism: z.literal('laplace'),
    /** b = Δ/ε, the Laplace scale of the noise added. */
    scale: DecimalStringSchema,
    released_value: DecimalStringSchema,
  }),
  z.strictObject({
    ...SpendCommonShape,
    outcome: z.literal('refused'),
    reason: z.literal('budget-exhausted'),
  }),
]);
export type PrivacySpendPayload = z.infer<typeof PrivacySpendPayloadSchema>;

export const PRIVACY_EVENT_TYPES: readonly EventTypeDefinition[] = [
  {
    type: 'privacy.budget',
    version: 1,
    payload: PrivacyBudgetPayloadSchema,
    description: 'per-signal privacy budget opened',
  },
  {
    type: 'privacy.spend',
    version: 1,
    payload: PrivacySpendPayloadSchema,
    description: 'privacy budget spent on a share, or a share refused',
  },
];

/** Adds the privacy event types to a registry (which already holds the core types). */
export function registerPrivacyEventTypes(registry: EventTypeRegistry): EventTypeRegistry {
  for (const definition of PRIVACY_EVENT_TYPES) registry.register(definition);
  return registry;
}
