/**
 * @module
 * Capture in a background process: the pipeline's thread only numbers records and hands them
 * over in batches, in the compact form of ./record-codec.ts, through a pipe; the content ids,
 * validation, hashing, Merkle tree and durable writes happen in a writer process
 * (./capture-writer.ts) at a lower scheduling priority. A process rather than a worker thread:
 * on two cores, a worker's allocation-heavy work slowed the pipeline's thread by 60–100% through
 * the garbage collectors the two isolates share the machine with, and a lower-priority process
 * by under 10%. The writer also outlives a pipeline that crashes: it writes what it received.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

import { DeltaTraceError, type Durability, InternalError } from '../../core/index.js';
import type { CaptureRecord, CaptureSink, EventRef } from '../../pipeline/index.js';
import { spawnSiblingProcess } from '../../runtime/spawn-process.js';
import type { CaptureWriterConfig, FromWriter, ToWriter, WriterState } from './capture-protocol.js';
import { encodeFrame } from './frames.js';
import { RecordEncoder } from './record-codec.js';

export interface BackgroundCaptureOptions {
  /** A store directory that exists and that nothing else writes to while capturing. */
  readonly dir: string;
  readonly run: string;
  /** Records per ledger batch (default 1000). */
  readonly batchSize?: number;
  /** Records per hand-over to the writer (default 256). */
  readonly handOver?: number;
  readonly durability?: Durability;
  /** Niceness of the writer process (default 10; 0 keeps the caller's priority). */
  readonly niceness?: number;
  /**
   * `last` (the default): the writer process and all its threads run on the highest CPU this
   * process may use, leaving the others to the pipeline; `any`: wherever the system puts them.
   */
  readonly cpu?: 'last' | 'any';
}

interface Waiter {
  readonly resolve: (state: WriterState) => void;
  readonly reject: (error: Error) => void;
}

export class BackgroundCapture implements CaptureSink {
  readonly #child: ChildProcess;
  readonly #handOver: number;
  readonly #waiting = new Map<number, Waiter>();
  readonly #encoder = new RecordEncoder();
  readonly #exited: Promise<number | null>;
  #next = 0;
  #flushNo = 0;
  #gone: Error | undefined;
  /** What the writer answered when it could not start (no store, a locked one…). */
  #startFailure: DeltaTraceError | undefined;

  private constructor(child: ChildProcess, handOver: number) {
    this.#child = child;
    this.#handOver = handOver;
    createInterface({ input: child.stdout! }).on('line', (line) =>
      this.#answer(JSON.parse(line) as FromWriter),
    );
    this.#exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.once('exit', (code, signal) => {
      this.#gone =
        this.#startFailure ??
        new InternalError('INTERNAL', 'the capture writer process exited', {
          details: { code: code ?? -1, signal: signal ?? '' },
        });
      for (const waiter of this.#waiting.values()) waiter.reject(this.#gone);
      this.#waiting.clear();
    });
    // A broken pipe shows as the exit above; the stream error itself adds nothing.
    child.stdin!.on('error', () => undefined);
  }

  static start(options: BackgroundCaptureOptions): BackgroundCapture {
    const config: CaptureWriterConfig = {
      dir: options.dir,
      run: options.run,
      batchSize: options.batchSize ?? 1000,
      durability: options.durability ?? 'batch',
    };
    const child = spawnSiblingProcess(import.meta.url, 'capture-writer', [JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'inherit'],
      niceness: options.niceness ?? 10,
      cpu: options.cpu ?? 'last',
    });
    return new BackgroundCapture(child, options.handOver ?? 256);
  }

  record(record: CaptureRecord): EventRef {
    this.#encoder.add(record);
    if (this.#encoder.count >= this.#handOver) this.#send();
    return this.#next++;
  }

  get count(): number {
    return this.#next;
  }

  /**
   * Resolves once everything recorded so far is durable, with the ledger's size and root.
   * @throws the writer's first failure, as a DeltaTraceError with its code
   */
  flush(): Promise<WriterState> {
    this.#send();
    if (this.#gone !== undefined) return Promise.reject(this.#gone);
    const id = this.#flushNo++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#post({ kind: 'flush', id });
    });
  }

  /**
   * Resolves once the writer process is up with the ledger open (a flush of nothing): a run that
   * waits for it does not share its first moments with the writer's start.
   */
  ready(): Promise<WriterState> {
    return this.flush();
  }

  /** Flushes, then ends the writer process and waits for it to exit. */
  async close(): Promise<WriterState> {
    try {
      return await this.flush();
    } finally {
      this.#child.stdin!.end();
      await this.#exited;
    }
  }

  #send(): void {
    if (this.#encoder.count === 0) return;
    this.#post({ kind: 'records', batch: this.#encoder.take() });
  }

  #post(message: ToWriter): void {
    if (this.#gone === undefined) this.#child.stdin!.write(encodeFrame(message));
  }

  #answer(message: FromWriter): void {
    if (message.id === null) {
      if (message.kind === 'failed') this.#startFailure = toError(message);
      return;
    }
    const waiter = this.#waiting.get(message.id);
    this.#waiting.delete(message.id);
    if (waiter === undefined) return;
    if (message.kind === 'flushed') {
      waiter.resolve({ size: message.size, root: message.root, captured: message.captured });
    } else {
      waiter.reject(toError(message));
    }
  }
}

function toError(message: Extract<FromWriter, { kind: 'failed' }>): DeltaTraceError {
  return new DeltaTraceError(message.code, message.message, {
    ...(message.details === null ? {} : { details: message.details }),
  });
}
