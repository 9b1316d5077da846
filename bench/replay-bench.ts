/**
 * The replay benchmark: a run of about N events recorded by the in-process trading world into a
 * SQLite ledger, then replayed — read from the store, every input fed to the strategy, router and
 * risk code again, every output compared by content id — in a process of its own, so its peak RSS
 * is its own, three times (the fastest reported, all three listed). Reported at each size asked
 * for, to show memory staying flat as the run grows.
 *
 * At the largest size the replay runs three times more: once with the entry texts read in
 * JavaScript instead of by the native scan, once under the CPU profiler, whose samples give
 * the cost per event of each part (by the module the time is spent in), and once as the floor —
 * the store read, the read into events, and the pipeline alone, with nothing compared (see
 * replay-child.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
/** Replays of each run timed; the fastest is reported as the run's figure. */
const REPLAYS = 3;

interface ChildResult {
  readonly identical: boolean;
  readonly events: number;
  readonly outputs: number;
  readonly seconds: number;
  readonly rss_mb_peak: number;
}

interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a sample's own time goes, by the module of the function it is in; first match wins. */
const PARTS: readonly (readonly [string, (url: string, name: string) => boolean])[] = [
  ['gc', (_url, name) => name === '(garbage collector)'],
  ['store_read', (url) => url.includes('/dist/storage/') || url.includes('better-sqlite3')],
  [
    'decode',
    (url, name) =>
      url.endsWith('/dist/replay/stored-event.js') ||
      url.endsWith('/dist/replay/event-parser.js') ||
      url.endsWith('/dist/replay/entry-scan.js') ||
      name === 'scan' ||
      name === 'scanBytes',
  ],
  ['compare', (url) => url.includes('/dist/replay/')],
  [
    'output_ids',
    (url) =>
      url.includes('/dist/core/canonical/') ||
      url.includes('/dist/core/chain/') ||
      url.endsWith('/dist/core/bytes.js') ||
      url.startsWith('node:internal/crypto'),
  ],
  [
    'pipeline',
    (url) => ['/dist/pipeline/', '/dist/routing/', '/dist/core/'].some((d) => url.includes(d)),
  ],
];

/** µs per event of each part, from the profile of one replay of `events` events. */
function partsOf(profile: CpuProfile, events: number): Record<string, number> {
  const partOfNode = new Map<number, string>();
  for (const node of profile.nodes) {
    const { url, functionName } = node.callFrame;
    partOfNode.set(node.id, PARTS.find(([, test]) => test(url, functionName))?.[0] ?? 'other');
  }
  const us = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const part = partOfNode.get(id) ?? 'other';
    us.set(part, (us.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const result: Record<string, number> = {};
  for (const [part] of PARTS)
    result[part] = Math.round(((us.get(part) ?? 0) / events) * 1000) / 1000;
  return result;
}

function runChild(
  child: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): string {
  return execFileSync(process.execPath, [...nodeArgs, '--import', 'tsx', child, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** The replay under the CPU profiler: µs per event of each part. */
function profiledParts(child: string, dir: string, work: string): Record<string, number> {
  const profiles = path.join(work, 'profiles');
  const out = JSON.parse(
    runChild(child, [dir, RUN], ['--cpu-prof', `--cpu-prof-dir=${profiles}`]),
  ) as ChildResult;
  // tsx's loader thread writes a profile too; the replay's is the one with the replay in it.
  const candidates = readdirSync(profiles).map(
    (file) => JSON.parse(readFileSync(path.join(profiles, file), 'utf8')) as CpuProfile,
  );
  const profile = candidates.find((p) =>
    p.nodes.some((n) => n.callFrame.url.endsWith('/dist/replay/replayer.js')),
  );
  if (profile === undefined) throw new Error('no profile of the replay was written');
  return partsOf(profile, out.events);
}

export async function runReplayBench(
  options: ReplayBenchOptions,
): Promise<Record<string, unknown>> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-bench-replay-'));
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'replay-child.ts');
  const largest = Math.max(...options.sizes);
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
      // The machine's speed moves by tens of per cent within minutes: the fastest of a few
      // replays is the one least slowed by it, and all of them are reported.
      const replays: ChildResult[] = [];
      for (let i = 0; i < REPLAYS; i++) {
        const out = JSON.parse(runChild(child, [dir, RUN])) as ChildResult;
        if (!out.identical) throw new Error('the benchmark run did not replay identically');
        replays.push(out);
      }
      const out = replays.reduce((best, next) => (next.seconds < best.seconds ? next : best));
      const result: Record<string, unknown> = {
        events: out.events,
        outputs_compared: out.outputs,
        seconds: Math.round(out.seconds * 1000) / 1000,
        seconds_each: replays.map((r) => Math.round(r.seconds * 1000) / 1000),
        events_per_s: Math.round(out.events / out.seconds),
        us_per_event: Math.round((out.seconds / out.events) * 1e9) / 1000,
        rss_mb_peak: Math.max(...replays.map((r) => r.rss_mb_peak)),
      };
      if (size === largest) {
        process.stderr.write('replaying with entries read in JavaScript\n');
        const text = JSON.parse(runChild(child, [dir, RUN, 'text'])) as ChildResult;
        result['events_per_s_text_scan'] = Math.round(text.events / text.seconds);
        process.stderr.write('replaying under the profiler, then the floor\n');
        result['profiled_us_per_event'] = profiledParts(child, dir, work);
        result['floor_us_per_event'] = JSON.parse(runChild(child, [dir, RUN, 'floor'])) as Record<
          string,
          number
        >;
      }
      results.push(result);
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
