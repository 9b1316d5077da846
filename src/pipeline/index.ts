/**
 * @module
 * The capture pipeline: strategy runtime, router port, risk checks and order manager, recording
 * every input and decision as a causal event. The same code runs live, in simulation and in
 * replay; only the environment (clock, capture sink, order sending, timers) differs. Pure: no I/O.
 */
export {
  ADMM_ROUTER,
  AdmmRouter,
  type AdmmRouterOptions,
  type AdmmRouterPrivacy,
  type PlanConvergence,
} from './admm-router.js';
export {
  type CaptureRecord,
  type CaptureSink,
  type EventRef,
  formatHlc,
  HybridStamper,
  InMemoryCapture,
  NullCapture,
  toEventBody,
} from './capture.js';
export { DirectVenueLink, type DirectVenueOptions } from './direct-venue.js';
export {
  PIPELINE_EVENT_TYPES,
  registerPipelineEventTypes,
  type RunStartPayload,
  RunStartPayloadSchema,
} from './event-types.js';
export { INPUT_EVENT_TYPES, inputEvent, inputOfEvent } from './input-events.js';
export type {
  AckInput,
  CancelledInput,
  CancelOrderCommand,
  FeedStatusInput,
  FillInput,
  NewOrderCommand,
  OutboundCommand,
  PipelineInput,
  RecordedInput,
  RejectInput,
  SessionStatusInput,
  TickInput,
  TimerInput,
} from './inputs.js';
export { LedgerCapture, type LedgerCaptureOptions } from './ledger-capture.js';
export { MarketState, type MarketView, type Nbbo, type Quote } from './market-state.js';
export {
  isDone,
  type ManagedOrder,
  type OrderAnomaly,
  OrderManager,
  type OrderState,
  type OrderView,
} from './order-manager.js';
export {
  Pipeline,
  type PipelineConfig,
  type PipelineEnvironment,
  type PipelineStats,
  type PipelineVenue,
} from './pipeline.js';
export {
  float64ToHex,
  hexToFloat64,
  parseStateSnapshot,
  PIPELINE_STATE_FORMAT,
  type PipelineState,
  PipelineStateSchema,
  type StateSnapshotPayload,
  StateSnapshotPayloadSchema,
} from './pipeline-state.js';
export { type Plan, PlanBook, type PlanChange } from './plan-book.js';
export { RiskEngine, type RiskLimits, type RiskRuleResult, type RiskVerdict } from './risk.js';
export {
  type RouteAllocation,
  type RouteContext,
  type Router,
  type RouteRequest,
  type SolverReport,
  type VenueRouteInput,
  WATER_FILLING_ROUTER,
  WaterFillingRouter,
} from './router.js';
export type {
  CancelDecision,
  Decision,
  ExecuteDecision,
  ParamValue,
  SignalDecision,
  Strategy,
  StrategyContext,
  StrategyParams,
  TimerDecision,
} from './strategy.js';
export {
  buildRouter,
  buildStrategy,
  BUILT_IN_CATALOG,
  type RouterFactory,
  type StrategyCatalog,
  type StrategyFactory,
} from './strategy-catalog.js';
export { tickInput, tickOfValues, type TickPayloadValues } from './tick-events.js';
export {
  DEFAULT_PROFILE,
  scheduleTargetLots,
  VWAP_STRATEGY_NAME,
  VWAP_STRATEGY_VERSION,
  type VwapParams,
  VwapStrategy,
} from './vwap-strategy.js';
