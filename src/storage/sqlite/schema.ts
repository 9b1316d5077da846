/**
 * The SQLite file layout and connection settings of the embedded store, and the one place where
 * SQLite and file-system failures become StorageError codes.
 *
 * Writes are group-committed: one IMMEDIATE transaction per appended batch, durable when it
 * returns (WAL with synchronous=FULL fsyncs the WAL on every commit). The only secondary index
 * is `id_index`, which is filled in sorted bulk merges rather than per row: a B-tree index on
 * random content ids dirties one page per inserted row, which at a million entries made each
 * 1000-row commit write ~4 MB and cut bare-insert throughput tenfold (116k → 9k rows/s).
 */
import type Database from 'better-sqlite3';

import { DeltaTraceError, type ErrorCode, StorageError } from '../../core/index.js';

export const SQLITE_FILE_NAME = 'ledger.sqlite';
export const SQLITE_FORMAT = 'deltatrace.sqlite.v1';

/**
 * meta: `format`, `snapshot` (the StoreSnapshot JSON, rewritten in every batch's transaction) and
 * `indexed_upto` (entries with pos below it are in id_index).
 * entries: `pos` is the storage position; the store writes pos = seq, and only tampering makes
 * them differ. `k` is the id's lookup key (its first 48 bits, a safe JS integer). The entry's
 * seq, id and hash are not repeated in columns: they sit at fixed places in the canonical `line`
 * (see ID_SQL, HASH_SQL), which keeps each row to the bytes a bare table of lines would hold.
 * id_index: k → pos; a hit is confirmed against the id in the line.
 */
export const SCHEMA_SQL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE entries (
  pos INTEGER PRIMARY KEY,
  k INTEGER NOT NULL,
  type TEXT NOT NULL,
  run TEXT NOT NULL,
  line TEXT NOT NULL
) STRICT;
CREATE TABLE id_index (
  k INTEGER NOT NULL,
  pos INTEGER NOT NULL,
  PRIMARY KEY (k, pos)
) STRICT, WITHOUT ROWID;
CREATE TABLE merkle_nodes (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;
CREATE TABLE checkpoints (n INTEGER PRIMARY KEY, size INTEGER NOT NULL, note TEXT NOT NULL) STRICT;
`;

/**
 * The entry's id and hash, cut from its line: RFC 8785 orders the members causes, hash, id, …,
 * so every line the store writes begins `{"causes":[…],"hash":"<64 hex>","id":"sha256:<64 hex>"`
 * and cause strings contain neither `]` nor `"id"`. On a damaged line these yield garbage that
 * matches nothing, which is the right answer for a lookup.
 */
export const ID_SQL = `substr(line, instr(line, '","id":"') + 8, 71)`;
export const HASH_SQL = `substr(line, instr(line, '],"hash":"') + 10, 64)`;

/**
 * The page size of a new store, set once before the first table exists (a store keeps the one it
 * was made with). 32 KiB pages hold about fifty ~600-byte entry rows each, and a replay reads
 * the log in order: its store read took 0.35-0.39 µs an entry against 0.44-0.52 in 8 KiB pages,
 * with a quarter of the reads. Appends and verification are no slower (docs/benchmarks.md).
 */
export const STORE_PAGE_SIZE = 32_768;
export const CREATE_PRAGMAS = [`page_size = ${STORE_PAGE_SIZE}`, 'journal_mode = WAL'] as const;

/**
 * How much WAL the automatic checkpoint lets build up: ~32 MB rather than SQLite's 4 MB, for
 * fewer checkpoint fsyncs per entry. The write connection hands checkpoints to a thread of its
 * own once it has written a while (./wal-checkpointer.ts).
 */
export const WAL_AUTOCHECKPOINT_BYTES = 32 * 1024 * 1024;

/** SQLite sets the automatic checkpoint in pages: `bytes` in the pages of `db`'s file. */
export function setWalAutocheckpoint(db: Database.Database, bytes: number): void {
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  db.pragma(`wal_autocheckpoint = ${Math.max(1, Math.round(bytes / pageSize))}`);
}

export const CONNECTION_PRAGMAS = [
  // FULL syncs the WAL at every commit: an acknowledged append survives power loss.
  'synchronous = FULL',
  // ~64 MB of pages: keeps the upper B-tree levels and the id_index merge working set cached.
  'cache_size = -65536',
  // Truncates the WAL after a checkpoint back to at most 64 MB so the file cannot grow unbounded.
  'journal_size_limit = 67108864',
  'temp_store = MEMORY',
] as const;

/** A reader needs no write tuning, and may not be able to apply it. */
// Verification and export read sequentially: a small cache keeps a reader's memory flat.
export const READONLY_PRAGMAS = ['cache_size = -8192'] as const;

/** SQLite result codes (better-sqlite3's `SqliteError#code`) mapped to our codes. */
function codeOf(sqliteCode: string): ErrorCode {
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) {
    return 'STORE_LOCKED';
  }
  if (sqliteCode.startsWith('SQLITE_CORRUPT') || sqliteCode === 'SQLITE_NOTADB') {
    return 'STORE_CORRUPT';
  }
  if (sqliteCode.startsWith('SQLITE_READONLY')) return 'STORE_READONLY';
  if (sqliteCode.startsWith('SQLITE_CANTOPEN')) return 'STORE_NOT_FOUND';
  return 'STORE_IO';
}

function sqliteCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' ? code : undefined;
}

/** Wraps a SQLite or fs failure; our own errors pass through unchanged. */
export function toStorageError(error: unknown, action: string, dir: string): DeltaTraceError {
  if (error instanceof DeltaTraceError) return error;
  const raw = sqliteCodeOf(error);
  const code: ErrorCode =
    raw === undefined
      ? 'STORE_IO'
      : raw.startsWith('SQLITE_')
        ? codeOf(raw)
        : raw === 'ENOENT'
          ? 'STORE_NOT_FOUND'
          : 'STORE_IO';
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError(code, `${action} failed: ${message}`, {
    details: { dir, ...(raw === undefined ? {} : { cause_code: raw }) },
    cause: error,
  });
}

/** Runs a synchronous SQLite step, converting what it throws. */
export function guard<T>(action: string, dir: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw toStorageError(error, action, dir);
  }
}

export function applyPragmas(db: Database.Database, pragmas: readonly string[]): void {
  for (const pragma of pragmas) db.pragma(pragma);
}
