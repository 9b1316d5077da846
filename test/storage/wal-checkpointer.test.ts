import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createDatabase } from '../../src/storage/sqlite/connection.js';
import {
  setWalAutocheckpoint,
  SQLITE_FILE_NAME,
  STORE_PAGE_SIZE,
  WAL_AUTOCHECKPOINT_BYTES,
} from '../../src/storage/sqlite/schema.js';
import { BACKSTOP_BYTES, WalCheckpointer } from '../../src/storage/sqlite/wal-checkpointer.js';

const ROW_BYTES = 500;
const BATCH = 500;

function writeBatch(db: Database.Database, first: number): void {
  const insert = db.prepare(
    "INSERT INTO entries (pos, k, type, run, line) VALUES (?, ?, 'md.tick', 'r', ?)",
  );
  db.transaction(() => {
    for (let pos = first; pos < first + BATCH; pos++) insert.run(pos, pos, 'x'.repeat(ROW_BYTES));
  }).immediate();
}

async function settled(checkpointer: WalCheckpointer): Promise<void> {
  for (let i = 0; i < 500 && checkpointer.running; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(checkpointer.running).toBe(false);
}

describe('WalCheckpointer', () => {
  let dir: string;
  let db: Database.Database;
  let wal: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-wal-'));
    db = createDatabase(dir, 'test/wal');
    wal = path.join(dir, `${SQLITE_FILE_NAME}-wal`);
  });
  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checkpoints on its thread and lets the writer start the log over', async () => {
    const checkpointer = new WalCheckpointer(db, { everyBytes: 1 << 20 });
    // 40 batches of 250 kB: 10 MB written, a request about every 1 MB.
    for (let batch = 0; batch < 40; batch++) {
      writeBatch(db, batch * BATCH);
      checkpointer.noteWritten(BATCH * ROW_BYTES);
      await settled(checkpointer);
    }
    expect(checkpointer.requests).toBeGreaterThanOrEqual(8);
    expect(checkpointer.broken).toBe(false);
    // Without the thread and with the automatic checkpoint out of reach, the log would hold all
    // 10 MB; started over after each checkpoint, it holds a few batches' pages.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(
      BACKSTOP_BYTES / STORE_PAGE_SIZE,
    );
    expect(statSync(wal).size).toBeLessThan(4 << 20);
    expect(db.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(40 * BATCH);

    await checkpointer.close();
    db.close();
    // The writer's connection was the last: the log is checkpointed and removed.
    expect(existsSync(wal)).toBe(false);
  });

  it('starts no thread until enough is written, and closes at once without one', async () => {
    const checkpointer = new WalCheckpointer(db);
    writeBatch(db, 0);
    checkpointer.noteWritten(BATCH * ROW_BYTES);
    expect(checkpointer.requests).toBe(0);
    await checkpointer.close();
    checkpointer.noteWritten(64 << 20);
    expect(checkpointer.requests).toBe(0);
  });

  it('leaves checkpoints to the writer again when its thread cannot open the store', async () => {
    const checkpointer = new WalCheckpointer(db, { everyBytes: 1 });
    rmSync(path.join(dir, SQLITE_FILE_NAME));
    checkpointer.noteWritten(1);
    await settled(checkpointer);
    checkpointer.noteWritten(1);
    expect(checkpointer.broken).toBe(true);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(
      WAL_AUTOCHECKPOINT_BYTES / STORE_PAGE_SIZE,
    );
    await checkpointer.close();
  });

  it('sets the automatic checkpoint in the pages of the file, whatever their size', () => {
    expect(db.pragma('page_size', { simple: true })).toBe(STORE_PAGE_SIZE);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(
      WAL_AUTOCHECKPOINT_BYTES / STORE_PAGE_SIZE,
    );
    // A store made with smaller pages keeps them, and the same bytes are more of its pages.
    const older = new Database(path.join(dir, 'older.sqlite'));
    try {
      older.pragma('page_size = 8192');
      older.exec('CREATE TABLE t (x)');
      setWalAutocheckpoint(older, WAL_AUTOCHECKPOINT_BYTES);
      expect(older.pragma('page_size', { simple: true })).toBe(8192);
      expect(older.pragma('wal_autocheckpoint', { simple: true })).toBe(4096);
    } finally {
      older.close();
    }
  });
});
