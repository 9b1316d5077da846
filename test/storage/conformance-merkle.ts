/**
 * The Merkle half of the EventStore conformance suite: every stored level read back against an
 * in-memory reference filled from the same entry hashes, and roots, frontiers and proofs computed
 * from the store against the ledger's own.
 */
import { describe, expect, it } from 'vitest';

import {
  type EventStore,
  fromHex,
  hashLeaf,
  inclusionProof,
  MerkleFrontier,
  rootAt,
  toHex,
  verifyInclusion,
} from '../../src/core/index.js';
import { expectErrorCodeAsync } from '../helpers/errors.js';
import { EventFactory } from '../helpers/event-factory.js';
import { MemoryNodeSource } from '../helpers/memory-node-source.js';
import { appendEvents, openLedger } from './store-fixtures.js';

const SIZES = [1, 2, 3, 15, 16, 17, 255, 256, 257, 1000, 1100];

async function entryHashes(store: EventStore): Promise<Uint8Array[]> {
  const hashes: Uint8Array[] = [];
  for await (const chunk of store.scan()) {
    for (const line of chunk) hashes.push(fromHex((JSON.parse(line) as { hash: string }).hash));
  }
  return hashes;
}

export function describeMerkleConformance(
  create: () => Promise<EventStore>,
  reopen: (options?: { readonly?: boolean }) => Promise<EventStore>,
): void {
  describe('readNodes', () => {
    it('returns every stored level exactly as the reference tree holds it', async () => {
      const ledger = await openLedger(await create());
      await appendEvents(ledger, new EventFactory({ seed: 20 }), 1100, 97);
      await ledger.store.close();
      for (const readonly of [false, true]) {
        const store = await reopen({ readonly });
        const reference = MemoryNodeSource.fromLeafData(await entryHashes(store));
        expect(reference.storedLevels()).toEqual([0, 4, 8]);
        for (const level of reference.storedLevels()) {
          const count = reference.storedCount(level);
          const all = await store.readNodes(level, 0, count);
          expect(all.map((hash) => toHex(hash))).toEqual(
            (await reference.readNodes(level, 0, count)).map((hash) => toHex(hash)),
          );
          const middle = await store.readNodes(level, 1, Math.min(count, 3));
          expect(middle.map((hash) => toHex(hash))).toEqual(
            all.slice(1, Math.min(count, 3)).map((hash) => toHex(hash)),
          );
          expect(await store.readNodes(level, count, count)).toEqual([]);
          await expectErrorCodeAsync(
            () => store.readNodes(level, count - 1, count + 1),
            'MERKLE_NODE_MISSING',
          );
        }
        await store.close();
      }
    });

    it('reports MERKLE_NODE_MISSING for levels and ranges it does not store', async () => {
      const ledger = await openLedger(await create());
      await appendEvents(ledger, new EventFactory({ seed: 21 }), 40);
      await expectErrorCodeAsync(() => ledger.store.readNodes(2, 0, 1), 'MERKLE_NODE_MISSING');
      await expectErrorCodeAsync(() => ledger.store.readNodes(8, 0, 1), 'MERKLE_NODE_MISSING');
      await expectErrorCodeAsync(() => ledger.store.readNodes(0, 5, 4), 'MERKLE_NODE_MISSING');
      await expectErrorCodeAsync(() => ledger.store.readNodes(0, 0, 41), 'MERKLE_NODE_MISSING');
    });

    it('serves roots, frontiers and inclusion proofs that match the ledger', async () => {
      const ledger = await openLedger(await create());
      const expectedRoots = new Map<number, string>();
      const frontier = MerkleFrontier.empty();
      const events = new EventFactory({ seed: 22 });
      let done = 0;
      for (const size of SIZES) {
        await appendEvents(ledger, events, size - done, 64);
        done = size;
        expect(ledger.snapshot.size).toBe(size);
        expectedRoots.set(size, ledger.snapshot.root);
      }
      for (const hash of await entryHashes(ledger.store)) frontier.append(hashLeaf(hash));
      expect(toHex(frontier.root())).toBe(ledger.snapshot.root);

      await ledger.store.close();
      const store = await reopen({ readonly: true });
      for (const size of SIZES) {
        expect(toHex(await rootAt(size, store))).toBe(expectedRoots.get(size));
        expect(toHex((await MerkleFrontier.restore(size, store)).root())).toBe(
          expectedRoots.get(size),
        );
      }
      const hashes = await entryHashes(store);
      const size = 1100;
      const root = fromHex(expectedRoots.get(size)!);
      for (const index of [0, 1, 15, 16, 511, 1023, 1024, 1099]) {
        const proof = await inclusionProof(index, size, store);
        expect(() =>
          verifyInclusion(hashLeaf(hashes[index]!), index, size, proof, root),
        ).not.toThrow();
      }
    });
  });
}
