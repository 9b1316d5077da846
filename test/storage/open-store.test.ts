import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { emptySnapshot } from '../../src/core/index.js';
import {
  createStore,
  detectBackend,
  JsonlEventStore,
  openStore,
  SqliteEventStore,
} from '../../src/storage/index.js';
import { SQLITE_FILE_NAME } from '../../src/storage/sqlite/index.js';
import { expectErrorCode, expectErrorCodeAsync } from '../helpers/errors.js';

describe('openStore and createStore', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-open-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['sqlite', 'jsonl'] as const)(
    'creates a %s store and opens it by its files',
    async (backend) => {
      const store = await createStore(path.join(dir, backend), { backend, origin: 'o' });
      expect(store).toBeInstanceOf(backend === 'sqlite' ? SqliteEventStore : JsonlEventStore);
      await store.close();
      expect(detectBackend(path.join(dir, backend))).toBe(backend);
      for (const readonly of [false, true]) {
        const opened = await openStore(path.join(dir, backend), { readonly });
        expect(opened.backend).toBe(backend);
        expect(await opened.snapshot()).toEqual(emptySnapshot('o'));
        await opened.close();
      }
    },
  );

  it('reports STORE_NOT_FOUND for a directory without a store, or no directory', async () => {
    await expectErrorCodeAsync(() => openStore(dir), 'STORE_NOT_FOUND');
    await expectErrorCodeAsync(() => openStore(path.join(dir, 'absent')), 'STORE_NOT_FOUND');
  });

  it('refuses to create a store where one of the other backend is (STORE_ALREADY_EXISTS)', async () => {
    await (await createStore(dir, { backend: 'jsonl', origin: 'o' })).close();
    await expectErrorCodeAsync(
      () => createStore(dir, { backend: 'sqlite', origin: 'o' }),
      'STORE_ALREADY_EXISTS',
    );
  });

  it('reports STORE_CORRUPT for a directory holding both backends', async () => {
    await (await createStore(dir, { backend: 'jsonl', origin: 'o' })).close();
    writeFileSync(path.join(dir, SQLITE_FILE_NAME), '');
    expectErrorCode(() => detectBackend(dir), 'STORE_CORRUPT');
    await expectErrorCodeAsync(() => openStore(dir), 'STORE_CORRUPT');
  });
});
