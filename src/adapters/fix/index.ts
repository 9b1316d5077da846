/**
 * @module
 * FIX 4.4 adapter: the tag=value codec, stream framer, repeating groups and dictionary validation
 * (tables generated from the QuickFIX FIX44.xml), the session layer (a transport-agnostic state
 * machine on an injected Scheduler, with in-memory and file-backed sequence stores), the TCP
 * acceptor and initiator that bind sockets to sessions, typed application messages with
 * integer prices and quantities, and the venue gateway that puts a sandbox Venue behind FIX
 * sessions; session logs (every input of a session at the instants it read, written to a file)
 * and their replay into a fresh session. Must not import storage or other adapters.
 */
export { DecimalScale, type InstrumentScales } from './app/decimal-scale.js';
export {
  buildBusinessMessageReject,
  buildExecutionReport,
  buildOrderCancelReject,
  type BusinessMessageReject,
  BusinessMessageRejectSchema,
  type ExecType,
  ExecTypeSchema,
  type ExecutionReport,
  ExecutionReportSchema,
  type OrderCancelReject,
  OrderCancelRejectSchema,
  type OrdStatus,
  OrdStatusSchema,
  parseBusinessMessageReject,
  parseExecutionReport,
  parseOrderCancelReject,
} from './app/executions.js';
export {
  buildMarketDataIncrementalRefresh,
  buildMarketDataRequest,
  buildMarketDataSnapshot,
  type IncrementalEntry,
  type MarketDataIncrementalRefresh,
  MarketDataIncrementalRefreshSchema,
  type MarketDataRequest,
  MarketDataRequestSchema,
  type MarketDataSnapshot,
  MarketDataSnapshotSchema,
  type MdEntryType,
  parseMarketDataIncrementalRefresh,
  parseMarketDataRequest,
  parseMarketDataSnapshot,
  type SnapshotEntry,
} from './app/market-data.js';
export { type AppMessage, parseAppMessage } from './app/messages.js';
export {
  buildNewOrderSingle,
  buildOrderCancelReplaceRequest,
  buildOrderCancelRequest,
  type NewOrderSingle,
  NewOrderSingleSchema,
  type OrderCancelReplaceRequest,
  OrderCancelReplaceRequestSchema,
  type OrderCancelRequest,
  OrderCancelRequestSchema,
  parseNewOrderSingle,
  parseOrderCancelReplaceRequest,
  parseOrderCancelRequest,
} from './app/orders.js';
export {
  decodeFixMessage,
  encodeFixMessage,
  type EncodeOptions,
  fixChecksum,
  SOH,
  TAG_BEGIN_STRING,
  TAG_BODY_LENGTH,
  TAG_CHECKSUM,
  TAG_MSG_TYPE,
} from './codec.js';
export { fix44Field, fix44Group, fix44Message } from './dictionary.js';
export type { FixFieldEntry, FixGroupDef, FixMessageDef } from './dictionary-types.js';
export {
  FIX44_FIELDS,
  FIX44_HEADER_GROUPS,
  FIX44_HEADER_REQUIRED,
  FIX44_HEADER_TAGS,
  FIX44_MESSAGES,
  FIX44_TRAILER_TAGS,
} from './fix44-tables.js';
export { FixFramer, type FixFramerOptions, type FramerEvent } from './framer.js';
export { FixVenueGateway, type FixVenueGatewayOptions } from './gateway/gateway.js';
export { type FixFieldSource, readGroup, validateMessage } from './groups.js';
export type { FixErrorDetails, FixField, FixMessage } from './message.js';
export {
  BUSINESS_REJECT_TEXT,
  type BusinessRejectReason,
  FIX44_BUSINESS_REJECT_REASON,
  FIX44_SESSION_REJECT_REASON,
  type FixViolation,
  SESSION_REJECT_TEXT,
  type SessionRejectReason,
} from './reject-reasons.js';
export {
  parseSessionConfig,
  type SessionConfig,
  type SessionConfigInput,
  SessionConfigSchema,
} from './session/config.js';
export { FileSessionStore, type FileSessionStoreOptions } from './session/file-store.js';
export { diffFixFields, type FieldDifference, renderFixMessage } from './session/message-diff.js';
export type {
  DisconnectReason,
  FixApplication,
  FixSessionHandle,
  FixTransport,
  MessageDirection,
  OutboundMessage,
  SessionEvent,
  SessionObserver,
  SessionState,
} from './session/ports.js';
export {
  type ApplicationCallback,
  MemorySessionRecorder,
  type SessionInputEntry,
  type SessionInstant,
  type SessionLog,
  type SessionLogEntry,
  type SessionLogStart,
  type SessionLogStep,
  type SessionRecorder,
  type ThrownByApplication,
} from './session/recorder.js';
export { ADMIN_MSG_TYPES, FixSession, type FixSessionOptions } from './session/session.js';
export {
  decodeSessionLog,
  encodeSessionLog,
  encodeSessionLogHeader,
  encodeSessionLogStart,
  encodeSessionLogStep,
  SESSION_LOG_FORMAT,
} from './session/session-log.js';
export {
  FileSessionLog,
  type FileSessionLogOptions,
  readSessionLogFile,
  sessionLogFileName,
} from './session/session-log-file.js';
export {
  type OutboundDivergence,
  ReplayScheduler,
  replaySessionLog,
  type ReplayStepRef,
  type SessionReplayReport,
} from './session/session-replay.js';
export { MemorySessionStore, type SessionStore, type StoredMessage } from './session/store.js';
export {
  type AcceptorEvent,
  type AcceptorRefusal,
  FixAcceptor,
  type FixAcceptorOptions,
} from './tcp/acceptor.js';
export { FixInitiator, type FixInitiatorOptions, type InitiatorEvent } from './tcp/initiator.js';
export { bindSocket, type SocketBinder } from './tcp/socket-transport.js';
export { formatUtcTimestamp, parseUtcTimestamp, UtcTimestampFormatter } from './timestamps.js';
export { validateFixMessage } from './validation.js';
