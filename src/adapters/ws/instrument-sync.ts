/**
 * @module
 * The sequence discipline of one subscribed instrument: wait for a snapshot (buffering the
 * updates that come first), then apply only the update whose `seq` is the next one. A later
 * `seq` is a gap, and the caller resynchronises from a fresh snapshot; an earlier one is stale
 * and ignored. Pure state: the client decides what to send and what to emit.
 */
import { LocalBook } from './local-book.js';
import type { SnapshotMessage, UpdateMessage } from './messages.js';

export type SyncState = 'awaiting-snapshot' | 'live';

/** What an update did. */
export type UpdateOutcome =
  | { readonly kind: 'applied' }
  | { readonly kind: 'buffered' }
  | { readonly kind: 'stale' }
  | { readonly kind: 'gap'; readonly expectedSeq: number; readonly receivedSeq: number };

/** What a snapshot did: the buffered updates it applied, or the gap they showed. */
export type SnapshotOutcome =
  | { readonly kind: 'applied'; readonly replayed: readonly UpdateMessage[] }
  | { readonly kind: 'gap'; readonly expectedSeq: number; readonly receivedSeq: number };

export class InstrumentSync {
  readonly instrument: string;
  readonly book = new LocalBook();
  readonly #maxBuffered: number;
  #state: SyncState = 'awaiting-snapshot';
  #lastSeq = 0;
  #buffer: UpdateMessage[] = [];

  constructor(instrument: string, maxBuffered: number) {
    this.instrument = instrument;
    this.#maxBuffered = maxBuffered;
  }

  get state(): SyncState {
    return this.#state;
  }

  /** The `seq` the local book reflects. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Forget the stream position: the next snapshot starts over. */
  await(): void {
    this.#state = 'awaiting-snapshot';
    this.#buffer = [];
  }

  onSnapshot(message: SnapshotMessage): SnapshotOutcome {
    this.book.reset(message.bids, message.asks);
    this.#lastSeq = message.seq;
    this.#state = 'live';
    const buffered = this.#buffer;
    this.#buffer = [];
    const replayed: UpdateMessage[] = [];
    for (const update of buffered) {
      if (update.seq <= this.#lastSeq) continue;
      if (update.seq !== this.#lastSeq + 1) {
        this.await();
        return { kind: 'gap', expectedSeq: this.#lastSeq + 1, receivedSeq: update.seq };
      }
      this.#applyNext(update);
      replayed.push(update);
    }
    return { kind: 'applied', replayed };
  }

  onUpdate(message: UpdateMessage): UpdateOutcome {
    if (this.#state === 'awaiting-snapshot') {
      // Updates older than the coming snapshot are dropped when it arrives; past the bound the
      // oldest go first, since the snapshot will be newer than them anyway.
      if (this.#buffer.length >= this.#maxBuffered) this.#buffer.shift();
      this.#buffer.push(message);
      return { kind: 'buffered' };
    }
    if (message.seq <= this.#lastSeq) return { kind: 'stale' };
    if (message.seq !== this.#lastSeq + 1) {
      const expectedSeq = this.#lastSeq + 1;
      this.await();
      this.#buffer.push(message);
      return { kind: 'gap', expectedSeq, receivedSeq: message.seq };
    }
    this.#applyNext(message);
    return { kind: 'applied' };
  }

  /** A heartbeat's `seq`: beyond ours means updates were lost after our last one. */
  checkHeartbeat(seq: number): Extract<UpdateOutcome, { kind: 'gap' }> | undefined {
    if (this.#state !== 'live' || seq <= this.#lastSeq) return undefined;
    const expectedSeq = this.#lastSeq + 1;
    this.await();
    return { kind: 'gap', expectedSeq, receivedSeq: seq };
  }

  #applyNext(message: UpdateMessage): void {
    this.book.apply(message.levels);
    this.#lastSeq = message.seq;
  }
}
