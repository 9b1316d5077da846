/**
 * @module
 * The event types the capture pipeline adds to the core ones: the run's own start and end (the
 * configuration a replay must reproduce), timer firings, venue confirmations of cancels and
 * replaces, and the state changes of feeds and sessions. Version 1 each; strict objects, as every
 * hashed record.
 */
import { z } from 'zod';

import {
  DecimalStringSchema,
  type EventTypeDefinition,
  type EventTypeRegistry,
  LotsSchema,
  NameSchema,
  PriceTicksSchema,
} from '../core/index.js';
import { PRIVACY_EVENT_TYPES } from '../privacy/index.js';
import { StateSnapshotPayloadSchema } from './pipeline-state.js';

const ParamValueSchema = z.union([z.string().max(256), z.number().int(), z.boolean()]);

export const RunStartPayloadSchema = z.strictObject({
  strategy: NameSchema,
  strategy_version: NameSchema,
  /** Strategy parameters, keys sorted by canonical JSON. */
  params: z.record(z.string(), ParamValueSchema),
  /** Seed of the run's random source: a replay draws the same numbers. */
  seed: z.string().regex(/^(0|[1-9][0-9]{0,19})$/),
  clock: z.enum(['system', 'simulated']),
  /** Venues sorted by id, with the fees the router weighs (hundredths of a tick per lot). */
  venues: z
    .array(
      z.strictObject({
        id: NameSchema,
        maker_fee_centiticks_per_lot: z.number().int(),
        taker_fee_centiticks_per_lot: z.number().int(),
      }),
    )
    .min(1),
  instruments: z.array(NameSchema).min(1),
  risk_limits: z.record(z.string(), DecimalStringSchema),
  order_id_prefix: z.string().min(1).max(32),
  router: z.strictObject({ name: NameSchema, params: z.record(z.string(), ParamValueSchema) }),
  /** A `state.snapshot` follows every this many inputs. */
  snapshot_every_inputs: z.number().int().min(1).optional(),
});
export type RunStartPayload = z.infer<typeof RunStartPayloadSchema>;

export const RunEndPayloadSchema = z.strictObject({
  reason: z.enum(['completed', 'stopped', 'failed']),
  inputs: LotsSchema,
  decisions: LotsSchema,
  detail: z.string().max(2048).optional(),
});

export const TimerFirePayloadSchema = z.strictObject({
  timer: NameSchema,
  /** The firing's ordinal for this timer name, from 1. */
  firing: LotsSchema,
});

export const OrderCancelledPayloadSchema = z.strictObject({
  order_id: NameSchema,
  venue: NameSchema,
  /** user, ioc-remainder, fok-unfilled, market-remainder, self-trade, … as the venue reports. */
  reason: NameSchema,
  cancelled_lots: LotsSchema,
});

export const OrderReplacedPayloadSchema = z.strictObject({
  order_id: NameSchema,
  venue: NameSchema,
  limit_px: PriceTicksSchema,
  leaves_lots: LotsSchema,
});

export const FeedStatusPayloadSchema = z.strictObject({
  venue: NameSchema,
  instrument: NameSchema.optional(),
  status: z.enum(['connected', 'disconnected', 'gap', 'resync', 'bad-frame']),
  detail: z.string().max(2048).optional(),
  expected_seq: LotsSchema.optional(),
  received_seq: LotsSchema.optional(),
});

export const SessionStatusPayloadSchema = z.strictObject({
  venue: NameSchema,
  session: NameSchema,
  status: z.enum([
    'logon',
    'logout',
    'disconnected',
    'gap',
    'resend',
    'reject-sent',
    'reject-received',
    'garbled',
  ]),
  detail: z.string().max(2048).optional(),
});

export const PIPELINE_EVENT_TYPES: readonly EventTypeDefinition[] = [
  {
    type: 'run.start',
    version: 1,
    payload: RunStartPayloadSchema,
    description: 'capture run start',
  },
  { type: 'run.end', version: 1, payload: RunEndPayloadSchema, description: 'capture run end' },
  { type: 'timer.fire', version: 1, payload: TimerFirePayloadSchema, description: 'timer firing' },
  {
    type: 'order.cancelled',
    version: 1,
    payload: OrderCancelledPayloadSchema,
    description: 'venue confirms an order is out',
  },
  {
    type: 'order.replaced',
    version: 1,
    payload: OrderReplacedPayloadSchema,
    description: 'venue confirms a replace',
  },
  { type: 'feed.status', version: 1, payload: FeedStatusPayloadSchema, description: 'feed state' },
  {
    type: 'session.status',
    version: 1,
    payload: SessionStatusPayloadSchema,
    description: 'order-entry session state',
  },
  {
    type: 'state.snapshot',
    version: 1,
    payload: StateSnapshotPayloadSchema,
    description: 'the pipeline state after an input: where a replay may start',
  },
];

/** Adds the pipeline's types to a registry (which already holds the core types). */
export function registerPipelineEventTypes(registry: EventTypeRegistry): EventTypeRegistry {
  for (const definition of PIPELINE_EVENT_TYPES) registry.register(definition);
  // The router records its privacy budgets and shares.
  for (const definition of PRIVACY_EVENT_TYPES) registry.register(definition);
  return registry;
}
