import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createDatabase } from '../../src/storage/sqlite/connection.js';
import { IdIndex, keyOfId } from '../../src/storage/sqlite/id-index.js';

function idOf(n: number): string {
  return `sha256:${createHash('sha256').update(`entry ${n}`).digest('hex')}`;
}

/** Rows shaped like stored entries as far as the id index reads them (pos, k, the id in line). */
function insertEntries(db: Database.Database, from: number, count: number): void {
  const insert = db.prepare(
    "INSERT INTO entries (pos, k, type, run, line) VALUES (?, ?, 'md.tick', 'r', ?)",
  );
  db.transaction(() => {
    for (let pos = from; pos < from + count; pos++) {
      const id = idOf(pos);
      insert.run(pos, keyOfId(id), `{"causes":[],"hash":"${'0'.repeat(64)}","id":"${id}"}`);
    }
  })();
}

function indexRows(db: Database.Database): [number, number][] {
  return db.prepare('SELECT k, pos FROM id_index ORDER BY k, pos').raw().all() as [
    number,
    number,
  ][];
}

function indexedUpto(db: Database.Database): number {
  return db.prepare("SELECT value FROM meta WHERE key = 'indexed_upto'").pluck().get() as number;
}

describe('IdIndex merges', () => {
  let dir: string;
  let db: Database.Database;
  const size = 70_000;
  const sample = [0, 1, 17, 4_096, 40_000, 65_535, 65_536, 69_999].map(idOf);
  const absent = [size, size + 1, 1_000_000].map(idOf);

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-id-index-'));
    db = createDatabase(dir, 'test/id-index');
    insertEntries(db, 0, size);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('merges a due tail a step at a time, answering lookups the same at every step', () => {
    const index = new IdIndex(db);
    expect(index.find([...sample, ...absent])).toEqual(new Set(sample));
    let steps = 0;
    while (index.indexedUpto === 0) {
      index.mergeIfDue(size, 1_000);
      steps++;
      expect(index.find([...sample, ...absent])).toEqual(new Set(sample));
      expect(steps).toBeLessThan(1_000);
    }
    // Reading 70k rows takes 5 steps of 16k, inserting them about 35 of 2k.
    expect(steps).toBeGreaterThan(20);
    expect(index.indexedUpto).toBe(size);
    expect(indexedUpto(db)).toBe(size);
    const expected = Array.from({ length: size }, (_, pos) => [keyOfId(idOf(pos)), pos]);
    expected.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(indexRows(db)).toEqual(expected);
    // Not due again until the tail has grown.
    index.mergeIfDue(size, 1_000);
    expect(indexRows(db)).toHaveLength(size);
    // Answered from id_index now, also by a fresh index that never saw the tail.
    expect(new IdIndex(db).find([...sample, ...absent])).toEqual(new Set(sample));
  });

  it('takes the keys of the entries it wrote from memory, reading back only the rest', () => {
    const index = new IdIndex(db);
    const written = Float64Array.from({ length: size - 30_000 }, (_, i) =>
      keyOfId(idOf(30_000 + i)),
    );
    index.noteWritten(30_000, written, written.length);
    let steps = 0;
    while (index.indexedUpto === 0) {
      index.mergeIfDue(size, 1_000);
      steps++;
    }
    expect(index.indexedUpto).toBe(size);
    const expected = Array.from({ length: size }, (_, pos) => [keyOfId(idOf(pos)), pos]);
    expected.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(indexRows(db)).toEqual(expected);
    // Two read steps of 16k for the 30k rows before the written keys, then the inserts.
    const readAll = new IdIndex(db);
    insertEntries(db, size, 100_000);
    let stepsReadingAll = 0;
    while (readAll.indexedUpto === size) {
      readAll.mergeIfDue(size + 100_000, 1_000);
      stepsReadingAll++;
    }
    expect(steps).toBeLessThan(stepsReadingAll);
  });

  it('starts over from indexed_upto after a merge abandoned part-way', () => {
    const first = new IdIndex(db);
    for (let i = 0; i < 10; i++) first.mergeIfDue(size, 1_000);
    expect(indexedUpto(db)).toBe(0);
    const partial = indexRows(db).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(size);

    const second = new IdIndex(db);
    while (second.indexedUpto === 0) second.mergeIfDue(size, 10_000);
    expect(indexRows(db)).toHaveLength(size);
    expect(second.find([...sample, ...absent])).toEqual(new Set(sample));
  });

  it('gives up a merge that another connection finished first', () => {
    const slow = new IdIndex(db);
    for (let i = 0; i < 10; i++) slow.mergeIfDue(size, 1_000);
    const fast = new IdIndex(db);
    while (fast.indexedUpto === 0) fast.mergeIfDue(size, 100_000);
    insertEntries(db, size, 10);
    slow.mergeIfDue(size + 10, 1_000);
    expect(slow.indexedUpto).toBe(size);
    expect(indexedUpto(db)).toBe(size);
    expect(indexRows(db)).toHaveLength(size);
    expect(slow.find([idOf(size + 3), ...sample])).toEqual(new Set([idOf(size + 3), ...sample]));
  });
});
