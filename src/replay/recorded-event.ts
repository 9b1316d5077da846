/**
 * @module
 * The events of a recorded run as a replay reads them, from the ledger's canonical entry texts.
 * RFC 8785 fixes where each member sits (causes, hash, id, payload, prev, run, seq, source, ts,
 * type, type_v, v), so members are cut from the text at those places rather than parsed: the
 * stamps and type at once, the rest when asked for — a replay compares most outputs by id alone
 * and parses the payload of inputs only. A text laid out otherwise is parsed whole instead, with
 * the same result.
 */
import { InputError, type Source } from '../core/index.js';
import type { TickInput } from '../pipeline/index.js';
import { BACKSLASH, CLOSE_BRACKET, COMMA, NINE, QUOTE, ZERO } from './char-codes.js';
import { readTickText, tickInputOf, type TickText } from './tick-text.js';

export interface RecordedEvent {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly run: string;
  readonly wallNs: bigint;
  readonly monoNs: bigint;
  readonly source: Source;
  readonly causes: readonly string[];
  readonly payload: Readonly<Record<string, unknown>>;
  /** The payload schema version and hybrid-clock stamp, where the recording has them. */
  readonly typeV?: number;
  readonly hlc?: string | undefined;
}

function unreadable(line: string, cause?: unknown): InputError {
  return new InputError('INPUT_INVALID_JSON', 'a stored entry is not a readable event', {
    details: { text: line.slice(0, 120) },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Outside text: a SyntaxError becomes our code, never a raw exception. */
function parse<T>(text: string, line: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw unreadable(line, error);
  }
}

/** `"sha256:<64 hex>"`: a cause as our encoder writes it, quotes included. */
const QUOTED_ID_LENGTH = 73;

/**
 * The stamp, type and versions that end every entry, from the `ts` member on:
 * `,"ts":{"hlc":"<wall>.<counter>@<node>","mono_ns":"N","wall_ns":"N"},"type":"T","type_v":N,"v":N}`
 * (the hybrid-clock stamp may be absent or of another form). Matched from a candidate start to the
 * end of the text: only the top-level `ts` member can match so, since anything nested would leave
 * its containers to close before the end.
 */
const TAIL =
  /^,"ts":\{(?:"hlc":"(?:(0|[1-9]\d*)\.(0|[1-9]\d{0,14})@([^"\\]*)|([^"\\]*))",)?"mono_ns":"(0|[1-9]\d*)","wall_ns":"(0|[1-9]\d*)"\},"type":"([^"\\]*)","type_v":(0|[1-9]\d{0,14}),"v":(?:0|[1-9]\d{0,14})\}$/;

/** {@link TAIL} matched in place from `lastIndex`, without cutting the candidate out first. */
const TAIL_AT = new RegExp(TAIL.source.slice(1), 'y');

/** How far from the end of an entry text its `ts` member starts, in logs of ordinary names. */
const TAIL_WINDOW = 320;

/**
 * Parsed sources by their text: a run has a handful of distinct ones, and each event would
 * otherwise cut and parse its own. Looked up by length and two chars, then compared in place.
 * Bounded, so a log of many sources parses the rest one by one.
 */
const SOURCE_CACHE_LIMIT = 256;
interface SourceCache {
  readonly byKey: Map<number, { readonly text: string; readonly source: Source }[]>;
  size: number;
}

function sourceOf(line: string, from: number, to: number, cache: SourceCache | undefined): Source {
  const length = to - from;
  // A small integer, so the lookup hashes no heap number.
  const key =
    ((length & 0x7fff) << 16) |
    ((line.charCodeAt(from + 2) & 0xff) << 8) |
    (line.charCodeAt(to - 3) & 0xff);
  const bucket = cache?.byKey.get(key);
  if (bucket !== undefined) {
    for (const cached of bucket) {
      if (cached.text.length === length && line.startsWith(cached.text, from)) return cached.source;
    }
  }
  const text = line.slice(from, to);
  const source = parse<Source>(text, line);
  if (cache !== undefined && cache.size < SOURCE_CACHE_LIMIT) {
    const entry = { text, source: Object.freeze(source) };
    if (bucket === undefined) cache.byKey.set(key, [entry]);
    else bucket.push(entry);
    cache.size++;
  }
  return source;
}

/**
 * Types seen, by length: a run has a handful, and each event's own copy would have its hash
 * computed again by every set and map that looks it up; the kept copy has it computed once.
 * Found by length and compared as text, so finding one hashes nothing. Bounded.
 */
const typesByLength: string[][] = [];
let typesKept = 0;
const TYPES_LIMIT = 256;

function knownType(type: string): string {
  const bucket = typesByLength[type.length];
  if (bucket !== undefined) for (const known of bucket) if (known === type) return known;
  if (typesKept < TYPES_LIMIT && type.length < 1024) {
    if (bucket === undefined) typesByLength[type.length] = [type];
    else bucket.push(type);
    typesKept++;
  }
  return type;
}

/** The value of `text[from, to)` when it is canonical decimal digits of a safe integer; else -1. */
function smallDigits(text: string, from: number, to: number): number {
  const length = to - from;
  if (length <= 0 || length > 15 || (length > 1 && text.charCodeAt(from) === ZERO)) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    value = value * 10 + (c - ZERO);
  }
  return value;
}

/** Where the causes array of an entry text ends (after its `]`), or -1 when not as we write it. */
function causesEnd(line: string): number {
  if (!line.startsWith('{"causes":[')) return -1;
  let at = 11;
  if (line.charCodeAt(at) === CLOSE_BRACKET) return at + 1;
  // Cause ids have a fixed length: jump from one to the next.
  for (;;) {
    if (line.charCodeAt(at) !== QUOTE || line.charCodeAt(at + QUOTED_ID_LENGTH - 1) !== QUOTE) {
      return -1;
    }
    at += QUOTED_ID_LENGTH;
    const next = line.charCodeAt(at);
    if (next === CLOSE_BRACKET) return at + 1;
    if (next !== COMMA) return -1;
    at++;
  }
}

/** The candidates for the `ts` member, from near the end, that match {@link TAIL}. */
function tailOf(line: string, from: number): { at: number; match: RegExpExecArray } | undefined {
  let at = line.indexOf(',"ts":{', Math.max(from, line.length - TAIL_WINDOW));
  if (at < 0) at = line.lastIndexOf(',"ts":{');
  for (; at >= from; at = line.indexOf(',"ts":{', at + 1)) {
    TAIL_AT.lastIndex = at;
    const match = TAIL_AT.exec(line);
    if (match !== null) return { at, match };
  }
  return undefined;
}

/** What a text not laid out as our encoder writes it gives, parsed whole. */
interface ParsedEntry {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly type_v: number;
  readonly run: string;
  readonly ts: { readonly wall_ns: string; readonly mono_ns: string; readonly hlc?: string };
  readonly source: Source;
  readonly causes: readonly string[];
  readonly payload: Readonly<Record<string, unknown>>;
}

function isEntry(value: unknown): value is ParsedEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<Record<keyof ParsedEntry, unknown>>;
  const object = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
  const ts = e.ts as Partial<Record<string, unknown>> | undefined;
  return (
    typeof e.seq === 'number' &&
    typeof e.id === 'string' &&
    typeof e.type === 'string' &&
    typeof e.type_v === 'number' &&
    typeof e.run === 'string' &&
    object(e.source) &&
    Array.isArray(e.causes) &&
    object(e.payload) &&
    object(ts) &&
    typeof ts?.['wall_ns'] === 'string' &&
    typeof ts['mono_ns'] === 'string' &&
    (ts['hlc'] === undefined || typeof ts['hlc'] === 'string')
  );
}

function parseEntry(line: string): ParsedEntry {
  const entry = parse<unknown>(line, line);
  if (!isEntry(entry)) throw unreadable(line);
  return entry;
}

/**
 * One stored entry. Offsets point into `line`; a getter cuts and parses its member on first use.
 * Internal to the replay: its fast paths compare against the text without building the members.
 */
export class StoredEvent implements RecordedEvent {
  readonly line: string;
  readonly type: string;
  readonly typeV: number;
  readonly wallNs: bigint;
  readonly monoNs: bigint;
  /** Where `sha256:<hex>` starts in the line, or -1 when the line was parsed whole. */
  readonly idAt: number;
  /**
   * The hybrid-clock counter when the stamp reads `<wall_ns>.<counter>@<node>` with the entry's
   * own wall_ns and canonical digits; -1 otherwise (compared as a string then).
   */
  readonly hlcCounter: number;
  readonly #hlcNode: string | undefined;
  #hlc: string | undefined;
  readonly #causesEnd: number;
  readonly #tsAt: number;
  readonly #sources: SourceCache | undefined;
  /** The text parsed whole, when it is not laid out as the ledger writes it. */
  #whole: ParsedEntry | undefined;
  /** Where the payload ends: 0 until the members after it are read (see #readMiddle). */
  #payloadEnd = 0;
  #runAt = 0;
  #runEnd = 0;
  #seq = 0;
  #sourceAt = 0;
  #id: string | undefined;
  #source: Source | undefined;
  #causes: readonly string[] | undefined;
  #payload: Readonly<Record<string, unknown>> | undefined;
  /** The tick read from the text; null when it cannot be (see {@link tick}). */
  #tick: { readonly text: TickText; readonly input: TickInput } | null | undefined;

  constructor(line: string, sources?: SourceCache) {
    this.line = line;
    this.#sources = sources;
    this.#id = undefined;
    this.#source = undefined;
    this.#causes = undefined;
    this.#payload = undefined;
    this.#tick = undefined;
    // `{"causes":[…],"hash":"<64 hex>","id":"sha256:<64 hex>","payload":` at fixed places.
    const end = causesEnd(line);
    const idAt = end + 9 + 64 + 8;
    const tail =
      end > 0 &&
      line.startsWith(',"hash":"', end) &&
      line.startsWith('","id":"sha256:', end + 9 + 64) &&
      line.startsWith('","payload":', idAt + 71)
        ? tailOf(line, idAt + 71 + 12)
        : undefined;
    if (tail === undefined) {
      const entry = parseEntry(line);
      this.#whole = entry;
      this.type = entry.type;
      this.typeV = entry.type_v;
      try {
        this.wallNs = BigInt(entry.ts.wall_ns);
        this.monoNs = BigInt(entry.ts.mono_ns);
      } catch (error) {
        throw unreadable(line, error);
      }
      this.idAt = -1;
      this.hlcCounter = -1;
      this.#hlc = entry.ts.hlc;
      this.#hlcNode = undefined;
      this.#causesEnd = -1;
      this.#tsAt = -1;
      return;
    }
    const { match } = tail;
    const mono = match[5]!;
    const wall = match[6]!;
    this.#whole = undefined;
    this.type = knownType(match[7]!);
    this.typeV = Number(match[8]);
    this.wallNs = BigInt(wall);
    // BigInt of a safe integer costs a fraction of BigInt of its text.
    this.monoNs = mono.length <= 15 ? BigInt(Number(mono)) : BigInt(mono);
    this.idAt = idAt;
    // The stamp is compared as counter and node when its wall part is this entry's wall_ns (and
    // written out only if asked for); kept as text otherwise.
    const ownWall = match[1] === wall;
    this.hlcCounter = ownWall ? Number(match[2]) : -1;
    this.#hlcNode = ownWall ? match[3] : undefined;
    this.#hlc =
      match[1] === undefined || ownWall ? match[4] : `${match[1]}.${match[2]}@${match[3]}`;
    this.#causesEnd = end;
    this.#tsAt = tail.at;
  }

  /**
   * `,"prev":"<64 hex>","run":"<run>","seq":<seq>,"source":` before the stamp, read back from
   * the source's start; false when the text is not so.
   */
  #readMiddle(): boolean {
    const line = this.line;
    const sourceMark = line.lastIndexOf(',"source":{', this.#tsAt);
    let seqAt = sourceMark;
    while (seqAt > 0 && line.charCodeAt(seqAt - 1) >= ZERO && line.charCodeAt(seqAt - 1) <= NINE) {
      seqAt--;
    }
    const seq = smallDigits(line, seqAt, sourceMark);
    const runEnd = seqAt - 7;
    if (seq < 0 || !line.startsWith(',"seq":', runEnd) || line.charCodeAt(runEnd - 1) !== QUOTE) {
      return false;
    }
    const runAt = line.lastIndexOf('"', runEnd - 2);
    const payloadEnd = runAt - 8 - 64 - 9;
    if (
      payloadEnd < this.idAt + 71 + 12 ||
      !line.startsWith('","run":"', runAt - 8) ||
      !line.startsWith(',"prev":"', payloadEnd)
    ) {
      return false;
    }
    for (let i = runAt; i < runEnd; i++) if (line.charCodeAt(i) === BACKSLASH) return false;
    return this.#middleAt(payloadEnd, runAt, runEnd, seq, sourceMark + 10);
  }

  /** Where the members between the payload and the stamp are, once read. */
  #middleAt(
    payloadEnd: number,
    runAt: number,
    runEnd: number,
    seq: number,
    sourceAt: number,
  ): true {
    this.#payloadEnd = payloadEnd;
    this.#runAt = runAt;
    this.#runEnd = runEnd;
    this.#seq = seq;
    this.#sourceAt = sourceAt;
    return true;
  }

  /**
   * {@link #readMiddle} read forwards from where the payload is known to end:
   * `,"prev":"<64 hex>","run":"<run>","seq":<seq>,"source":{…}` up to the stamp.
   */
  #readMiddleFrom(payloadEnd: number): boolean {
    const line = this.line;
    const runAt = payloadEnd + 9 + 64 + 8;
    if (!line.startsWith(',"prev":"', payloadEnd) || !line.startsWith('","run":"', runAt - 8)) {
      return false;
    }
    const runEnd = line.indexOf('"', runAt + 1) + 1;
    if (runEnd <= 0 || !line.startsWith(',"seq":', runEnd)) return false;
    for (let i = runAt + 1; i < runEnd; i++) if (line.charCodeAt(i) === BACKSLASH) return false;
    const seqAt = runEnd + 7;
    let sourceMark = seqAt;
    while (line.charCodeAt(sourceMark) >= ZERO && line.charCodeAt(sourceMark) <= NINE) sourceMark++;
    const seq = smallDigits(line, seqAt, sourceMark);
    if (seq < 0 || !line.startsWith(',"source":{', sourceMark) || sourceMark + 10 >= this.#tsAt) {
      return false;
    }
    return this.#middleAt(payloadEnd, runAt, runEnd, seq, sourceMark + 10);
  }

  /**
   * The tick an md.tick entry records, read from its text (./tick-text.ts) rather than from a
   * parsed payload; undefined when the entry is not laid out so, and {@link payload} then.
   */
  tick(): { readonly text: TickText; readonly input: TickInput } | undefined {
    if (this.#tick === undefined) {
      this.#tick = null;
      if (this.type === 'md.tick' && this.#whole === undefined && this.#payloadEnd === 0) {
        const text = readTickText(this.line, this.idAt + 71 + 12);
        if (text !== undefined && this.#readMiddleFrom(text.end)) {
          this.#tick = { text, input: tickInputOf(text, this.source.adapter ?? '') };
        }
      }
    }
    return this.#tick ?? undefined;
  }

  /** Whether the members are cut from the text; when they cannot be, the text is parsed whole. */
  #inPlace(): boolean {
    if (this.#whole !== undefined) return false;
    if (this.#payloadEnd > 0 || this.#readMiddle()) return true;
    this.#whole = parseEntry(this.line);
    return false;
  }

  get seq(): number {
    return this.#inPlace() ? this.#seq : this.#whole!.seq;
  }

  get id(): string {
    this.#id ??= this.idAt < 0 ? this.#whole!.id : this.line.slice(this.idAt, this.idAt + 71);
    return this.#id;
  }

  /** Whether the entry's id is `id`, without cutting it out. */
  hasId(id: string): boolean {
    if (this.idAt < 0 || this.#id !== undefined) return this.id === id;
    return (
      id.length === 71 &&
      this.line.startsWith(id, this.idAt) &&
      this.line.charCodeAt(this.idAt + 71) === QUOTE
    );
  }

  get run(): string {
    return this.#inPlace() ? this.line.slice(this.#runAt + 1, this.#runEnd - 1) : this.#whole!.run;
  }

  get source(): Source {
    this.#source ??= this.#inPlace()
      ? sourceOf(this.line, this.#sourceAt, this.#tsAt, this.#sources)
      : this.#whole!.source;
    return this.#source;
  }

  /** Whether the entry has no causes, without parsing them. */
  get uncaused(): boolean {
    return this.#causesEnd > 0 ? this.#causesEnd === 12 : this.causes.length === 0;
  }

  get causes(): readonly string[] {
    if (this.#causes === undefined) {
      this.#causes =
        this.#whole !== undefined
          ? this.#whole.causes
          : parse<string[]>(this.line.slice(10, this.#causesEnd), this.line);
    }
    return this.#causes;
  }

  get payload(): Readonly<Record<string, unknown>> {
    this.#payload ??= this.#inPlace()
      ? parse<Record<string, unknown>>(
          this.line.slice(this.idAt + 71 + 12, this.#payloadEnd),
          this.line,
        )
      : this.#whole!.payload;
    return this.#payload;
  }

  get hlc(): string | undefined {
    if (this.#hlc === undefined && this.hlcCounter >= 0) {
      this.#hlc = `${this.wallNs}.${this.hlcCounter}@${this.#hlcNode}`;
    }
    return this.#hlc;
  }

  /**
   * Whether the stamp is `<wall_ns>.<counter>@<node>` for this entry's wall_ns: what the capture
   * formats for a record with these stamps, compared without formatting it.
   */
  hasHlc(counter: number, node: string): boolean {
    if (this.hlcCounter < 0) return this.#hlc === `${this.wallNs}.${counter}@${node}`;
    return this.hlcCounter === counter && this.#hlcNode === node;
  }
}

/**
 * One stored entry text as a recorded event. The ledger has verified the text; this only reads it.
 * @throws INPUT_INVALID_JSON when the text is not an entry.
 */
export function parseRecordedEvent(line: string): RecordedEvent {
  return new StoredEvent(line);
}

/**
 * {@link parseRecordedEvent} for the entries of one long read: events with the same source share
 * its parsed object (a handful of sources make up a run).
 */
export function createRecordedEventParser(): (line: string) => RecordedEvent {
  const sources: SourceCache = { byKey: new Map(), size: 0 };
  return (line) => new StoredEvent(line, sources);
}
