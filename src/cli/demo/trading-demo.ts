/**
 * `deltatrace demo`: the end-to-end run. Two sandbox venues on loopback — XSIM1 reached over FIX
 * 4.4 (order entry and market data), XSIM2 over WebSocket market data plus FIX order entry — and
 * the VWAP-schedule strategy working a parent order across both for a fixed number of ticks, every
 * input and decision captured by a writer process into the embedded SQLite ledger; then a signed
 * checkpoint, a verification from disk, and the run's summary (events by type, orders, fills,
 * per-hop latency). With the simulated clock a seed gives a byte-identical ledger; with the system
 * clock the latencies are real.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  formatVerifierKey,
  fromHex,
  InternalError,
  signCheckpoint,
  signerKeyFromSeed,
} from '../../core/index.js';
import { type RunSummary, RunSummaryBuilder, type SummaryEntry } from '../../reports/index.js';
import { createStore, openStore } from '../../storage/index.js';
import { BackgroundCapture } from '../capture/background-capture.js';
import type { Output } from '../output.js';
import { openLedger } from '../session.js';
import { runVerify, summarizeVerify } from '../verify-commands.js';
import {
  DEMO_SNAPSHOT_EVERY_INPUTS,
  type DemoSessionResult,
  PARENT_ORDER_ID,
  runDemoSession,
} from './demo-session.js';

export interface TradingDemoOptions {
  readonly home: string;
  readonly seed: number;
  readonly clock: 'simulated' | 'system';
  /** The run ends once the pipeline has seen this many ticks. */
  readonly ticks: number;
  /** A state snapshot every this many inputs (0: none; default DEMO_SNAPSHOT_EVERY_INPUTS). */
  readonly snapshotEvery?: number;
}

function check(
  condition: boolean,
  message: string,
  details: Record<string, string | number> = {},
): void {
  if (!condition)
    throw new InternalError('INTERNAL', `demo self-check failed: ${message}`, { details });
}

async function readSummary(dir: string): Promise<RunSummary> {
  const store = await openStore(dir, { readonly: true });
  try {
    const builder = new RunSummaryBuilder();
    for await (const lines of store.scan()) {
      for (const line of lines) builder.add(JSON.parse(line) as SummaryEntry);
    }
    return builder.result();
  } finally {
    await store.close();
  }
}

function microseconds(ns: number): string {
  return (ns / 1000).toFixed(1);
}

/** A residual history as a few points, e.g. `4.2e+2 → 3.1e-1 → 2.0e-6 → 8.9e-11 (38 iterations)`. */
function residualTrail(history: readonly number[]): string {
  if (history.length === 0) return 'none';
  const points = new Set([
    0,
    Math.floor(history.length / 3),
    Math.floor((2 * history.length) / 3),
    history.length - 1,
  ]);
  const shown = [...points].sort((a, b) => a - b).map((i) => history[i]!.toExponential(1));
  return `${shown.join(' → ')} (${history.length} iterations)`;
}

export async function runTradingDemo(
  options: TradingDemoOptions,
  out: Output,
): Promise<Record<string, unknown>> {
  const demoDir = path.join(options.home, 'demo');
  const storeDir = path.join(demoDir, 'store');
  rmSync(demoDir, { recursive: true, force: true });
  mkdirSync(demoDir, { recursive: true });
  const run = `demo-${options.clock}-${options.seed}`;
  const origin = `deltatrace/${run}`;
  const keySeed = new Uint8Array(32);
  new DataView(keySeed.buffer).setUint32(0, options.seed);
  const signer = signerKeyFromSeed('deltatrace-demo', keySeed);
  await (await createStore(storeDir, { backend: 'sqlite', origin })).close();

  const snapshotEvery = options.snapshotEvery ?? DEMO_SNAPSHOT_EVERY_INPUTS;
  const capture = BackgroundCapture.start({ dir: storeDir, run });
  let session: DemoSessionResult;
  try {
    // Trading starts once the writer is up: its start would otherwise land in the first latencies.
    await capture.ready();
    session = await runDemoSession({
      seed: options.seed,
      clock: options.clock,
      ticks: options.ticks,
      capture,
      fixLogDir: path.join(demoDir, 'fix'),
      snapshotEveryInputs: snapshotEvery,
      info: (text) => out.info(text),
      progress: (ticks) => out.progress.update('ticks', ticks, options.ticks),
    });
    out.progress.done();
  } catch (error) {
    await capture.close().catch(() => undefined);
    throw error;
  }
  const written = await capture.close();

  out.info(`3/4 signing a checkpoint of ${written.size} entries and verifying from disk`);
  const store = await openStore(storeDir);
  const ledger = await openLedger(store);
  const note = signCheckpoint(
    { origin, size: written.size, rootHash: fromHex(written.root) },
    signer,
  );
  await ledger.recordCheckpoint(note);
  const checkpointFile = path.join(demoDir, 'checkpoint.txt');
  writeFileSync(checkpointFile, note);
  // The key is the seed's (a demo's, not a secret): written out so the checkpoint can be checked
  // again later, offline or against the store, by a key the reader chooses to trust.
  const verifierKey = formatVerifierKey(signer);
  const verifierKeyFile = path.join(demoDir, 'verifier-key.txt');
  writeFileSync(verifierKeyFile, `${verifierKey}\n`);
  const report = await runVerify(store, [signer], [], out);
  await store.close();
  summarizeVerify(report, out);
  check(report.ok, 'the captured log must verify', { findings: report.findings.length });

  const summary = await readSummary(storeDir);
  out.info(
    `4/4 ${summary.events} events, ${summary.orders} orders, ${summary.fills} fills (${summary.filled_lots}/${summary.ordered_lots} lots, fill ratio ${summary.fill_ratio})`,
  );
  for (const [hop, stats] of Object.entries(summary.latency)) {
    out.info(
      `  ${hop.padEnd(15)} n=${String(stats.count).padStart(5)}  p50 ${microseconds(stats.p50_ns)} µs  p99 ${microseconds(stats.p99_ns)} µs  p99.9 ${microseconds(stats.p99_9_ns)} µs`,
    );
  }
  for (const plan of summary.plans) {
    out.info(
      `  plan ${plan.plan_id}: ${plan.solves} solves by ${plan.algorithm ?? 'none'}, ${plan.iterations_first} iterations cold then ${plan.iterations_mean_after_first} on average warm-started, largest final residual ${plan.max_primal_residual} lots; ${plan.planned_lots} lots planned net at version ${plan.version}, deltas of ${plan.delta_bytes_mean} bytes on average`,
    );
  }
  const convergence = session.router.convergence();
  for (const plan of convergence) {
    out.info(
      `  plan ${plan.planId} first solve, primal residual: ${residualTrail(plan.firstHistory)}`,
    );
  }
  for (const signal of summary.privacy) {
    out.info(
      `  privacy ${signal.signal}: ε ${signal.epsilon_spent} of ${signal.epsilon_total ?? '?'} spent in ${signal.shares} shares, ${signal.refusals} refused`,
    );
  }
  const fixLogDir = path.join(demoDir, 'fix');
  const fixLogs = readdirSync(fixLogDir)
    .filter((name) => name.endsWith('.log'))
    .sort()
    .map((name) => path.join(fixLogDir, name));
  out.info(
    `FIX session logs of ${fixLogs.length} sessions in ${fixLogDir} (deltatrace replay-fix --log FILE)`,
  );
  const snapshots = summary.events_by_type['state.snapshot'] ?? 0;
  if (snapshots > 0) {
    out.info(
      `${snapshots} state snapshots, one every ${snapshotEvery} inputs (deltatrace replay --run ${run} --from SEQ starts from the latest at or before SEQ)`,
    );
  }
  out.info(
    `checkpoint ${checkpointFile}, signed by ${verifierKey} (${verifierKeyFile}): deltatrace --home ${storeDir} verify --checkpoint ${checkpointFile} --key ${verifierKeyFile}`,
  );
  out.info(`ledger root ${written.root}`);
  return {
    run,
    clock: options.clock,
    seed: options.seed,
    store: storeDir,
    ticks: session.ticks,
    trading_ns: (session.endNs - session.startNs).toString(),
    size: written.size,
    root: written.root,
    checkpoint: note,
    verifier_key: verifierKey,
    verify: { ok: report.ok, entries: report.entries_scanned, findings: report.findings.length },
    summary,
    plan_convergence: convergence.map((plan) => ({
      plan_id: plan.planId,
      solves: plan.solves,
      cold_iterations: plan.coldIterations,
      warm_iterations: plan.warmIterations,
      unconverged: plan.unconverged,
      first_solve_primal_residuals: plan.firstHistory.map((r) => r.toPrecision(3)),
      last_solve_primal_residuals: plan.lastHistory.map((r) => r.toPrecision(3)),
    })),
    fix_session_logs: fixLogs,
    state_snapshots: { every_inputs: snapshotEvery, count: snapshots },
    filled_lots: session.pipeline.orders.parentFilledLots(PARENT_ORDER_ID),
    anomalies: session.pipeline.orders.anomalies.length,
  };
}
