/**
 * The capture writer's own cost: the records of a session of the in-process trading world (as in
 * the capture benchmark) are encoded and framed as BackgroundCapture hands them over, saved to a
 * file, and fed to the writer process on its stdin, which decodes, validates, hashes, seals and
 * writes them into a SQLite ledger. Its CPU time per event is what capture asks of the machine
 * beside the pipeline; a run on an empty input gives the process's start-up cost, subtracted.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { CaptureWriterConfig } from '../dist/cli/capture/capture-protocol.js';
import { encodeFrame } from '../dist/cli/capture/frames.js';
import { RecordEncoder } from '../dist/cli/capture/record-codec.js';
import type { CaptureRecord, CaptureSink, EventRef } from '../dist/pipeline/index.js';
import { createStore } from '../dist/storage/index.js';
import { runInProcessWorld } from './in-process-world.js';
import { median } from './stats.js';

export interface CaptureWriterBenchOptions {
  /** Simulated seconds of trading whose records are written. */
  readonly seconds: number;
  readonly rounds: number;
}

const WRITER = fileURLToPath(new URL('../dist/cli/capture/capture-writer.js', import.meta.url));
/** Records per hand-over, as BackgroundCapture's default. */
const HAND_OVER = 256;

/** Records the session's records as the frames BackgroundCapture would send. */
class FramingSink implements CaptureSink {
  readonly #fd: number;
  readonly #encoder = new RecordEncoder();
  #count = 0;

  constructor(fd: number) {
    this.#fd = fd;
  }

  get count(): number {
    return this.#count;
  }

  record(record: CaptureRecord): EventRef {
    this.#encoder.add(record);
    if (this.#encoder.count >= HAND_OVER) this.end();
    return this.#count++;
  }

  end(): void {
    if (this.#encoder.count === 0) return;
    writeSync(this.#fd, encodeFrame({ kind: 'records', batch: this.#encoder.take() }));
  }
}

/** Runs the writer on `input` into a fresh store; its wall and CPU seconds (bash's `times`). */
async function runWriter(
  input: string,
  dir: string,
): Promise<{ wallSeconds: number; cpuSeconds: number }> {
  await (await createStore(dir, { backend: 'sqlite', origin: 'deltatrace/bench-writer' })).close();
  const config: CaptureWriterConfig = { dir, run: 'bench', batchSize: 1000, durability: 'batch' };
  const stdin = openSync(input, 'r');
  const start = process.hrtime.bigint();
  const result = spawnSync(
    'bash',
    [
      '-c',
      '"$@" >/dev/null; status=$?; times; exit $status',
      'bash',
      process.execPath,
      WRITER,
      JSON.stringify(config),
    ],
    { stdio: [stdin, 'pipe', 'inherit'], encoding: 'utf8' },
  );
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(stdin);
  if (result.status !== 0) throw new Error(`the capture writer failed (${result.status})`);
  // `times` prints the shell's user and system time, then its children's.
  const children = result.stdout.trim().split('\n').at(-1)!;
  const cpuSeconds = children
    .split(/\s+/)
    .map((field) => /^(\d+)m([\d.]+)s$/.exec(field))
    .reduce(
      (sum, match) => sum + (match === null ? 0 : Number(match[1]) * 60 + Number(match[2])),
      0,
    );
  return { wallSeconds, cpuSeconds };
}

export async function runCaptureWriterBench(
  options: CaptureWriterBenchOptions,
): Promise<Record<string, unknown>> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-bench-writer-'));
  try {
    const input = path.join(work, 'frames');
    const fd = openSync(input, 'w');
    const sink = new FramingSink(fd);
    runInProcessWorld({ seconds: options.seconds, capture: sink });
    sink.end();
    closeSync(fd);
    const empty = path.join(work, 'empty');
    closeSync(openSync(empty, 'w'));

    const startup: number[] = [];
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      startup.push((await runWriter(empty, path.join(work, `empty-${round}`))).cpuSeconds);
      const run = await runWriter(input, path.join(work, `store-${round}`));
      cpu.push(run.cpuSeconds);
      wall.push(run.wallSeconds);
      process.stderr.write(
        `round ${round + 1}: ${sink.count} events, ${run.cpuSeconds.toFixed(2)} s CPU, ${run.wallSeconds.toFixed(2)} s\n`,
      );
    }
    const startupSeconds = median(startup);
    const round = (value: number, digits: number): number => Number(value.toFixed(digits));
    return {
      bench: 'capture-writer',
      simulated_seconds: options.seconds,
      rounds: options.rounds,
      events: sink.count,
      writer_cpu_us_per_event: round(((median(cpu) - startupSeconds) / sink.count) * 1e6, 2),
      writer_events_per_s: Math.round(sink.count / median(wall)),
      writer_startup_cpu_s: round(startupSeconds, 3),
      node: process.version,
      cpus: os.availableParallelism(),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
