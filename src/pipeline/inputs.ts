/**
 * @module
 * What reaches the pipeline from outside — market data, order-entry answers, timer firings, feed
 * and session state — and what it sends out. Every input is recorded before it is acted on, so a
 * replay can feed exactly the same inputs in the same order.
 */
import type { Side } from '../core/index.js';
import type { EventRef } from './capture.js';

/** A type's members made writable, for an object built up member by member. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

export interface TickInput {
  readonly kind: 'tick';
  readonly venue: string;
  readonly instrument: string;
  /** The adapter that produced it (e.g. `fix`, `ws`). */
  readonly adapter: string;
  readonly bidPx?: number;
  readonly bidQty?: number;
  readonly askPx?: number;
  readonly askQty?: number;
  readonly lastPx?: number;
  readonly lastQty?: number;
  readonly feedSeq?: number;
}

export interface AckInput {
  readonly kind: 'ack';
  readonly venue: string;
  readonly orderId: string;
  readonly venueOrderId: string;
}

export interface RejectInput {
  readonly kind: 'reject';
  readonly venue: string;
  readonly orderId: string;
  readonly reason: string;
  readonly code?: string;
}

export interface FillInput {
  readonly kind: 'fill';
  readonly venue: string;
  readonly orderId: string;
  readonly fillId: string;
  readonly qtyLots: number;
  readonly priceTicks: number;
  readonly leavesLots: number;
  readonly liquidity: 'maker' | 'taker';
  /** Exact decimal, in the venue's fee currency. */
  readonly fee?: string;
}

export interface CancelledInput {
  readonly kind: 'cancelled';
  readonly venue: string;
  readonly orderId: string;
  readonly reason: string;
  readonly cancelledLots: number;
}

export interface TimerInput {
  readonly kind: 'timer';
  readonly name: string;
}

export interface FeedStatusInput {
  readonly kind: 'feed-status';
  readonly venue: string;
  readonly instrument?: string;
  readonly status: 'connected' | 'disconnected' | 'gap' | 'resync' | 'bad-frame';
  readonly detail?: string;
  readonly expectedSeq?: number;
  readonly receivedSeq?: number;
}

export interface SessionStatusInput {
  readonly kind: 'session-status';
  readonly venue: string;
  readonly session: string;
  readonly status:
    | 'logon'
    | 'logout'
    | 'disconnected'
    | 'gap'
    | 'resend'
    | 'reject-sent'
    | 'reject-received'
    | 'garbled';
  readonly detail?: string;
}

export type PipelineInput =
  | TickInput
  | AckInput
  | RejectInput
  | FillInput
  | CancelledInput
  | TimerInput
  | FeedStatusInput
  | SessionStatusInput;

/** An input as the strategy sees it: with the handle and capture time of its recorded event. */
export type RecordedInput = PipelineInput & {
  readonly ref: EventRef;
  readonly monoNs: bigint;
  readonly wallNs: bigint;
};

export interface NewOrderCommand {
  readonly kind: 'new-order';
  readonly venue: string;
  readonly orderId: string;
  readonly instrument: string;
  readonly side: Side;
  readonly qtyLots: number;
  readonly orderType: 'limit' | 'market';
  readonly limitPx?: number;
  readonly tif: 'day' | 'ioc' | 'fok';
  /** The order.new event this command carries out. */
  readonly ref: EventRef;
}

export interface CancelOrderCommand {
  readonly kind: 'cancel-order';
  readonly venue: string;
  readonly orderId: string;
  readonly instrument: string;
  readonly side: Side;
  readonly ref: EventRef;
}

/** What the pipeline asks the order-entry adapters to do. */
export type OutboundCommand = NewOrderCommand | CancelOrderCommand;
