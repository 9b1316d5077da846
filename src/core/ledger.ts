/**
 * The ledger: validates event inputs, seals them into the hash chain and the Merkle tree, and
 * hands whole batches to an EventStore. Pure over its ports: the store, the clock and the event
 * type registry are passed in.
 */
import { toHex } from './bytes.js';
import {
  encodeBody,
  type EncodedBody,
  type SealedEntry,
  sealEncoded,
  type UnlinkedEntry,
  unlinkEncoded,
} from './chain/entry-codec.js';
import { InputError, InternalError, StorageError } from './errors.js';
import { type EventBody, type EventInput, EventInputSchema } from './events/envelope.js';
import { toTsNs } from './events/primitives.js';
import { type EventTypeRegistry, formatIssues } from './events/registry.js';
import { atIndex, checkerFrom, type ImportChecker } from './import-check.js';
import { checkLinks } from './link-check.js';
import { hashLeafOfHex, MerkleFrontier, type MerkleNode } from './merkle/index.js';
import {
  type AppendBatch,
  batchCount,
  batchFirstSeq,
  type Clock,
  type Durability,
  type EventStore,
  type StoreSnapshot,
} from './ports.js';

export interface AppendResult {
  readonly first_seq: number;
  readonly count: number;
  readonly ids: readonly string[];
  readonly size: number;
  readonly root: string;
}

interface SealedBatch extends AppendBatch {
  readonly generation: number;
  /** The ids of the append call the batch belongs to, in flight until all its batches are. */
  readonly call: InFlightCall;
}

/** The ids of one append or import call, and how many of its batches are not yet settled. */
interface InFlightCall {
  readonly ids: ReadonlySet<string>;
  unsettled: number;
}

/** A body with its canonical encoding and content id, ready for {@link Ledger.appendPrepared}. */
export interface PreparedBody {
  readonly body: EventBody;
  readonly encoded: EncodedBody;
}

export function prepareBody(body: EventBody): PreparedBody {
  return { body, encoded: encodeBody(body) };
}

export interface LedgerOptions {
  readonly registry: EventTypeRegistry;
  readonly clock: Clock;
  /**
   * `batch` (default): one durable, atomic store write per appended batch (group commit).
   * `event`: one durable write per event; a crash inside a batch may keep a prefix of it.
   */
  readonly durability?: Durability;
}

export class Ledger {
  readonly store: EventStore;
  readonly #registry: EventTypeRegistry;
  readonly #clock: Clock;
  readonly #durability: Durability;
  /** What the store has acknowledged: durable. */
  #acknowledged: StoreSnapshot;
  /** The sealed head: the acknowledged state plus every batch sealed but not yet written. */
  #head: StoreSnapshot;
  #frontier: MerkleFrontier;
  /** Serialises link checks and sealing in call order. */
  #sealTurn: Promise<unknown> = Promise.resolve();
  /** Serialises store writes in seal order. */
  #writeTurn: Promise<unknown> = Promise.resolve();
  /**
   * The ids of calls sealed but not yet acknowledged, a set per call (the one its link check
   * built): later batches may name them as causes. Per call rather than per id, so that sealing
   * and acknowledging a batch costs no set operation per entry.
   */
  readonly #inFlight = new Set<ReadonlySet<string>>();
  /**
   * Whether the sealed head is an unlinked batch's, whose hash only the store (keeping the chain)
   * knows until it has written it: `#head.head_hash` is then the acknowledged one's.
   */
  #headUnlinked = false;
  /** Bumped when a write fails: batches sealed on top of the failed one are void. */
  #generation = 0;

  private constructor(store: EventStore, options: LedgerOptions, snapshot: StoreSnapshot) {
    this.store = store;
    this.#registry = options.registry;
    this.#clock = options.clock;
    this.#durability = options.durability ?? 'batch';
    this.#acknowledged = snapshot;
    this.#head = snapshot;
    this.#frontier = frontierOf(snapshot);
  }

  static async open(store: EventStore, options: LedgerOptions): Promise<Ledger> {
    return new Ledger(store, options, await store.snapshot());
  }

  /** The acknowledged (durable) state of the log. */
  get snapshot(): StoreSnapshot {
    return this.#acknowledged;
  }

  get registry(): EventTypeRegistry {
    return this.#registry;
  }

  /**
   * Validates a batch of raw inputs (e.g. parsed NDJSON lines) into bodies. Errors carry
   * `details.index`, the position in the batch.
   * @throws INPUT_SCHEMA_VIOLATION, INPUT_UNKNOWN_EVENT_TYPE
   */
  parseInputs(raw: readonly unknown[]): EventBody[] {
    return raw.map((value, index) => {
      const parsed = EventInputSchema.safeParse(value);
      if (!parsed.success) {
        throw new InputError('INPUT_SCHEMA_VIOLATION', 'event does not match the envelope', {
          details: { index, issues: formatIssues(parsed.error.issues) },
        });
      }
      return atIndex(index, () => this.#toBody(parsed.data));
    });
  }

  #toBody(input: EventInput): EventBody {
    const typeV = input.type_v ?? this.#registry.latestVersion(input.type);
    const payload = this.#registry.parsePayload(input.type, typeV, input.payload);
    return {
      type: input.type,
      type_v: typeV,
      run: input.run,
      ts: input.ts ?? {
        wall_ns: toTsNs(this.#clock.wallNs()),
        mono_ns: toTsNs(this.#clock.monoNs()),
      },
      source: input.source,
      causes: input.causes ?? [],
      payload,
    };
  }

  /**
   * Appends validated bodies as one atomic batch. A batch with one bad event appends nothing.
   * Resolves once the store has made the batch durable. Calls may overlap: the next batch is
   * checked and sealed while the store writes the previous one; batches are sealed and written
   * in call order, and a failed write fails every batch sealed after it, the ledger going on from
   * its last acknowledged state.
   * @throws INPUT_UNKNOWN_CAUSE when a cause is neither in the log nor earlier in the batch;
   *   INPUT_DUPLICATE_EVENT when an event's id is already in the log or the batch.
   */
  async append(bodies: readonly EventBody[]): Promise<AppendResult> {
    return this.appendPrepared(bodies.map(prepareBody));
  }

  /**
   * {@link append} of bodies already canonicalised by {@link prepareBody}: a producer that needed
   * the ids first (to name them as causes) does not pay for the encoding twice.
   */
  async appendPrepared(prepared: readonly PreparedBody[]): Promise<AppendResult> {
    if (prepared.length === 0) {
      throw new InputError('INPUT_EMPTY', 'nothing to append');
    }
    const bodies = prepared.map((item) => item.body);
    const encoded = prepared.map((item) => item.encoded);
    const batches = await this.#inSealTurn(async () => {
      let generation: number;
      let ids: ReadonlySet<string>;
      do {
        generation = this.#generation;
        ids = await checkLinks(bodies, encoded, [...this.#inFlight], this.store);
      } while (generation !== this.#generation);
      const groups = this.#durability === 'event' ? encoded.map((item) => [item]) : [encoded];
      const call = this.#takeOff(ids, groups.length);
      const make = this.store.keepsChain ? null : sealEncoded;
      return groups.map((group) => this.#seal(group, make, call));
    });
    return this.#writeAll(batches);
  }

  /**
   * Appends entries taken verbatim from another log's export (canonical entry texts), so the
   * result has the same ids, hashes and root. They must continue this log's chain exactly.
   * Errors carry `details.index`.
   * @throws CHAIN_BROKEN, INPUT_UNKNOWN_EVENT_TYPE, INPUT_SCHEMA_VIOLATION
   */
  async importEntries(lines: readonly string[]): Promise<AppendResult> {
    if (lines.length === 0) throw new InputError('INPUT_EMPTY', 'nothing to import');
    const batch = await this.#inSealTurn(async () => {
      // An unlinked head's hash is the store's to tell, once it has written the head.
      if (this.#headUnlinked) await this.#writeTurn;
      const checker = checkerFrom(this.#head, this.#registry);
      const checked = lines.map((line, index) => checker.check(line, index));
      const call = this.#takeOff(new Set(checked.map((entry) => entry.id)), 1);
      return this.#seal(checked, (entry) => entry, call);
    });
    return this.#writeAll([batch]);
  }

  /**
   * A checker for entries to import after the current head, without writing anything: lets a
   * caller validate a whole file before importing any of it.
   */
  importChecker(): ImportChecker {
    if (this.#headUnlinked) {
      throw new InternalError(
        'INTERNAL',
        'an import checker needs the head hash, which the store has not written yet',
      );
    }
    return checkerFrom(this.#head, this.#registry);
  }

  #inSealTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#sealTurn.then(work);
    this.#sealTurn = result.catch(() => undefined);
    return result;
  }

  /** Puts the ids of a call about to be sealed in flight, until its `batches` have settled. */
  #takeOff(ids: ReadonlySet<string>, batches: number): InFlightCall {
    this.#inFlight.add(ids);
    return { ids, unsettled: batches };
  }

  /**
   * Seals entries after the sealed head into one batch, and advances the head past it. For a
   * store that keeps the tree, the batch goes without nodes and the head's root and frontier stay
   * those of the acknowledged state until the store answers with its own. For one that keeps the
   * chain as well, entries go unlinked (`make` null: the items are encoded bodies) and the head's
   * hash stays the acknowledged one too.
   */
  #seal<T extends { readonly type: string }>(
    items: readonly T[],
    make: ((item: T, seq: number, prev: string) => SealedEntry) | null,
    call: InFlightCall,
  ): SealedBatch {
    const base = this.#head;
    const keepsTree = this.store.keepsTree;
    const frontier = keepsTree ? this.#frontier : this.#frontier.clone();
    const counts: Record<string, number> = { ...base.type_counts };
    for (const item of items) counts[item.type] = (counts[item.type] ?? 0) + 1;
    const nodes: MerkleNode[] = [];
    let entries: SealedEntry[] | null = null;
    let unlinked: UnlinkedEntry[] | null = null;
    let prev = base.head_hash;
    if (make === null) {
      const bodies = items as readonly unknown[] as readonly EncodedBody[];
      unlinked = bodies.map((body, i) => unlinkEncoded(body, base.size + i));
    } else {
      entries = [];
      let seq = base.size;
      for (const item of items) {
        const entry = make(item, seq, prev);
        entries.push(entry);
        // From the hex digest: decoding `hashBytes` first would cost a buffer per entry.
        if (!keepsTree)
          for (const node of frontier.append(hashLeafOfHex(entry.hash))) nodes.push(node);
        prev = entry.hash;
        seq++;
      }
    }
    const snapshot: StoreSnapshot = {
      ...base,
      size: base.size + items.length,
      head_hash: prev,
      ...(keepsTree ? {} : { root: toHex(frontier.root()), frontier: frontierHex(frontier) }),
      type_counts: sortKeys(counts),
    };
    this.#head = snapshot;
    this.#headUnlinked = unlinked !== null;
    this.#frontier = frontier;
    return {
      entries,
      unlinked,
      nodes: keepsTree ? null : nodes,
      snapshot,
      generation: this.#generation,
      call,
    };
  }

  /** Writes sealed batches in order; resolves when all are durable. */
  async #writeAll(batches: readonly SealedBatch[]): Promise<AppendResult> {
    const persisted = await Promise.all(batches.map((batch) => this.#write(batch)));
    const last = persisted.at(-1)!;
    return {
      first_seq: batchFirstSeq(batches[0]!),
      count: batches.reduce((sum, batch) => sum + batchCount(batch), 0),
      ids: batches.flatMap((batch) => (batch.entries ?? batch.unlinked!).map((entry) => entry.id)),
      size: last.size,
      root: last.root,
    };
  }

  /** Writes one batch after those sealed before it; resolves with the snapshot persisted. */
  #write(batch: SealedBatch): Promise<StoreSnapshot> {
    const early =
      this.store.keepsChain && batch.generation === this.#generation
        ? this.store.append(batch)
        : undefined;
    early?.catch(() => undefined);
    const write = this.#writeTurn.then(async () => {
      try {
        if (batch.generation !== this.#generation) {
          throw new StorageError(
            'STORE_IO',
            'an earlier batch failed to write; this one was sealed after it',
          );
        }
        let persisted: StoreSnapshot;
        try {
          persisted = await (early ?? this.store.append(batch));
        } catch (error) {
          this.#generation++;
          this.#head = this.#acknowledged;
          this.#headUnlinked = false;
          this.#frontier = frontierOf(this.#acknowledged);
          // Writes go in seal order: every batch still in flight was sealed after this one, and
          // is void; the batches before it are acknowledged, and found in the store from now on.
          this.#inFlight.clear();
          throw error;
        }
        this.#acknowledged = persisted;
        // The last batch sealed, written: the head is the store's, with its tree and chain.
        if (this.#head === batch.snapshot) {
          this.#head = persisted;
          this.#headUnlinked = false;
        }
        return persisted;
      } finally {
        if (--batch.call.unsettled === 0) this.#inFlight.delete(batch.call.ids);
      }
    });
    this.#writeTurn = write.catch(() => undefined);
    return write;
  }

  /** Records a signed checkpoint of the acknowledged tree, once pending writes are done. */
  async recordCheckpoint(note: string): Promise<StoreSnapshot> {
    return this.#inSealTurn(async () => {
      await this.#writeTurn;
      const checkpoint = { size: this.#acknowledged.size, note };
      const snapshot: StoreSnapshot = { ...this.#acknowledged, latest_checkpoint: checkpoint };
      await this.store.putCheckpoint(checkpoint, snapshot);
      this.#acknowledged = snapshot;
      this.#head = snapshot;
      this.#headUnlinked = false;
      return snapshot;
    });
  }
}

function frontierHex(frontier: MerkleFrontier): string[] {
  return frontier.toJSON().hashes;
}

function frontierOf(snapshot: StoreSnapshot): MerkleFrontier {
  return MerkleFrontier.fromJSON({ size: snapshot.size, hashes: [...snapshot.frontier] });
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  const sorted: Record<string, number> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key]!;
  return sorted;
}
