/**
 * The pipeline benchmark: the demo's trading session as deployed — two venues over loopback FIX
 * 4.4 and WebSocket, market data decoded by the adapters, the VWAP strategy, router, risk and
 * order manager — on the simulated clock, run with capture off and with the background capture
 * into a SQLite ledger, alternating in one process. Ticks and orders per second of real time;
 * `overhead_pct` is what capture costs the pipeline as a whole: the median over the rounds of how
 * much longer a round took with capture on than off, with a 95% bootstrap interval of that median
 * (`overhead_pct_ci95`), since the pairs of one run spread over tens of points on this machine.
 * `ticks_per_s_loss_pct` is the same median as the share of ticks/s lost (1 − off/on), the
 * figure the target is set on; it is always a little below the time overhead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BackgroundCapture } from '../dist/cli/capture/background-capture.js';
import { runDemoSession } from '../dist/cli/demo/demo-session.js';
import { SeededRng } from '../dist/core/rng.js';
import { NullCapture } from '../dist/pipeline/index.js';
import { createStore } from '../dist/storage/index.js';
import { median, medianInterval95 } from './stats.js';

export interface PipelineBenchOptions {
  readonly ticks: number;
  readonly rounds: number;
  /** Where the capture writer runs (BackgroundCaptureOptions.cpu). */
  readonly writerCpu: 'last' | 'any';
}

interface Round {
  readonly seconds: number;
  /** CPU time of this process (user + system) during the session. */
  readonly cpuSeconds: number;
  readonly ticks: number;
  readonly orders: number;
  readonly events: number;
}

async function once(
  capture: 'off' | 'on',
  ticks: number,
  dir: string,
  writerCpu: 'last' | 'any',
): Promise<Round> {
  let sink: NullCapture | BackgroundCapture;
  if (capture === 'off') {
    sink = new NullCapture();
  } else {
    await (
      await createStore(dir, { backend: 'sqlite', origin: 'deltatrace/bench-pipeline' })
    ).close();
    sink = BackgroundCapture.start({ dir, run: 'bench', cpu: writerCpu });
    // A live writer starts once and runs for the session; its start is not a per-tick cost.
    await sink.ready();
  }
  const cpuBefore = process.cpuUsage();
  const session = await runDemoSession({ seed: 5, clock: 'simulated', ticks, capture: sink });
  const cpu = process.cpuUsage(cpuBefore);
  const events = sink instanceof NullCapture ? sink.count : (await sink.close()).size;
  return {
    seconds: session.tradingSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ticks: session.ticks,
    orders: session.pipeline.stats.ordersSent,
    events,
  };
}

export async function runPipelineBench(
  options: PipelineBenchOptions,
): Promise<Record<string, unknown>> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-bench-pipeline-'));
  try {
    const rounds: Record<'off' | 'on', Round[]> = { off: [], on: [] };
    for (let round = 0; round < options.rounds; round++) {
      // Each round is a pair, its order alternating, so that a drift in the machine's speed
      // (it swings by tens of percent within minutes here) falls on both sides alike.
      const order = round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const mode of order) {
        const result = await once(
          mode,
          options.ticks,
          path.join(work, `${mode}-${round}`),
          options.writerCpu,
        );
        rounds[mode].push(result);
        process.stderr.write(
          `round ${round + 1} capture ${mode}: ${result.ticks} ticks, ${result.orders} orders, ${result.events} events in ${result.seconds.toFixed(3)} s\n`,
        );
      }
    }
    const seconds = (mode: 'off' | 'on'): number => median(rounds[mode].map((r) => r.seconds));
    // The overhead of each pair, then their median and spread: pairs cancel the slow drifts that
    // medians of each side taken apart do not.
    const pairs = rounds.on
      .map((on, i) => on.seconds / rounds.off[i]!.seconds - 1)
      .sort((a, b) => a - b);
    const pct = (x: number): number => Math.round(x * 1000) / 10;
    const interval = medianInterval95(pairs, new SeededRng(1));
    const loss = (overhead: number): number => 1 - 1 / (1 + overhead);
    const first = rounds.on[0]!;
    return {
      bench: 'pipeline',
      rounds: options.rounds,
      writer_cpu: options.writerCpu,
      ticks: first.ticks,
      orders: first.orders,
      events_captured: first.events,
      ticks_per_s_capture_off: Math.round(first.ticks / seconds('off')),
      ticks_per_s_capture_on: Math.round(first.ticks / seconds('on')),
      orders_per_s_capture_off: Math.round(first.orders / seconds('off')),
      orders_per_s_capture_on: Math.round(first.orders / seconds('on')),
      overhead_pct: pct(median(pairs)),
      overhead_pct_ci95: interval.map(pct),
      ticks_per_s_loss_pct: pct(loss(median(pairs))),
      ticks_per_s_loss_pct_ci95: interval.map((x) => pct(loss(x))),
      overhead_pct_pairs_min: pct(pairs[0]!),
      overhead_pct_pairs_max: pct(pairs[pairs.length - 1]!),
      overhead_pct_of_medians: pct(seconds('on') / seconds('off') - 1),
      // Where an overhead comes from: this process's own CPU per round, or the writer's
      // contention for the machine.
      pipeline_cpu_s_capture_off: median(rounds.off.map((r) => r.cpuSeconds)),
      pipeline_cpu_s_capture_on: median(rounds.on.map((r) => r.cpuSeconds)),
      node: process.version,
      cpus: os.availableParallelism(),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
