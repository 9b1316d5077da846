/**
 * @module
 * The commands an order book accepts and their zod schemas. The schemas check shape only: a
 * non-positive size or price is a well-formed command that the engine answers with a `reject`
 * event, because a venue reports a bad order to its sender rather than failing the session.
 */
import { z } from 'zod';

import { InputError, type JsonObject } from '../core/index.js';

export const SideSchema = z.enum(['buy', 'sell']);
export type Side = z.infer<typeof SideSchema>;

export const OrderTypeSchema = z.enum(['limit', 'market']);
export type OrderType = z.infer<typeof OrderTypeSchema>;

export const TimeInForceSchema = z.enum(['day', 'ioc', 'fok']);
export type TimeInForce = z.infer<typeof TimeInForceSchema>;

const OrderIdSchema = z.string().min(1);
/** Integer lots; the sign is the engine's to judge (see module note). */
const LotsSchema = z.number().int();
/** Integer ticks; the sign is the engine's to judge (see module note). */
const TicksSchema = z.number().int();

export const NewOrderCommandSchema = z.strictObject({
  type: z.literal('new'),
  orderId: OrderIdSchema,
  side: SideSchema,
  orderType: OrderTypeSchema,
  tif: TimeInForceSchema.default('day'),
  qtyLots: LotsSchema,
  /** Required for limit orders, forbidden for market orders. */
  priceTicks: TicksSchema.optional(),
  /** Account that owns the order; two orders of one owner never trade (self-trade prevention). */
  ownerId: z.string().min(1),
});
export type NewOrderCommand = z.infer<typeof NewOrderCommandSchema>;

export const CancelCommandSchema = z.strictObject({
  type: z.literal('cancel'),
  orderId: OrderIdSchema,
});
export type CancelCommand = z.infer<typeof CancelCommandSchema>;

export const ReplaceCommandSchema = z.strictObject({
  type: z.literal('replace'),
  orderId: OrderIdSchema,
  /** New open quantity (leaves), not the original order quantity. */
  qtyLots: LotsSchema.optional(),
  priceTicks: TicksSchema.optional(),
});
export type ReplaceCommand = z.infer<typeof ReplaceCommandSchema>;

export const CommandSchema = z.discriminatedUnion('type', [
  NewOrderCommandSchema,
  CancelCommandSchema,
  ReplaceCommandSchema,
]);
export type Command = z.infer<typeof CommandSchema>;
export type CommandInput = z.input<typeof CommandSchema>;

/**
 * Parses one command from outside input.
 * @throws InputError `INPUT_SCHEMA_VIOLATION` when the shape is wrong.
 */
export function parseCommand(input: unknown): Command {
  const result = CommandSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue): JsonObject => ({
    path: issue.path.map((key) => String(key)).join('.'),
    message: issue.message,
  }));
  throw new InputError('INPUT_SCHEMA_VIOLATION', 'invalid exchange command', {
    details: { issues },
  });
}
