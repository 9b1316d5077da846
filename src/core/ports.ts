/**
 * @module
 * The ports through which the pure core reaches the outside: the event store, the clock, the
 * randomness source. Storage backends and composition roots implement them; the core never
 * imports an implementation.
 */
import { toHex } from './bytes.js';
import type { SealedEntry, UnlinkedEntry } from './chain/entry-codec.js';
import { InternalError } from './errors.js';
import { GENESIS_PREV } from './events/envelope.js';
import { EMPTY_TREE_ROOT } from './merkle/hashing.js';
import type { MerkleNode, MerkleNodeSource } from './merkle/node-source.js';

/** A signed checkpoint as stored: its tree size and the signed-note text. */
export interface StoredCheckpoint {
  readonly size: number;
  readonly note: string;
}

export const SNAPSHOT_FORMAT = 'deltatrace.snapshot.v1';

/**
 * The acknowledged state of a log after a batch: what a store persists atomically with the batch,
 * and what an append needs to continue without reading the log back.
 */
export interface StoreSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  /** Checkpoint origin line: the log's unique name. */
  readonly origin: string;
  /** Entries in the log. */
  readonly size: number;
  /** Hash (hex) of the last entry; 64 zeros when empty. */
  readonly head_hash: string;
  /** RFC 9162 root (hex) of the log's `size` entries. */
  readonly root: string;
  /** Hex roots of the perfect subtrees of the tree's binary decomposition, largest first. */
  readonly frontier: readonly string[];
  /** Entries per type, keys sorted. */
  readonly type_counts: Readonly<Record<string, number>>;
  readonly latest_checkpoint: StoredCheckpoint | null;
}

/** The snapshot of an empty log with the given origin. */
export function emptySnapshot(origin: string): StoreSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    origin,
    size: 0,
    head_hash: GENESIS_PREV,
    root: toHex(EMPTY_TREE_ROOT),
    frontier: [],
    type_counts: {},
    latest_checkpoint: null,
  };
}

export interface AppendBatch {
  /**
   * The batch's entries, sealed by the ledger; or null, for a store that keeps the chain itself
   * ({@link EventStore.keepsChain}), which then links `unlinked` to its own head.
   */
  readonly entries: readonly SealedEntry[] | null;
  /** The batch's entries but for their chain links; null when `entries` holds them sealed. */
  readonly unlinked: readonly UnlinkedEntry[] | null;
  /**
   * Merkle nodes completed by this batch that the store persists (MERKLE_NODE_STRIDE levels); or
   * null, for a store that keeps the tree itself ({@link EventStore.keepsTree}), which then
   * extends it with the entries' hashes.
   */
  readonly nodes: readonly MerkleNode[] | null;
  /**
   * The snapshot after this batch; persisted in the same atomic step. When `nodes` is null its
   * `root` and `frontier` are not the batch's, and when `entries` is null neither is its
   * `head_hash`: the store puts its own tree's and chain's there.
   */
  readonly snapshot: StoreSnapshot;
}

/** Entries in a batch, sealed or not. */
export function batchCount(batch: AppendBatch): number {
  return (batch.entries ?? batch.unlinked ?? []).length;
}

/** The seq of a batch's first entry (the log's size before it). */
export function batchFirstSeq(batch: AppendBatch): number {
  return batch.snapshot.size - batchCount(batch);
}

/** The content id of a batch's entry `i`. */
export function batchIdAt(batch: AppendBatch, i: number): string {
  return (batch.entries ?? batch.unlinked!)[i]!.id;
}

/**
 * The nodes of a batch for a store that does not keep the tree itself.
 * @throws INTERNAL for a batch sealed without them
 */
export function sealedNodesOf(batch: AppendBatch, backend: string): readonly MerkleNode[] {
  if (batch.nodes === null) {
    throw new InternalError('INTERNAL', `a ${backend} store does not keep the Merkle tree itself`, {
      details: { backend },
    });
  }
  return batch.nodes;
}

/**
 * The sealed entries of a batch for a store that does not keep the chain itself.
 * @throws INTERNAL for a batch of entries left for the store to link
 */
export function sealedEntriesOf(batch: AppendBatch, backend: string): readonly SealedEntry[] {
  if (batch.entries === null) {
    throw new InternalError('INTERNAL', `a ${backend} store does not keep the hash chain itself`, {
      details: { backend },
    });
  }
  return batch.entries;
}

/** How often an append reaches stable storage. */
export const DURABILITY_MODES = ['batch', 'event'] as const;
export type Durability = (typeof DURABILITY_MODES)[number];

export interface EntryFilter {
  readonly type?: string;
  readonly run?: string;
  /** Inclusive. */
  readonly fromSeq?: number;
  /** Inclusive. */
  readonly toSeq?: number;
}

/** Entry texts in one run of UTF-8 bytes, each but the last followed by a newline. */
export interface PackedEntries {
  readonly bytes: Buffer;
  /** How many texts. */
  readonly count: number;
}

/**
 * An append-only store of log entries. Every backend passes the shared conformance suite.
 * Appends are atomic per batch: after a crash the store holds exactly the acknowledged batches
 * (with `event` durability, a crash inside a batch may keep a prefix of it, each entry whole).
 */
export interface EventStore extends MerkleNodeSource {
  readonly backend: string;
  /**
   * Whether the store extends the Merkle tree itself, so the ledger may hand it batches without
   * nodes: a store that writes in a process of its own takes that work off the caller's thread.
   * A store that does not keeps tree-less batches out with INTERNAL.
   */
  readonly keepsTree: boolean;
  /**
   * Whether the store also links entries to its own head and hashes them, so the ledger may hand
   * it entries without their links: implies {@link keepsTree}. A store that does not keeps
   * unsealed batches out with INTERNAL.
   */
  readonly keepsChain: boolean;
  /** The latest acknowledged snapshot. */
  snapshot(): Promise<StoreSnapshot>;
  /** Makes the batch durable; resolves with the snapshot persisted with it. */
  append(batch: AppendBatch): Promise<StoreSnapshot>;
  /** Which of `ids` are already in the log. */
  findIds(ids: readonly string[]): Promise<ReadonlySet<string>>;
  /** Stored entry texts in storage order, in chunks. Trusts nothing: verification reads this. */
  scan(chunkSize?: number): AsyncIterable<readonly string[]>;
  /** Entry texts matching a filter, in seq order, in chunks. */
  query(filter: EntryFilter, chunkSize?: number): AsyncIterable<readonly string[]>;
  /**
   * {@link query}'s texts packed, where a backend hands them out so for less than a string each
   * (a reader that reads them in place saves the rest): the same texts in the same order, in
   * chunks of about `chunkSize` positions.
   */
  queryPacked?(filter: EntryFilter, chunkSize?: number): AsyncIterable<PackedEntries>;
  readEntry(seq: number): Promise<string | undefined>;
  putCheckpoint(checkpoint: StoredCheckpoint, snapshot: StoreSnapshot): Promise<void>;
  /** All checkpoints, by ascending size. */
  listCheckpoints(): Promise<readonly StoredCheckpoint[]>;
  /** Observations about the stored bytes that are not findings (e.g. an unacknowledged tail). */
  notes(): Promise<readonly string[]>;
  close(): Promise<void>;
}

/** Time source. Live runs read a system clock; replay feeds recorded time. */
export interface Clock {
  /** Wall-clock epoch nanoseconds. */
  wallNs(): bigint;
  /** Monotonic nanoseconds (arbitrary origin, never decreasing). */
  monoNs(): bigint;
}

/** Seeded randomness. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Fills `bytes` with random bytes. */
  fill(bytes: Uint8Array): Uint8Array;
}

/** A timer set on a {@link Scheduler}. Cancelling a timer that already fired does nothing. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Timers on an injected clock. Live runs use real timers; simulations and replays use a virtual
 * scheduler whose time moves only from one due timer to the next, so every session, heartbeat and
 * network delay they drive happens at the same instant and in the same order on every run.
 */
export interface Scheduler {
  readonly clock: Clock;
  /**
   * Runs `task` once, `delayNs` (≥ 0) after the clock's monotonic now. Tasks due at the same
   * instant run in the order they were set.
   */
  setTimer(delayNs: bigint, task: () => void): TimerHandle;
}
