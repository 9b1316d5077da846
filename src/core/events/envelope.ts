/**
 * The event envelope, `deltatrace.event.v1` (DESIGN.md §3): the body that an event's content id
 * covers, and the log entry that wraps it with its position and chain links.
 */
import { z } from 'zod';

import { DigestHexSchema, EventIdSchema, NameSchema, TsNsSchema } from './primitives.js';

/** Version of the entry format; inside the hashed bytes, so a format change cannot go unseen. */
export const ENTRY_FORMAT_VERSION = 1;
export const ENTRY_FORMAT_NAME = 'deltatrace.event.v1';

export const TimestampSchema = z.strictObject({
  wall_ns: TsNsSchema,
  mono_ns: TsNsSchema,
  /** Hybrid logical clock, where several nodes write: `<wall_ns>.<counter>@<node>`. */
  hlc: z.string().min(1).max(128).optional(),
});
export type Timestamp = z.output<typeof TimestampSchema>;

export const SourceSchema = z.strictObject({
  node: NameSchema,
  adapter: NameSchema.optional(),
  venue: NameSchema.optional(),
});
export type Source = z.infer<typeof SourceSchema>;

export const EventTypeNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'expected a dotted lowercase type name')
  .max(64);

/** The part of an event that its id covers. Payload is checked per type by the registry. */
export const EventBodySchema = z.strictObject({
  type: EventTypeNameSchema,
  type_v: z.number().int().min(1).max(1000),
  run: NameSchema,
  ts: TimestampSchema,
  source: SourceSchema,
  causes: z.array(EventIdSchema).max(1024),
  payload: z.record(z.string(), z.unknown()),
});

/** A body with its payload parsed: what the rest of the code handles. */
export interface EventBody<P = unknown> {
  readonly type: string;
  readonly type_v: number;
  readonly run: string;
  readonly ts: Timestamp;
  readonly source: Source;
  readonly causes: readonly z.infer<typeof EventIdSchema>[];
  readonly payload: P;
}

/** What a producer hands to the ledger: the version defaults to the type's latest, ts to now. */
export const EventInputSchema = z.strictObject({
  type: EventTypeNameSchema,
  type_v: z.number().int().min(1).max(1000).optional(),
  run: NameSchema,
  ts: TimestampSchema.optional(),
  source: SourceSchema,
  causes: z.array(EventIdSchema).max(1024).optional(),
  payload: z.record(z.string(), z.unknown()),
});
export type EventInput = z.output<typeof EventInputSchema>;

/** A log entry exactly as stored (wire form: nanoseconds as decimal strings). */
export const EntryWireSchema = z.strictObject({
  v: z.literal(ENTRY_FORMAT_VERSION),
  seq: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 53 - 1),
  id: EventIdSchema,
  type: EventTypeNameSchema,
  type_v: z.number().int().min(1).max(1000),
  run: NameSchema,
  ts: z.strictObject({
    wall_ns: z.string(),
    mono_ns: z.string(),
    hlc: z.string().optional(),
  }),
  source: SourceSchema,
  causes: z.array(EventIdSchema),
  payload: z.record(z.string(), z.unknown()),
  prev: DigestHexSchema,
  hash: DigestHexSchema,
});
export type EntryWire = z.infer<typeof EntryWireSchema>;

/** A log entry in memory. */
export interface Entry<P = unknown> extends EventBody<P> {
  readonly seq: bigint;
  readonly id: z.infer<typeof EventIdSchema>;
  readonly prev: z.infer<typeof DigestHexSchema>;
  readonly hash: z.infer<typeof DigestHexSchema>;
}

/** `prev` of the genesis entry. */
export const GENESIS_PREV = '0'.repeat(64);
