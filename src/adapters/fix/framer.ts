/**
 * @module
 * Cuts a TCP byte stream into FIX messages. A frame is `8=FIX…SOH 9=<n>SOH`, n body bytes, then
 * `10=ddd SOH`. Bytes that cannot start a frame are skipped up to the next `8=FIX` and reported as
 * one `garbled` event, never thrown: FIX 4.4 session rules ignore garbled messages rather than
 * disconnect. When BodyLength does not point at the trailer, the frame runs to the next
 * `SOH 10=…SOH` (as QuickFIX frames it, so a too-long BodyLength swallows the message after it) and
 * that whole span is one `garbled` event. Checksums are left to decodeFixMessage. Events depend
 * only on the bytes, not on how they were chunked.
 */
import type { InputError } from '../../core/index.js';
import { SOH } from './codec.js';
import { fixError } from './message.js';

export type FramerEvent =
  | { readonly type: 'message'; readonly bytes: Uint8Array }
  | { readonly type: 'garbled'; readonly skippedBytes: number; readonly error: InputError };

export interface FixFramerOptions {
  /** Largest BodyLength (9) accepted; larger claims are treated as garbled. */
  readonly maxBodyBytes?: number;
}

const START = new TextEncoder().encode('8=FIX');
const BODY_LENGTH_PREFIX = new TextEncoder().encode('9=');
const CHECKSUM_PREFIX = new TextEncoder().encode('10=');
/** A BeginString field longer than this is not FIX. */
const MAX_BEGIN_STRING_BYTES = 32;
const MAX_BODY_LENGTH_DIGITS = 9;
const TRAILER_BYTES = 7; // "10=ddd" + SOH

type Parse =
  | { readonly kind: 'frame'; readonly end: number }
  | { readonly kind: 'bad-frame'; readonly end: number; readonly error: InputError }
  | { readonly kind: 'wait' }
  | { readonly kind: 'garbled'; readonly error: InputError };

const WAIT: Parse = { kind: 'wait' };
const EMPTY = new Uint8Array(0);
/** SOH then "10=": where a trailer starts. */
const TRAILER_START = new TextEncoder().encode('\x0110=');

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/** Whether `bytes` at `at` agrees with `pattern` as far as both go. */
function agrees(bytes: Uint8Array, at: number, pattern: Uint8Array): boolean {
  for (let i = 0; i < pattern.length && at + i < bytes.length; i++) {
    if (bytes[at + i] !== pattern[i]) return false;
  }
  return true;
}

export class FixFramer {
  readonly #maxBodyBytes: number;
  #buffer: Uint8Array = new Uint8Array(0);
  #skipped = 0;
  #skipError: InputError | undefined;

  constructor(options: FixFramerOptions = {}) {
    this.#maxBodyBytes = options.maxBodyBytes ?? 1 << 20;
  }

  /** Feeds one chunk; returns the events it completes, in stream order. */
  push(chunk: Uint8Array): FramerEvent[] {
    if (this.#buffer.length === 0) {
      this.#buffer = chunk;
    } else {
      const joined = new Uint8Array(this.#buffer.length + chunk.length);
      joined.set(this.#buffer, 0);
      joined.set(chunk, this.#buffer.length);
      this.#buffer = joined;
    }

    const events: FramerEvent[] = [];
    let pos = 0;
    for (;;) {
      const start = this.#findStart(pos);
      this.#skip(start - pos, 'no "8=FIX" message start');
      pos = start;
      if (pos >= this.#buffer.length) break;
      const parse = this.#parseAt(pos);
      if (parse.kind === 'wait') break;
      if (parse.kind === 'garbled') {
        this.#skip(1, parse.error);
        pos += 1;
        continue;
      }
      this.#flushSkipped(events);
      if (parse.kind === 'bad-frame') {
        events.push({ type: 'garbled', skippedBytes: parse.end - pos, error: parse.error });
        pos = parse.end;
        continue;
      }
      events.push({ type: 'message', bytes: this.#buffer.slice(pos, parse.end) });
      pos = parse.end;
    }
    this.#buffer = pos >= this.#buffer.length ? EMPTY : this.#buffer.slice(pos);
    return events;
  }

  /** Ends the stream: whatever is buffered or skipped is reported as garbled. */
  end(): FramerEvent[] {
    this.#skip(this.#buffer.length, 'stream ended inside a message');
    this.#buffer = new Uint8Array(0);
    const events: FramerEvent[] = [];
    this.#flushSkipped(events);
    return events;
  }

  /** The first offset ≥ from where "8=FIX" starts or could start once more bytes arrive. */
  #findStart(from: number): number {
    const buf = this.#buffer;
    for (let i = from; i < buf.length; i++) {
      if (buf[i] === START[0] && agrees(buf, i, START)) return i;
    }
    return buf.length;
  }

  #skip(count: number, reason: string | InputError): void {
    if (count <= 0) return;
    this.#skipped += count;
    this.#skipError ??= typeof reason === 'string' ? fixError('FIX_GARBLED', reason) : reason;
  }

  #flushSkipped(events: FramerEvent[]): void {
    if (this.#skipped === 0 || this.#skipError === undefined) return;
    events.push({ type: 'garbled', skippedBytes: this.#skipped, error: this.#skipError });
    this.#skipped = 0;
    this.#skipError = undefined;
  }

  #parseAt(start: number): Parse {
    const buf = this.#buffer;
    if (buf.length - start < START.length) return WAIT;
    const beginEnd = buf.indexOf(SOH, start);
    if (beginEnd < 0 || beginEnd - start > MAX_BEGIN_STRING_BYTES) {
      return beginEnd < 0 && buf.length - start <= MAX_BEGIN_STRING_BYTES
        ? WAIT
        : { kind: 'garbled', error: fixError('FIX_GARBLED', 'BeginString (8) is not terminated') };
    }
    const lengthAt = beginEnd + 1;
    if (!agrees(buf, lengthAt, BODY_LENGTH_PREFIX)) {
      return {
        kind: 'garbled',
        error: fixError('FIX_MISSING_TAG', 'BodyLength (9) must follow BeginString', { tag: 9 }),
      };
    }
    let i = lengthAt + BODY_LENGTH_PREFIX.length;
    let bodyLength = 0;
    const digitsAt = i;
    while (isDigit(buf[i]) && i - digitsAt < MAX_BODY_LENGTH_DIGITS) {
      bodyLength = bodyLength * 10 + (buf[i++] ?? 0) - 0x30;
    }
    if (i >= buf.length) return WAIT;
    if (i === digitsAt || buf[i] !== SOH || bodyLength > this.#maxBodyBytes) {
      return {
        kind: 'garbled',
        error: fixError('FIX_BAD_BODY_LENGTH', 'BodyLength (9) is malformed or too large', {
          tag: 9,
        }),
      };
    }
    const trailerAt = i + 1 + bodyLength;
    const end = trailerAt + TRAILER_BYTES;
    if (buf.length < end) return WAIT;
    const trailerOk =
      buf[trailerAt - 1] === SOH &&
      agrees(buf, trailerAt, CHECKSUM_PREFIX) &&
      isDigit(buf[trailerAt + 3]) &&
      isDigit(buf[trailerAt + 4]) &&
      isDigit(buf[trailerAt + 5]) &&
      buf[trailerAt + 6] === SOH;
    if (trailerOk) return { kind: 'frame', end };
    const error = fixError('FIX_BAD_BODY_LENGTH', 'no CheckSum (10) where BodyLength (9) points', {
      tag: 9,
      actual: bodyLength,
    });
    const found = this.#findTrailerEnd(trailerAt - 1);
    if (found === 'wait') return WAIT;
    return found === undefined
      ? { kind: 'garbled', error }
      : { kind: 'bad-frame', end: found, error };
  }

  /**
   * The offset just past the first `SOH 10=…SOH` at or after `from`, searched within
   * maxBodyBytes so that the answer depends on the bytes only: 'wait' while the window is not all
   * buffered, undefined when it holds no trailer.
   */
  #findTrailerEnd(from: number): number | 'wait' | undefined {
    const buf = this.#buffer;
    const limit = from + this.#maxBodyBytes;
    for (let at = buf.indexOf(SOH, from); at >= 0 && at < limit; at = buf.indexOf(SOH, at + 1)) {
      if (at + TRAILER_START.length > buf.length) return 'wait';
      if (!agrees(buf, at, TRAILER_START)) continue;
      const soh = buf.indexOf(SOH, at + TRAILER_START.length);
      return soh < 0 ? 'wait' : soh + 1;
    }
    return buf.length < limit ? 'wait' : undefined;
  }
}
