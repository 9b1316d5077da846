/**
 * @module
 * Checkpoints of the store's write-ahead log on a thread of their own. SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold: every 35–40k entries one append
 * took 50–150 ms longer, and the ledger, one batch ahead, waited that long. WAL mode lets another
 * connection checkpoint beside the writer, so the writer only asks for one each time enough has
 * been written since the last. Its own automatic checkpoint stays, at a larger size, as the
 * backstop should the thread fall behind or fail.
 */
import type { Worker } from 'node:worker_threads';

import type Database from 'better-sqlite3';

import { spawnSiblingWorker } from '../../runtime/spawn-worker.js';
import { setWalAutocheckpoint, WAL_AUTOCHECKPOINT_BYTES } from './schema.js';

/** Line bytes written between two checkpoint requests. */
export const CHECKPOINT_EVERY_BYTES = 16 * 1024 * 1024;
/** The WAL the writer's own automatic checkpoint lets build up once the thread is there. */
export const BACKSTOP_BYTES = 256 * 1024 * 1024;

/**
 * The checkpoint state shared with the thread: no checkpoint running, one running, failed. Read
 * from shared memory, not from a message: a writer that never yields to its event loop (an inline
 * store under a tight append loop) would see a message only at the end.
 */
export const IDLE = 0;
export const RUNNING = 1;
export const FAILED = 2;

export interface WalCheckpointerOptions {
  /** Line bytes between requests; {@link CHECKPOINT_EVERY_BYTES} unless a test says otherwise. */
  readonly everyBytes?: number;
}

export class WalCheckpointer {
  readonly #db: Database.Database;
  readonly #everyBytes: number;
  #requests = 0;
  #worker: Worker | undefined;
  #written = 0;
  readonly #state = new Int32Array(new SharedArrayBuffer(4));
  /** The thread failed: the writer's automatic checkpoint does the work again. */
  #broken = false;
  #closed = false;
  #exited: Promise<void> | undefined;

  /** For the write connection `db`, whose file the thread opens a connection of its own to. */
  constructor(db: Database.Database, options: WalCheckpointerOptions = {}) {
    this.#db = db;
    this.#everyBytes = options.everyBytes ?? CHECKPOINT_EVERY_BYTES;
  }

  /** How many checkpoints were asked of the thread. */
  get requests(): number {
    return this.#requests;
  }

  /** Whether the thread failed, leaving checkpoints to the writer's own. */
  get broken(): boolean {
    return this.#broken;
  }

  /** Whether a checkpoint asked for is still running. */
  get running(): boolean {
    return Atomics.load(this.#state, 0) === RUNNING;
  }

  /** Tells how many line bytes a commit wrote; asks for a checkpoint when enough have been. */
  noteWritten(bytes: number): void {
    this.#written += bytes;
    if (this.#written < this.#everyBytes || this.#broken || this.#closed) return;
    const state = Atomics.load(this.#state, 0);
    if (state === FAILED) this.#giveUp();
    if (state !== IDLE) return;
    this.#written = 0;
    this.#requests++;
    Atomics.store(this.#state, 0, RUNNING);
    if (this.#worker === undefined) {
      this.#worker = this.#start();
      setWalAutocheckpoint(this.#db, BACKSTOP_BYTES);
    }
    this.#worker.postMessage('checkpoint');
  }

  #start(): Worker {
    const worker = spawnSiblingWorker(import.meta.url, 'wal-checkpoint-thread', {
      file: this.#db.name,
      state: this.#state.buffer,
    });
    // A checkpoint is upkeep: it must not keep a process alive that has nothing else to do.
    worker.unref();
    worker.on('error', () => this.#giveUp());
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    return worker;
  }

  #giveUp(): void {
    if (this.#broken) return;
    this.#broken = true;
    try {
      setWalAutocheckpoint(this.#db, WAL_AUTOCHECKPOINT_BYTES);
    } catch {
      // The connection is closing; nothing is left to checkpoint for.
    }
  }

  /** Ends the thread once its checkpoint, if one is running, is done: before the writer closes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#worker === undefined) return;
    // Held alive until the thread has closed its connection, so that the writer's close, the last
    // one, finds the log checkpointed and removes it.
    this.#worker.ref();
    this.#worker.postMessage('close');
    await this.#exited;
  }
}
