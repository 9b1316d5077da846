/**
 * Encoding of log entries, and the analysis of stored entry text that verification runs on.
 *
 * An entry's canonical JSON (RFC 8785) is an object whose members sort as
 * causes, hash, id, payload, prev, run, seq, source, ts, type, type_v, v; its body (what the id
 * covers) is the subset causes, payload, run, source, ts, type, type_v. Each member value is
 * canonicalised once and the three texts (body, entry without hash, entry) are assembled from the
 * same pieces: byte-identical to canonicalising each object whole, at a third of the cost.
 */
import { sha256, sha256Hex } from '../bytes.js';
import { canonicalize } from '../canonical/index.js';
import type { EventBody, Timestamp } from '../events/envelope.js';
import { ENTRY_FORMAT_VERSION } from '../events/envelope.js';
import { EVENT_ID_PREFIX } from '../events/primitives.js';

/** The nanosecond timestamp in its wire form. */
export function toWireTimestamp(ts: Timestamp): { wall_ns: string; mono_ns: string; hlc?: string } {
  const wire: { wall_ns: string; mono_ns: string; hlc?: string } = {
    wall_ns: ts.wall_ns.toString(),
    mono_ns: ts.mono_ns.toString(),
  };
  if (ts.hlc !== undefined) wire.hlc = ts.hlc;
  return wire;
}

interface BodyMembers {
  readonly causes: string;
  readonly payload: string;
  readonly run: string;
  readonly source: string;
  readonly ts: string;
  readonly type: string;
  readonly typeV: string;
}

function bodyText(m: BodyMembers): string {
  return `{"causes":${m.causes},"payload":${m.payload},"run":${m.run},"source":${m.source},"ts":${m.ts},"type":${m.type},"type_v":${m.typeV}}`;
}

function unhashedEntryText(m: BodyMembers, id: string, prev: string, seq: number): string {
  return `{"causes":${m.causes},"id":"${id}","payload":${m.payload},"prev":"${prev}","run":${m.run},"seq":${seq},"source":${m.source},"ts":${m.ts},"type":${m.type},"type_v":${m.typeV},"v":${ENTRY_FORMAT_VERSION}}`;
}

function entryText(m: BodyMembers, id: string, prev: string, seq: number, hash: string): string {
  return `{"causes":${m.causes},"hash":"${hash}","id":"${id}","payload":${m.payload},"prev":"${prev}","run":${m.run},"seq":${seq},"source":${m.source},"ts":${m.ts},"type":${m.type},"type_v":${m.typeV},"v":${ENTRY_FORMAT_VERSION}}`;
}

function membersOf(body: {
  causes: unknown;
  payload: unknown;
  run: unknown;
  source: unknown;
  ts: unknown;
  type: unknown;
  type_v: unknown;
}): BodyMembers {
  return {
    causes: canonicalize(body.causes),
    payload: canonicalize(body.payload),
    run: canonicalize(body.run),
    source: canonicalize(body.source),
    ts: canonicalize(body.ts),
    type: canonicalize(body.type),
    typeV: canonicalize(body.type_v),
  };
}

function wireMembersOfBody(body: EventBody): BodyMembers {
  return membersOf({
    causes: body.causes,
    payload: body.payload,
    run: body.run,
    source: body.source,
    ts: toWireTimestamp(body.ts),
    type: body.type,
    type_v: body.type_v,
  });
}

/** Content id of a body: `sha256:` + hex SHA-256 of its canonical JSON. */
export function computeEventId(body: EventBody): string {
  return EVENT_ID_PREFIX + sha256Hex(bodyText(wireMembersOfBody(body)));
}

export interface SealedEntry {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly run: string;
  readonly prev: string;
  /** Entry hash, hex. */
  readonly hash: string;
  /** Entry hash, raw: the Merkle leaf data. */
  readonly hashBytes: Uint8Array;
  /** The canonical JSON text of the whole entry, as stored. */
  readonly line: string;
}

/** Gives a validated body its position and chain link. */
export function sealEntry(body: EventBody, seq: number, prev: string): SealedEntry {
  const members = wireMembersOfBody(body);
  const id = EVENT_ID_PREFIX + sha256Hex(bodyText(members));
  const hash = sha256Hex(unhashedEntryText(members, id, prev, seq));
  const hashBytes = Buffer.from(hash, 'hex');
  return {
    seq,
    id,
    type: body.type,
    run: body.run,
    prev,
    hash,
    hashBytes,
    line: entryText(members, id, prev, seq, hash),
  };
}

/** What verification learns from one stored entry text, trusting nothing in it. */
export interface AnalyzedEntry {
  /** The text parsed as an entry object with the expected member types. */
  readonly parsed: boolean;
  readonly seq: number;
  readonly type: string;
  readonly id: string;
  readonly prev: string;
  /** The hash the entry claims. */
  readonly storedHash: string;
  /** The hash recomputed from its content ('' when unparsed). */
  readonly actualHash: string;
  /** The stored text is exactly the canonical encoding of its content. */
  readonly canonical: boolean;
  /** id and hash both recompute and the text is canonical. */
  readonly selfValid: boolean;
  /** Raw Merkle leaf data: the recomputed hash, or SHA-256 of the text when it does not parse. */
  readonly leafData: Uint8Array;
  /** Why the entry is not self-valid, when it is not. */
  readonly problem: string | undefined;
}

const ENTRY_KEYS = [
  'causes',
  'hash',
  'id',
  'payload',
  'prev',
  'run',
  'seq',
  'source',
  'ts',
  'type',
  'type_v',
  'v',
] as const;

function hasExactlyEntryKeys(value: Record<string, unknown>): boolean {
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key)) count++;
  return count === ENTRY_KEYS.length && ENTRY_KEYS.every((key) => Object.hasOwn(value, key));
}
const HEX64_RE = /^[0-9a-f]{64}$/;

function unparsed(line: string, problem: string): AnalyzedEntry {
  return {
    parsed: false,
    seq: -1,
    type: '',
    id: '',
    prev: '',
    storedHash: '',
    actualHash: '',
    canonical: false,
    selfValid: false,
    leafData: sha256(line),
    problem,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Re-derives everything about a stored entry from its text. Never throws: garbage is a finding,
 * not a crash.
 */
export function analyzeEntryLine(line: string): AnalyzedEntry {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return unparsed(line, 'not valid JSON');
  }
  if (!isRecord(value)) return unparsed(line, 'not a JSON object');
  if (!hasExactlyEntryKeys(value)) {
    return unparsed(line, 'unexpected set of entry members');
  }
  const { seq, id, prev, hash, type, v } = value;
  if (
    v !== ENTRY_FORMAT_VERSION ||
    typeof seq !== 'number' ||
    !Number.isSafeInteger(seq) ||
    seq < 0 ||
    typeof id !== 'string' ||
    typeof prev !== 'string' ||
    !HEX64_RE.test(prev) ||
    typeof hash !== 'string' ||
    typeof type !== 'string'
  ) {
    return unparsed(line, 'entry members have the wrong types');
  }
  let members: BodyMembers;
  try {
    members = membersOf({
      causes: value['causes'],
      payload: value['payload'],
      run: value['run'],
      source: value['source'],
      ts: value['ts'],
      type,
      type_v: value['type_v'],
    });
  } catch {
    return unparsed(line, 'content cannot be canonicalised');
  }
  const actualId = EVENT_ID_PREFIX + sha256Hex(bodyText(members));
  const actualHash = sha256Hex(unhashedEntryText(members, id, prev, seq));
  const actualBytes = Buffer.from(actualHash, 'hex');
  const canonical = entryText(members, id, prev, seq, hash) === line;
  const problem =
    actualId !== id
      ? 'content does not match its id'
      : actualHash !== hash
        ? 'entry does not match its hash'
        : canonical
          ? undefined
          : 'entry text is not canonical JSON';
  return {
    parsed: true,
    seq,
    type,
    id,
    prev,
    storedHash: hash,
    actualHash,
    canonical,
    selfValid: problem === undefined,
    leafData: actualBytes,
    problem,
  };
}
