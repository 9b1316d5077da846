/**
 * The one EventStore conformance suite. Every backend runs it against real files in a temporary
 * directory: `describeEventStoreConformance('sqlite', factory)`. The factory also says how to make
 * the backend's next write fail part-way, so atomicity is tested where it can actually break.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  emptySnapshot,
  type EventStore,
  fromHex,
  hashLeaf,
  type StoreSnapshot,
  toHex,
} from '../../src/core/index.js';
import { rootFromLeafHashes } from '../../src/core/merkle/index.js';
import { expectErrorCodeAsync } from '../helpers/errors.js';
import { EventFactory } from '../helpers/event-factory.js';
import { describeMerkleConformance } from './conformance-merkle.js';
import {
  appendEvents,
  collect,
  openLedger,
  type StoreFactory,
  verifyClean,
} from './store-fixtures.js';

export type { StoreFactory } from './store-fixtures.js';

const ORIGIN = 'deltatrace.test/conformance';

/** `name` is the backend's name, optionally followed by a variant: `sqlite (writer process)`. */
export function describeEventStoreConformance(name: string, factory: StoreFactory): void {
  const backend = name.split(' ')[0]!;
  describe(`EventStore conformance: ${name}`, () => {
    let dir = '';
    const open: EventStore[] = [];
    const track = async (store: Promise<EventStore>): Promise<EventStore> => {
      const opened = await store;
      open.push(opened);
      return opened;
    };
    const create = () => track(factory.create(dir, ORIGIN));
    const reopen = (options: { readonly?: boolean } = {}) => track(factory.open(dir, options));

    beforeEach(() => {
      dir = path.join(mkdtempSync(path.join(os.tmpdir(), `deltatrace-${backend}-`)), 'store');
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((store) => store.close()));
      rmSync(path.dirname(dir), { recursive: true, force: true });
    });

    describe('create and open', () => {
      it('creates an empty log with the given origin', async () => {
        const store = await create();
        expect(store.backend).toBe(backend);
        expect(await store.snapshot()).toEqual(emptySnapshot(ORIGIN));
        expect(await collect(store.scan())).toEqual([]);
        expect(await store.listCheckpoints()).toEqual([]);
        expect(await store.notes()).toEqual([]);
        expect(await store.readEntry(0)).toBeUndefined();
      });

      it('reports STORE_NOT_FOUND when there is no store', async () => {
        await expectErrorCodeAsync(() => factory.open(dir), 'STORE_NOT_FOUND');
        await expectErrorCodeAsync(() => factory.open(dir, { readonly: true }), 'STORE_NOT_FOUND');
      });

      it('reports STORE_ALREADY_EXISTS when a store is there', async () => {
        const store = await create();
        await store.close();
        await expectErrorCodeAsync(() => factory.create(dir, ORIGIN), 'STORE_ALREADY_EXISTS');
      });

      it('refuses writes to a read-only store with STORE_READONLY', async () => {
        await (await create()).close();
        const store = await reopen({ readonly: true });
        const ledger = await openLedger(store);
        const events = new EventFactory({ seed: 1 });
        await expectErrorCodeAsync(() => appendEvents(ledger, events, 3), 'STORE_READONLY');
        await expectErrorCodeAsync(
          () => store.putCheckpoint({ size: 0, note: 'n' }, emptySnapshot(ORIGIN)),
          'STORE_READONLY',
        );
      });
    });

    describe('append', () => {
      it('keeps the snapshot and the entries across close and reopen', async () => {
        const ledger = await openLedger(await create());
        const events = await appendEvents(ledger, new EventFactory({ seed: 2 }), 250, 60);
        const written = ledger.snapshot;
        expect(written.size).toBe(250);
        await ledger.store.close();

        const store = await reopen();
        expect(await store.snapshot()).toEqual(written);
        const lines = (await collect(store.scan())).flat();
        expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(
          events.map((event) => event.id),
        );
        expect(await store.readEntry(7)).toBe(lines[7]);
        expect(await store.readEntry(250)).toBeUndefined();
        expect(await verifyClean(store)).toBe(250);
      });

      it('scans in storage order in chunks of the requested size', async () => {
        const ledger = await openLedger(await create());
        await appendEvents(ledger, new EventFactory({ seed: 3 }), 250, 70);
        const chunks = await collect(ledger.store.scan(100));
        expect(chunks.map((chunk) => chunk.length)).toEqual([100, 100, 50]);
        const seqs = chunks.flat().map((line) => (JSON.parse(line) as { seq: number }).seq);
        expect(seqs).toEqual([...Array(250).keys()]);
        expect((await collect(ledger.store.scan(1))).length).toBe(250);
      });

      it('reports STORE_CONFLICT for a batch that does not continue the log, writing nothing', async () => {
        const store = await create();
        const first = await openLedger(store);
        const second = await openLedger(store);
        await appendEvents(first, new EventFactory({ seed: 4 }), 10);
        await expectErrorCodeAsync(
          () => appendEvents(second, new EventFactory({ seed: 5 }), 10),
          'STORE_CONFLICT',
        );
        expect((await store.snapshot()).size).toBe(10);
        expect((await collect(store.scan())).flat()).toHaveLength(10);
      });

      it('continues the chain after a reopen', async () => {
        const events = new EventFactory({ seed: 6 });
        const ledger = await openLedger(await create());
        await appendEvents(ledger, events, 120, 50);
        await ledger.store.close();
        const again = await openLedger(await reopen());
        await appendEvents(again, events, 80, 50);
        expect(again.snapshot.size).toBe(200);
        expect(await verifyClean(again.store)).toBe(200);
      });
    });

    describe('atomic batches', () => {
      it('leaves nothing behind when the store write fails part-way', async () => {
        const events = new EventFactory({ seed: 7 });
        const ledger = await openLedger(await create());
        await appendEvents(ledger, events, 100);
        const before: StoreSnapshot = await ledger.store.snapshot();
        factory.breakWrites(dir);
        const failing = events.take(100);
        await expect(
          ledger.append(ledger.parseInputs(failing.map((event) => event.input))),
        ).rejects.toMatchObject({ name: 'StorageError' });
        expect(await ledger.store.snapshot()).toEqual(before);
        expect((await collect(ledger.store.scan())).flat()).toHaveLength(100);
        expect(await ledger.store.findIds([failing[0]!.id])).toEqual(new Set());

        await ledger.store.close();
        factory.repairWrites(dir);
        const again = await openLedger(await reopen());
        expect(again.snapshot).toEqual(before);
        await again.append(again.parseInputs(failing.map((event) => event.input)));
        expect(await verifyClean(again.store)).toBe(200);
      });

      it('goes on after a failed write in the same session, with the tree of the entries kept', async () => {
        const events = new EventFactory({ seed: 17 });
        const ledger = await openLedger(await create());
        await appendEvents(ledger, events, 100, 30);
        factory.breakWrites(dir);
        const failing = events.take(100).map((event) => event.input);
        await expect(ledger.append(ledger.parseInputs(failing))).rejects.toMatchObject({
          name: 'StorageError',
        });
        factory.repairWrites(dir);
        const result = await ledger.append(ledger.parseInputs(failing));
        await appendEvents(ledger, events, 50, 7);

        const lines = (await collect(ledger.store.scan())).flat();
        const root = toHex(
          rootFromLeafHashes(
            lines.map((line) => hashLeaf(fromHex((JSON.parse(line) as { hash: string }).hash))),
          ),
        );
        expect(result.size).toBe(200);
        expect(ledger.snapshot.root).toBe(root);
        expect((await ledger.store.snapshot()).root).toBe(root);
        expect(await verifyClean(ledger.store)).toBe(250);
      });

      it('fails a batch sealed behind a failed write, and goes on from the last acknowledged', async () => {
        const events = new EventFactory({ seed: 18 });
        const ledger = await openLedger(await create());
        await appendEvents(ledger, events, 40, 20);
        factory.breakWrites(dir);
        const failing = events.take(30).map((event) => event.input);
        const behind = events.take(30).map((event) => event.input);
        // Both in flight at once: the second is sealed (and, where the store allows, sent) before
        // the first has failed.
        const results = await Promise.allSettled([
          ledger.append(ledger.parseInputs(failing)),
          ledger.append(ledger.parseInputs(behind)),
        ]);
        expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
        factory.repairWrites(dir);
        expect((await ledger.store.snapshot()).size).toBe(40);
        await ledger.append(ledger.parseInputs(failing));
        await ledger.append(ledger.parseInputs(behind));
        expect(ledger.snapshot.size).toBe(100);
        expect(await verifyClean(ledger.store)).toBe(100);
      });

      it('appends nothing from a ledger batch with one bad event', async () => {
        const events = new EventFactory({ seed: 8 });
        const ledger = await openLedger(await create());
        await appendEvents(ledger, events, 20);
        const batch = events.take(10).map((event) => event.input);
        const bad = [...batch.slice(0, 5), { ...batch[5]!, payload: { nonsense: true } }];
        expect(() => ledger.parseInputs(bad)).toThrow(
          expect.objectContaining({ code: 'INPUT_SCHEMA_VIOLATION' }) as Error,
        );
        const unknownCause = [...batch];
        unknownCause[9] = { ...batch[9]!, causes: [`sha256:${'ab'.repeat(32)}`] };
        await expectErrorCodeAsync(
          () => ledger.append(ledger.parseInputs(unknownCause)),
          'INPUT_UNKNOWN_CAUSE',
        );
        const duplicate = [...batch.slice(0, 9), batch[0]!];
        await expectErrorCodeAsync(
          () => ledger.append(ledger.parseInputs(duplicate)),
          'INPUT_DUPLICATE_EVENT',
        );
        expect((await ledger.store.snapshot()).size).toBe(20);
        expect((await collect(ledger.store.scan())).flat()).toHaveLength(20);
      });
    });

    describe('query', () => {
      it('filters by type, run and seq range, in seq order and chunks', async () => {
        const ledger = await openLedger(await create());
        const a = await appendEvents(ledger, new EventFactory({ seed: 9, run: 'run-a' }), 150);
        await appendEvents(ledger, new EventFactory({ seed: 9, run: 'run-b', start: 10_000 }), 150);
        const parsed = (await collect(ledger.store.scan())).flat().map((line) => ({
          line,
          ...(JSON.parse(line) as { seq: number; type: string; run: string }),
        }));
        const expectLines = async (
          filter: Parameters<EventStore['query']>[0],
          keep: (entry: (typeof parsed)[number]) => boolean,
        ) => {
          const got = (await collect(ledger.store.query(filter, 7))).flat();
          expect(got).toEqual(parsed.filter(keep).map((entry) => entry.line));
          // Packed pages, where the backend hands them out: the same texts, bytes split at newlines.
          if (ledger.store.queryPacked !== undefined) {
            const packed = [];
            for await (const page of ledger.store.queryPacked(filter, 7)) packed.push(page);
            for (const page of packed) {
              expect(page.count).toBeGreaterThan(0);
              expect(page.bytes.toString('utf8').split('\n')).toHaveLength(page.count);
            }
            expect(packed.flatMap((page) => page.bytes.toString('utf8').split('\n'))).toEqual(got);
          }
          return got.length;
        };
        expect(await expectLines({ type: 'md.tick' }, (e) => e.type === 'md.tick')).toBeGreaterThan(
          0,
        );
        expect(await expectLines({ run: 'run-a' }, (e) => e.run === 'run-a')).toBe(a.length);
        await expectLines({ fromSeq: 140, toSeq: 160 }, (e) => e.seq >= 140 && e.seq <= 160);
        await expectLines(
          { type: 'fill', run: 'run-b', fromSeq: 200 },
          (e) => e.type === 'fill' && e.run === 'run-b' && e.seq >= 200,
        );
        await expectLines({ type: 'no.such.type' }, () => false);
        await expectLines({}, () => true);
        const chunks = await collect(ledger.store.query({ toSeq: 19 }, 7));
        expect(chunks.map((chunk) => chunk.length)).toEqual([7, 7, 6]);
      });
    });

    describe('findIds', () => {
      it('finds stored ids and only those, across a reopen', async () => {
        const events = new EventFactory({ seed: 10 });
        const ledger = await openLedger(await create());
        const stored = await appendEvents(ledger, events, 300);
        const absent = events.take(50);
        const query = [
          ...stored.filter((_, i) => i % 7 === 0).map((event) => event.id),
          ...absent.map((event) => event.id),
          'not-an-id',
          `sha256:${'00'.repeat(32)}`,
          // The right shape with digits that are not lower-case hex: absent, whatever key they make.
          `sha256:${'zz'.repeat(32)}`,
          `sha256:${'!~'.repeat(32)}`,
          stored[0]!.id.toUpperCase().replace('SHA256:', 'sha256:'),
        ];
        const expected = new Set(stored.filter((_, i) => i % 7 === 0).map((event) => event.id));
        expect(await ledger.store.findIds(query)).toEqual(expected);
        expect(await ledger.store.findIds([])).toEqual(new Set());
        await ledger.store.close();
        expect(await (await reopen({ readonly: true })).findIds(query)).toEqual(expected);
      });

      it('finds ids among 70 000 entries, before and after a reopen', async () => {
        const events = new EventFactory({ seed: 11 });
        const ledger = await openLedger(await create());
        const stored = await appendEvents(ledger, events, 70_000, 5_000);
        const sample = stored.filter((_, i) => i % 997 === 0).map((event) => event.id);
        const absent = events.take(20).map((event) => event.id);
        expect(await ledger.store.findIds([...sample, ...absent])).toEqual(new Set(sample));
        await ledger.store.close();
        const again = await openLedger(await reopen());
        expect(await again.store.findIds([...absent, ...sample])).toEqual(new Set(sample));
        await expectErrorCodeAsync(
          () => again.append(again.parseInputs([stored[12_345]!.input])),
          'INPUT_DUPLICATE_EVENT',
        );
      });
    });

    describe('checkpoints', () => {
      it('stores checkpoints with the snapshot and lists them by ascending size', async () => {
        const ledger = await openLedger(await create());
        const events = new EventFactory({ seed: 12 });
        await appendEvents(ledger, events, 30);
        await ledger.recordCheckpoint('note at 30\n');
        await appendEvents(ledger, events, 20);
        const latest = await ledger.recordCheckpoint('note at 50\n');
        await ledger.store.putCheckpoint({ size: 10, note: 'an older note\n' }, latest);
        expect(await ledger.store.listCheckpoints()).toEqual([
          { size: 10, note: 'an older note\n' },
          { size: 30, note: 'note at 30\n' },
          { size: 50, note: 'note at 50\n' },
        ]);
        await ledger.store.close();
        const store = await reopen({ readonly: true });
        expect((await store.snapshot()).latest_checkpoint).toEqual({
          size: 50,
          note: 'note at 50\n',
        });
        expect(await store.listCheckpoints()).toHaveLength(3);
      });
    });

    describeMerkleConformance(create, reopen);
  });
}
