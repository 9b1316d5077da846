/**
 * @module
 * How each pipeline input is recorded: its event type, source, causes and payload. Answers from a
 * venue are caused by the order they answer; market data, timers and state changes come from
 * outside and have no causes. Absent optional fields are left out (canonical JSON has no
 * `undefined`).
 */
import type { Source } from '../core/index.js';
import type { EventRef } from './capture.js';
import type { FeedStatusInput, PipelineInput, SessionStatusInput } from './inputs.js';

export interface InputEvent {
  readonly type: string;
  readonly source: Source;
  readonly causes: readonly EventRef[];
  readonly payload: Readonly<Record<string, unknown>>;
}

/** Copies the defined members only. */
function defined(members: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(members)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * @param orderRef the order.new event of the order an answer refers to, if the pipeline knows it
 * @param timerFiring the ordinal of this firing of the timer's name (timer inputs only)
 */
export function inputEvent(
  input: PipelineInput,
  node: string,
  orderRef: EventRef | undefined,
  timerFiring: number,
): InputEvent {
  const answer = (adapter: string): Pick<InputEvent, 'source' | 'causes'> => ({
    source: { node, adapter, venue: input.kind === 'timer' ? node : input.venue },
    causes: orderRef === undefined ? [] : [orderRef],
  });
  switch (input.kind) {
    case 'tick':
      return {
        type: 'md.tick',
        source: { node, adapter: input.adapter, venue: input.venue },
        causes: [],
        payload: defined({
          instrument: input.instrument,
          venue: input.venue,
          bid_px: input.bidPx,
          bid_qty: input.bidQty,
          ask_px: input.askPx,
          ask_qty: input.askQty,
          last_px: input.lastPx,
          last_qty: input.lastQty,
          feed_seq: input.feedSeq,
        }),
      };
    case 'ack':
      return {
        type: 'order.ack',
        ...answer('order-entry'),
        payload: {
          order_id: input.orderId,
          venue: input.venue,
          venue_order_id: input.venueOrderId,
        },
      };
    case 'reject':
      return {
        type: 'order.reject',
        ...answer('order-entry'),
        payload: defined({
          order_id: input.orderId,
          venue: input.venue,
          reason: input.reason,
          code: input.code,
        }),
      };
    case 'fill':
      return {
        type: 'fill',
        ...answer('order-entry'),
        payload: defined({
          order_id: input.orderId,
          venue: input.venue,
          fill_id: input.fillId,
          qty_lots: input.qtyLots,
          px: input.priceTicks,
          leaves_lots: input.leavesLots,
          liquidity: input.liquidity,
          fee: input.fee,
        }),
      };
    case 'cancelled':
      return {
        type: 'order.cancelled',
        ...answer('order-entry'),
        payload: {
          order_id: input.orderId,
          venue: input.venue,
          reason: input.reason,
          cancelled_lots: input.cancelledLots,
        },
      };
    case 'timer':
      return {
        type: 'timer.fire',
        source: { node, adapter: 'scheduler' },
        causes: [],
        payload: { timer: input.name, firing: timerFiring },
      };
    case 'feed-status':
      return {
        type: 'feed.status',
        source: { node, adapter: 'feed', venue: input.venue },
        causes: [],
        payload: defined({
          venue: input.venue,
          instrument: input.instrument,
          status: input.status,
          detail: input.detail,
          expected_seq: input.expectedSeq,
          received_seq: input.receivedSeq,
        }),
      };
    case 'session-status':
      return {
        type: 'session.status',
        source: { node, adapter: 'session', venue: input.venue },
        causes: [],
        payload: defined({
          venue: input.venue,
          session: input.session,
          status: input.status,
          detail: input.detail,
        }),
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

/** `{ [key]: value }`, or nothing when the value is absent: optional members stay absent. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
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
      return {
        kind: 'tick',
        venue: text(payload, 'venue'),
        instrument: text(payload, 'instrument'),
        adapter: source.adapter ?? '',
        ...optional('bidPx', count(payload, 'bid_px')),
        ...optional('bidQty', count(payload, 'bid_qty')),
        ...optional('askPx', count(payload, 'ask_px')),
        ...optional('askQty', count(payload, 'ask_qty')),
        ...optional('lastPx', count(payload, 'last_px')),
        ...optional('lastQty', count(payload, 'last_qty')),
        ...optional('feedSeq', count(payload, 'feed_seq')),
      };
    case 'order.ack':
      return {
        kind: 'ack',
        venue: text(payload, 'venue'),
        orderId: text(payload, 'order_id'),
        venueOrderId: text(payload, 'venue_order_id'),
      };
    case 'order.reject':
      return {
        kind: 'reject',
        venue: text(payload, 'venue'),
        orderId: text(payload, 'order_id'),
        reason: text(payload, 'reason'),
        ...optional('code', maybeText(payload, 'code')),
      };
    case 'fill':
      return {
        kind: 'fill',
        venue: text(payload, 'venue'),
        orderId: text(payload, 'order_id'),
        fillId: text(payload, 'fill_id'),
        qtyLots: count(payload, 'qty_lots') ?? 0,
        priceTicks: count(payload, 'px') ?? 0,
        leavesLots: count(payload, 'leaves_lots') ?? 0,
        liquidity: payload['liquidity'] === 'maker' ? 'maker' : 'taker',
        ...optional('fee', maybeText(payload, 'fee')),
      };
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
      return {
        kind: 'feed-status',
        venue: text(payload, 'venue'),
        status: payload['status'] as FeedStatusInput['status'],
        ...optional('instrument', maybeText(payload, 'instrument')),
        ...optional('detail', maybeText(payload, 'detail')),
        ...optional('expectedSeq', count(payload, 'expected_seq')),
        ...optional('receivedSeq', count(payload, 'received_seq')),
      };
    case 'session.status':
      return {
        kind: 'session-status',
        venue: text(payload, 'venue'),
        session: text(payload, 'session'),
        status: payload['status'] as SessionStatusInput['status'],
        ...optional('detail', maybeText(payload, 'detail')),
      };
    default:
      return undefined;
  }
}
