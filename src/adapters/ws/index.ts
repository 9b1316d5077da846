/**
 * @module
 * The WebSocket market-data feed: a server that publishes a venue's depth as snapshots and
 * sequenced incremental updates, and a client that keeps a local book from them, detects gaps,
 * resynchronises and reconnects with seeded backoff. Timers come from the injected Scheduler; a
 * per-connection frame tap lets a simulated network link sit between the two. Must not import
 * the FIX adapter or storage.
 */
export { backoffDelayNs, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff.js';
export { MarketDataClient, type MarketDataClientOptions } from './client.js';
export type { ClientEvent, ClientEventListener, ResyncReason } from './client-events.js';
export {
  linkEndpointTap,
  type WsConnectionTap,
  type WsFrameIo,
  type WsFrameTap,
} from './frame-tap.js';
export {
  type ClientRequest,
  ClientRequestSchema,
  decodeClientRequest,
  decodeServerMessage,
  encodeMessage,
  type ErrorMessage,
  type HeartbeatMessage,
  type LevelUpdate,
  type ServerMessage,
  ServerMessageSchema,
  type SnapshotMessage,
  type TradePrint,
  type UpdateMessage,
  WS_FORMAT_VERSION,
} from './messages.js';
export { MarketDataServer, type MarketDataServerOptions } from './server.js';
