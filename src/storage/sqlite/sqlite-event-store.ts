/**
 * @module
 * The embedded default EventStore: one SQLite file, `<dir>/ledger.sqlite`, written through
 * better-sqlite3. Each append is one IMMEDIATE transaction holding the batch's entries, its
 * Merkle nodes and the new snapshot, so after a crash the file holds exactly the committed
 * batches (./batch-writer.ts). The transaction runs on the caller's thread, or with
 * `writer: 'process'` in a writer process of its own (./writer-process.ts), which leaves the
 * caller's thread to the ledger's hashing while the previous batch is written. Layout and
 * settings: ./schema.ts; id lookup: ./id-index.ts.
 */
import type Database from 'better-sqlite3';

import {
  type AppendBatch,
  batchCount,
  batchFirstSeq,
  batchIdAt,
  type EntryFilter,
  type EventStore,
  hashLeaf,
  MERKLE_NODE_STRIDE,
  type PackedEntries,
  StorageError,
  type StoredCheckpoint,
  type StoreSnapshot,
} from '../../core/index.js';
import { SqliteBatchWriter } from './batch-writer.js';
import { createDatabase, openDatabase } from './connection.js';
import { IdIndex } from './id-index.js';
import { guard, SQLITE_FILE_NAME, toStorageError } from './schema.js';
import { parseSnapshot } from './snapshot-codec.js';
import {
  packedQueryStatement,
  prepareStatements,
  queryStatement,
  type SqliteStatements,
} from './statements.js';
import { SqliteWriterProcess, type WriterAnswer } from './writer-process.js';

/** Where a writable store runs its write transactions. */
export const SQLITE_WRITERS = ['inline', 'process'] as const;
export type SqliteWriter = (typeof SQLITE_WRITERS)[number];

export interface SqliteWriterOptions {
  /**
   * `inline` (default): on the caller's thread. `process`: in a writer process of the store's
   * own, started with the store and ended by close(); appends still resolve only once durable.
   */
  readonly writer?: SqliteWriter;
  /** Niceness of the writer process (default 0: the caller's priority). */
  readonly writerNiceness?: number;
}

export interface SqliteCreateOptions extends SqliteWriterOptions {
  /** Checkpoint origin line: the log's unique name. */
  readonly origin: string;
}

export interface SqliteOpenOptions extends SqliteWriterOptions {
  /** Open without write access (verification, export); appends fail with STORE_READONLY. */
  readonly readonly?: boolean;
  /** How long a write waits for another connection's lock before STORE_LOCKED (default 5000). */
  readonly busyTimeoutMs?: number;
}

const DEFAULT_CHUNK = 1000;
/** Fewest positions a query reads at a time: a small chunk of a sparse filter is not a row each. */
const MIN_QUERY_RANGE = 256;
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Hex of a stored entry hash; anything else is damage that must not pass as a short hash. */
function entryHash(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new StorageError('STORE_CORRUPT', 'a stored entry has no readable hash');
  }
  return Buffer.from(hex, 'hex');
}

export class SqliteEventStore implements EventStore {
  readonly backend = 'sqlite';
  /**
   * With a writer process: the tree's hashing is the writer's, off the caller's thread, and so is
   * the sealing of entries (their hashes and texts).
   */
  readonly keepsTree: boolean;
  readonly keepsChain: boolean;
  readonly dir: string;
  readonly readonly: boolean;
  readonly #db: Database.Database;
  readonly #sql: SqliteStatements;
  readonly #ids: IdIndex;
  readonly #writer: SqliteBatchWriter | SqliteWriterProcess;
  /** Entries below this are written or being written by this store (its writer process's). */
  #ownedEnd = 0;
  #closed = false;

  private constructor(
    dir: string,
    db: Database.Database,
    readonly: boolean,
    writer?: SqliteWriterProcess,
  ) {
    this.dir = dir;
    this.readonly = readonly;
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#ids = new IdIndex(db);
    this.#writer = writer ?? new SqliteBatchWriter(db, this.#ids);
    this.keepsTree = writer !== undefined;
    this.keepsChain = writer !== undefined;
  }

  /** Opens the write side: a writer process when asked for, on the store's own connection. */
  static async #withWriter(
    dir: string,
    db: Database.Database,
    options: SqliteWriterOptions & { readonly busyTimeoutMs?: number },
  ): Promise<SqliteEventStore> {
    if (options.writer !== 'process') return new SqliteEventStore(dir, db, false);
    try {
      const { writer, indexedUpto } = await SqliteWriterProcess.start(dir, {
        busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
        niceness: options.writerNiceness ?? 0,
      });
      const store = new SqliteEventStore(dir, db, false, writer);
      store.#ids.noteIndexed(indexedUpto);
      return store;
    } catch (error) {
      db.close();
      throw toStorageError(error, 'starting the writer process', dir);
    }
  }

  /**
   * Creates a store in `dir` (made if missing) holding an empty log.
   * @throws STORE_ALREADY_EXISTS when `dir` already holds a SQLite store; STORE_IO
   */
  static async create(dir: string, options: SqliteCreateOptions): Promise<SqliteEventStore> {
    const db = guard('creating the store', dir, () => createDatabase(dir, options.origin));
    return SqliteEventStore.#withWriter(dir, db, options);
  }

  /**
   * Opens the store in `dir`.
   * @throws STORE_NOT_FOUND, STORE_CORRUPT (not a DeltaTrace SQLite store),
   *   STORE_FORMAT_UNSUPPORTED, STORE_LOCKED, STORE_IO
   */
  static async open(dir: string, options: SqliteOpenOptions = {}): Promise<SqliteEventStore> {
    const readonly = options.readonly ?? false;
    const db = guard('opening the store', dir, () =>
      openDatabase(dir, readonly, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS),
    );
    if (!readonly) return SqliteEventStore.#withWriter(dir, db, options);
    return guard('opening the store', dir, () => {
      try {
        return new SqliteEventStore(dir, db, readonly);
      } catch (error) {
        db.close();
        throw error;
      }
    });
  }

  snapshot(): Promise<StoreSnapshot> {
    return this.#run('reading the snapshot', () =>
      parseSnapshot(this.#sql.snapshot.get(), `${this.dir}/${SQLITE_FILE_NAME}`),
    );
  }

  append(batch: AppendBatch): Promise<StoreSnapshot> {
    const writer = this.#writer;
    if (writer instanceof SqliteBatchWriter) {
      return this.#run('appending a batch', () => {
        this.#assertWritable();
        writer.append(batch);
        return batch.snapshot;
      });
    }
    return this.#runAsync('appending a batch', async () => {
      const firstPos = batchFirstSeq(batch);
      const count = batchCount(batch);
      this.#ownedEnd = batch.snapshot.size;
      let answer: WriterAnswer;
      try {
        answer = await writer.append(batch);
      } catch (error) {
        // Batches sent after this one fail too (they do not continue the log): none can own more.
        this.#ownedEnd = Math.min(this.#ownedEnd, firstPos);
        throw error;
      }
      const ids: string[] = new Array<string>(count);
      for (let i = 0; i < count; i++) ids[i] = batchIdAt(batch, i);
      this.#ids.noteAppended(ids, firstPos);
      this.#ids.noteIndexed(answer.indexedUpto);
      return answer.tree === null ? batch.snapshot : { ...batch.snapshot, ...answer.tree };
    });
  }

  findIds(ids: readonly string[]): Promise<ReadonlySet<string>> {
    return this.#run('looking up ids', () => this.#ids.find(ids, this.#ownedEnd));
  }

  async *scan(chunkSize = DEFAULT_CHUNK): AsyncIterable<readonly string[]> {
    yield* this.#paged(this.#sql.scanPage, [], chunkSize);
  }

  /**
   * Reads the filter's statement over consecutive pos ranges (no statement stays open across a
   * yield, see #paged), skipping gaps in pos, and hands out chunks of `chunkSize` lines.
   */
  async *query(filter: EntryFilter, chunkSize = DEFAULT_CHUNK): AsyncIterable<readonly string[]> {
    const { statement, params } = queryStatement(this.#db, this.#sql, filter);
    const limit = Math.max(1, Math.floor(chunkSize));
    let lines: string[] = [];
    const pages = this.#ranges(filter, limit, (start, end) => {
      const page = statement.all(...params, start, end);
      for (const line of page) lines.push(line);
      return page.length;
    });
    for await (const _found of pages) {
      while (lines.length >= limit) {
        const chunk = lines.length === limit ? lines : lines.slice(0, limit);
        lines = lines.length === limit ? [] : lines.slice(limit);
        yield chunk;
      }
    }
    if (lines.length > 0) yield lines;
  }

  /**
   * {@link query}'s texts, a page of about `chunkSize` positions at a time, packed by SQLite into
   * one run of bytes: no string is made per text, so a reader that reads the bytes in place (the
   * replay's) saves making and collecting one for each.
   */
  async *queryPacked(filter: EntryFilter, chunkSize = DEFAULT_CHUNK): AsyncIterable<PackedEntries> {
    const { statement, params } = packedQueryStatement(this.#db, this.#sql, filter);
    let packed: PackedEntries | undefined;
    const pages = this.#ranges(filter, Math.max(1, Math.floor(chunkSize)), (start, end) => {
      const [count, bytes] = statement.get(...params, start, end)!;
      packed = count > 0 && bytes !== null ? { bytes, count } : undefined;
      return count;
    });
    for await (const found of pages) if (found > 0 && packed !== undefined) yield packed;
  }

  /**
   * Reads `[start, end)` pos ranges of at least `limit` positions in order through `read` (which
   * says how many entries it found), from the filter's first seq to its last, skipping the gaps
   * in pos; yields each count.
   */
  async *#ranges(
    filter: EntryFilter,
    limit: number,
    read: (start: number, end: number) => number,
  ): AsyncIterable<number> {
    const width = Math.max(limit, MIN_QUERY_RANGE);
    const firstPosFrom = (pos: number): Promise<number | null> =>
      this.#run('scanning entries', () => this.#sql.firstPosFrom.get(pos) ?? null);
    const fromSeq = filter.fromSeq;
    const to = filter.toSeq ?? Infinity;
    let from = await firstPosFrom(
      fromSeq !== undefined && Number.isFinite(fromSeq)
        ? Math.ceil(fromSeq)
        : Number.MIN_SAFE_INTEGER,
    );
    while (from !== null && from <= to) {
      const start = from;
      const end = start + width;
      const found = await this.#run('scanning entries', () => read(start, end));
      from = found > 0 ? end : await firstPosFrom(end);
      yield found;
    }
  }

  readEntry(seq: number): Promise<string | undefined> {
    return this.#run('reading an entry', () => this.#sql.entryAt.get(seq));
  }

  readNodes(level: number, from: number, to: number): Promise<readonly Uint8Array[]> {
    return this.#run('reading Merkle nodes', () => {
      const valid =
        Number.isSafeInteger(level) &&
        Number.isSafeInteger(from) &&
        Number.isSafeInteger(to) &&
        level >= 0 &&
        level % MERKLE_NODE_STRIDE === 0 &&
        0 <= from &&
        from <= to;
      const hashes = !valid
        ? []
        : level === 0
          ? this.#sql.entryHashes.all(from, to).map((hex) => hashLeaf(entryHash(hex)))
          : this.#sql.nodeHashes.all(level, from, to).map((hash) => new Uint8Array(hash));
      if (!valid || hashes.length !== to - from) {
        throw new StorageError(
          'MERKLE_NODE_MISSING',
          `no nodes [${from}, ${to}) at level ${level}`,
          {
            details: { level, from, to, found: hashes.length },
          },
        );
      }
      return hashes;
    });
  }

  putCheckpoint(checkpoint: StoredCheckpoint, snapshot: StoreSnapshot): Promise<void> {
    const writer = this.#writer;
    if (writer instanceof SqliteBatchWriter) {
      return this.#run('storing a checkpoint', () => {
        this.#assertWritable();
        writer.putCheckpoint(checkpoint, JSON.stringify(snapshot));
      });
    }
    return this.#runAsync('storing a checkpoint', async () => {
      const answer = await writer.putCheckpoint(checkpoint, JSON.stringify(snapshot));
      this.#ids.noteIndexed(answer.indexedUpto);
    });
  }

  listCheckpoints(): Promise<readonly StoredCheckpoint[]> {
    return this.#run('listing checkpoints', () =>
      this.#sql.checkpoints.all().map(([size, note]) => ({ size, note })),
    );
  }

  notes(): Promise<readonly string[]> {
    return this.#run('reading store notes', () => {
      const stored = this.#sql.size.get() ?? 0;
      const acknowledged = parseSnapshot(this.#sql.snapshot.get(), this.dir).size;
      return stored > acknowledged
        ? [`the store holds ${stored - acknowledged} entries beyond its snapshot (${acknowledged})`]
        : [];
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#writer.close();
    } finally {
      this.#db.close();
    }
  }

  /**
   * Reads a statement page by page, keyed on pos, so no statement stays open across a yield
   * (better-sqlite3 refuses other statements on a connection while one is iterating).
   */
  async *#paged(
    statement: Database.Statement<unknown[], [number, string]>,
    params: readonly unknown[],
    chunkSize: number,
  ): AsyncIterable<readonly string[]> {
    const limit = Math.max(1, Math.floor(chunkSize));
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const lines: string[] = [];
      await this.#run('scanning entries', () => {
        // all() per page costs less than half of iterate() per row; a page is bounded by limit.
        for (const [pos, line] of statement.all(...params, after, limit)) {
          lines.push(line);
          after = pos;
        }
      });
      if (lines.length > 0) yield lines;
      if (lines.length < limit) return;
    }
  }

  #assertWritable(): void {
    if (this.readonly) {
      throw new StorageError('STORE_READONLY', `the store in ${this.dir} was opened read-only`);
    }
  }

  /** {@link #run} of a step that waits for the writer process. */
  async #runAsync<T>(action: string, step: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StorageError('STORE_IO', `the store in ${this.dir} is closed`);
    this.#assertWritable();
    try {
      return await step();
    } catch (error) {
      throw toStorageError(error, action, this.dir);
    }
  }

  #run<T>(action: string, step: () => T): Promise<T> {
    try {
      if (this.#closed) {
        throw new StorageError('STORE_IO', `the store in ${this.dir} is closed`);
      }
      return Promise.resolve(guard(action, this.dir, step));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
