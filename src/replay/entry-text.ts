/**
 * @module
 * Where the members of a stored entry text are, for ./recorded-event.ts: the stamp, type and
 * causes found where RFC 8785 puts them, the source parsed once per distinct text, the type kept
 * once; and the whole parse for a text laid out any other way.
 */
import { InputError, type Source } from '../core/index.js';
import { BACKSLASH, CLOSE_BRACKET, COMMA, NINE, QUOTE, ZERO } from './char-codes.js';

export function unreadable(line: string, cause?: unknown): InputError {
  return new InputError('INPUT_INVALID_JSON', 'a stored entry is not a readable event', {
    details: { text: line.slice(0, 120) },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Outside text: a SyntaxError becomes our code, never a raw exception. */
export function parse<T>(text: string, line: string): T {
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
export interface SourceCache {
  readonly byKey: Map<number, { readonly text: string; readonly source: Source }[]>;
  size: number;
  /** By the number the native scan gives a source's text (./entry-scan.ts). */
  readonly byId: (Source | undefined)[];
}

/**
 * {@link sourceOf} of a source the native scan numbered `id` (-1: not numbered), at `[from, to)` in
 * `text.line`; the text is asked for only for a source not parsed before (see {@link nameById}).
 */
export function sourceById(
  id: number,
  text: { readonly line: string },
  from: number,
  to: number,
  cache: SourceCache | undefined,
): Source {
  if (id < 0 || cache === undefined) return sourceOf(text.line, from, to, cache);
  let source = cache.byId[id];
  if (source === undefined) {
    const line = text.line;
    source = Object.freeze(parse<Source>(line.slice(from, to), line));
    cache.byId[id] = source;
  }
  return source;
}

export function sourceOf(
  line: string,
  from: number,
  to: number,
  cache: SourceCache | undefined,
): Source {
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
 * Names seen (types, nodes, instruments, venues), by length: a run has a handful, and each event's
 * own copy would have its hash computed again by every set and map that looks it up; the kept copy
 * has it computed once. Found by length and compared as text, so finding one hashes nothing.
 * Bounded.
 */
const namesByLength: string[][] = [];
let namesKept = 0;
const NAMES_LIMIT = 256;

function keep(name: string, bucket: string[] | undefined): string {
  if (namesKept < NAMES_LIMIT && name.length < 1024) {
    if (bucket === undefined) namesByLength[name.length] = [name];
    else bucket.push(name);
    namesKept++;
  }
  return name;
}

export function knownType(type: string): string {
  const bucket = namesByLength[type.length];
  if (bucket !== undefined) for (const known of bucket) if (known === type) return known;
  return keep(type, bucket);
}

/** Names by the number the native scan gives them (./entry-scan.ts). */
const namesById: (string | undefined)[] = [];

/**
 * {@link knownNameAt} of a name the native scan numbered `id` (-1: not numbered), at `[from, to)`
 * in `text.line`. The text is asked for only for a name not read before: an entry read in place
 * from a store's bytes makes its line only when asked.
 */
export function nameById(
  id: number,
  text: { readonly line: string },
  from: number,
  to: number,
): string {
  if (id < 0) return knownNameAt(text.line, from, to);
  return (namesById[id] ??= knownNameAt(text.line, from, to));
}

/** {@link knownType} of `line[from, to)`, compared in place: nothing is cut for a name seen. */
export function knownNameAt(line: string, from: number, to: number): string {
  const bucket = namesByLength[to - from];
  if (bucket !== undefined)
    for (const known of bucket) if (line.startsWith(known, from)) return known;
  return keep(line.slice(from, to), bucket);
}

/** The value of `text[from, to)` when it is canonical decimal digits of a safe integer; else -1. */
export function smallDigits(text: string, from: number, to: number): number {
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
export function causesEnd(line: string): number {
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
export function tailOf(
  line: string,
  from: number,
): { at: number; match: RegExpExecArray } | undefined {
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
export interface ParsedEntry {
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

export function parseEntry(line: string): ParsedEntry {
  const entry = parse<unknown>(line, line);
  if (!isEntry(entry)) throw unreadable(line);
  return entry;
}

/**
 * Where the members between an entry's payload and its stamp lie — `,"prev":"<64 hex>",
 * "run":"<run>","seq":<seq>,"source":{` — as the payload's end, the run's quotes, the seq and
 * where the source starts.
 */
export type EntryMiddle = readonly [
  payloadEnd: number,
  runAt: number,
  runEnd: number,
  seq: number,
  sourceAt: number,
];

/**
 * {@link EntryMiddle} read back from the stamp at `tsAt`, the payload starting at `payloadAt`;
 * undefined when the text is not so.
 */
export function middleBefore(
  line: string,
  payloadAt: number,
  tsAt: number,
): EntryMiddle | undefined {
  const sourceMark = line.lastIndexOf(',"source":{', tsAt);
  let seqAt = sourceMark;
  while (seqAt > 0 && line.charCodeAt(seqAt - 1) >= ZERO && line.charCodeAt(seqAt - 1) <= NINE) {
    seqAt--;
  }
  const seq = smallDigits(line, seqAt, sourceMark);
  const runEnd = seqAt - 7;
  if (seq < 0 || !line.startsWith(',"seq":', runEnd) || line.charCodeAt(runEnd - 1) !== QUOTE) {
    return undefined;
  }
  const runAt = line.lastIndexOf('"', runEnd - 2);
  const payloadEnd = runAt - 8 - 64 - 9;
  if (
    payloadEnd < payloadAt ||
    !line.startsWith('","run":"', runAt - 8) ||
    !line.startsWith(',"prev":"', payloadEnd)
  ) {
    return undefined;
  }
  for (let i = runAt; i < runEnd; i++) if (line.charCodeAt(i) === BACKSLASH) return undefined;
  return [payloadEnd, runAt, runEnd, seq, sourceMark + 10];
}

/**
 * {@link EntryMiddle} read forwards from where the payload is known to end, up to the stamp at
 * `tsAt`; undefined when the text is not so.
 */
export function middleAfter(
  line: string,
  payloadEnd: number,
  tsAt: number,
): EntryMiddle | undefined {
  const runAt = payloadEnd + 9 + 64 + 8;
  if (!line.startsWith(',"prev":"', payloadEnd) || !line.startsWith('","run":"', runAt - 8)) {
    return undefined;
  }
  const runEnd = line.indexOf('"', runAt + 1) + 1;
  if (runEnd <= 0 || !line.startsWith(',"seq":', runEnd)) return undefined;
  for (let i = runAt + 1; i < runEnd; i++) if (line.charCodeAt(i) === BACKSLASH) return undefined;
  const seqAt = runEnd + 7;
  let sourceMark = seqAt;
  while (line.charCodeAt(sourceMark) >= ZERO && line.charCodeAt(sourceMark) <= NINE) sourceMark++;
  const seq = smallDigits(line, seqAt, sourceMark);
  if (seq < 0 || !line.startsWith(',"source":{', sourceMark) || sourceMark + 10 >= tsAt) {
    return undefined;
  }
  return [payloadEnd, runAt, runEnd, seq, sourceMark + 10];
}
