/**
 * Content-id lookup for the SQLite store, built like a two-level LSM tree. Entries below
 * `indexed_upto` are in `id_index`, keyed by the id's first 48 bits; the entries after it (the
 * tail) are held in memory and merged into `id_index` by one sorted INSERT … SELECT once the
 * tail is large. A sorted merge of T keys dirties each index page about once instead of once per
 * key, so the index costs a few dozen bytes of writes per entry rather than a page per entry.
 *
 * The tail is read from `entries` when first needed and re-read when another connection has
 * appended, so a lookup is never stale with respect to what is committed.
 */
import type Database from 'better-sqlite3';

import { StorageError } from '../../core/index.js';
import { KeyFilter } from './key-filter.js';
import { ID_SQL } from './schema.js';

const ID_PREFIX = 'sha256:';
const ID_RE = /^sha256:[0-9a-f]{64}$/;

/** Tail length that triggers a merge: a quarter of the indexed part, within these bounds. */
const MIN_MERGE_TAIL = 1 << 16;
const MAX_MERGE_TAIL = 1 << 18;

/**
 * The lookup key of an id: its first 48 bits, so every key is a safe JS integer. The id must be
 * well formed (ID_RE): the digits are read without slicing or parsing a string.
 */
export function keyOfId(id: string): number {
  let key = 0;
  for (let i = ID_PREFIX.length; i < ID_PREFIX.length + 12; i++) {
    const code = id.charCodeAt(i);
    key = key * 16 + (code <= 57 ? code - 48 : code - 87);
  }
  return key;
}

interface Statements {
  readonly indexedKeys: Database.Statement<[], number>;
  readonly size: Database.Statement<[], number | null>;
  readonly indexedUpto: Database.Statement<[], number | undefined>;
  readonly tailFrom: Database.Statement<[number], [number, string]>;
  readonly lookup: Database.Statement<[string], string>;
  readonly merge: Database.Statement<[number, number]>;
  readonly setIndexedUpto: Database.Statement<[number]>;
}

export class IdIndex {
  readonly #db: Database.Database;
  readonly #sql: Statements;
  /** id → pos for the entries in [#indexedUpto, #tailEnd); undefined until first needed. */
  #tail: Map<string, number> | undefined;
  #tailEnd = 0;
  #indexedUpto: number;
  /** Every stored id's key, built on first use; undefined after another writer's changes. */
  #filter: KeyFilter | undefined;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#sql = {
      indexedKeys: db.prepare<[], number>('SELECT k FROM id_index').pluck(),
      size: db.prepare<[], number | null>('SELECT max(pos) + 1 FROM entries').pluck(),
      indexedUpto: db
        .prepare<[], number | undefined>("SELECT value FROM meta WHERE key = 'indexed_upto'")
        .pluck(),
      tailFrom: db
        .prepare<[number], [number, string]>(
          `SELECT pos, ${ID_SQL} FROM entries WHERE pos >= ? ORDER BY pos`,
        )
        .raw(),
      lookup: db
        .prepare<[string], string>(
          `SELECT ${ID_SQL.replaceAll('line', 'e.line')} FROM json_each(?) AS j
             JOIN id_index AS i ON i.k = j.value
             JOIN entries AS e ON e.pos = i.pos`,
        )
        .pluck(),
      merge: db.prepare<[number, number]>(
        `INSERT OR IGNORE INTO id_index (k, pos)
           SELECT k, pos FROM entries WHERE pos >= ? AND pos < ? ORDER BY k, pos`,
      ),
      setIndexedUpto: db.prepare<[number]>("UPDATE meta SET value = ? WHERE key = 'indexed_upto'"),
    };
    this.#indexedUpto = this.#readIndexedUpto();
  }

  /** Which of `ids` are stored. */
  find(ids: readonly string[]): Set<string> {
    const tail = this.#catchUp();
    const filter = this.#keyFilter(tail);
    const found = new Set<string>();
    const keys: number[] = [];
    const pending = new Set<string>();
    for (const id of ids) {
      if (tail.has(id)) found.add(id);
      else if (ID_RE.test(id)) {
        const key = keyOfId(id);
        if (!filter.mayContain(key)) continue;
        pending.add(id);
        keys.push(key);
      }
    }
    if (keys.length === 0) return found;
    // One statement for the whole batch: a probe per key inside SQLite, no per-id JS round trip.
    for (const id of this.#sql.lookup.iterate(JSON.stringify(keys))) {
      if (pending.has(id)) found.add(id);
    }
    return found;
  }

  /** Records a committed batch of ids stored from `firstPos` on. */
  noteAppended(ids: readonly string[], firstPos: number): void {
    // A lookup may already have read this batch from the table.
    if (this.#tail !== undefined && firstPos + ids.length <= this.#tailEnd) return;
    if (this.#tail === undefined || firstPos !== this.#tailEnd) {
      this.#tail = undefined;
      this.#filter = undefined;
      return;
    }
    for (const [offset, id] of ids.entries()) {
      this.#tail.set(id, firstPos + offset);
      this.#filter?.add(keyOfId(id));
    }
    this.#tailEnd = firstPos + ids.length;
  }

  /** Merges the tail into id_index when it has grown large; a no-op otherwise. */
  mergeIfDue(size: number): void {
    const quarter = Math.floor(this.#indexedUpto / 4);
    const threshold = Math.min(MAX_MERGE_TAIL, Math.max(MIN_MERGE_TAIL, quarter));
    if (size - this.#indexedUpto < threshold) return;
    this.#db
      .transaction(() => {
        const from = this.#readIndexedUpto();
        if (from >= size) return;
        this.#sql.merge.run(from, size);
        this.#sql.setIndexedUpto.run(size);
      })
      .immediate();
    this.#indexedUpto = size;
    if (this.#tail !== undefined) {
      for (const [id, pos] of this.#tail) if (pos < size) this.#tail.delete(id);
    }
  }

  /** The filter over every stored id, (re)built from id_index and the tail when needed. */
  #keyFilter(tail: Map<string, number>): KeyFilter {
    if (this.#filter !== undefined && !this.#filter.full) return this.#filter;
    const filter = new KeyFilter(2 * (this.#indexedUpto + tail.size) + 1024);
    for (const key of this.#sql.indexedKeys.iterate()) filter.add(key);
    for (const id of tail.keys()) if (ID_RE.test(id)) filter.add(keyOfId(id));
    this.#filter = filter;
    return filter;
  }

  #readIndexedUpto(): number {
    const value = this.#sql.indexedUpto.get();
    if (typeof value !== 'number') {
      throw new StorageError('STORE_CORRUPT', 'the store has no readable indexed_upto row');
    }
    return value;
  }

  #catchUp(): Map<string, number> {
    const size = this.#sql.size.get() ?? 0;
    if (this.#tail !== undefined && size === this.#tailEnd) return this.#tail;
    if (this.#tail === undefined || size < this.#tailEnd) {
      this.#indexedUpto = this.#readIndexedUpto();
      this.#tail = new Map();
      this.#tailEnd = this.#indexedUpto;
      this.#filter = undefined;
    }
    for (const [pos, id] of this.#sql.tailFrom.iterate(this.#tailEnd)) {
      this.#tail.set(id, pos);
      if (ID_RE.test(id)) this.#filter?.add(keyOfId(id));
    }
    this.#tailEnd = size;
    return this.#tail;
  }
}
