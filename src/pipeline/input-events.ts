/**
 * @module
 * How each pipeline input is recorded: its event type, source, causes and payload. Answers from a
 * venue are caused by the order they answer; market data, timers and state changes come from
 * outside and have no causes. Absent optional fields are left out (canonical JSON has no
 * `undefined`).
 */
import type { Source } from '../core/index.js';
import type { EventRef } from './capture.js';
import type { PipelineInput } from './inputs.js';

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
