/**
 * @module
 * The events an order book emits. Every event carries the engine's `seq`, which increases by one
 * per event across the life of a book. `seq` is a `number`: it counts events inside one process
 * and stays far below 2^53, and scenario files compare it as plain JSON.
 */
import type { Command, Side } from './commands.js';

export type RejectReason =
  'duplicate-order-id' | 'invalid-qty' | 'invalid-price' | 'unknown-order' | 'no-change';

export type CancelReason =
  'user' | 'ioc-remainder' | 'fok-unfilled' | 'market-remainder' | 'self-trade';

export type Liquidity = 'maker' | 'taker';

export interface AckEvent {
  readonly seq: number;
  readonly type: 'ack';
  readonly orderId: string;
}

export interface RejectEvent {
  readonly seq: number;
  readonly type: 'reject';
  readonly command: Command['type'];
  readonly orderId: string;
  readonly reason: RejectReason;
}

export interface TradeEvent {
  readonly seq: number;
  readonly type: 'trade';
  readonly buyOrderId: string;
  readonly sellOrderId: string;
  /** Always the resting order's price. */
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly aggressorSide: Side;
  readonly restingLeavesLots: number;
  readonly aggressorLeavesLots: number;
}

/** One side's execution report for a trade; one per side, maker first. */
export interface FillEvent {
  readonly seq: number;
  readonly type: 'fill';
  readonly orderId: string;
  readonly side: Side;
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly leavesLots: number;
  readonly liquidity: Liquidity;
}

export interface CancelledEvent {
  readonly seq: number;
  readonly type: 'cancelled';
  readonly orderId: string;
  readonly side: Side;
  readonly cancelledLots: number;
  readonly reason: CancelReason;
}

export interface ReplacedEvent {
  readonly seq: number;
  readonly type: 'replaced';
  readonly orderId: string;
  readonly side: Side;
  readonly priceTicks: number;
  readonly leavesLots: number;
  /** False when the order went to the back of its level (price change or size increase). */
  readonly priorityKept: boolean;
}

/** Top of book after a command that changed it; a `null` price means that side is empty. */
export interface BookEvent {
  readonly seq: number;
  readonly type: 'book';
  readonly bidPriceTicks: number | null;
  readonly bidQtyLots: number;
  readonly askPriceTicks: number | null;
  readonly askQtyLots: number;
}

export type ExchangeEvent =
  AckEvent | RejectEvent | TradeEvent | FillEvent | CancelledEvent | ReplacedEvent | BookEvent;

/**
 * One aggregated price level after a command changed it: the feeds' incremental depth. A
 * `qtyLots` of 0 means the level is gone. Not an engine event: it has no `seq`, and an order book
 * reports it only when built with `trackLevels`.
 */
export interface LevelChange {
  readonly side: Side;
  readonly priceTicks: number;
  readonly qtyLots: number;
}
