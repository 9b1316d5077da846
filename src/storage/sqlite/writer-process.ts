/**
 * The caller's side of a SQLite writer process (./sqlite-writer.ts): starts it, hands it each
 * batch as one frame through a spool file and resolves when it answers that the batch is durable.
 * A process rather than a worker thread: on two cores, a worker's garbage collection slowed the
 * caller's thread through the collectors the two isolates share the machine with; a process's
 * does not. Requests are answered in order; if the process exits, every request pending or made
 * later fails with STORE_IO.
 */
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

import {
  type AppendBatch,
  type DeltaTraceError,
  StorageError,
  type StoredCheckpoint,
} from '../../core/index.js';
import { spawnSiblingProcess } from '../../runtime/spawn-process.js';
import type { TreeHead } from './batch-writer.js';
import { encodeAppendFrame, encodeCheckpointFrame, encodeNotice } from './writer-frames.js';
import { parseWriterReply, toWriterError, type WriterReply } from './writer-protocol.js';

/** A request's answer: how far id_index reaches, and the tree after a batch sent without nodes. */
export interface WriterAnswer {
  readonly indexedUpto: number;
  readonly tree: TreeHead | null;
}

interface Waiter {
  readonly resolve: (answer: WriterAnswer) => void;
  readonly reject: (error: Error) => void;
}

export interface WriterProcessOptions {
  readonly busyTimeoutMs: number;
  /** Niceness of the writer process; 0 keeps the caller's priority. */
  readonly niceness: number;
}

/** tmpfs where there is one: the spool is a hand-over, never meant to reach a disk. */
const SPOOL_PARENT = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

export class SqliteWriterProcess {
  readonly #child: ChildProcess;
  readonly #spool: number;
  readonly #waiting = new Map<number, Waiter>();
  readonly #exited: Promise<void>;
  #next = 0;
  /** Where the frames not yet answered end in the spool file. */
  #spoolEnd = 0;
  #gone: DeltaTraceError | undefined;

  private constructor(child: ChildProcess, spool: number, dir: string, ready: Waiter) {
    this.#child = child;
    this.#spool = spool;
    this.#waiting.set(-1, ready);
    createInterface({ input: child.stdout! }).on('line', (line) => this.#answer(line));
    this.#exited = new Promise((resolve) =>
      child.once('exit', () => {
        closeSync(spool);
        resolve();
      }),
    );
    child.once('exit', (code, signal) => {
      this.#gone ??= new StorageError('STORE_IO', `the SQLite writer process of ${dir} exited`, {
        details: { dir, code: code ?? -1, signal: signal ?? '' },
      });
      for (const waiter of this.#waiting.values()) waiter.reject(this.#gone);
      this.#waiting.clear();
    });
    child.once('error', (error) => {
      this.#gone ??= new StorageError('STORE_IO', `the SQLite writer process of ${dir} failed`, {
        details: { dir },
        cause: error,
      });
      for (const waiter of this.#waiting.values()) waiter.reject(this.#gone);
      this.#waiting.clear();
    });
    // A broken pipe shows as the exit above; the stream error itself adds nothing.
    child.stdin!.on('error', () => undefined);
  }

  /**
   * Starts the writer process on the store in `dir` and waits until its connection is open.
   * Resolves with the process and how far id_index reaches.
   * @throws what opening the store for writing throws (STORE_LOCKED, STORE_CORRUPT, …), or
   *   STORE_IO when the process cannot start
   */
  static async start(
    dir: string,
    options: WriterProcessOptions,
  ): Promise<{ writer: SqliteWriterProcess; indexedUpto: number }> {
    const spoolDir = mkdtempSync(path.join(SPOOL_PARENT, 'deltatrace-writer-'));
    const spoolPath = path.join(spoolDir, 'spool');
    try {
      const spool = openSync(spoolPath, 'w', 0o600);
      const child = spawnSiblingProcess(
        import.meta.url,
        'sqlite-writer',
        [dir, String(options.busyTimeoutMs), spoolPath],
        { stdio: ['pipe', 'pipe', 'inherit'], niceness: options.niceness },
      );
      let writer: SqliteWriterProcess | undefined;
      const ready = await new Promise<WriterAnswer>((resolve, reject) => {
        writer = new SqliteWriterProcess(child, spool, dir, { resolve, reject });
      });
      return { writer: writer!, indexedUpto: ready.indexedUpto };
    } finally {
      // Both processes hold it open by now (or the writer failed): the name can go.
      rmSync(spoolDir, { recursive: true, force: true });
    }
  }

  /** Resolves once the batch is durable. */
  append(batch: AppendBatch): Promise<WriterAnswer> {
    return this.#request((id) => encodeAppendFrame(id, batch));
  }

  putCheckpoint(checkpoint: StoredCheckpoint, snapshotText: string): Promise<WriterAnswer> {
    return this.#request((id) => encodeCheckpointFrame(id, checkpoint, snapshotText));
  }

  /** Ends the process once it has answered everything sent, and waits for it to exit. */
  async close(): Promise<void> {
    this.#child.stdin!.end();
    await this.#exited;
  }

  #request(encode: (id: number) => Buffer): Promise<WriterAnswer> {
    if (this.#gone !== undefined) return Promise.reject(this.#gone);
    const id = this.#next++;
    const frame = encode(id);
    // With nothing unanswered, the writer has read every frame: the spool starts over.
    const offset = this.#waiting.size === 0 ? 0 : this.#spoolEnd;
    try {
      for (let written = 0; written < frame.length;) {
        written += writeSync(this.#spool, frame, written, frame.length - written, offset + written);
      }
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.#spoolEnd = offset + frame.length;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#child.stdin!.write(encodeNotice({ offset, length: frame.length }));
    });
  }

  #answer(line: string): void {
    let reply: WriterReply;
    try {
      reply = parseWriterReply(line);
    } catch (error) {
      this.#gone = error as DeltaTraceError;
      this.#child.kill();
      return;
    }
    const key = reply.id ?? -1;
    const waiter = this.#waiting.get(key);
    this.#waiting.delete(key);
    if (waiter === undefined) return;
    if (reply.kind === 'failed') waiter.reject(toWriterError(reply));
    else waiter.resolve({ indexedUpto: reply.indexed_upto, tree: reply.tree });
  }
}
