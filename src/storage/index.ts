/**
 * @module
 * Storage backends implementing the core EventStore port, and the choice between them by
 * directory contents. Touches the disk; imports core only, never adapters or composition roots.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import { type EventStore, StorageError } from '../core/index.js';
import { EVENTS_FILE_NAME, JsonlEventStore, STATE_FILE_NAME } from './jsonl/index.js';
import {
  SQLITE_FILE_NAME,
  SqliteEventStore,
  type SqliteWriter,
  type SqliteWriterOptions,
} from './sqlite/index.js';

export { JsonlEventStore } from './jsonl/index.js';
export { SQLITE_WRITERS, SqliteEventStore, type SqliteWriter } from './sqlite/index.js';

export const STORE_BACKENDS = ['sqlite', 'jsonl'] as const;
export type StoreBackend = (typeof STORE_BACKENDS)[number];

/** Where the SQLite backend's writes run (the JSONL backend writes through async file I/O). */
export interface StoreWriterOptions {
  /** `process`: a writer process of the store's own (see SqliteWriterOptions); SQLite only. */
  readonly writer?: SqliteWriter;
  readonly writerNiceness?: number;
}

export interface CreateStoreOptions extends StoreWriterOptions {
  readonly backend: StoreBackend;
  /** Checkpoint origin line: the log's unique name. */
  readonly origin: string;
}

export interface OpenStoreOptions extends StoreWriterOptions {
  /** Open for verification or export: nothing on disk is modified; appends fail. */
  readonly readonly?: boolean;
}

function sqliteWriterOptions(options: StoreWriterOptions): SqliteWriterOptions {
  return {
    ...(options.writer === undefined ? {} : { writer: options.writer }),
    ...(options.writerNiceness === undefined ? {} : { writerNiceness: options.writerNiceness }),
  };
}

/** The backend whose files are in `dir`, if any. */
export function detectBackend(dir: string): StoreBackend | undefined {
  const sqlite = existsSync(path.join(dir, SQLITE_FILE_NAME));
  const jsonl =
    existsSync(path.join(dir, STATE_FILE_NAME)) || existsSync(path.join(dir, EVENTS_FILE_NAME));
  if (sqlite && jsonl) {
    throw new StorageError('STORE_CORRUPT', `${dir} holds both a SQLite and a JSONL store`, {
      details: { dir },
    });
  }
  return sqlite ? 'sqlite' : jsonl ? 'jsonl' : undefined;
}

/**
 * Opens the store in `dir`, whichever backend wrote it.
 * @throws STORE_NOT_FOUND, STORE_CORRUPT, STORE_FORMAT_UNSUPPORTED, STORE_LOCKED, STORE_IO
 * @example const store = await openStore('./ledger', { readonly: true });
 */
export async function openStore(dir: string, options: OpenStoreOptions = {}): Promise<EventStore> {
  const backend = detectBackend(dir);
  const readonly = options.readonly ?? false;
  switch (backend) {
    case 'sqlite':
      return SqliteEventStore.open(dir, { readonly, ...sqliteWriterOptions(options) });
    case 'jsonl':
      return JsonlEventStore.open(dir, { readonly });
    case undefined:
      throw new StorageError('STORE_NOT_FOUND', `no store in ${dir}`, { details: { dir } });
  }
}

/**
 * Creates an empty log in `dir` (made if missing) with the chosen backend.
 * @throws STORE_ALREADY_EXISTS when `dir` holds a store of either backend; STORE_IO
 * @example const store = await createStore('./ledger', { backend: 'sqlite', origin: 'desk-1' });
 */
export async function createStore(dir: string, options: CreateStoreOptions): Promise<EventStore> {
  if (detectBackend(dir) !== undefined) {
    throw new StorageError('STORE_ALREADY_EXISTS', `a store already exists in ${dir}`, {
      details: { dir },
    });
  }
  switch (options.backend) {
    case 'sqlite':
      return SqliteEventStore.create(dir, {
        origin: options.origin,
        ...sqliteWriterOptions(options),
      });
    case 'jsonl':
      return JsonlEventStore.create(dir, { origin: options.origin });
  }
}
