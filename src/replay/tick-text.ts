/**
 * @module
 * The md.tick payload of an entry text read straight into the pipeline's tick, without parsing it
 * into a payload object first: ticks are most of a recorded run, and a replay reads each one once.
 * Only the layout RFC 8785 gives a tick payload is read — members in sorted order among the nine
 * a tick has, prices and quantities as canonical safe integers, names as strings with nothing
 * escaped. Anything else (a member the tick does not have, a fraction, an escape) is left to the
 * general path, which parses the payload and decides as before. What is read here goes to
 * `tickOfValues`, and gives the tick `inputOfEvent` gives from the payload `JSON.parse` reads.
 */
import type { TickInput, TickPayloadValues } from '../pipeline/index.js';
import {
  BACKSLASH,
  CLOSE_BRACE,
  COMMA,
  MINUS,
  NINE,
  OPEN_BRACE,
  QUOTE,
  ZERO,
} from './char-codes.js';

/** A tick payload's members; absent ones undefined. */
type TickMembers = { -readonly [K in keyof TickPayloadValues]: TickPayloadValues[K] };

/** A tick payload read from an entry text. */
export interface TickText {
  readonly payload: Readonly<TickMembers>;
  /** Members the payload has. */
  readonly members: number;
  /** Where the payload ends in the text (after its `}`). */
  readonly end: number;
}

/** The members of a tick payload in RFC 8785 order, each with the prefix it is written with. */
const MEMBERS = [
  ['ask_px', 'int'],
  ['ask_qty', 'int'],
  ['bid_px', 'int'],
  ['bid_qty', 'int'],
  ['feed_seq', 'int'],
  ['instrument', 'text'],
  ['last_px', 'int'],
  ['last_qty', 'int'],
  ['venue', 'text'],
] as const;
const PREFIXES = MEMBERS.map(([name]) => `"${name}":`);
const INSTRUMENT = 5;
const VENUE = 8;

/**
 * The value of the canonical safe integer starting at `at`, its end left in {@link scanned};
 * NaN when there is none there (a fraction, an exponent or a leading zero is none).
 */
function integerAt(line: string, at: number): number {
  let i = at;
  const negative = line.charCodeAt(i) === MINUS;
  if (negative) i++;
  const first = i;
  let value = 0;
  for (; ; i++) {
    const c = line.charCodeAt(i);
    if (!(c >= ZERO && c <= NINE)) break;
    value = value * 10 + (c - ZERO);
  }
  const digits = i - first;
  scanned = i;
  // Exact while it is safe; past 2^53 it only rounds upwards, so the bound still tells.
  if (digits === 0 || digits > 16 || value > Number.MAX_SAFE_INTEGER) return NaN;
  if (line.charCodeAt(first) === ZERO && (digits > 1 || negative)) return NaN;
  return negative ? -value : value;
}

/** The plain string starting at `at` (its opening quote), its end in {@link scanned}; undefined when it has an escape. */
function plainStringAt(line: string, at: number): string | undefined {
  if (line.charCodeAt(at) !== QUOTE) return undefined;
  // Names are short: a loop of our own beats two searches.
  for (let i = at + 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      scanned = i + 1;
      return line.slice(at + 1, i);
    }
    if (c === BACKSLASH) return undefined;
  }
  return undefined;
}

/** Whether `prefix` is in `line` at `at` (a loop of our own: the prefixes are a few chars). */
function hasAt(line: string, at: number, prefix: string): boolean {
  if (at + prefix.length > line.length) return false;
  for (let k = 0; k < prefix.length; k++) {
    if (line.charCodeAt(at + k) !== prefix.charCodeAt(k)) return false;
  }
  return true;
}

/** Where the last value read ends. */
let scanned = 0;

/**
 * The tick payload starting at `at` (its `{`); undefined when it is not laid out as a tick's
 * canonical text.
 */
export function readTickText(line: string, at: number): TickText | undefined {
  if (line.charCodeAt(at) !== OPEN_BRACE) return undefined;
  // Every member named from the start: one shape for every tick read.
  const values: TickMembers = {
    ask_px: undefined,
    ask_qty: undefined,
    bid_px: undefined,
    bid_qty: undefined,
    feed_seq: undefined,
    instrument: undefined,
    last_px: undefined,
    last_qty: undefined,
    venue: undefined,
  };
  let members = 0;
  let i = at + 1;
  let next = 0;
  if (line.charCodeAt(i) !== CLOSE_BRACE) {
    for (;;) {
      while (next < PREFIXES.length && !hasAt(line, i, PREFIXES[next]!)) next++;
      if (next === PREFIXES.length) return undefined;
      const valueAt = i + PREFIXES[next]!.length;
      if (next === INSTRUMENT || next === VENUE) {
        const text = plainStringAt(line, valueAt);
        if (text === undefined) return undefined;
        if (next === INSTRUMENT) values.instrument = text;
        else values.venue = text;
      } else {
        const value = integerAt(line, valueAt);
        if (Number.isNaN(value)) return undefined;
        switch (next) {
          case 0:
            values.ask_px = value;
            break;
          case 1:
            values.ask_qty = value;
            break;
          case 2:
            values.bid_px = value;
            break;
          case 3:
            values.bid_qty = value;
            break;
          case 4:
            values.feed_seq = value;
            break;
          case 6:
            values.last_px = value;
            break;
          default:
            values.last_qty = value;
        }
      }
      members++;
      next++;
      const end = scanned;
      const after = line.charCodeAt(end);
      if (after === CLOSE_BRACE) {
        i = end;
        break;
      }
      if (after !== COMMA) return undefined;
      i = end + 1;
    }
  }
  return { payload: values, members, end: i + 1 };
}

/** Which of the nine members a tick payload has, as bits in TICK_MEMBERS order (ask_px first). */
export function tickMemberMask(values: TickPayloadValues): number {
  return (
    (values.ask_px === undefined ? 0 : 1) |
    (values.ask_qty === undefined ? 0 : 2) |
    (values.bid_px === undefined ? 0 : 4) |
    (values.bid_qty === undefined ? 0 : 8) |
    (values.feed_seq === undefined ? 0 : 16) |
    (values.instrument === undefined ? 0 : 32) |
    (values.last_px === undefined ? 0 : 64) |
    (values.last_qty === undefined ? 0 : 128) |
    (values.venue === undefined ? 0 : 256)
  );
}

/**
 * Whether `payload` (what a replayed pipeline recorded for a tick) is, member for member, the
 * payload a tick was read from: `tick` as read (see tickInput), which of the members the payload
 * had (`mask`, see {@link tickMemberMask}) and how many (`members`). So its RFC 8785 text is that
 * entry's.
 */
export function isTickPayloadOf(
  payload: Readonly<Record<string, unknown>>,
  tick: TickInput,
  mask: number,
  members: number,
): boolean {
  // Member by member under their names (no load keyed by a string per member), then the count:
  // equal members plus as many own members as the recorded payload has leave none besides. The
  // tick has the numeric members the payload had, and no others; its instrument and venue are
  // '' for a payload without them.
  if (
    payload['ask_px'] !== tick.askPx ||
    payload['ask_qty'] !== tick.askQty ||
    payload['bid_px'] !== tick.bidPx ||
    payload['bid_qty'] !== tick.bidQty ||
    payload['feed_seq'] !== tick.feedSeq ||
    payload['instrument'] !== ((mask & 32) === 0 ? undefined : tick.instrument) ||
    payload['last_px'] !== tick.lastPx ||
    payload['last_qty'] !== tick.lastQty ||
    payload['venue'] !== ((mask & 256) === 0 ? undefined : tick.venue)
  ) {
    return false;
  }
  let count = 0;
  for (const key in payload) if (Object.hasOwn(payload, key)) count++;
  return count === members;
}
