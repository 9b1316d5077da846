/**
 * @module
 * Capture on a writer thread: the pipeline's thread only numbers records and hands them over in
 * batches, in the compact form of ./record-codec.ts; the content ids, validation, hashing, Merkle tree and durable writes happen on the
 * writer (./capture-writer.ts), on the other core. This is what keeps capture from slowing the
 * pipeline it records.
 */
import type { Worker } from 'node:worker_threads';

import { DeltaTraceError, type Durability } from '../../core/index.js';
import type { CaptureRecord, CaptureSink, EventRef } from '../../pipeline/index.js';
import { spawnSiblingWorker } from '../../runtime/spawn-worker.js';
import type { CaptureWorkerData, FromWriter, ToWriter, WriterState } from './capture-protocol.js';
import { RecordEncoder } from './record-codec.js';

export interface ThreadedCaptureOptions {
  /** A store directory that exists and that nothing else writes to while capturing. */
  readonly dir: string;
  readonly run: string;
  /** Records per ledger batch (default 1000). */
  readonly batchSize?: number;
  /** Records per hand-over to the writer (default 256). */
  readonly handOver?: number;
  readonly durability?: Durability;
}

export class ThreadedLedgerCapture implements CaptureSink {
  readonly #worker: Worker;
  readonly #handOver: number;
  readonly #waiting = new Map<
    number,
    { resolve: (s: WriterState) => void; reject: (e: Error) => void }
  >();
  readonly #encoder = new RecordEncoder();
  #next = 0;
  #flushNo = 0;
  #crashed: Error | undefined;

  private constructor(worker: Worker, handOver: number) {
    this.#worker = worker;
    this.#handOver = handOver;
    worker.on('message', (message: FromWriter) => this.#answer(message));
    worker.on('error', (error: Error) => {
      this.#crashed = error;
      for (const waiter of this.#waiting.values()) waiter.reject(error);
      this.#waiting.clear();
    });
  }

  static start(options: ThreadedCaptureOptions): ThreadedLedgerCapture {
    const data: CaptureWorkerData = {
      dir: options.dir,
      run: options.run,
      batchSize: options.batchSize ?? 1000,
      durability: options.durability ?? 'batch',
    };
    return new ThreadedLedgerCapture(
      spawnSiblingWorker(import.meta.url, 'capture-writer', data),
      options.handOver ?? 256,
    );
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
    if (this.#crashed !== undefined) return Promise.reject(this.#crashed);
    const id = this.#flushNo++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#post({ kind: 'flush', id });
    });
  }

  /** Flushes, then stops the writer thread. */
  async close(): Promise<WriterState> {
    try {
      return await this.flush();
    } finally {
      await this.#worker.terminate();
    }
  }

  #send(): void {
    if (this.#encoder.count === 0) return;
    const batch = this.#encoder.take();
    this.#worker.postMessage({ kind: 'records', batch } satisfies ToWriter, [
      batch.numbers.buffer as ArrayBuffer,
      batch.times.buffer as ArrayBuffer,
    ]);
  }

  #post(message: ToWriter): void {
    this.#worker.postMessage(message);
  }

  #answer(message: FromWriter): void {
    if (message.id === null) return;
    const waiter = this.#waiting.get(message.id);
    this.#waiting.delete(message.id);
    if (waiter === undefined) return;
    if (message.kind === 'flushed') {
      waiter.resolve({ size: message.size, root: message.root, captured: message.captured });
    } else {
      waiter.reject(
        new DeltaTraceError(message.code, message.message, {
          ...(message.details === null ? {} : { details: message.details }),
        }),
      );
    }
  }
}
