/**
 * Content-id lookup for the SQLite store, built like a two-level LSM tree. Entries below
 * `indexed_upto` are in `id_index`, keyed by the id's first 48 bits; the entries after it (the
 * tail) are held in memory and merged into `id_index` once the tail is large, a key range at a
 * time over the appends that follow (./window-merge.ts). Merging T keys in key order dirties each
 * index page about once instead of once per key, so the index costs a few dozen bytes of writes
 * per entry rather than a page per entry.
 *
 * The tail is read from `entries` when first needed and re-read when another connection has
 * appended, so a lookup is never stale with respect to what is committed.
 */
import type Database from 'better-sqlite3';

import { StorageError } from '../../core/index.js';
import { KeyFilter } from './key-filter.js';
import { ID_SQL } from './schema.js';
import {
  MAX_WINDOW,
  WindowMerge,
  type WindowMergeStatements,
  windowMergeStatements,
  WrittenKeys,
} from './window-merge.js';

const ID_PREFIX = 'sha256:';
const ID_LENGTH = ID_PREFIX.length + 64;
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

/**
 * The ids of a run of consecutive positions, in an array by position with an open-addressing
 * table over their lookup keys: appending is a push and a slot, and dropping the merged start of
 * the run one rebuild, where a Map paid a hash-table entry per id and a pass of deletes.
 */
class TailIds {
  #start = 0;
  #ids: string[] = [];
  #keys: number[] = [];
  /** Index in #ids + 1 by key, linear probing; 0 = empty. */
  #slots = new Int32Array(1024);
  /** Ids that are not well formed (damaged lines), which have no key. */
  readonly #malformed = new Set<string>();

  constructor(start: number) {
    this.#start = start;
  }

  get end(): number {
    return this.#start + this.#ids.length;
  }

  get size(): number {
    return this.#ids.length;
  }

  /** Sets the id at `pos` (≥ end; positions skipped in between hold no id). */
  set(pos: number, id: string): void {
    while (this.end < pos) this.#add('', -1);
    if (!ID_RE.test(id)) {
      this.#malformed.add(id);
      this.#add(id, -1);
      return;
    }
    this.#add(id, keyOfId(id));
  }

  /** Appends a well-formed id at `end`. */
  push(id: string, key: number): void {
    this.#add(id, key);
  }

  has(id: string): boolean {
    return ID_RE.test(id) ? this.hasKeyed(id, keyOfId(id)) : this.#malformed.has(id);
  }

  /** Whether `id` is one of the ids held that are not well formed (only a damaged log has any). */
  hasMalformed(id: string): boolean {
    return this.#malformed.size !== 0 && this.#malformed.has(id);
  }

  /** {@link has} of a well-formed id whose key is known. */
  hasKeyed(id: string, key: number): boolean {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let slot = key & mask; ; slot = (slot + 1) & mask) {
      const value = slots[slot]!;
      if (value === 0) return false;
      if (this.#keys[value - 1] === key && this.#ids[value - 1] === id) return true;
    }
  }

  *wellFormed(): Iterable<[string, number]> {
    for (let i = 0; i < this.#ids.length; i++) {
      if (this.#keys[i]! >= 0) yield [this.#ids[i]!, this.#keys[i]!];
    }
  }

  /** Forgets the ids below `pos`. */
  dropBelow(pos: number): void {
    const drop = Math.min(pos - this.#start, this.#ids.length);
    if (drop <= 0) return;
    for (let i = 0; i < drop; i++) if (this.#keys[i]! < 0) this.#malformed.delete(this.#ids[i]!);
    this.#ids = this.#ids.slice(drop);
    this.#keys = this.#keys.slice(drop);
    this.#start += drop;
    this.#rehash(this.#slots.length);
  }

  #add(id: string, key: number): void {
    this.#ids.push(id);
    this.#keys.push(key);
    if (key < 0) return;
    if (this.#ids.length * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
    else this.#insertSlot(this.#ids.length - 1);
  }

  #insertSlot(index: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let slot = this.#keys[index]! & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = index + 1;
  }

  #rehash(capacity: number): void {
    let size = 1024;
    while (size < capacity || size < this.#ids.length * 2) size *= 2;
    this.#slots = new Int32Array(size);
    for (let i = 0; i < this.#ids.length; i++) if (this.#keys[i]! >= 0) this.#insertSlot(i);
  }
}

interface Statements {
  readonly indexedKeys: Database.Statement<[], number>;
  readonly size: Database.Statement<[], number | null>;
  readonly indexedUpto: Database.Statement<[], number | undefined>;
  readonly tailFrom: Database.Statement<[number], [number, string]>;
  readonly lookup: Database.Statement<[string], string>;
}

export class IdIndex {
  readonly #db: Database.Database;
  readonly #sql: Statements;
  /** The ids of the entries in [#indexedUpto, #tailEnd); undefined until first needed. */
  #tail: TailIds | undefined;
  #tailEnd = 0;
  #indexedUpto: number;
  /** Every stored id's key, built on first use; undefined after another writer's changes. */
  #filter: KeyFilter | undefined;
  /** Prepared on the first merge: a read-only connection never merges. */
  #mergeSql: WindowMergeStatements | undefined;
  /** The merge in progress, if any. */
  #merge: WindowMerge | undefined;
  readonly #written = new WrittenKeys();

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
    };
    this.#indexedUpto = this.#readIndexedUpto();
  }

  /** How far id_index reaches: entries with pos below it are in it. */
  get indexedUpto(): number {
    return this.#indexedUpto;
  }

  /**
   * Which of `ids` are stored. Entries below `ownedEnd` that this index has not been told about
   * are this connection's own batches still being written elsewhere (a writer process): they are
   * noted when acknowledged, not read back from the table.
   */
  find(ids: readonly string[], ownedEnd = 0): Set<string> {
    const tail = this.#catchUp(ownedEnd);
    const filter = this.#keyFilter(tail);
    const found = new Set<string>();
    const keys: number[] = [];
    const pending = new Set<string>();
    for (const id of ids) {
      // The shape only, not every digit (a regular expression per id cost more than the rest of
      // the lookup): a bad digit makes a meaningless key, and ids are compared whole in the end.
      if (id.length !== ID_LENGTH || !id.startsWith(ID_PREFIX) || tail.hasMalformed(id)) {
        if (tail.has(id)) found.add(id);
        continue;
      }
      // The filter holds the tail's keys too: most new ids are answered by two bit tests.
      const key = keyOfId(id);
      if (!filter.mayContain(key)) continue;
      if (tail.hasKeyed(id, key)) found.add(id);
      else {
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
    const tail = this.#tail;
    const filter = this.#filter;
    for (const id of ids) {
      // The ledger's own ids are well formed.
      const key = keyOfId(id);
      tail.push(id, key);
      filter?.add(key);
    }
    this.#tailEnd = firstPos + ids.length;
  }

  /**
   * Records the lookup keys of a batch this connection committed from `firstPos` on, so that the
   * merge that takes them need not read them back.
   */
  noteWritten(firstPos: number, keys: ArrayLike<number>, count: number): void {
    this.#written.note(firstPos, keys, count);
  }

  /** Another connection merged id_index up to `upto`: the tail below it can go. */
  noteIndexed(upto: number): void {
    if (upto <= this.#indexedUpto) return;
    this.#indexedUpto = upto;
    this.#dropTailBelow(upto);
  }

  /**
   * Takes a step of merging the tail into id_index once it has grown large; a no-op otherwise.
   * `appended` is how many entries the last append wrote: a step does a few times that much work,
   * so that a merge finishes well before the tail is due again, and no append waits long for one.
   */
  mergeIfDue(size: number, appended: number): void {
    if (this.#merge === undefined) {
      const quarter = Math.floor(this.#indexedUpto / 4);
      const threshold = Math.min(MAX_MERGE_TAIL, Math.max(MIN_MERGE_TAIL, quarter));
      if (size - this.#indexedUpto < threshold) return;
      const from = this.#readIndexedUpto();
      if (from >= size) return;
      this.#mergeSql ??= windowMergeStatements(this.#db);
      const to = Math.min(size, from + MAX_WINDOW);
      this.#merge = new WindowMerge(this.#db, this.#mergeSql, from, to, this.#written);
    }
    const step = this.#merge.step(Math.max(16_384, 8 * appended), Math.max(2_048, 2 * appended));
    if (step === 'working') return;
    const merged = this.#merge;
    this.#merge = undefined;
    const upto = step === 'done' ? merged.to : this.#readIndexedUpto();
    this.#written.dropBelow(upto);
    if (upto > this.#indexedUpto) {
      this.#indexedUpto = upto;
      this.#dropTailBelow(upto);
    }
  }

  #dropTailBelow(pos: number): void {
    this.#tail?.dropBelow(pos);
  }

  /** The filter over every stored id, (re)built from id_index and the tail when needed. */
  #keyFilter(tail: TailIds): KeyFilter {
    if (this.#filter !== undefined && !this.#filter.full) return this.#filter;
    const filter = new KeyFilter(2 * (this.#indexedUpto + tail.size) + 1024);
    for (const key of this.#sql.indexedKeys.iterate()) filter.add(key);
    for (const [, key] of tail.wellFormed()) filter.add(key);
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

  #catchUp(ownedEnd: number): TailIds {
    const size = this.#sql.size.get() ?? 0;
    if (this.#tail !== undefined && size >= this.#tailEnd && size <= ownedEnd) return this.#tail;
    if (this.#tail !== undefined && size === this.#tailEnd) return this.#tail;
    if (this.#tail === undefined || size < this.#tailEnd) {
      this.#indexedUpto = this.#readIndexedUpto();
      this.#tail = new TailIds(this.#indexedUpto);
      this.#tailEnd = this.#indexedUpto;
      this.#filter = undefined;
    }
    for (const [pos, id] of this.#sql.tailFrom.iterate(this.#tailEnd)) {
      // Only tampering makes pos differ from the run's next position; such rows hold no id here.
      if (pos < this.#tail.end) continue;
      this.#tail.set(pos, id);
      if (ID_RE.test(id)) this.#filter?.add(keyOfId(id));
    }
    this.#tailEnd = size;
    return this.#tail;
  }
}
