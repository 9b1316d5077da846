/**
 * `deltatrace demo`: the end-to-end run. Two sandbox venues on loopback — XSIM1 reached over FIX
 * 4.4 (order entry and market data), XSIM2 over WebSocket market data plus FIX order entry — and
 * the VWAP-schedule strategy working a parent order across both for a fixed number of ticks, every
 * input and decision captured on a writer thread into the embedded SQLite ledger; then a signed
 * checkpoint, a verification from disk, and the run's summary (events by type, orders, fills,
 * per-hop latency). With the simulated clock a seed gives a byte-identical ledger; with the system
 * clock the latencies are real.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  type DeltaTraceError,
  fromHex,
  InternalError,
  SeededRng,
  signCheckpoint,
  signerKeyFromSeed,
  VirtualScheduler,
} from '../../core/index.js';
import { NetworkSimulator } from '../../exchange/index.js';
import {
  Pipeline,
  type PipelineInput,
  VwapStrategy,
  WaterFillingRouter,
} from '../../pipeline/index.js';
import { type RunSummary, RunSummaryBuilder, type SummaryEntry } from '../../reports/index.js';
import { SystemScheduler } from '../../runtime/system-scheduler.js';
import { createStore, openStore } from '../../storage/index.js';
import { BackgroundCapture } from '../capture/background-capture.js';
import { SystemClock } from '../context.js';
import type { Output } from '../output.js';
import { openLedger } from '../session.js';
import { runVerify, summarizeVerify } from '../verify-commands.js';
import { DemoClient } from './demo-client.js';
import { DEMO_INSTRUMENT, DEMO_VENUES, startVenues, stopVenues } from './demo-world.js';

export interface TradingDemoOptions {
  readonly home: string;
  readonly seed: number;
  readonly clock: 'simulated' | 'system';
  /** The run ends once the pipeline has seen this many ticks. */
  readonly ticks: number;
}

const MS = 1_000_000n;
/** 2026-01-02T14:30:00Z: where simulated wall time starts. */
const SIMULATED_WALL_ORIGIN_NS = 1_767_364_200_000_000_000n;
/** Simulated time allowed per tick asked for before the run gives up waiting for ticks. */
const MAX_NS_PER_TICK = 50n * MS;

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

  const simulated = options.clock === 'simulated';
  const virtual = simulated
    ? new VirtualScheduler({ wallOriginNs: SIMULATED_WALL_ORIGIN_NS })
    : undefined;
  const system = simulated ? undefined : new SystemScheduler(new SystemClock());
  const scheduler = virtual ?? system!;
  const network = simulated
    ? new NetworkSimulator({ scheduler, seed: BigInt(options.seed) })
    : undefined;
  const errors: DeltaTraceError[] = [];
  const onError = (error: DeltaTraceError): void => {
    if (process.env['DT_DEBUG_DEMO'] === '1')
      console.error(
        'adapter error',
        scheduler.clock.monoNs(),
        error.code,
        error.message,
        error.details,
      );
    errors.push(error);
  };

  out.info(
    `1/4 starting venues ${DEMO_VENUES.map((v) => v.mic).join(', ')} on loopback (${options.clock} clock, seed ${options.seed})`,
  );
  const venues = await startVenues({
    scheduler,
    seed: options.seed,
    network,
    onError,
    processingLatencyNs: simulated ? 30_000n : 0n,
  });
  const capture = BackgroundCapture.start({ dir: storeDir, run });
  let ticks = 0;
  let running = true;
  const deliver = (input: PipelineInput): void => {
    // What arrives after the run ended (a socket's last close) is not part of it.
    if (!running) return;
    if (input.kind === 'tick') ticks++;
    pipeline.onInput(input);
  };
  const client = new DemoClient({ scheduler, seed: options.seed, venues, deliver, onError });
  // A horizon the expected ticks fill, so the schedule finishes with the run: the two simulated
  // markets move the top of the book about 950 times a second between them.
  const horizonNs = (BigInt(options.ticks) * 1_050_000n * 95n) / 100n;
  const pipeline: Pipeline = new Pipeline(
    {
      node: 'demo-trader',
      seed: BigInt(options.seed),
      clock: options.clock,
      venues: DEMO_VENUES.map((v) => ({
        id: v.mic,
        makerFeePerLotTicks: v.makerCentiTicksPerLot / 100,
        takerFeePerLotTicks: v.takerCentiTicksPerLot / 100,
      })),
      instruments: [DEMO_INSTRUMENT],
      risk: {
        maxOrderLots: 500,
        maxPositionLots: 50_000,
        priceCollarTicks: 25,
        maxOrdersPerSecond: 200,
      },
      orderIdPrefix: 'DT',
    },
    new VwapStrategy({
      parentId: 'PARENT-1',
      instrument: DEMO_INSTRUMENT,
      side: 'buy',
      totalLots: 5000,
      horizonNs,
      profile: [14, 10, 8, 7, 6, 6, 7, 9, 12, 21],
      minSliceLots: 40,
      maxSliceLots: 200,
      aggressiveBehindLots: 300,
      checkIntervalNs: 100n * MS,
      repriceAfterNs: 250n * MS,
      jitterPct: 20,
    }),
    new WaterFillingRouter(),
    {
      clock: scheduler.clock,
      rng: new SeededRng(options.seed),
      capture,
      send: (command) => client.send(command),
      setTimer: (name, delayNs) =>
        scheduler.setTimer(delayNs, () => deliver({ kind: 'timer', name })),
    },
  );

  const settle = network === undefined ? undefined : (): Promise<void> => network.settled();
  const advance = async (byNs: bigint): Promise<void> => {
    if (virtual === undefined) {
      await new Promise((resolve) => setTimeout(resolve, Number(byNs / MS)));
      return;
    }
    const limitNs = virtual.nowNs + byNs;
    // Virtual time may move only when every frame on a socket has arrived: a delivery that came
    // due before its frame arrived would be released in the order the sockets happened to
    // deliver, not in the simulated order.
    for (;;) {
      await virtual.run({ limitNs, ...(settle === undefined ? {} : { settle }) });
      if (settle !== undefined) await settle();
      const next = virtual.nextDueNs();
      if (next === undefined || next > limitNs) break;
    }
    virtual.advanceTo(limitNs);
  };

  let written: Awaited<ReturnType<BackgroundCapture['close']>> | undefined;
  let startNs = scheduler.clock.monoNs();
  try {
    pipeline.start();
    await client.connect();
    const logonDeadline = scheduler.clock.monoNs() + 5000n * MS;
    while (!client.loggedOn && scheduler.clock.monoNs() < logonDeadline) await advance(5n * MS);
    check(client.loggedOn, 'every FIX session must log on');
    for (const side of venues) side.simulator.start();

    out.info(
      `2/4 trading: VWAP schedule for 5000 lots of ${DEMO_INSTRUMENT} until ${options.ticks} ticks`,
    );
    startNs = scheduler.clock.monoNs();
    const limitNs = startNs + BigInt(options.ticks) * MAX_NS_PER_TICK;
    while (ticks < options.ticks && scheduler.clock.monoNs() < limitNs) {
      await advance(10n * MS);
      out.progress.update('ticks', Math.min(ticks, options.ticks), options.ticks);
    }
    out.progress.done();
    pipeline.halt('the demo reached its tick count');
    // Let the cancels be answered before the markets stop and the sessions log out.
    await advance(200n * MS);
    for (const side of venues) side.simulator.stop();
    client.logout();
    const logoutDeadline = scheduler.clock.monoNs() + 2000n * MS;
    while (
      client.sessions.some((s) => s.state !== 'disconnected') &&
      scheduler.clock.monoNs() < logoutDeadline
    ) {
      await advance(5n * MS);
    }
    await client.close();
    running = false;
    pipeline.stop('completed');
  } finally {
    running = false;
    for (const side of venues) side.simulator.stop();
    await client.close();
    await stopVenues(venues);
    system?.cancelAll();
    written = await capture.close();
  }
  check(errors.length === 0, 'no adapter errors', { first: errors[0]?.code ?? '' });

  out.info(`3/4 signing a checkpoint of ${written.size} entries and verifying from disk`);
  const store = await openStore(storeDir);
  const ledger = await openLedger(store);
  const note = signCheckpoint(
    { origin, size: written.size, rootHash: fromHex(written.root) },
    signer,
  );
  await ledger.recordCheckpoint(note);
  writeFileSync(path.join(demoDir, 'checkpoint.txt'), note);
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
  out.info(`ledger root ${written.root}`);
  return {
    run,
    clock: options.clock,
    seed: options.seed,
    store: storeDir,
    ticks,
    simulated_ns: (scheduler.clock.monoNs() - startNs).toString(),
    size: written.size,
    root: written.root,
    checkpoint: note,
    verify: { ok: report.ok, entries: report.entries_scanned, findings: report.findings.length },
    summary,
    filled_lots: pipeline.orders.parentFilledLots('PARENT-1'),
    anomalies: pipeline.orders.anomalies.length,
  };
}
