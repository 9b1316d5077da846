/**
 * @module
 * The session log format (`deltatrace.fix-session-log.v1`), as bytes: encoding and decoding only,
 * no I/O. A file is the format line, then records `kind u8 | length u32 | crc32 u32 | payload`,
 * little-endian, the CRC-32 covering kind, length and payload (as in file-store.ts). Record 1 is
 * the start (UTF-8 JSON: configuration and store state); every later one is a step:
 * `mono_ns i64 | wall_ns i64 | entry…`, each entry `type u8 | length u32 | data`. One step is one
 * record, so a crash cuts the log between steps or tears the last one, and a torn last record is
 * cut off on reading: what remains is a whole prefix of the session's run.
 */
import { Buffer } from 'node:buffer';
import { crc32 } from 'node:zlib';

import { z } from 'zod';

import {
  ERROR_CODES,
  type ErrorCode,
  formatIssues,
  fromBase64,
  InputError,
  IntegrityError,
  isDeltaTraceError,
  type JsonObject,
  toBase64,
} from '../../../core/index.js';
import type { FixField } from '../message.js';
import { SessionConfigSchema } from './config.js';
import type {
  ApplicationCallback,
  SessionInstant,
  SessionLog,
  SessionLogEntry,
  SessionLogStart,
  SessionLogStep,
  ThrownByApplication,
} from './recorder.js';

export const SESSION_LOG_FORMAT = 'deltatrace.fix-session-log.v1';
const MAGIC = Buffer.from(`${SESSION_LOG_FORMAT}\n`, 'latin1');
const RECORD_HEADER_BYTES = 9;
const ENTRY_HEADER_BYTES = 5;
const INSTANT_BYTES = 16;

const RECORD_START = 1;
const RECORD_STEP = 2;

/** Entry type bytes: part of the format, never renumbered. */
const ENTRY_TYPE = {
  connect: 1,
  disconnect: 2,
  receive: 3,
  send: 4,
  logout: 5,
  close: 6,
  timer: 7,
  callback: 8,
  'callback-end': 9,
  outbound: 10,
} as const satisfies Record<SessionLogEntry['type'], number>;
const ENTRY_TYPE_NAMES: ReadonlyMap<number, SessionLogEntry['type']> = new Map(
  Object.entries(ENTRY_TYPE).map(([name, byte]) => [byte, name as SessionLogEntry['type']]),
);
const CALLBACKS: readonly ApplicationCallback[] = ['message', 'logon', 'logout'];

const FieldSchema = z.tuple([z.number().int().positive(), z.string()]);
const StartSchema = z.strictObject({
  v: z.literal(1),
  config: SessionConfigSchema,
  application: z.boolean(),
  next_sender_seq: z.number().int().positive(),
  next_target_seq: z.number().int().positive(),
  sent: z.array(z.strictObject({ seq: z.number().int().positive(), bytes: z.string() })),
});
const SendSchema = z.strictObject({
  msg_type: z.string().min(1),
  body: z.array(FieldSchema),
  header: z.array(FieldSchema).optional(),
});
const LogoutSchema = z.strictObject({ text: z.string().optional() });
const ThrownSchema = z.strictObject({
  code: z
    .string()
    .refine((code) => Object.hasOwn(ERROR_CODES, code), 'unknown error code')
    .optional(),
  message: z.string(),
  tag: z.number().int().optional(),
});

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function record(kind: number, payload: Uint8Array): Uint8Array {
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  out.writeUInt8(kind, 0);
  out.writeUInt32LE(payload.length, 1);
  out.set(payload, RECORD_HEADER_BYTES);
  out.writeUInt32LE(recordCrc(out), 5);
  return out;
}

function recordCrc(record: Uint8Array): number {
  return crc32(record.subarray(RECORD_HEADER_BYTES), crc32(record.subarray(0, 5)));
}

/** The format line every log file starts with. */
export function encodeSessionLogHeader(): Uint8Array {
  return Uint8Array.from(MAGIC);
}

export function encodeSessionLogStart(start: SessionLogStart): Uint8Array {
  return record(
    RECORD_START,
    json({
      v: 1,
      config: start.config,
      application: start.application,
      next_sender_seq: start.nextSenderSeq,
      next_target_seq: start.nextTargetSeq,
      sent: start.sent.map((stored) => ({ seq: stored.seq, bytes: toBase64(stored.bytes) })),
    }),
  );
}

function entryData(entry: SessionLogEntry): Uint8Array {
  switch (entry.type) {
    case 'connect':
    case 'disconnect':
    case 'close':
      return new Uint8Array(0);
    case 'receive':
    case 'outbound':
      return entry.bytes;
    case 'send': {
      const { msgType, body, header } = entry.message;
      return json(
        header === undefined ? { msg_type: msgType, body } : { msg_type: msgType, body, header },
      );
    }
    case 'logout':
      return json(entry.text === undefined ? {} : { text: entry.text });
    case 'timer': {
      const data = Buffer.allocUnsafe(4);
      data.writeUInt32LE(entry.timerId, 0);
      return data;
    }
    case 'callback':
      return Uint8Array.of(CALLBACKS.indexOf(entry.callback) + 1);
    case 'callback-end':
      if (entry.thrown === undefined) return new Uint8Array(0);
      // Members in a fixed order, whatever order the value was built in.
      return json({
        code: entry.thrown.code,
        message: entry.thrown.message,
        tag: entry.thrown.tag,
      });
  }
}

export function encodeSessionLogStep(step: SessionLogStep): Uint8Array {
  const parts: Uint8Array[] = [];
  const instant = Buffer.allocUnsafe(INSTANT_BYTES);
  instant.writeBigInt64LE(step.at.monoNs, 0);
  instant.writeBigInt64LE(step.at.wallNs, 8);
  parts.push(instant);
  for (const entry of step.entries) {
    const data = entryData(entry);
    const head = Buffer.allocUnsafe(ENTRY_HEADER_BYTES);
    head.writeUInt8(ENTRY_TYPE[entry.type], 0);
    head.writeUInt32LE(data.length, 1);
    parts.push(head, data);
  }
  return record(RECORD_STEP, Buffer.concat(parts));
}

/** A whole log file's bytes. */
export function encodeSessionLog(log: Pick<SessionLog, 'start' | 'steps'>): Uint8Array {
  return new Uint8Array(
    Buffer.concat([
      MAGIC,
      encodeSessionLogStart(log.start),
      ...log.steps.map((step) => encodeSessionLogStep(step)),
    ]),
  );
}

function malformed(message: string, offset: number, extra: JsonObject = {}): InputError {
  return new InputError('FIX_SESSION_LOG_MALFORMED', message, {
    details: { offset, ...extra },
  });
}

/** Parses a JSON part of a record that passed its CRC: a failure is a bad writer or version skew. */
function parseJson<T>(schema: z.ZodType<T>, data: Uint8Array, what: string, offset: number): T {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch (error) {
    // JSON.parse throws a SyntaxError; the caller sees our code.
    throw malformed(`${what} is not valid JSON`, offset, {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw malformed(`${what} does not match its schema`, offset, {
      issues: formatIssues(parsed.error.issues),
    });
  }
  return parsed.data;
}

function decodeStart(payload: Uint8Array, offset: number): SessionLogStart {
  const start = parseJson(StartSchema, payload, 'the start record', offset);
  const sent = start.sent.map((stored) => {
    try {
      return { seq: stored.seq, bytes: fromBase64(stored.bytes, 'a stored message') };
    } catch (error) {
      if (!isDeltaTraceError(error)) throw error;
      throw malformed('a stored message is not base64', offset, { seq: stored.seq });
    }
  });
  return {
    config: start.config,
    application: start.application,
    nextSenderSeq: start.next_sender_seq,
    nextTargetSeq: start.next_target_seq,
    sent,
  };
}

function fields(list: readonly (readonly [number, string])[]): readonly FixField[] {
  return list.map(([tag, value]) => [tag, value] as const);
}

function decodeEntry(
  type: SessionLogEntry['type'],
  data: Uint8Array,
  offset: number,
): SessionLogEntry {
  switch (type) {
    case 'connect':
    case 'disconnect':
    case 'close':
      if (data.length !== 0) throw malformed(`a ${type} entry carries data`, offset);
      return { type };
    case 'receive':
    case 'outbound':
      return { type, bytes: new Uint8Array(data) };
    case 'send': {
      const send = parseJson(SendSchema, data, 'a send entry', offset);
      return {
        type,
        message:
          send.header === undefined
            ? { msgType: send.msg_type, body: fields(send.body) }
            : { msgType: send.msg_type, body: fields(send.body), header: fields(send.header) },
      };
    }
    case 'logout': {
      const logout = parseJson(LogoutSchema, data, 'a logout entry', offset);
      return logout.text === undefined ? { type } : { type, text: logout.text };
    }
    case 'timer':
      if (data.length !== 4) throw malformed('a timer entry is not 4 bytes', offset);
      return { type, timerId: Buffer.from(data).readUInt32LE(0) };
    case 'callback': {
      const callback = data.length === 1 ? CALLBACKS[data[0]! - 1] : undefined;
      if (callback === undefined) throw malformed('a callback entry names no callback', offset);
      return { type, callback };
    }
    case 'callback-end': {
      if (data.length === 0) return { type };
      const thrown = parseJson(ThrownSchema, data, 'a callback-end entry', offset);
      const value: ThrownByApplication = {
        ...(thrown.code === undefined ? {} : { code: thrown.code as ErrorCode }),
        message: thrown.message,
        ...(thrown.tag === undefined ? {} : { tag: thrown.tag }),
      };
      return { type, thrown: value };
    }
  }
}

const INPUT_TYPES: ReadonlySet<SessionLogEntry['type']> = new Set([
  'connect',
  'disconnect',
  'receive',
  'send',
  'logout',
  'close',
  'timer',
]);

function decodeStep(payload: Buffer, offset: number): SessionLogStep {
  if (payload.length < INSTANT_BYTES) throw malformed('a step record is too short', offset);
  const at: SessionInstant = {
    monoNs: payload.readBigInt64LE(0),
    wallNs: payload.readBigInt64LE(8),
  };
  const entries: SessionLogEntry[] = [];
  let cursor = INSTANT_BYTES;
  while (cursor < payload.length) {
    if (cursor + ENTRY_HEADER_BYTES > payload.length) {
      throw malformed('an entry header runs past its step', offset);
    }
    const typeByte = payload.readUInt8(cursor);
    const length = payload.readUInt32LE(cursor + 1);
    const start = cursor + ENTRY_HEADER_BYTES;
    if (start + length > payload.length) throw malformed('an entry runs past its step', offset);
    const type = ENTRY_TYPE_NAMES.get(typeByte);
    if (type === undefined) {
      throw malformed(`unknown entry type ${typeByte}`, offset, { entry: entries.length });
    }
    entries.push(decodeEntry(type, payload.subarray(start, start + length), offset));
    cursor = start + length;
  }
  const first = entries[0];
  if (first === undefined || !INPUT_TYPES.has(first.type)) {
    throw malformed('a step does not begin with an input', offset);
  }
  return { at, entries };
}

/**
 * Decodes a whole log. A torn last record (cut short, or damaged where it ends the file) is left
 * out and counted in `tornTailBytes`.
 * @throws InputError FIX_SESSION_LOG_MALFORMED for bytes that are not a v1 session log or lack a
 * whole start record, or a record whose checksum holds but whose content does not decode;
 * IntegrityError FIX_SESSION_LOG_CORRUPT for a damaged record that more data follows.
 */
export function decodeSessionLog(bytes: Uint8Array): SessionLog {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    const line = data.subarray(0, Math.min(data.length, 64)).toString('latin1').split('\n')[0];
    throw new InputError('FIX_SESSION_LOG_MALFORMED', `not a ${SESSION_LOG_FORMAT} file`, {
      details: { offset: 0, first_line: line ?? '' },
    });
  }
  let start: SessionLogStart | undefined;
  const steps: SessionLogStep[] = [];
  let at = MAGIC.length;
  while (at < data.length) {
    if (at + RECORD_HEADER_BYTES > data.length) break;
    const end = at + RECORD_HEADER_BYTES + data.readUInt32LE(at + 1);
    if (end > data.length) break;
    const whole = data.subarray(at, end);
    if (whole.readUInt32LE(5) !== recordCrc(whole)) {
      if (end === data.length) break;
      throw new IntegrityError('FIX_SESSION_LOG_CORRUPT', `damaged record at byte ${at}`, {
        details: { offset: at, record: start === undefined ? 0 : steps.length + 1 },
      });
    }
    const kind = whole.readUInt8(0);
    const payload = whole.subarray(RECORD_HEADER_BYTES);
    if (start === undefined) {
      if (kind !== RECORD_START) throw malformed('the log does not begin with a start record', at);
      start = decodeStart(payload, at);
    } else if (kind === RECORD_STEP) {
      steps.push(decodeStep(payload, at));
    } else {
      throw malformed(`unexpected record kind ${kind}`, at);
    }
    at = end;
  }
  if (start === undefined) {
    throw malformed('the log has no whole start record', MAGIC.length);
  }
  return { start, steps, tornTailBytes: data.length - at };
}
