/**
 * @module
 * The pipeline's state as a `state.snapshot` event: everything a run resumed from it needs to make
 * the decisions the original made next — market and order state, plans, the risk window, the
 * counters and the positions of both random streams, and the strategy's and router's own state.
 * The snapshot is an output like any other: a replay from the start regenerates it and compares
 * its content id, which is what makes a snapshot verifiable against the ledger, and a replay may
 * then start from it instead of from the beginning. Event handles (causes) are positions in the
 * run, as everywhere in the pipeline; bigints are decimal strings and solver doubles their exact
 * IEEE-754 bits in hex (a hashed payload holds no binary floats).
 */
import { z } from 'zod';

import { IntegrityError, type JsonValue, LotsSchema, NameSchema } from '../core/index.js';

export const PIPELINE_STATE_FORMAT = 'deltatrace.pipeline-state.v1';

const NsSchema = z.string().regex(/^-?(0|[1-9][0-9]{0,19})$/, 'expected integer nanoseconds');
const HandleSchema = z.number().int().min(0);
const CountSchema = z.number().int().min(0);
const IntSchema = z.number().int();
const NullableInt = IntSchema.nullable();
/** Any JSON value, typed as the core's (read-only) JsonValue. */
const JsonValueSchema = z.json() as unknown as z.ZodType<JsonValue>;
const RngStateSchema = z.string().regex(/^[0-9a-f]{32}$/);

const QuoteStateSchema = z.tuple([
  NameSchema, // instrument
  NameSchema, // venue
  NullableInt, // bid px
  IntSchema, // bid qty
  NullableInt, // ask px
  IntSchema, // ask qty
  NullableInt, // last px
  HandleSchema, // md.tick
  NsSchema, // mono ns
]);

const OrderStateSchema = z.strictObject({
  order_id: NameSchema,
  venue: NameSchema,
  instrument: NameSchema,
  side: z.enum(['buy', 'sell']),
  qty_lots: CountSchema,
  limit_px: NullableInt,
  parent_id: NameSchema.nullable(),
  ref: HandleSchema,
  sent_mono_ns: NsSchema,
  state: z.enum(['pending-new', 'new', 'partially-filled', 'filled', 'cancelled', 'rejected']),
  venue_order_id: z.string().max(128).nullable(),
  cum_qty_lots: CountSchema,
  leaves_lots: CountSchema,
  notional_ticks: IntSchema,
  cancel_requested: z.boolean(),
});
export type OrderStateJson = z.infer<typeof OrderStateSchema>;

export const OrderBookStateSchema = z.strictObject({
  orders: z.array(OrderStateSchema),
  positions: z.array(z.tuple([NameSchema, IntSchema])),
  parent_filled: z.array(z.tuple([NameSchema, CountSchema])),
  parent_fills: z.array(z.tuple([NameSchema, z.array(HandleSchema)])),
  last_reject_mono_ns: NsSchema,
  anomalies: z.array(
    z.strictObject({ order_id: z.string(), venue: z.string(), problem: z.string() }),
  ),
});
export type OrderBookState = z.infer<typeof OrderBookStateSchema>;

export const PipelineStateSchema = z.strictObject({
  now_mono_ns: NsSchema,
  start_mono_ns: NsSchema,
  next_order: z.number().int().min(1),
  halted: z.boolean(),
  last_risk_failure_mono_ns: NsSchema.nullable(),
  timer_firings: z.array(z.tuple([NameSchema, CountSchema])),
  last_signals: z.array(z.tuple([NameSchema, HandleSchema])),
  stats: z.strictObject({
    inputs: CountSchema,
    signals: CountSchema,
    plan_deltas: CountSchema,
    risk_checks: CountSchema,
    risk_failures: CountSchema,
    orders_sent: CountSchema,
    cancels_sent: CountSchema,
  }),
  stamper: z.strictObject({ last_wall_ns: NsSchema, counter: CountSchema }),
  rng: RngStateSchema,
  router_rng: RngStateSchema,
  market: z.array(QuoteStateSchema),
  orders: OrderBookStateSchema,
  plans: z.array(z.tuple([NameSchema, CountSchema, z.array(z.tuple([NameSchema, CountSchema]))])),
  risk_sent_mono_ns: z.array(NsSchema),
  strategy: JsonValueSchema,
  router: JsonValueSchema,
});
export type PipelineState = z.infer<typeof PipelineStateSchema>;

export const StateSnapshotPayloadSchema = z.strictObject({
  format: z.literal(PIPELINE_STATE_FORMAT),
  /** Inputs the pipeline had handled when the snapshot was taken. */
  inputs: LotsSchema,
  state: PipelineStateSchema,
});
export type StateSnapshotPayload = z.infer<typeof StateSnapshotPayloadSchema>;

/**
 * Reads a snapshot payload back.
 * @throws REPLAY_SNAPSHOT_INVALID naming the first bad path.
 */
export function parseStateSnapshot(payload: unknown): StateSnapshotPayload {
  const parsed = StateSnapshotPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new IntegrityError('REPLAY_SNAPSHOT_INVALID', 'the state snapshot does not parse', {
      details: {
        path: issue?.path.map(String).join('.') ?? '',
        message: issue?.message ?? '',
      },
    });
  }
  return parsed.data;
}

/** A double as the 16 hex digits of its IEEE-754 bits: exact, and not a float in the payload. */
export function float64ToHex(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

/** @throws REPLAY_SNAPSHOT_INVALID for text that is not 16 hex digits. */
export function hexToFloat64(hex: string): number {
  if (!/^[0-9a-f]{16}$/.test(hex)) {
    throw new IntegrityError('REPLAY_SNAPSHOT_INVALID', 'a double is 16 hex digits', {
      details: { value: hex.slice(0, 32) },
    });
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

/** Entries of a map sorted by key: state is written in one order whatever the insertion order. */
export function sortedEntries<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
