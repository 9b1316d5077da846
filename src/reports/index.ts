/**
 * @module
 * Reports built from a log's events alone: the run summary (counts, fills, per-hop latency in HDR
 * histograms, plan convergence, privacy spends). Pure: entries come in, values go out.
 */
export {
  LATENCY_HOPS,
  type LatencyHop,
  type LatencyStats,
  type PlanSummary,
  type PrivacySignalSummary,
  type RunSummary,
  RunSummaryBuilder,
  summarizeRun,
  type SummaryEntry,
} from './run-summary.js';
