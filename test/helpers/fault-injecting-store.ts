/**
 * A real EventStore with one switch: the next append throws before reaching the store. Lets a test
 * see how the ledger handles a failed write without mocking the store itself.
 */
import type {
  AppendBatch,
  EntryFilter,
  EventStore,
  StoredCheckpoint,
  StoreSnapshot,
} from '../../src/core/ports.js';

export class FaultInjectingStore implements EventStore {
  readonly #inner: EventStore;
  appends = 0;
  failNextAppend = false;
  /** When set, a failing append waits for it before throwing, like a slow disk would. */
  failAfter: Promise<void> | undefined;

  constructor(inner: EventStore) {
    this.#inner = inner;
  }

  get backend(): string {
    return this.#inner.backend;
  }

  get keepsTree(): boolean {
    return this.#inner.keepsTree;
  }

  get keepsChain(): boolean {
    return this.#inner.keepsChain;
  }

  async append(batch: AppendBatch): Promise<StoreSnapshot> {
    this.appends++;
    if (this.failNextAppend) {
      this.failNextAppend = false;
      await this.failAfter;
      throw new Error('injected write failure');
    }
    return this.#inner.append(batch);
  }

  snapshot(): Promise<StoreSnapshot> {
    return this.#inner.snapshot();
  }
  findIds(ids: readonly string[]): Promise<ReadonlySet<string>> {
    return this.#inner.findIds(ids);
  }
  scan(chunkSize?: number): AsyncIterable<readonly string[]> {
    return this.#inner.scan(chunkSize);
  }
  query(filter: EntryFilter, chunkSize?: number): AsyncIterable<readonly string[]> {
    return this.#inner.query(filter, chunkSize);
  }
  readEntry(seq: number): Promise<string | undefined> {
    return this.#inner.readEntry(seq);
  }
  readNodes(level: number, from: number, to: number): Promise<readonly Uint8Array[]> {
    return this.#inner.readNodes(level, from, to);
  }
  putCheckpoint(checkpoint: StoredCheckpoint, snapshot: StoreSnapshot): Promise<void> {
    return this.#inner.putCheckpoint(checkpoint, snapshot);
  }
  listCheckpoints(): Promise<readonly StoredCheckpoint[]> {
    return this.#inner.listCheckpoints();
  }
  notes(): Promise<readonly string[]> {
    return this.#inner.notes();
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}
