/**
 * The capture benchmark: the pipeline (VWAP strategy, router, risk, order manager) trading two
 * sandbox venues with seeded simulated markets, in process and on virtual time, run with capture
 * off, in a background writer process (what live runs use), and in process on the pipeline's own thread. The
 * pipeline's own time is measured inside `onInput` (the markets and venues are outside it), so
 * `overhead_pct` is what capture adds to the pipeline, and `capture_ns_per_event` what each
 * captured event costs the pipeline's thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BackgroundCapture } from '../dist/cli/capture/background-capture.js';
import { createCoreRegistry, Ledger } from '../dist/core/index.js';
import {
  type CaptureSink,
  LedgerCapture,
  NullCapture,
  registerPipelineEventTypes,
} from '../dist/pipeline/index.js';
import { createStore } from '../dist/storage/index.js';
import { runInProcessWorld } from './in-process-world.js';
import { median } from './stats.js';

export interface CaptureBenchOptions {
  /** Simulated seconds of trading per run. */
  readonly seconds: number;
  readonly rounds: number;
}

type Mode = 'off' | 'threaded' | 'inline';

interface RunResult {
  readonly mode: Mode;
  readonly ticks: number;
  readonly orders: number;
  readonly events: number;
  readonly pipelineSeconds: number;
  readonly loopSeconds: number;
  readonly drainSeconds: number;
}

async function captureFor(
  mode: Mode,
  dir: string,
): Promise<{ sink: CaptureSink; close: () => Promise<number> }> {
  if (mode === 'off') {
    const sink = new NullCapture();
    return { sink, close: () => Promise.resolve(sink.count) };
  }
  const store = await createStore(dir, { backend: 'sqlite', origin: 'deltatrace/bench-capture' });
  if (mode === 'threaded') {
    await store.close();
    const sink = BackgroundCapture.start({ dir, run: 'bench' });
    return { sink, close: async () => (await sink.close()).size };
  }
  const ledger = await Ledger.open(store, {
    registry: registerPipelineEventTypes(createCoreRegistry()),
    clock: { wallNs: () => 0n, monoNs: () => 0n },
  });
  const sink = new LedgerCapture(ledger, { run: 'bench' });
  return {
    sink,
    close: async () => {
      await sink.flush();
      await store.close();
      return ledger.snapshot.size;
    },
  };
}

async function runOnce(mode: Mode, seconds: number, work: string): Promise<RunResult> {
  const capture = await captureFor(mode, path.join(work, `${mode}-${process.hrtime.bigint()}`));
  let pipelineNs = 0n;
  const world = runInProcessWorld({
    seconds,
    capture: capture.sink,
    onInput: (input, deliver) => {
      const start = process.hrtime.bigint();
      deliver(input);
      pipelineNs += process.hrtime.bigint() - start;
    },
  });
  const loopEnd = process.hrtime.bigint();
  const { pipeline, ticks } = world;
  const events = await capture.close();
  const drainEnd = process.hrtime.bigint();
  return {
    mode,
    ticks,
    orders: pipeline.stats.ordersSent,
    events,
    pipelineSeconds: Number(pipelineNs) / 1e9,
    loopSeconds: world.loopSeconds,
    drainSeconds: Number(drainEnd - loopEnd) / 1e9,
  };
}

export async function runCaptureBench(
  options: CaptureBenchOptions,
): Promise<Record<string, unknown>> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-bench-capture-'));
  try {
    const results: Record<Mode, RunResult[]> = { off: [], threaded: [], inline: [] };
    for (let round = 0; round < options.rounds; round++) {
      for (const mode of ['off', 'threaded', 'inline'] as const) {
        (globalThis as { gc?: () => void }).gc?.();
        const result = await runOnce(mode, options.seconds, work);
        results[mode].push(result);
        process.stderr.write(
          `round ${round + 1} ${mode}: ${result.ticks} ticks, ${result.events} events, pipeline ${result.pipelineSeconds.toFixed(3)} s, loop ${result.loopSeconds.toFixed(3)} s, drain ${result.drainSeconds.toFixed(3)} s\n`,
        );
      }
    }
    const first = results.off[0]!;
    const pipelineS = (mode: Mode): number => median(results[mode].map((r) => r.pipelineSeconds));
    const loopS = (mode: Mode): number => median(results[mode].map((r) => r.loopSeconds));
    const events = results.threaded[0]!.events;
    const round = (value: number, digits = 0): number =>
      Math.round(value * 10 ** digits) / 10 ** digits;
    return {
      bench: 'capture',
      simulated_seconds: options.seconds,
      rounds: options.rounds,
      ticks: first.ticks,
      orders: first.orders,
      events_captured: events,
      pipeline_ticks_per_s_off: round(first.ticks / pipelineS('off')),
      pipeline_ticks_per_s_threaded: round(first.ticks / pipelineS('threaded')),
      pipeline_ticks_per_s_inline: round(first.ticks / pipelineS('inline')),
      pipeline_orders_per_s_off: round(first.orders / pipelineS('off')),
      pipeline_orders_per_s_threaded: round(first.orders / pipelineS('threaded')),
      overhead_pct_threaded: round((pipelineS('threaded') / pipelineS('off') - 1) * 100, 1),
      overhead_pct_inline: round((pipelineS('inline') / pipelineS('off') - 1) * 100, 1),
      capture_ns_per_event_threaded: round(
        ((pipelineS('threaded') - pipelineS('off')) * 1e9) / events,
      ),
      capture_ns_per_event_inline: round(((pipelineS('inline') - pipelineS('off')) * 1e9) / events),
      loop_ticks_per_s_off: round(first.ticks / loopS('off')),
      loop_ticks_per_s_threaded: round(first.ticks / loopS('threaded')),
      writer_drain_s_threaded: round(median(results.threaded.map((r) => r.drainSeconds)), 3),
      writer_events_per_s_threaded: round(
        events / median(results.threaded.map((r) => r.loopSeconds + r.drainSeconds)),
      ),
      node: process.version,
      cpus: os.availableParallelism(),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
