/**
 * The ledger: validates event inputs, seals them into the hash chain and the Merkle tree, and
 * hands whole batches to an EventStore. Pure over its ports: the store, the clock and the event
 * type registry are passed in.
 */
import { fromHex, toHex } from './bytes.js';
import {
  analyzeEntryLine,
  encodeBody,
  type EncodedBody,
  type SealedEntry,
  sealEncoded,
} from './chain/entry-codec.js';
import { InputError, IntegrityError } from './errors.js';
import {
  type EventBody,
  type EventInput,
  EventInputSchema,
  GENESIS_PREV,
} from './events/envelope.js';
import { toTsNs } from './events/primitives.js';
import { type EventTypeRegistry, formatIssues } from './events/registry.js';
import { hashLeaf, MerkleFrontier, type MerkleNode } from './merkle/index.js';
import {
  type Clock,
  type Durability,
  type EventStore,
  SNAPSHOT_FORMAT,
  type StoreSnapshot,
} from './ports.js';

export interface AppendResult {
  readonly first_seq: number;
  readonly count: number;
  readonly ids: readonly string[];
  readonly size: number;
  readonly root: string;
}

/** Checks entry texts one by one as continuing a chain. Errors carry `details.index`. */
export interface ImportChecker {
  /** @throws CHAIN_BROKEN, INPUT_UNKNOWN_EVENT_TYPE, INPUT_SCHEMA_VIOLATION */
  check(line: string, index: number): SealedEntry;
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

/** The snapshot of an empty log with the given origin. */
export function emptySnapshot(origin: string): StoreSnapshot {
  const frontier = MerkleFrontier.empty();
  return {
    format: SNAPSHOT_FORMAT,
    origin,
    size: 0,
    head_hash: GENESIS_PREV,
    root: toHex(frontier.root()),
    frontier: [],
    type_counts: {},
    latest_checkpoint: null,
  };
}

export class Ledger {
  readonly store: EventStore;
  readonly #registry: EventTypeRegistry;
  readonly #clock: Clock;
  readonly #durability: Durability;
  #snapshot: StoreSnapshot;
  #frontier: MerkleFrontier;

  private constructor(store: EventStore, options: LedgerOptions, snapshot: StoreSnapshot) {
    this.store = store;
    this.#registry = options.registry;
    this.#clock = options.clock;
    this.#durability = options.durability ?? 'batch';
    this.#snapshot = snapshot;
    this.#frontier = frontierOf(snapshot);
  }

  static async open(store: EventStore, options: LedgerOptions): Promise<Ledger> {
    return new Ledger(store, options, await store.snapshot());
  }

  get snapshot(): StoreSnapshot {
    return this.#snapshot;
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
      try {
        return this.#toBody(parsed.data);
      } catch (error) {
        if (error instanceof InputError) {
          throw new InputError(error.code, error.message, {
            details: { index, ...(error.details ?? {}) },
            cause: error,
          });
        }
        throw error;
      }
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
   * @throws INPUT_UNKNOWN_CAUSE when a cause is neither in the log nor earlier in the batch;
   *   INPUT_DUPLICATE_EVENT when an event's id is already in the log or the batch.
   */
  async append(bodies: readonly EventBody[]): Promise<AppendResult> {
    if (bodies.length === 0) {
      throw new InputError('INPUT_EMPTY', 'nothing to append');
    }
    const encoded = bodies.map(encodeBody);
    await this.#checkLinks(bodies, encoded);
    const firstSeq = this.#snapshot.size;
    const ids: string[] = [];
    const groups = this.#durability === 'event' ? encoded.map((item) => [item]) : [encoded];
    for (const group of groups) {
      const entries = await this.#commit(
        group.map((item) => (seq: number, prev: string) => sealEncoded(item, seq, prev)),
      );
      for (const entry of entries) ids.push(entry.id);
    }
    return {
      first_seq: firstSeq,
      count: ids.length,
      ids,
      size: this.#snapshot.size,
      root: this.#snapshot.root,
    };
  }

  /**
   * Appends entries taken verbatim from another log's export (canonical entry texts), so the
   * result has the same ids, hashes and root. They must continue this log's chain exactly.
   * Errors carry `details.index`.
   * @throws CHAIN_BROKEN, INPUT_UNKNOWN_EVENT_TYPE, INPUT_SCHEMA_VIOLATION
   */
  async importEntries(lines: readonly string[]): Promise<AppendResult> {
    if (lines.length === 0) throw new InputError('INPUT_EMPTY', 'nothing to import');
    const firstSeq = this.#snapshot.size;
    const checker = this.importChecker();
    const checked = lines.map((line, index) => checker.check(line, index));
    const entries = await this.#commit(checked.map((entry) => () => entry));
    return {
      first_seq: firstSeq,
      count: entries.length,
      ids: entries.map((entry) => entry.id),
      size: this.#snapshot.size,
      root: this.#snapshot.root,
    };
  }

  /**
   * A checker for entries to import after the current head, without writing anything: lets a
   * caller validate a whole file before importing any of it.
   */
  importChecker(): ImportChecker {
    let seq = this.#snapshot.size;
    let expectedPrev = this.#snapshot.head_hash;
    const registry = this.#registry;
    return {
      check(line, index) {
        const analyzed = analyzeEntryLine(line);
        if (!analyzed.selfValid || analyzed.seq !== seq || analyzed.prev !== expectedPrev) {
          throw new IntegrityError('CHAIN_BROKEN', 'the entry does not continue the chain', {
            details: {
              index,
              expected_seq: seq,
              problem: analyzed.problem ?? `claims seq ${analyzed.seq} with another prev`,
            },
          });
        }
        const value = JSON.parse(line) as { type_v: number; payload: unknown; run: string };
        try {
          registry.parsePayload(analyzed.type, value.type_v, value.payload);
        } catch (error) {
          if (error instanceof InputError) {
            throw new InputError(error.code, error.message, {
              details: { index, ...(error.details ?? {}) },
              cause: error,
            });
          }
          throw error;
        }
        seq++;
        expectedPrev = analyzed.storedHash;
        return {
          seq: analyzed.seq,
          id: analyzed.id,
          type: analyzed.type,
          run: value.run,
          prev: analyzed.prev,
          hash: analyzed.storedHash,
          hashBytes: fromHex(analyzed.actualHash),
          line,
        };
      },
    };
  }

  /** Seals entries after the current head and writes them as one atomic batch. */
  async #commit(
    makers: readonly ((seq: number, prev: string) => SealedEntry)[],
  ): Promise<SealedEntry[]> {
    const base = this.#snapshot;
    const frontier = this.#frontier.clone();
    const counts: Record<string, number> = { ...base.type_counts };
    const entries: SealedEntry[] = [];
    const nodes: MerkleNode[] = [];
    let prev = base.head_hash;
    let seq = base.size;
    for (const make of makers) {
      const entry = make(seq, prev);
      entries.push(entry);
      for (const node of frontier.append(hashLeaf(entry.hashBytes))) nodes.push(node);
      counts[entry.type] = (counts[entry.type] ?? 0) + 1;
      prev = entry.hash;
      seq++;
    }
    const snapshot: StoreSnapshot = {
      ...base,
      size: seq,
      head_hash: prev,
      root: toHex(frontier.root()),
      frontier: frontierHex(frontier),
      type_counts: sortKeys(counts),
    };
    await this.store.append({ entries, nodes, snapshot });
    this.#snapshot = snapshot;
    this.#frontier = frontier;
    return entries;
  }

  /** Records a signed checkpoint of the current tree. */
  async recordCheckpoint(note: string): Promise<StoreSnapshot> {
    const checkpoint = { size: this.#snapshot.size, note };
    const snapshot: StoreSnapshot = { ...this.#snapshot, latest_checkpoint: checkpoint };
    await this.store.putCheckpoint(checkpoint, snapshot);
    this.#snapshot = snapshot;
    return snapshot;
  }

  async #checkLinks(bodies: readonly EventBody[], encoded: readonly EncodedBody[]): Promise<void> {
    const ids = encoded.map((item) => item.id);
    const referenced = new Set<string>();
    for (const body of bodies) for (const cause of body.causes) referenced.add(cause);
    const known = await this.store.findIds([...new Set([...ids, ...referenced])].sort());
    const seen = new Set<string>();
    for (const [index, body] of bodies.entries()) {
      const id = ids[index]!;
      for (const cause of body.causes) {
        if (!seen.has(cause) && !known.has(cause)) {
          throw new InputError('INPUT_UNKNOWN_CAUSE', `cause ${cause} is not in the log`, {
            details: { index, cause },
          });
        }
      }
      if (seen.has(id) || known.has(id)) {
        throw new InputError('INPUT_DUPLICATE_EVENT', `event ${id} is already in the log`, {
          details: { index, id },
        });
      }
      seen.add(id);
    }
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
