/**
 * @module
 * The sandbox exchange: a price-time priority matching engine (one order book per instrument,
 * zod-validated commands, sequenced events, incremental depth), the venue model around it (fees,
 * seeded processing latency, reports to listeners), a seeded simulated market that keeps the
 * books moving, and the network simulator between venues and clients. Pure: no I/O, clocks or
 * unseeded randomness; the FIX and WebSocket endpoints and socket glue belong in `adapters/`.
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
  LevelChange,
  Liquidity,
  RejectEvent,
  RejectReason,
  ReplacedEvent,
  TradeEvent,
} from './events.js';
export {
  CENTITICKS_PER_TICK,
  feeForFill,
  type FeeSchedule,
  toFeeDecimal,
  ZERO_FEES,
} from './fees.js';
export { drawLatencyNs, type LatencyModel, ZERO_LATENCY } from './latency.js';
export { DEFAULT_MARKET_PROFILE, type MarketProfile } from './market-profile.js';
export {
  MarketSimulator,
  type MarketSimulatorOptions,
  type SimulatedInstrument,
} from './market-simulator.js';
export {
  type DirectionStats,
  type DropReason,
  type Frame,
  type FrameDeliveredEvent,
  type FrameDroppedEvent,
  type FrameHandler,
  type FrameSentEvent,
  type FrameWriter,
  LinkEndpoint,
  type LinkOptions,
  type LinkProfile,
  type LinkStatusEvent,
  type LinkStatusListener,
  type NetEvent,
  type NetEventListener,
  NetLink,
  NetworkSimulator,
  type NetworkSimulatorOptions,
  type Partition,
  type SendResult,
  type SocketBinding,
} from './network/index.js';
export { type BookDepth, OrderBook, type OrderBookOptions } from './order-book.js';
export { ReferencePrice, type ReferencePriceOptions } from './reference-price.js';
export {
  Venue,
  type VenueEvent,
  type VenueFillEvent,
  type VenueOptions,
  type VenueReport,
  type VenueReportListener,
} from './venue.js';
