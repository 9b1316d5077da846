/**
 * Creating and opening the store's SQLite file: the schema and first rows in one transaction,
 * connection settings, and the format check that tells our file from any other SQLite file.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { emptySnapshot, StorageError } from '../../core/index.js';
import {
  applyPragmas,
  CONNECTION_PRAGMAS,
  CREATE_PRAGMAS,
  READONLY_PRAGMAS,
  SCHEMA_SQL,
  setWalAutocheckpoint,
  SQLITE_FILE_NAME,
  SQLITE_FORMAT,
  WAL_AUTOCHECKPOINT_BYTES,
} from './schema.js';

/** @throws STORE_ALREADY_EXISTS; SQLite and fs errors unwrapped (the caller guards). */
export function createDatabase(dir: string, origin: string): Database.Database {
  const file = path.join(dir, SQLITE_FILE_NAME);
  if (existsSync(file)) {
    throw new StorageError('STORE_ALREADY_EXISTS', `a store already exists in ${dir}`, {
      details: { dir },
    });
  }
  mkdirSync(dir, { recursive: true });
  const db = new Database(file);
  try {
    applyPragmas(db, CREATE_PRAGMAS);
    applyPragmas(db, CONNECTION_PRAGMAS);
    setWalAutocheckpoint(db, WAL_AUTOCHECKPOINT_BYTES);
    db.transaction(() => {
      db.exec(SCHEMA_SQL);
      const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      put.run('format', SQLITE_FORMAT);
      put.run('snapshot', JSON.stringify(emptySnapshot(origin)));
      put.run('indexed_upto', 0);
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** @throws STORE_NOT_FOUND, STORE_CORRUPT, STORE_FORMAT_UNSUPPORTED; SQLite errors unwrapped. */
export function openDatabase(
  dir: string,
  readonly: boolean,
  busyTimeoutMs: number,
): Database.Database {
  const file = path.join(dir, SQLITE_FILE_NAME);
  if (!existsSync(file)) {
    throw new StorageError('STORE_NOT_FOUND', `no store in ${dir}`, { details: { dir } });
  }
  const db = new Database(file, { readonly, fileMustExist: true, timeout: busyTimeoutMs });
  try {
    applyPragmas(db, readonly ? READONLY_PRAGMAS : CONNECTION_PRAGMAS);
    if (!readonly) setWalAutocheckpoint(db, WAL_AUTOCHECKPOINT_BYTES);
    checkFormat(db, dir);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function checkFormat(db: Database.Database, dir: string): void {
  let format: unknown;
  try {
    format = db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get();
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : '';
    if (code !== 'SQLITE_ERROR') throw error;
    throw new StorageError('STORE_CORRUPT', `${dir} does not hold a DeltaTrace SQLite store`, {
      details: { dir },
      cause: error,
    });
  }
  if (format !== SQLITE_FORMAT) {
    throw new StorageError(
      'STORE_FORMAT_UNSUPPORTED',
      `the store in ${dir} has format ${String(format)}; this version reads ${SQLITE_FORMAT}`,
      { details: { dir, format: String(format) } },
    );
  }
}
