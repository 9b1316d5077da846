/**
 * @module
 * How each pipeline input is recorded: its event type, source, causes and payload. Answers from a
 * venue are caused by the order they answer; market data, timers and state changes come from
 * outside and have no causes. Absent optional fields are left out (canonical JSON has no
 * `undefined`).
 */
import type { Source } from '../core/index.js';
import type { EventRef } from './capture.js';
import type {
  FeedStatusInput,
  FillInput,
  PipelineInput,
  RejectInput,
  SessionStatusInput,
  TickInput,
  Writable,
} from './inputs.js';
import { tickInput, tickPayload } from './tick-events.js';

export interface InputEvent {
  readonly type: string;
  readonly source: Source;
  readonly causes: readonly EventRef[];
  readonly payload: Readonly<Record<string, unknown>>;
}

// Payloads are built member by member, each optional one only when defined (absent members stay
// absent): no entries array per event as copying the defined members costs, and with named stores
// the payloads of one type keep to a few hidden classes (a replay builds a million of them).

function rejectPayload(input: RejectInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.orderId !== undefined) out['order_id'] = input.orderId;
  if (input.venue !== undefined) out['venue'] = input.venue;
  if (input.reason !== undefined) out['reason'] = input.reason;
  if (input.code !== undefined) out['code'] = input.code;
  return out;
}

function fillPayload(input: FillInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.orderId !== undefined) out['order_id'] = input.orderId;
  if (input.venue !== undefined) out['venue'] = input.venue;
  if (input.fillId !== undefined) out['fill_id'] = input.fillId;
  if (input.qtyLots !== undefined) out['qty_lots'] = input.qtyLots;
  if (input.priceTicks !== undefined) out['px'] = input.priceTicks;
  if (input.leavesLots !== undefined) out['leaves_lots'] = input.leavesLots;
  if (input.liquidity !== undefined) out['liquidity'] = input.liquidity;
  if (input.fee !== undefined) out['fee'] = input.fee;
  return out;
}

function feedStatusPayload(input: FeedStatusInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.venue !== undefined) out['venue'] = input.venue;
  if (input.instrument !== undefined) out['instrument'] = input.instrument;
  if (input.status !== undefined) out['status'] = input.status;
  if (input.detail !== undefined) out['detail'] = input.detail;
  if (input.expectedSeq !== undefined) out['expected_seq'] = input.expectedSeq;
  if (input.receivedSeq !== undefined) out['received_seq'] = input.receivedSeq;
  return out;
}

function sessionStatusPayload(input: SessionStatusInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.venue !== undefined) out['venue'] = input.venue;
  if (input.session !== undefined) out['session'] = input.session;
  if (input.status !== undefined) out['status'] = input.status;
  if (input.detail !== undefined) out['detail'] = input.detail;
  return out;
}

/** No causes: one frozen array for every uncaused input. */
const UNCAUSED: readonly EventRef[] = Object.freeze([]);

/**
 * The sources of one node's inputs, one frozen object per adapter and venue: a run has a handful,
 * and a replay would otherwise build (and compare) one per input.
 */
export class InputSources {
  readonly #node: string;
  readonly #byAdapter = new Map<string, Map<string | undefined, Source>>();
  #last: Source | undefined;

  constructor(node: string) {
    this.#node = node;
  }

  of(adapter: string, venue?: string): Source {
    // Inputs come in runs from one place (a venue's ticks): the last answer first.
    const last = this.#last;
    if (last !== undefined && last.adapter === adapter && last.venue === venue) return last;
    const source = this.#lookUp(adapter, venue);
    this.#last = source;
    return source;
  }

  #lookUp(adapter: string, venue: string | undefined): Source {
    let byVenue = this.#byAdapter.get(adapter);
    if (byVenue === undefined) {
      byVenue = new Map();
      this.#byAdapter.set(adapter, byVenue);
    }
    let source = byVenue.get(venue);
    if (source === undefined) {
      source = Object.freeze(
        venue === undefined ? { node: this.#node, adapter } : { node: this.#node, adapter, venue },
      );
      byVenue.set(venue, source);
    }
    return source;
  }
}

/** An answer from a venue's order entry: caused by the order it answers, when known. */
function answer(
  type: string,
  sources: InputSources,
  venue: string,
  orderRef: EventRef | undefined,
  payload: Readonly<Record<string, unknown>>,
): InputEvent {
  return {
    type,
    source: sources.of('order-entry', venue),
    causes: orderRef === undefined ? UNCAUSED : [orderRef],
    payload,
  };
}

/**
 * @param orderRef the order.new event of the order an answer refers to, if the pipeline knows it
 * @param timerFiring the ordinal of this firing of the timer's name (timer inputs only)
 */
export function inputEvent(
  input: PipelineInput,
  sources: InputSources,
  orderRef: EventRef | undefined,
  timerFiring: number,
): InputEvent {
  switch (input.kind) {
    case 'tick':
      return {
        type: 'md.tick',
        source: sources.of(input.adapter, input.venue),
        causes: UNCAUSED,
        payload: tickPayload(input),
      };
    case 'ack':
      return answer('order.ack', sources, input.venue, orderRef, {
        order_id: input.orderId,
        venue: input.venue,
        venue_order_id: input.venueOrderId,
      });
    case 'reject':
      return answer('order.reject', sources, input.venue, orderRef, rejectPayload(input));
    case 'fill':
      return answer('fill', sources, input.venue, orderRef, fillPayload(input));
    case 'cancelled':
      return answer('order.cancelled', sources, input.venue, orderRef, {
        order_id: input.orderId,
        venue: input.venue,
        reason: input.reason,
        cancelled_lots: input.cancelledLots,
      });
    case 'timer':
      return {
        type: 'timer.fire',
        source: sources.of('scheduler'),
        causes: UNCAUSED,
        payload: { timer: input.name, firing: timerFiring },
      };
    case 'feed-status':
      return {
        type: 'feed.status',
        source: sources.of('feed', input.venue),
        causes: UNCAUSED,
        payload: feedStatusPayload(input),
      };
    case 'session-status':
      return {
        type: 'session.status',
        source: sources.of('session', input.venue),
        causes: UNCAUSED,
        payload: sessionStatusPayload(input),
      };
  }
}

/** The event types that record pipeline inputs. */
export const INPUT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'md.tick',
  'order.ack',
  'order.reject',
  'fill',
  'order.cancelled',
  'timer.fire',
  'feed.status',
  'session.status',
]);

function text(payload: Readonly<Record<string, unknown>>, key: string): string {
  const value = payload[key];
  return typeof value === 'string' ? value : '';
}

function count(payload: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = payload[key];
  return typeof value === 'number' ? value : undefined;
}

function maybeText(payload: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = payload[key];
  return typeof value === 'string' ? value : undefined;
}

function tickOf(source: Source, payload: Readonly<Record<string, unknown>>): TickInput {
  return tickInput(
    source.adapter ?? '',
    text(payload, 'venue'),
    text(payload, 'instrument'),
    count(payload, 'bid_px'),
    count(payload, 'bid_qty'),
    count(payload, 'ask_px'),
    count(payload, 'ask_qty'),
    count(payload, 'last_px'),
    count(payload, 'last_qty'),
    count(payload, 'feed_seq'),
  );
}

function rejectOf(payload: Readonly<Record<string, unknown>>): RejectInput {
  const reject: Writable<RejectInput> = {
    kind: 'reject',
    venue: text(payload, 'venue'),
    orderId: text(payload, 'order_id'),
    reason: text(payload, 'reason'),
  };
  const code = maybeText(payload, 'code');
  if (code !== undefined) reject.code = code;
  return reject;
}

function fillOf(payload: Readonly<Record<string, unknown>>): FillInput {
  const fill: Writable<FillInput> = {
    kind: 'fill',
    venue: text(payload, 'venue'),
    orderId: text(payload, 'order_id'),
    fillId: text(payload, 'fill_id'),
    qtyLots: count(payload, 'qty_lots') ?? 0,
    priceTicks: count(payload, 'px') ?? 0,
    leavesLots: count(payload, 'leaves_lots') ?? 0,
    liquidity: payload['liquidity'] === 'maker' ? 'maker' : 'taker',
  };
  const fee = maybeText(payload, 'fee');
  if (fee !== undefined) fill.fee = fee;
  return fill;
}

function feedStatusOf(payload: Readonly<Record<string, unknown>>): FeedStatusInput {
  const status: Writable<FeedStatusInput> = {
    kind: 'feed-status',
    venue: text(payload, 'venue'),
    status: payload['status'] as FeedStatusInput['status'],
  };
  const instrument = maybeText(payload, 'instrument');
  if (instrument !== undefined) status.instrument = instrument;
  const detail = maybeText(payload, 'detail');
  if (detail !== undefined) status.detail = detail;
  const expectedSeq = count(payload, 'expected_seq');
  if (expectedSeq !== undefined) status.expectedSeq = expectedSeq;
  const receivedSeq = count(payload, 'received_seq');
  if (receivedSeq !== undefined) status.receivedSeq = receivedSeq;
  return status;
}

function sessionStatusOf(payload: Readonly<Record<string, unknown>>): SessionStatusInput {
  const status: Writable<SessionStatusInput> = {
    kind: 'session-status',
    venue: text(payload, 'venue'),
    session: text(payload, 'session'),
    status: payload['status'] as SessionStatusInput['status'],
  };
  const detail = maybeText(payload, 'detail');
  if (detail !== undefined) status.detail = detail;
  return status;
}

/**
 * The input a recorded input event carries — the inverse of {@link inputEvent}, so a replay feeds
 * the pipeline exactly what it saw. Payloads come from the ledger, validated by the type registry.
 * Returns undefined for a type that is not an input.
 */
export function inputOfEvent(
  type: string,
  source: Source,
  payload: Readonly<Record<string, unknown>>,
): PipelineInput | undefined {
  switch (type) {
    case 'md.tick':
      return tickOf(source, payload);
    case 'order.ack':
      return {
        kind: 'ack',
        venue: text(payload, 'venue'),
        orderId: text(payload, 'order_id'),
        venueOrderId: text(payload, 'venue_order_id'),
      };
    case 'order.reject':
      return rejectOf(payload);
    case 'fill':
      return fillOf(payload);
    case 'order.cancelled':
      return {
        kind: 'cancelled',
        venue: text(payload, 'venue'),
        orderId: text(payload, 'order_id'),
        reason: text(payload, 'reason'),
        cancelledLots: count(payload, 'cancelled_lots') ?? 0,
      };
    case 'timer.fire':
      return { kind: 'timer', name: text(payload, 'timer') };
    case 'feed.status':
      return feedStatusOf(payload);
    case 'session.status':
      return sessionStatusOf(payload);
    default:
      return undefined;
  }
}
