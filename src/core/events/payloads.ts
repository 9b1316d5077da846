/**
 * Payload schemas of the core event types (DESIGN.md §3, §5). Strict objects: an unknown key in a
 * hashed record means tampering or version skew. Each schema is version 1 of its type; a new
 * version is added beside it, never edited in place, so old entries keep verifying.
 */
import { z } from 'zod';

import {
  DecimalStringSchema,
  EventIdSchema,
  LotsSchema,
  NameSchema,
  PriceTicksSchema,
  QtyLotsSchema,
  SideSchema,
} from './primitives.js';

const NsTextSchema = z.string().regex(/^(0|[1-9][0-9]{0,19})$/, 'expected integer nanoseconds');

export const MdTickPayloadSchema = z.strictObject({
  instrument: NameSchema,
  venue: NameSchema,
  bid_px: PriceTicksSchema.optional(),
  bid_qty: LotsSchema.optional(),
  ask_px: PriceTicksSchema.optional(),
  ask_qty: LotsSchema.optional(),
  last_px: PriceTicksSchema.optional(),
  last_qty: LotsSchema.optional(),
  /** The feed's own sequence number, for gap detection. */
  feed_seq: LotsSchema.optional(),
});
export type MdTickPayload = z.infer<typeof MdTickPayloadSchema>;

export const SignalPayloadSchema = z.strictObject({
  name: NameSchema,
  instrument: NameSchema,
  value: DecimalStringSchema,
  horizon_ns: NsTextSchema.optional(),
  params: z.record(z.string(), z.union([z.string(), z.number().int(), z.boolean()])).optional(),
});
export type SignalPayload = z.infer<typeof SignalPayloadSchema>;

export const SolverMetadataSchema = z.strictObject({
  algorithm: NameSchema,
  iterations: LotsSchema,
  primal_residual: DecimalStringSchema,
  dual_residual: DecimalStringSchema,
  objective: DecimalStringSchema,
});

export const PlanChangeSchema = z.strictObject({
  venue: NameSchema,
  /** Signed change of the quantity planned at this venue. */
  qty_delta_lots: z.number().int(),
  limit_px: PriceTicksSchema.optional(),
  not_before_ns: NsTextSchema.optional(),
});

export const PlanDeltaPayloadSchema = z.strictObject({
  plan_id: NameSchema,
  /** The plan version this delta applies to; 0 for the first delta of a plan. */
  base_version: LotsSchema,
  /** The version the plan has after this delta; always base_version + 1. */
  version: QtyLotsSchema,
  instrument: NameSchema,
  side: SideSchema,
  changes: z.array(PlanChangeSchema).min(1),
  solver: SolverMetadataSchema.optional(),
});
export type PlanDeltaPayload = z.infer<typeof PlanDeltaPayloadSchema>;

export const OrderTypeSchema = z.enum(['limit', 'market']);
export const TimeInForceSchema = z.enum(['day', 'gtc', 'ioc', 'fok']);

export const OrderNewPayloadSchema = z.strictObject({
  order_id: NameSchema,
  venue: NameSchema,
  instrument: NameSchema,
  side: SideSchema,
  qty_lots: QtyLotsSchema,
  order_type: OrderTypeSchema,
  limit_px: PriceTicksSchema.optional(),
  tif: TimeInForceSchema,
  parent_id: NameSchema.optional(),
});
export type OrderNewPayload = z.infer<typeof OrderNewPayloadSchema>;

export const OrderAckPayloadSchema = z.strictObject({
  order_id: NameSchema,
  venue: NameSchema,
  venue_order_id: NameSchema,
});

export const OrderRejectPayloadSchema = z.strictObject({
  order_id: NameSchema,
  venue: NameSchema,
  reason: z.string().min(1).max(512),
  code: NameSchema.optional(),
});

export const OrderCancelPayloadSchema = z.strictObject({
  order_id: NameSchema,
  venue: NameSchema,
  reason: z.string().min(1).max(512).optional(),
});

export const OrderReplacePayloadSchema = z.strictObject({
  order_id: NameSchema,
  new_order_id: NameSchema,
  venue: NameSchema,
  qty_lots: QtyLotsSchema.optional(),
  limit_px: PriceTicksSchema.optional(),
});

export const FillPayloadSchema = z.strictObject({
  order_id: NameSchema,
  venue: NameSchema,
  fill_id: NameSchema,
  qty_lots: QtyLotsSchema,
  px: PriceTicksSchema,
  leaves_lots: LotsSchema,
  liquidity: z.enum(['maker', 'taker']),
  fee: DecimalStringSchema.optional(),
});
export type FillPayload = z.infer<typeof FillPayloadSchema>;

export const RiskRuleResultSchema = z.strictObject({
  rule: NameSchema,
  passed: z.boolean(),
  limit: DecimalStringSchema.optional(),
  observed: DecimalStringSchema.optional(),
});

export const RiskCheckPayloadSchema = z.strictObject({
  /** What was checked: a plan id or an order id. */
  subject: NameSchema,
  outcome: z.enum(['pass', 'fail']),
  rules: z.array(RiskRuleResultSchema).min(1),
});
export type RiskCheckPayload = z.infer<typeof RiskCheckPayloadSchema>;

export const ApprovalPayloadSchema = z.strictObject({
  /** The event being approved or rejected. */
  subject: EventIdSchema,
  approver: NameSchema,
  /** Verifier key of the approver, in signed-note form `<name>+<key id>+<key>`. */
  key: z.string().min(1).max(256),
  decision: z.enum(['approve', 'reject']),
  /** Base64 Ed25519 signature over the subject id. */
  signature: z.string().min(1).max(256),
  reason: z.string().max(512).optional(),
});

export const GovernanceTriggerPayloadSchema = z.strictObject({
  trigger: NameSchema,
  severity: z.enum(['info', 'warn', 'critical']),
  detail: z.string().min(1).max(2048),
  subject: z.string().min(1).max(256).optional(),
  required_approvals: LotsSchema.optional(),
});
