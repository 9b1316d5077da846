/**
 * @module
 * The market-data wire format (`v: 1`), JSON text frames. Server → client: `snapshot` (full
 * depth and the feed sequence number it reflects), `update` (level changes and trades, `seq`
 * consecutive per instrument), `heartbeat` (each subscribed instrument's latest `seq`, so a lost
 * last update is noticed) and `error`. Client → server: `subscribe` (also asks for a fresh
 * snapshot) and `unsubscribe`. Frames from the other side are foreign: parsed with loose objects,
 * so a newer peer's extra fields are not rejected.
 */
import { z } from 'zod';

import { InputError, type JsonObject } from '../../core/index.js';

export const WS_FORMAT_VERSION = 1;

const NsTextSchema = z.string().regex(/^(0|[1-9][0-9]{0,19})$/, 'expected integer nanoseconds');
const InstrumentSchema = z.string().min(1).max(64);
const TicksSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const LotsSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const SeqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const SideSchema = z.enum(['buy', 'sell']);

/** `[priceTicks, qtyLots]`, best first. */
const DepthLevelSchema = z.tuple([TicksSchema, LotsSchema.min(1)]);

export const SnapshotMessageSchema = z.looseObject({
  v: z.literal(WS_FORMAT_VERSION),
  type: z.literal('snapshot'),
  venue: z.string().min(1),
  instrument: InstrumentSchema,
  seq: SeqSchema,
  tsNs: NsTextSchema,
  bids: z.array(DepthLevelSchema),
  asks: z.array(DepthLevelSchema),
});
export type SnapshotMessage = z.infer<typeof SnapshotMessageSchema>;

export const LevelUpdateSchema = z.looseObject({
  side: SideSchema,
  priceTicks: TicksSchema,
  /** 0: the level is gone. */
  qtyLots: LotsSchema,
});
export type LevelUpdate = z.infer<typeof LevelUpdateSchema>;

export const TradePrintSchema = z.looseObject({
  priceTicks: TicksSchema,
  qtyLots: LotsSchema.min(1),
  aggressorSide: SideSchema,
});
export type TradePrint = z.infer<typeof TradePrintSchema>;

export const UpdateMessageSchema = z.looseObject({
  v: z.literal(WS_FORMAT_VERSION),
  type: z.literal('update'),
  venue: z.string().min(1),
  instrument: InstrumentSchema,
  seq: SeqSchema.min(1),
  tsNs: NsTextSchema,
  levels: z.array(LevelUpdateSchema),
  trades: z.array(TradePrintSchema),
});
export type UpdateMessage = z.infer<typeof UpdateMessageSchema>;

export const HeartbeatMessageSchema = z.looseObject({
  v: z.literal(WS_FORMAT_VERSION),
  type: z.literal('heartbeat'),
  tsNs: NsTextSchema,
  seqs: z.record(InstrumentSchema, SeqSchema),
});
export type HeartbeatMessage = z.infer<typeof HeartbeatMessageSchema>;

export const ErrorMessageSchema = z.looseObject({
  v: z.literal(WS_FORMAT_VERSION),
  type: z.literal('error'),
  code: z.string().min(1).max(64),
  message: z.string().max(1024),
  instrument: InstrumentSchema.optional(),
});
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  SnapshotMessageSchema,
  UpdateMessageSchema,
  HeartbeatMessageSchema,
  ErrorMessageSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

export const ClientRequestSchema = z.discriminatedUnion('type', [
  z.looseObject({
    v: z.literal(WS_FORMAT_VERSION),
    type: z.literal('subscribe'),
    instrument: InstrumentSchema,
  }),
  z.looseObject({
    v: z.literal(WS_FORMAT_VERSION),
    type: z.literal('unsubscribe'),
    instrument: InstrumentSchema,
  }),
]);
export type ClientRequest = z.infer<typeof ClientRequestSchema>;

function parseFrame<T>(schema: z.ZodType<T>, frame: string, what: string): T {
  let value: unknown;
  // JSON.parse throws a bare SyntaxError; a foreign frame's failure must carry our code.
  try {
    value = JSON.parse(frame);
  } catch (error) {
    throw new InputError('WS_BAD_FRAME_JSON', `${what} frame is not JSON`, {
      cause: error,
      details: { frame_bytes: frame.length },
    });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 8).map((issue): JsonObject => ({
    path: issue.path.map((key) => String(key)).join('.'),
    message: issue.message,
  }));
  throw new InputError('WS_BAD_FRAME_SCHEMA', `${what} frame does not match the schema`, {
    details: { issues },
  });
}

/** @throws InputError `WS_BAD_FRAME_JSON`, `WS_BAD_FRAME_SCHEMA`. */
export function decodeServerMessage(frame: string): ServerMessage {
  return parseFrame(ServerMessageSchema, frame, 'market-data');
}

/** @throws InputError `WS_BAD_FRAME_JSON`, `WS_BAD_FRAME_SCHEMA`. */
export function decodeClientRequest(frame: string): ClientRequest {
  return parseFrame(ClientRequestSchema, frame, 'request');
}

export function encodeMessage(message: ServerMessage | ClientRequest): string {
  return JSON.stringify(message);
}
