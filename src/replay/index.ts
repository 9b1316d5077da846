/**
 * @module
 * Deterministic replay: re-running a recorded decision path and comparing every output by content
 * id, with a precise report of the first divergence. Pure over its inputs: the recorded events
 * come in as a stream; reading the store and printing belong to the composition root.
 */
export {
  type BacktestOptions,
  type BacktestResult,
  type BacktestTick,
  runBacktest,
} from './backtest.js';
export { type BacktestMetrics, MetricsCollector } from './backtest-metrics.js';
export { CausalGraph, type EventSummary } from './causal-graph.js';
export {
  createRecordedEventParser,
  parseRecordedEvent,
  readRecordedEvents,
  type RecordedEventParserOptions,
} from './event-parser.js';
export { ID_BLOCK_BYTES, type IdBlockSpill, IdTable, type IdTableOptions } from './id-table.js';
export { diffJson, type JsonDifference } from './json-diff.js';
export {
  buildParityReport,
  CLAIM_BOUNDARY,
  PARITY_REPORT_FORMAT,
  type ParityCheck,
  type ParityEvidence,
  type ParityFeedback,
  parityMarkdown,
  type ParityReport,
  type ShadowLog,
} from './parity.js';
export { type RecordedEvent } from './recorded-event.js';
export {
  type DivergenceCause,
  REPLAY_REPORT_FORMAT,
  type ReplayDivergence,
  type ReplayedEvent,
  type ReplayOptions,
  type ReplayReport,
  replayRun,
  type ReplayStart,
} from './replayer.js';
export { pipelineConfigOf } from './resume.js';
export { type OrderDecision, ticksOfRun, whatIf, type WhatIfReport } from './what-if.js';
