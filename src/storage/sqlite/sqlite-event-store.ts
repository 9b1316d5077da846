/**
 * @module
 * The embedded default EventStore: one SQLite file, `<dir>/ledger.sqlite`, written through
 * better-sqlite3. Each append is one IMMEDIATE transaction holding the batch's entries, its
 * Merkle nodes and the new snapshot, so after a crash the file holds exactly the committed
 * batches. Layout and settings: ./schema.ts; id lookup: ./id-index.ts.
 */
import type Database from 'better-sqlite3';

import {
  type AppendBatch,
  type EntryFilter,
  type EventStore,
  hashLeaf,
  InternalError,
  MERKLE_NODE_STRIDE,
  StorageError,
  type StoredCheckpoint,
  type StoreSnapshot,
} from '../../core/index.js';
import { createDatabase, openDatabase } from './connection.js';
import { IdIndex, keyOfId } from './id-index.js';
import { guard, SQLITE_FILE_NAME } from './schema.js';
import { parseSnapshot } from './snapshot-codec.js';
import { prepareStatements, queryStatement, type SqliteStatements } from './statements.js';

export interface SqliteCreateOptions {
  /** Checkpoint origin line: the log's unique name. */
  readonly origin: string;
}

export interface SqliteOpenOptions {
  /** Open without write access (verification, export); appends fail with STORE_READONLY. */
  readonly readonly?: boolean;
  /** How long a write waits for another connection's lock before STORE_LOCKED (default 5000). */
  readonly busyTimeoutMs?: number;
}

const DEFAULT_CHUNK = 1000;
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Hex of a stored entry hash; anything else is damage that must not pass as a short hash. */
function entryHash(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new StorageError('STORE_CORRUPT', 'a stored entry has no readable hash');
  }
  return Buffer.from(hex, 'hex');
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

export class SqliteEventStore implements EventStore {
  readonly backend = 'sqlite';
  readonly dir: string;
  readonly readonly: boolean;
  readonly #db: Database.Database;
  readonly #sql: SqliteStatements;
  readonly #ids: IdIndex;
  readonly #writeBatch: Database.Transaction<(batch: AppendBatch) => number>;
  #closed = false;

  private constructor(dir: string, db: Database.Database, readonly: boolean) {
    this.dir = dir;
    this.readonly = readonly;
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#ids = new IdIndex(db);
    this.#writeBatch = db.transaction((batch: AppendBatch) => this.#insertBatch(batch));
  }

  /**
   * Creates a store in `dir` (made if missing) holding an empty log.
   * @throws STORE_ALREADY_EXISTS when `dir` already holds a SQLite store; STORE_IO
   */
  static create(dir: string, options: SqliteCreateOptions): Promise<SqliteEventStore> {
    return Promise.resolve(
      guard(
        'creating the store',
        dir,
        () => new SqliteEventStore(dir, createDatabase(dir, options.origin), false),
      ),
    );
  }

  /**
   * Opens the store in `dir`.
   * @throws STORE_NOT_FOUND, STORE_CORRUPT (not a DeltaTrace SQLite store),
   *   STORE_FORMAT_UNSUPPORTED, STORE_LOCKED, STORE_IO
   */
  static open(dir: string, options: SqliteOpenOptions = {}): Promise<SqliteEventStore> {
    const readonly = options.readonly ?? false;
    return Promise.resolve(
      guard('opening the store', dir, () => {
        const db = openDatabase(dir, readonly, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
        try {
          return new SqliteEventStore(dir, db, readonly);
        } catch (error) {
          db.close();
          throw error;
        }
      }),
    );
  }

  snapshot(): Promise<StoreSnapshot> {
    return this.#run('reading the snapshot', () =>
      parseSnapshot(this.#sql.snapshot.get(), `${this.dir}/${SQLITE_FILE_NAME}`),
    );
  }

  append(batch: AppendBatch): Promise<void> {
    return this.#run('appending a batch', () => {
      this.#assertWritable();
      const firstPos = this.#writeBatch.immediate(batch);
      const { entries } = batch;
      const ids: string[] = new Array<string>(entries.length);
      for (let i = 0; i < entries.length; i++) ids[i] = entries[i]!.id;
      this.#ids.noteAppended(ids, firstPos);
      try {
        this.#ids.mergeIfDue(firstPos + entries.length);
      } catch {
        // The batch is committed; the merge is upkeep and is retried after the next append.
      }
    });
  }

  /** The body of an append's transaction; returns the batch's first storage position. */
  #insertBatch(batch: AppendBatch): number {
    const { entries } = batch;
    const size = this.#sql.size.get() ?? 0;
    const firstPos = entries[0]?.seq ?? batch.snapshot.size;
    if (firstPos !== size || batch.snapshot.size !== size + entries.length) {
      throw new StorageError(
        'STORE_CONFLICT',
        'the batch does not continue the stored log: another writer may have appended',
        { details: { stored_size: size, batch_first_seq: firstPos } },
      );
    }
    const insert = this.#sql.insertEntry;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.seq !== firstPos + i) {
        throw new InternalError('INTERNAL', 'batch entries are not consecutive', {
          details: { expected: firstPos + i, seq: entry.seq },
        });
      }
      insert.run(entry.seq, keyOfId(entry.id), entry.type, entry.run, entry.line);
    }
    for (const node of batch.nodes) {
      if (node.level > 0) this.#sql.insertNode.run(node.level, node.index, asBuffer(node.hash));
    }
    this.#sql.putSnapshot.run(JSON.stringify(batch.snapshot));
    return firstPos;
  }

  findIds(ids: readonly string[]): Promise<ReadonlySet<string>> {
    return this.#run('looking up ids', () => this.#ids.find(ids));
  }

  async *scan(chunkSize = DEFAULT_CHUNK): AsyncIterable<readonly string[]> {
    yield* this.#paged(this.#sql.scanPage, [], chunkSize);
  }

  async *query(filter: EntryFilter, chunkSize = DEFAULT_CHUNK): AsyncIterable<readonly string[]> {
    const { statement, params } = queryStatement(this.#db, this.#sql, filter);
    yield* this.#paged(statement, params, chunkSize);
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
    return this.#run('storing a checkpoint', () => {
      this.#assertWritable();
      this.#db
        .transaction(() => {
          this.#sql.insertCheckpoint.run(checkpoint.size, checkpoint.note);
          this.#sql.putSnapshot.run(JSON.stringify(snapshot));
        })
        .immediate();
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

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#db.close();
    }
    return Promise.resolve();
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
