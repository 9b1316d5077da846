/**
 * The ledger benchmark: append throughput against bare SQLite inserts of the same rows in the same
 * batch size (the physical reference, measured in the same run), full verification in a separate
 * process (so its peak RSS is its own), and inclusion proof generation and verification.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';

import { generateSession } from '../dist/cli/demo/trading-session.js';
import {
  createCoreRegistry,
  type EventBody,
  fromHex,
  Ledger,
  parseInclusionProof,
  proveInclusion,
  signCheckpoint,
  signerKeyFromSeed,
  verifyInclusionProof,
} from '../dist/core/index.js';
import { SeededRng } from '../dist/core/rng.js';
import { sha256Backend } from '../dist/core/sha256-backends.js';
import { createStore, openStore } from '../dist/storage/index.js';

export interface LedgerBenchOptions {
  readonly events: number;
  readonly backend: 'sqlite' | 'jsonl';
  readonly batch: number;
  /** Where the SQLite store's writes run (SqliteWriterOptions); JSONL has no writer choice. */
  readonly writer: 'inline' | 'process';
}

const FIXED_CLOCK = { wallNs: () => 0n, monoNs: () => 0n };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function round(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export async function runLedgerBench(
  options: LedgerBenchOptions,
): Promise<Record<string, unknown>> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-bench-'));
  try {
    const storeDir = path.join(work, 'store');
    const signer = signerKeyFromSeed('bench', new Uint8Array(32).fill(7));
    const store = await createStore(storeDir, {
      backend: options.backend,
      origin: 'deltatrace/bench',
      ...(options.backend === 'sqlite' ? { writer: options.writer } : {}),
    });
    const ledger = await Ledger.open(store, { registry: createCoreRegistry(), clock: FIXED_CLOCK });

    const session = generateSession(
      ledger,
      { seed: 1, events: options.events, run: 'bench', approver: signer },
      options.batch,
    );
    // Generated outside the timed section, in slices, so memory stays bounded.
    let appendSeconds = 0;
    // The caller's own CPU in the timed section: with a writer process, the side that decides the
    // throughput when it is the busier one.
    let appendCpuSeconds = 0;
    let done = false;
    while (!done) {
      const slice: EventBody[][] = [];
      for (let i = 0; i < 8; i++) {
        const next = session.next();
        if (next.done === true) {
          done = true;
          break;
        }
        slice.push(next.value);
      }
      // The generator's garbage is not the ledger's cost: collect it before the timed section.
      (globalThis as { gc?: () => void }).gc?.();
      const start = process.hrtime.bigint();
      const cpuStart = process.cpuUsage();
      // Two batches in flight, as the CLI appends: one sealed while the other is written.
      const inFlight: Promise<unknown>[] = [];
      for (const batch of slice) {
        inFlight.push(ledger.append(batch));
        if (inFlight.length > 1) await inFlight.shift();
      }
      await Promise.all(inFlight);
      appendSeconds += seconds(start);
      const cpu = process.cpuUsage(cpuStart);
      appendCpuSeconds += (cpu.user + cpu.system) / 1e6;
      if (ledger.snapshot.size % 100_000 < options.batch * 8) {
        process.stderr.write(`appended ${ledger.snapshot.size}\n`);
      }
    }
    const events = ledger.snapshot.size;
    const { origin, size, root } = ledger.snapshot;
    const note = signCheckpoint({ origin, size, rootHash: fromHex(root) }, signer);
    await ledger.recordCheckpoint(note);

    // The physical reference: the same rows, the same batch size, a bare table, the same pragmas.
    const raw = new Database(path.join(work, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY, line TEXT NOT NULL)');
    const insert = raw.prepare('INSERT INTO t (seq, line) VALUES (?, ?)');
    const insertBatch = raw.transaction((lines: readonly string[], first: number) => {
      for (let i = 0; i < lines.length; i++) insert.run(first + i, lines[i]);
    });
    let rawSeconds = 0;
    let rawRows = 0;
    for await (const lines of store.scan(options.batch)) {
      const start = process.hrtime.bigint();
      insertBatch(lines, rawRows);
      rawSeconds += seconds(start);
      rawRows += lines.length;
    }
    raw.close();

    const rng = new SeededRng(42);
    const proveMs: number[] = [];
    const verifyProofMs: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const seq = rng.int(0, size - 1);
      let start = process.hrtime.bigint();
      const proof = await proveInclusion(store, seq);
      proveMs.push(seconds(start) * 1000);
      const document = parseInclusionProof(JSON.parse(JSON.stringify(proof)));
      start = process.hrtime.bigint();
      verifyInclusionProof(document, note, signer);
      verifyProofMs.push(seconds(start) * 1000);
    }
    await store.close();

    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'verify-child.ts');
    const verify = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', child, storeDir, 'bench'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 16 * 1024 * 1024,
      }),
    ) as { ok: boolean; seconds: number; rss_mb_peak: number; workers: number };
    if (!verify.ok) throw new Error('the benchmark log did not verify');

    const reopened = await openStore(storeDir, { readonly: true });
    await reopened.close();

    return {
      bench: 'ledger',
      backend: options.backend,
      ...(options.backend === 'sqlite' ? { writer: options.writer } : {}),
      batch: options.batch,
      events,
      append_events_per_s: round(events / appendSeconds),
      raw_sqlite_rows_per_s: round(rawRows / rawSeconds),
      append_vs_raw: round(events / appendSeconds / (rawRows / rawSeconds), 3),
      append_caller_cpu_us_per_event: round((appendCpuSeconds / events) * 1e6, 2),
      verify_events_per_s: round(events / verify.seconds),
      verify_workers: verify.workers,
      prove_ms_p50: round(percentile(proveMs, 50), 3),
      prove_ms_p99: round(percentile(proveMs, 99), 3),
      verify_proof_ms_p50: round(percentile(verifyProofMs, 50), 3),
      verify_proof_ms_p99: round(percentile(verifyProofMs, 99), 3),
      rss_mb_peak: verify.rss_mb_peak,
      sha256: sha256Backend.name,
      node: process.version,
      cpus: os.availableParallelism(),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
