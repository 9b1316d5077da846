/**
 * Encoding of log entries (the analysis of stored entry text that verification runs on is in
 * ./entry-analysis.ts, built on the member texts exported here).
 *
 * An entry's canonical JSON (RFC 8785) is an object whose members sort as
 * causes, hash, id, payload, prev, run, seq, source, ts, type, type_v, v; its body (what the id
 * covers) is the subset causes, payload, run, source, ts, type, type_v. Each member value is
 * canonicalised once into the body text, and the entry without hash and the entry are cut from it:
 * its members lie in three runs (causes | payload | run | source … type_v) around the members the
 * body lacks. Byte-identical to canonicalising each object whole (pinned by tests), at a fraction
 * of the cost.
 */
import { sha256Hex, sha256HexOfRange } from '../bytes.js';
import { canonicalize } from '../canonical/index.js';
import type { EventBody, Timestamp } from '../events/envelope.js';
import { ENTRY_FORMAT_VERSION, GENESIS_PREV } from '../events/envelope.js';
import { EVENT_ID_PREFIX, type EventId } from '../events/primitives.js';

/** The nanosecond timestamp in its wire form. */
export function toWireTimestamp(ts: Timestamp): { wall_ns: string; mono_ns: string; hlc?: string } {
  const wire: { wall_ns: string; mono_ns: string; hlc?: string } = {
    wall_ns: ts.wall_ns.toString(),
    mono_ns: ts.mono_ns.toString(),
  };
  if (ts.hlc !== undefined) wire.hlc = ts.hlc;
  return wire;
}

/** The canonical text of each member of an entry's body. */
export interface BodyMembers {
  readonly causes: string;
  readonly payload: string;
  readonly run: string;
  readonly source: string;
  readonly ts: string;
  readonly type: string;
  readonly typeV: string;
}

export function bodyText(m: BodyMembers): string {
  return `{"causes":${m.causes},"payload":${m.payload},"run":${m.run},"source":${m.source},"ts":${m.ts},"type":${m.type},"type_v":${m.typeV}}`;
}

export function unhashedEntryText(m: BodyMembers, id: string, prev: string, seq: number): string {
  return `{"causes":${m.causes},"id":"${id}","payload":${m.payload},"prev":"${prev}","run":${m.run},"seq":${seq},"source":${m.source},"ts":${m.ts},"type":${m.type},"type_v":${m.typeV},"v":${ENTRY_FORMAT_VERSION}}`;
}

export function entryText(
  m: BodyMembers,
  id: string,
  prev: string,
  seq: number,
  hash: string,
): string {
  return `{"causes":${m.causes},"hash":"${hash}","id":"${id}","payload":${m.payload},"prev":"${prev}","run":${m.run},"seq":${seq},"source":${m.source},"ts":${m.ts},"type":${m.type},"type_v":${m.typeV},"v":${ENTRY_FORMAT_VERSION}}`;
}

export function membersOf(body: {
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

/** Content id of a body: `sha256:` + hex SHA-256 of its canonical JSON. */
export function computeEventId(body: EventBody): EventId {
  return encodeBody(body).id as EventId;
}

/** Content id of a body given as its canonical JSON text (see {@link EncodedBody}'s `text`). */
export function eventIdOfBodyText(text: string): EventId {
  return (EVENT_ID_PREFIX + sha256Hex(text)) as EventId;
}

/**
 * The body text (see {@link EncodedBody}) an entry text laid out as the ledger writes it holds:
 * its members in two runs (causes | payload … run | source ts type type_v) around the members the
 * body lacks, cut out and joined. The offsets are where the entry's members begin: `,"payload":`,
 * `,"prev":"`, `,"seq":` and `,"source":`, with `causesEnd` just past the causes' `]`. Undefined
 * when the text does not end as an entry does.
 */
export function bodyTextInEntry(
  line: string,
  causesEnd: number,
  payloadAt: number,
  prevAt: number,
  seqAt: number,
  sourceAt: number,
): string | undefined {
  if (!line.endsWith(ENTRY_END)) return undefined;
  // `,"prev":"` and 64 hex digits and `"` lie between the payload and `,"run":`.
  const run = line.slice(prevAt + 74, seqAt);
  const rest = line.slice(sourceAt, line.length - ENTRY_END.length);
  return `${line.slice(0, causesEnd)}${line.slice(payloadAt, prevAt)}${run}${rest}}`;
}

/**
 * The wire form of a timestamp, canonical: members hlc < mono_ns < wall_ns, nanoseconds as
 * decimal strings (their digits never need escaping). Anything but bigint nanoseconds and a plain
 * hlc string takes the general path, which also raises the errors.
 */
function timestampText(ts: Timestamp): string {
  const { wall_ns: wall, mono_ns: mono, hlc } = ts;
  if (typeof wall !== 'bigint' || typeof mono !== 'bigint') {
    return canonicalize(toWireTimestamp(ts));
  }
  const tail = `"mono_ns":"${mono.toString()}","wall_ns":"${wall.toString()}"}`;
  if (hlc === undefined) return '{' + tail;
  return typeof hlc === 'string'
    ? `{"hlc":${canonicalize(hlc)},${tail}`
    : canonicalize(toWireTimestamp(ts));
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

/**
 * A body canonicalised once, with its content id: ready to be sealed at any position. `text` is
 * `{"causes":…,"payload":…,"run":…,"source":…,"ts":…,"type":…,"type_v":…}`; the offsets are
 * where `,"payload":`, `,"run":` and `,"source":` begin in it.
 */
export interface EncodedBody {
  readonly id: string;
  readonly type: string;
  readonly run: string;
  readonly text: string;
  readonly payloadAt: number;
  readonly runAt: number;
  readonly sourceAt: number;
}

export function encodeBody(body: EventBody): EncodedBody {
  const causes = canonicalize(body.causes);
  const payload = canonicalize(body.payload);
  const run = canonicalize(body.run);
  const rest = `,"source":${canonicalize(body.source)},"ts":${timestampText(body.ts)},"type":${canonicalize(body.type)},"type_v":${canonicalize(body.type_v)}}`;
  const text = `{"causes":${causes},"payload":${payload},"run":${run}${rest}`;
  const payloadAt = 10 + causes.length;
  const runAt = payloadAt + 11 + payload.length;
  return {
    // Hashing flattens `text`, so the entry texts below are cut from one flat string.
    id: eventIdOfBodyText(text),
    type: body.type,
    run: body.run,
    text,
    payloadAt,
    runAt,
    sourceAt: runAt + 7 + run.length,
  };
}

const ENTRY_END = `,"v":${ENTRY_FORMAT_VERSION}}`;

/** Gives an encoded body its position and chain link. */
export function sealEncoded(encoded: EncodedBody, seq: number, prev: string): SealedEntry {
  const { text, id, payloadAt, runAt, sourceAt } = encoded;
  const unhashed = `${text.slice(0, payloadAt)},"id":"${id}"${text.slice(payloadAt, runAt)},"prev":"${prev}"${text.slice(runAt, sourceAt)},"seq":${seq}${text.slice(sourceAt, text.length - 1)}${ENTRY_END}`;
  const hash = sha256Hex(unhashed);
  // Hashing flattened `unhashed`; the line is cut from it rather than assembled from the pieces
  // again, which would leave a rope for the store to walk once more.
  const line = `${unhashed.slice(0, payloadAt)},"hash":"${hash}"${unhashed.slice(payloadAt)}`;
  return new Sealed(seq, id, encoded.type, encoded.run, prev, hash, line);
}

/**
 * An entry sealed but for its chain link, for a store that keeps the chain: the entry text
 * without its hash, with 64 zeros in place of `prev` (at `prevAt`), and where its hash member goes
 * (`hashAt`: the end of `causes`). The store links it to its own head with
 * {@link linkEntryInPlace}, which gives the bytes {@link sealEncoded} would have.
 */
export interface UnlinkedEntry {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly run: string;
  readonly unhashed: string;
  /** Char offsets in `unhashed` (the text before `prevAt` may hold non-ASCII payload text). */
  readonly hashAt: number;
  readonly prevAt: number;
}

export function unlinkEncoded(encoded: EncodedBody, seq: number): UnlinkedEntry {
  const { text, id, payloadAt, runAt, sourceAt } = encoded;
  const beforePrev = `${text.slice(0, payloadAt)},"id":"${id}"${text.slice(payloadAt, runAt)},"prev":"`;
  const unhashed = `${beforePrev}${GENESIS_PREV}"${text.slice(runAt, sourceAt)},"seq":${seq}${text.slice(sourceAt, text.length - 1)}${ENTRY_END}`;
  return {
    seq,
    id,
    type: encoded.type,
    run: encoded.run,
    unhashed,
    hashAt: payloadAt,
    prevAt: beforePrev.length,
  };
}

/** `,"hash":"<64 hex>"`: what sealing inserts into an entry text, in bytes. */
export const HASH_MEMBER_BYTES = 74;
const HASH_MEMBER_OPEN = Buffer.from(',"hash":"', 'latin1');
const QUOTE = 0x22;

/**
 * Links an unlinked entry's UTF-8 bytes to `prev` and seals it, in place: `bytes[at, end)` holds
 * {@link HASH_MEMBER_BYTES} bytes of room followed by the entry's unhashed text, whose `prev`
 * digits are at byte `prevAt` of the text and whose hash member goes at byte `hashAt`. Afterwards
 * `bytes[at, end)` is the entry's line, byte for byte what {@link sealEncoded} gives. Returns the
 * entry's hash (hex).
 */
export function linkEntryInPlace(
  bytes: Buffer,
  at: number,
  end: number,
  hashAt: number,
  prevAt: number,
  prev: string,
): string {
  const text = at + HASH_MEMBER_BYTES;
  bytes.write(prev, text + prevAt, 64, 'latin1');
  const hash = sha256HexOfRange(bytes, text, end);
  // The causes move into the room, and the hash member takes their place before the id.
  bytes.copyWithin(at, text, text + hashAt);
  const member = at + hashAt;
  bytes.set(HASH_MEMBER_OPEN, member);
  bytes.write(hash, member + HASH_MEMBER_OPEN.length, 64, 'latin1');
  bytes[member + HASH_MEMBER_BYTES - 1] = QUOTE;
  return hash;
}

/** A sealed entry; the raw hash is decoded only when asked for (the ledger hashes from hex). */
class Sealed implements SealedEntry {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly run: string;
  readonly prev: string;
  readonly hash: string;
  readonly line: string;
  #hashBytes: Uint8Array | undefined;

  constructor(
    seq: number,
    id: string,
    type: string,
    run: string,
    prev: string,
    hash: string,
    line: string,
  ) {
    this.seq = seq;
    this.id = id;
    this.type = type;
    this.run = run;
    this.prev = prev;
    this.hash = hash;
    this.line = line;
  }

  get hashBytes(): Uint8Array {
    return (this.#hashBytes ??= Buffer.from(this.hash, 'hex'));
  }
}

/** Gives a validated body its position and chain link. */
export function sealEntry(body: EventBody, seq: number, prev: string): SealedEntry {
  return sealEncoded(encodeBody(body), seq, prev);
}
