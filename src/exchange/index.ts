/**
 * @module
 * The sandbox exchange's matching engine: one price-time priority order book per instrument,
 * driven by zod-validated commands and answering with sequenced events. Pure: no I/O, clocks or
 * randomness; the FIX and WebSocket endpoints that feed it belong in `adapters/`.
 */
export {
  type CancelCommand,
  type Command,
  type CommandInput,
  CommandSchema,
  type NewOrderCommand,
  type OrderType,
  parseCommand,
  type ReplaceCommand,
  type Side,
  type TimeInForce,
} from './commands.js';
export type {
  AckEvent,
  BookEvent,
  CancelledEvent,
  CancelReason,
  ExchangeEvent,
  FillEvent,
  Liquidity,
  RejectEvent,
  RejectReason,
  ReplacedEvent,
  TradeEvent,
} from './events.js';
export { type BookDepth, OrderBook, type OrderBookOptions } from './order-book.js';
