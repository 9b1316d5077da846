import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SQLITE_FILE_NAME, SqliteEventStore } from '../../src/storage/sqlite/index.js';
import { expectErrorCodeAsync } from '../helpers/errors.js';
import { EventFactory } from '../helpers/event-factory.js';
import { describeEventStoreConformance } from './conformance.js';
import { appendEvents, openLedger } from './store-fixtures.js';

function withRaw(dir: string, sql: string): void {
  const db = new Database(path.join(dir, SQLITE_FILE_NAME));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

describeEventStoreConformance('sqlite', {
  create: (dir, origin) => SqliteEventStore.create(dir, { origin }),
  open: (dir, options) => SqliteEventStore.open(dir, options),
  // Fails the batch's last statement, the snapshot update, after its entries and nodes went in.
  breakWrites: (dir) =>
    withRaw(
      dir,
      "CREATE TRIGGER injected_failure BEFORE UPDATE ON meta BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
    ),
  repairWrites: (dir) => withRaw(dir, 'DROP TRIGGER injected_failure;'),
});

// The same store with its write transactions in a writer process of its own.
describeEventStoreConformance('sqlite (writer process)', {
  create: (dir, origin) => SqliteEventStore.create(dir, { origin, writer: 'process' }),
  open: (dir, options) =>
    SqliteEventStore.open(
      dir,
      options?.readonly === true ? options : { ...options, writer: 'process' },
    ),
  breakWrites: (dir) =>
    withRaw(
      dir,
      "CREATE TRIGGER injected_failure BEFORE UPDATE ON meta BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
    ),
  repairWrites: (dir) => withRaw(dir, 'DROP TRIGGER injected_failure;'),
});

describe('SqliteEventStore', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-sqlite-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports STORE_CORRUPT for a file that is not SQLite', async () => {
    writeFileSync(path.join(dir, SQLITE_FILE_NAME), 'certainly not a database '.repeat(100));
    await expectErrorCodeAsync(() => SqliteEventStore.open(dir), 'STORE_CORRUPT');
  });

  it('reports STORE_CORRUPT for a SQLite file without the store tables', async () => {
    withRaw(dir, 'CREATE TABLE other (x INTEGER);');
    await expectErrorCodeAsync(() => SqliteEventStore.open(dir), 'STORE_CORRUPT');
  });

  it('reports STORE_FORMAT_UNSUPPORTED for another format version', async () => {
    await (await SqliteEventStore.create(dir, { origin: 'o' })).close();
    withRaw(dir, "UPDATE meta SET value = 'deltatrace.sqlite.v99' WHERE key = 'format';");
    await expectErrorCodeAsync(() => SqliteEventStore.open(dir), 'STORE_FORMAT_UNSUPPORTED');
  });

  it('reports STORE_CORRUPT for a damaged snapshot', async () => {
    await (await SqliteEventStore.create(dir, { origin: 'o' })).close();
    withRaw(dir, "UPDATE meta SET value = '{\"format\":' WHERE key = 'snapshot';");
    const store = await SqliteEventStore.open(dir, { readonly: true });
    await expectErrorCodeAsync(() => store.snapshot(), 'STORE_CORRUPT');
    await store.close();
  });

  it('reports STORE_LOCKED when another connection holds the write lock', async () => {
    const store = await SqliteEventStore.create(dir, { origin: 'o' });
    await store.close();
    const locked = await SqliteEventStore.open(dir, { busyTimeoutMs: 20 });
    const ledger = await openLedger(locked);
    const other = new Database(path.join(dir, SQLITE_FILE_NAME));
    other.exec('BEGIN IMMEDIATE');
    try {
      await expectErrorCodeAsync(
        () => appendEvents(ledger, new EventFactory({ seed: 1 }), 5),
        'STORE_LOCKED',
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await appendEvents(ledger, new EventFactory({ seed: 1 }), 5);
    expect((await locked.snapshot()).size).toBe(5);
    await locked.close();
  });

  it('reports STORE_IO once closed', async () => {
    const store = await SqliteEventStore.create(dir, { origin: 'o' });
    await store.close();
    await expectErrorCodeAsync(() => store.snapshot(), 'STORE_IO');
  });

  it('keeps entry seq equal to storage position and stores only positive Merkle levels', async () => {
    const ledger = await openLedger(await SqliteEventStore.create(dir, { origin: 'o' }));
    await appendEvents(ledger, new EventFactory({ seed: 2 }), 300, 300);
    await ledger.store.close();
    const db = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
    try {
      const mismatched = db
        .prepare("SELECT count(*) FROM entries WHERE pos != line->>'$.seq'")
        .pluck()
        .get();
      expect(mismatched).toBe(0);
      const levels = db
        .prepare('SELECT DISTINCT level FROM merkle_nodes ORDER BY level')
        .pluck()
        .all();
      expect(levels).toEqual([4, 8]);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('stores the same tree whether the ledger or the writer process hashed it', async () => {
    const events = new EventFactory({ seed: 9 });
    const stores = { inline: path.join(dir, 'inline'), mixed: path.join(dir, 'mixed') };
    const inline = await openLedger(await SqliteEventStore.create(stores.inline, { origin: 'o' }));
    await SqliteEventStore.create(stores.mixed, { origin: 'o' }).then((store) => store.close());
    // Batches alternate between the two writers, so each takes over the other's tree.
    for (const writer of ['process', 'inline', 'process', 'process'] as const) {
      const part = events.take(90).map((event) => event.input);
      const mixed = await openLedger(await SqliteEventStore.open(stores.mixed, { writer }));
      expect(mixed.store.keepsTree).toBe(writer === 'process');
      const [expected, actual] = [
        await inline.append(inline.parseInputs(part)),
        await mixed.append(mixed.parseInputs(part)),
      ];
      expect(actual).toEqual(expected);
      expect(mixed.snapshot).toEqual(inline.snapshot);
      await mixed.store.close();
    }
    await inline.store.close();
    const nodes = (where: string): unknown[] => {
      const db = new Database(path.join(where, SQLITE_FILE_NAME), { readonly: true });
      try {
        return db.prepare('SELECT level, idx, hash FROM merkle_nodes ORDER BY level, idx').all();
      } finally {
        db.close();
      }
    };
    expect(nodes(stores.mixed)).toEqual(nodes(stores.inline));
    expect(nodes(stores.mixed).length).toBeGreaterThan(20);
  });
});
