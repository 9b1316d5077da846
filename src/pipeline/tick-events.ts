/**
 * @module
 * A tick as the pipeline records it, reads it back and hands it to the strategy. Ticks are most
 * of a run's inputs, so each of these is built in one object literal when the tick is a plain
 * quote — two-sided, with a feed sequence, no trade: nearly every tick — and member by member, each
 * optional one only when defined, otherwise. An object built member by member outgrows the room it
 * was given and its members move to a second allocation; a literal names them all at once.
 */
import type { Source } from '../core/index.js';
import type { EventRef } from './capture.js';
import type { RecordedInput, TickInput, Writable } from './inputs.js';

/** Whether a tick with these numeric members is a plain quote (see the module's comment). */
function isPlainQuote(
  bidPx: number | undefined,
  bidQty: number | undefined,
  askPx: number | undefined,
  askQty: number | undefined,
  lastPx: number | undefined,
  lastQty: number | undefined,
  feedSeq: number | undefined,
): boolean {
  return (
    bidPx !== undefined &&
    bidQty !== undefined &&
    askPx !== undefined &&
    askQty !== undefined &&
    feedSeq !== undefined &&
    lastPx === undefined &&
    lastQty === undefined
  );
}

function isPlainQuoteTick(tick: TickInput): boolean {
  return isPlainQuote(
    tick.bidPx,
    tick.bidQty,
    tick.askPx,
    tick.askQty,
    tick.lastPx,
    tick.lastQty,
    tick.feedSeq,
  );
}

/** The md.tick payload of a tick: its members under their recorded names, absent ones absent. */
export function tickPayload(input: TickInput): Record<string, unknown> {
  if (isPlainQuoteTick(input)) {
    return {
      instrument: input.instrument,
      venue: input.venue,
      bid_px: input.bidPx,
      bid_qty: input.bidQty,
      ask_px: input.askPx,
      ask_qty: input.askQty,
      feed_seq: input.feedSeq,
    };
  }
  const out: Record<string, unknown> = {};
  if (input.instrument !== undefined) out['instrument'] = input.instrument;
  if (input.venue !== undefined) out['venue'] = input.venue;
  if (input.bidPx !== undefined) out['bid_px'] = input.bidPx;
  if (input.bidQty !== undefined) out['bid_qty'] = input.bidQty;
  if (input.askPx !== undefined) out['ask_px'] = input.askPx;
  if (input.askQty !== undefined) out['ask_qty'] = input.askQty;
  if (input.lastPx !== undefined) out['last_px'] = input.lastPx;
  if (input.lastQty !== undefined) out['last_qty'] = input.lastQty;
  if (input.feedSeq !== undefined) out['feed_seq'] = input.feedSeq;
  return out;
}

/** A tick of these members; the numeric ones absent where undefined. */
export function tickInput(
  adapter: string,
  venue: string,
  instrument: string,
  bidPx: number | undefined,
  bidQty: number | undefined,
  askPx: number | undefined,
  askQty: number | undefined,
  lastPx: number | undefined,
  lastQty: number | undefined,
  feedSeq: number | undefined,
): TickInput {
  if (isPlainQuote(bidPx, bidQty, askPx, askQty, lastPx, lastQty, feedSeq)) {
    return {
      kind: 'tick',
      venue,
      instrument,
      adapter,
      bidPx: bidPx!,
      bidQty: bidQty!,
      askPx: askPx!,
      askQty: askQty!,
      feedSeq: feedSeq!,
    };
  }
  const tick: Writable<TickInput> = { kind: 'tick', venue, instrument, adapter };
  // Optional members stay absent, as the recorded payload has them.
  if (bidPx !== undefined) tick.bidPx = bidPx;
  if (bidQty !== undefined) tick.bidQty = bidQty;
  if (askPx !== undefined) tick.askPx = askPx;
  if (askQty !== undefined) tick.askQty = askQty;
  if (lastPx !== undefined) tick.lastPx = lastPx;
  if (lastQty !== undefined) tick.lastQty = lastQty;
  if (feedSeq !== undefined) tick.feedSeq = feedSeq;
  return tick;
}

/** A tick payload whose members have a tick's types, as one read from an entry text has them. */
export interface TickPayloadValues {
  readonly ask_px: number | undefined;
  readonly ask_qty: number | undefined;
  readonly bid_px: number | undefined;
  readonly bid_qty: number | undefined;
  readonly feed_seq: number | undefined;
  readonly instrument: string | undefined;
  readonly last_px: number | undefined;
  readonly last_qty: number | undefined;
  readonly venue: string | undefined;
}

/**
 * `inputOfEvent` of an md.tick whose payload members are known to have their types (a replay
 * reads them so from the entry text): the same tick, without asking each member its type.
 */
export function tickOfValues(source: Source, values: TickPayloadValues): TickInput {
  return tickInput(
    source.adapter ?? '',
    values.venue ?? '',
    values.instrument ?? '',
    values.bid_px,
    values.bid_qty,
    values.ask_px,
    values.ask_qty,
    values.last_px,
    values.last_qty,
    values.feed_seq,
  );
}

/**
 * `{ ref, monoNs, wallNs, ...tick }`: a plain quote written out in one literal, which costs less
 * than the spread's generic copy; any other tick through the spread.
 */
export function recordedTick(
  tick: TickInput,
  ref: EventRef,
  monoNs: bigint,
  wallNs: bigint,
): RecordedInput {
  if (!isPlainQuoteTick(tick)) return { ref, monoNs, wallNs, ...tick };
  return {
    ref,
    monoNs,
    wallNs,
    kind: 'tick',
    venue: tick.venue,
    instrument: tick.instrument,
    adapter: tick.adapter,
    bidPx: tick.bidPx!,
    bidQty: tick.bidQty!,
    askPx: tick.askPx!,
    askQty: tick.askQty!,
    feedSeq: tick.feedSeq!,
  };
}
