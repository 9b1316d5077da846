/**
 * The replay benchmark: a run of about N events recorded by the in-process trading world into a
 * SQLite ledger, then replayed — read from the store, every input fed to the strategy, router and
 * risk code again, every output compared by content id — in a process of its own, so its peak RSS
 * is its own. Reported at each size asked for, to show memory staying flat as the run grows.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BackgroundCapture } from '../dist/cli/capture/background-capture.js';
import { createStore } from '../dist/storage/index.js';
import { runInProcessWorld } from './in-process-world.js';

export interface ReplayBenchOptions {
  /** Approximate run sizes, in events. */
  readonly sizes: readonly number[];
}

/** Events the world records per simulated second (measured: ≈ 4,550). */
const EVENTS_PER_SECOND = 4550;
const RUN = 'bench-replay';

interface ChildResult {
  readonly identical: boolean;
  readonly events: number;
  readonly outputs: number;
  readonly seconds: number;
  readonly rss_mb_peak: number;
}

export async function runReplayBench(
  options: ReplayBenchOptions,
): Promise<Record<string, unknown>> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-bench-replay-'));
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'replay-child.ts');
  try {
    const results: Record<string, unknown>[] = [];
    for (const size of options.sizes) {
      const dir = path.join(work, `run-${size}`);
      await (
        await createStore(dir, { backend: 'sqlite', origin: 'deltatrace/bench-replay' })
      ).close();
      const capture = BackgroundCapture.start({ dir, run: RUN });
      process.stderr.write(`recording ~${size} events\n`);
      runInProcessWorld({ seconds: Math.max(1, Math.ceil(size / EVENTS_PER_SECOND)), capture });
      const recorded = await capture.close();
      process.stderr.write(`replaying ${recorded.size} events\n`);
      const out = JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', child, dir, RUN], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        }),
      ) as ChildResult;
      if (!out.identical) throw new Error('the benchmark run did not replay identically');
      results.push({
        events: out.events,
        outputs_compared: out.outputs,
        seconds: Math.round(out.seconds * 1000) / 1000,
        events_per_s: Math.round(out.events / out.seconds),
        rss_mb_peak: out.rss_mb_peak,
      });
      rmSync(dir, { recursive: true, force: true });
    }
    return {
      bench: 'replay',
      runs: results,
      node: process.version,
      cpus: os.availableParallelism(),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
