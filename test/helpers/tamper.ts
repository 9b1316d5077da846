/**
 * On-disk tampering with a closed store of either backend, for the verification tests. Each helper
 * edits the files the way an attacker with disk access would, bypassing the store's API:
 *
 * - mutatePayloadByte, deleteEntry, insertEntry, swapEntries are raw edits. For SQLite they run
 *   after a checkpoint of the WAL into `ledger.sqlite` (so the file alone holds the log);
 *   mutatePayloadByte then changes one byte of the database file itself, the others use a raw
 *   connection and shift storage positions so they stay contiguous. For JSONL they rewrite
 *   events.jsonl and keep the state file's acknowledged length in step (so the store still opens
 *   for writing), leaving its snapshot as it was.
 * - truncateTail and rewriteLog act as a careful attacker: the store's own data (snapshot, Merkle
 *   nodes, id index) is recomputed to match, and only the checkpoints are left alone.
 *
 * Close every store on `dir` first: an open connection would keep serving its cached view.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { detectBackend, type StoreBackend } from '../../src/storage/index.js';
import { EVENTS_FILE_NAME, STATE_FILE_NAME } from '../../src/storage/jsonl/index.js';
import { SQLITE_FILE_NAME } from '../../src/storage/sqlite/index.js';
import { rebuildKeeping } from './tamper-rewrite.js';

function backendOf(dir: string): StoreBackend {
  const backend = detectBackend(dir);
  if (backend === undefined) throw new Error(`no store in ${dir}`);
  return backend;
}

function seqOf(line: string): number | undefined {
  try {
    const value = JSON.parse(line) as { seq?: unknown };
    return typeof value.seq === 'number' ? value.seq : undefined;
  } catch {
    return undefined;
  }
}

/** Storage position of the first entry claiming `seq`. */
function positionOf(lines: readonly string[], seq: number): number {
  const position = lines.findIndex((line) => seqOf(line) === seq);
  if (position === -1) throw new Error(`no entry with seq ${seq}`);
  return position;
}

// ---- SQLite -------------------------------------------------------------------------------

function withSqlite<T>(dir: string, edit: (db: Database.Database) => T): T {
  const db = new Database(path.join(dir, SQLITE_FILE_NAME));
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const result = db.transaction(() => {
      const value = edit(db);
      // The id index maps ids to positions that an edit may have moved: have it rebuilt.
      db.exec("DELETE FROM id_index; UPDATE meta SET value = 0 WHERE key = 'indexed_upto';");
      return value;
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return result;
  } finally {
    db.close();
  }
}

function sqliteLines(db: Database.Database): string[] {
  return db.prepare<[], string>('SELECT line FROM entries ORDER BY pos').pluck().all();
}

/** Moves every row at pos >= from by `delta`, through negative positions to avoid collisions. */
function shiftPositions(db: Database.Database, from: number, delta: number): void {
  db.prepare('UPDATE entries SET pos = -pos - 1 WHERE pos >= ?').run(from);
  db.prepare('UPDATE entries SET pos = -pos - 1 + ? WHERE pos < 0').run(delta);
}

function rowOf(line: string, pos: number): [number, number, string, string, string] {
  let type = '';
  let run = '';
  let key = 0;
  try {
    const value = JSON.parse(line) as { type?: unknown; run?: unknown; id?: unknown };
    type = typeof value.type === 'string' ? value.type : '';
    run = typeof value.run === 'string' ? value.run : '';
    if (typeof value.id === 'string') key = parseInt(value.id.slice(7, 19), 16) || 0;
  } catch {
    // A garbage line is stored as such.
  }
  return [pos, key, type, run, line];
}

const INSERT_ROW = 'INSERT INTO entries (pos, k, type, run, line) VALUES (?, ?, ?, ?, ?)';

// ---- JSONL --------------------------------------------------------------------------------

function readJsonlLines(dir: string): string[] {
  const text = readFileSync(path.join(dir, EVENTS_FILE_NAME), 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Writes events.jsonl and moves the acknowledged length to its new size. */
function writeJsonlLines(dir: string, lines: readonly string[]): void {
  const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  writeFileSync(path.join(dir, EVENTS_FILE_NAME), text);
  const stateFile = path.join(dir, STATE_FILE_NAME);
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    stateFile,
    `${JSON.stringify({ ...state, events_bytes: Buffer.byteLength(text) })}\n`,
  );
}

function editLines(dir: string, edit: (lines: string[]) => void): void {
  if (backendOf(dir) === 'jsonl') {
    const lines = readJsonlLines(dir);
    edit(lines);
    writeJsonlLines(dir, lines);
    return;
  }
  withSqlite(dir, (db) => {
    const before = sqliteLines(db);
    const after = [...before];
    edit(after);
    let first = 0;
    while (first < before.length && before[first] === after[first]) first++;
    db.prepare('DELETE FROM entries WHERE pos >= ?').run(first);
    const insert = db.prepare(INSERT_ROW);
    for (let pos = first; pos < after.length; pos++) insert.run(...rowOf(after[pos]!, pos));
  });
}

// ---- raw edits ----------------------------------------------------------------------------

/** Index (in UTF-16 units) of the first digit inside the payload of an entry line. */
function payloadDigit(line: string): number {
  const start = line.indexOf('"payload":{');
  const end = line.indexOf(',"prev":"', start);
  for (let i = start + 11; i < end; i++) {
    const char = line.charCodeAt(i);
    if (char >= 0x30 && char <= 0x39) return i;
  }
  throw new Error('the entry payload has no digit to change');
}

/** Changes one digit of one payload byte in place: the text stays valid JSON of the same size. */
function flipDigit(bytes: Buffer, at: number): void {
  const digit = bytes[at]! - 0x30;
  bytes[at] = 0x30 + (digit === 9 ? 8 : digit + 1);
}

/** Changes ONE byte inside the payload of the entry `seq`, directly in the file on disk. */
export function mutatePayloadByte(dir: string, seq: number): Promise<void> {
  if (backendOf(dir) === 'jsonl') {
    const file = path.join(dir, EVENTS_FILE_NAME);
    const lines = readJsonlLines(dir);
    const position = positionOf(lines, seq);
    const line = lines[position]!;
    const lineStart = lines
      .slice(0, position)
      .reduce((sum, text) => sum + Buffer.byteLength(text) + 1, 0);
    const bytes = readFileSync(file);
    flipDigit(bytes, lineStart + Buffer.byteLength(line.slice(0, payloadDigit(line))));
    writeFileSync(file, bytes);
    return Promise.resolve();
  }
  const line = withSqlite(dir, (db) => {
    const lines = sqliteLines(db);
    return lines[positionOf(lines, seq)]!;
  });
  const file = path.join(dir, SQLITE_FILE_NAME);
  const bytes = readFileSync(file);
  const needle = Buffer.from(line, 'utf8');
  const offset = Buffer.byteLength(line.slice(0, payloadDigit(line)));
  let edits = 0;
  // Freed pages may still hold an old copy of the row; change every copy so none survives.
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
    flipDigit(bytes, at + offset);
    edits++;
  }
  if (edits === 0) throw new Error(`entry ${seq} is not stored contiguously in ${file}`);
  writeFileSync(file, bytes);
  return Promise.resolve();
}

export function deleteEntry(dir: string, seq: number): Promise<void> {
  if (backendOf(dir) === 'sqlite') {
    withSqlite(dir, (db) => {
      const position = positionOf(sqliteLines(db), seq);
      db.prepare('DELETE FROM entries WHERE pos = ?').run(position);
      shiftPositions(db, position + 1, -1);
    });
  } else {
    editLines(dir, (lines) => void lines.splice(positionOf(lines, seq), 1));
  }
  return Promise.resolve();
}

/** Inserts `line` so that it is stored at `position` (0 = first). */
export function insertEntry(dir: string, position: number, line: string): Promise<void> {
  if (backendOf(dir) === 'sqlite') {
    withSqlite(dir, (db) => {
      shiftPositions(db, position, 1);
      db.prepare(INSERT_ROW).run(...rowOf(line, position));
    });
  } else {
    editLines(dir, (lines) => void lines.splice(position, 0, line));
  }
  return Promise.resolve();
}

/** Swaps the stored entries `seq` and `seq + 1`. */
export function swapEntries(dir: string, seq: number): Promise<void> {
  editLines(dir, (lines) => {
    const position = positionOf(lines, seq);
    if (position + 1 >= lines.length) throw new Error(`no entry after seq ${seq}`);
    [lines[position], lines[position + 1]] = [lines[position + 1]!, lines[position]!];
  });
  return Promise.resolve();
}

export interface TruncateOptions {
  /** Also make the store's snapshot, nodes and index match the shorter log (default true). */
  readonly consistent?: boolean;
}

/** Cuts the log to its first `keep` stored entries. Checkpoints are left alone. */
export async function truncateTail(
  dir: string,
  keep: number,
  options: TruncateOptions = {},
): Promise<void> {
  if (options.consistent ?? true) {
    await rebuildKeeping(dir, keep);
    return;
  }
  if (backendOf(dir) === 'sqlite') {
    withSqlite(dir, (db) => void db.prepare('DELETE FROM entries WHERE pos >= ?').run(keep));
    return;
  }
  const lines = readJsonlLines(dir).slice(0, keep);
  writeFileSync(
    path.join(dir, EVENTS_FILE_NAME),
    lines.length === 0 ? '' : `${lines.join('\n')}\n`,
  );
}

export { rewriteLog } from './tamper-rewrite.js';
