/**
 * MerkleFrontier: the nodes each append reports are exactly those a store keeps, and a frontier
 * survives its JSON form and a restore from stored nodes at any size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { sha256, toHex } from '../../../src/core/bytes.js';
import {
  hashLeaf,
  MERKLE_NODE_STRIDE,
  MerkleFrontier,
  type MerkleNode,
  rootFromLeafHashes,
} from '../../../src/core/merkle/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { MemoryNodeSource } from '../../helpers/memory-node-source.js';

const LARGE = 4200;
const entries = Array.from({ length: LARGE }, (_, i) => sha256(`entry ${i}`));
const leafHashes = entries.map((entry) => hashLeaf(entry));
const source = MemoryNodeSource.fromLeafData(entries);

/** The frontier after each size 0…LARGE, and the nodes each append reported. */
const frontiers: MerkleFrontier[] = [MerkleFrontier.empty()];
const emitted: (readonly MerkleNode[])[] = [];
for (const leafHash of leafHashes) {
  const next = frontiers.at(-1)!.clone();
  emitted.push(next.append(leafHash));
  frontiers.push(next);
}

function subtreeOf(level: number, index: number): string {
  const width = 2 ** level;
  return toHex(rootFromLeafHashes(leafHashes.slice(index * width, (index + 1) * width)));
}

describe('MerkleFrontier', () => {
  describe('append', () => {
    it('reports exactly the completed subtrees at positive multiples of the stride', () => {
      for (const [i, nodes] of emitted.entries()) {
        const size = i + 1;
        const expected: string[] = [];
        for (let level = MERKLE_NODE_STRIDE; size % 2 ** level === 0; level += MERKLE_NODE_STRIDE) {
          expected.push(
            `${level}/${size / 2 ** level - 1}/${subtreeOf(level, size / 2 ** level - 1)}`,
          );
        }
        expect(nodes.map((n) => `${n.level}/${n.index}/${toHex(n.hash)}`)).toEqual(expected);
      }
    });

    it('reaches levels 4, 8 and 12, in index order, at the counts a store of that size holds', () => {
      const byLevel = new Map<number, number[]>();
      for (const node of emitted.flat()) {
        byLevel.set(node.level, [...(byLevel.get(node.level) ?? []), node.index]);
      }
      expect([...byLevel.keys()]).toEqual([4, 8, 12]);
      for (const [level, indices] of byLevel) {
        const count = Math.floor(LARGE / 2 ** level);
        expect(indices).toEqual(Array.from({ length: count }, (_, i) => i));
        expect(source.storedCount(level)).toBe(count);
      }
      expect(source.storedLevels()).toEqual([0, 4, 8, 12]);
    });

    it('leaves the original alone when appending to a clone', () => {
      const frontier = frontiers[5]!;
      const clone = frontier.clone();
      clone.append(leafHashes[5]!);
      expect(frontier.size).toBe(5);
      expect(toHex(frontier.root())).toBe(toHex(rootFromLeafHashes(leafHashes.slice(0, 5))));
      expect(toHex(clone.root())).toBe(toHex(rootFromLeafHashes(leafHashes.slice(0, 6))));
    });
  });

  describe('toJSON and fromJSON', () => {
    it('round-trip at random sizes', () => {
      fc.assert(
        fc.property(fc.nat({ max: LARGE }), (size) => {
          const json = frontiers[size]!.toJSON();
          expect(json.size).toBe(size);
          const again = MerkleFrontier.fromJSON(JSON.parse(JSON.stringify(json)));
          expect(again.toJSON()).toEqual(json);
          expect(toHex(again.root())).toBe(toHex(frontiers[size]!.root()));
        }),
        { numRuns: 200 },
      );
    });

    it('continues appending from a parsed form as from the original', () => {
      const parsed = MerkleFrontier.fromJSON(frontiers[1000]!.toJSON());
      for (const leafHash of leafHashes.slice(1000, 1100)) parsed.append(leafHash);
      expect(parsed.toJSON()).toEqual(frontiers[1100]!.toJSON());
    });

    describe('when the input is malformed', () => {
      const hash = 'ab'.repeat(32);
      const cases: [string, unknown][] = [
        ['not an object', null],
        ['a missing size', { hashes: [] }],
        ['a negative size', { size: -1, hashes: [] }],
        ['a fractional size', { size: 1.5, hashes: [hash] }],
        ['an unsafe size', { size: 2 ** 53, hashes: [hash] }],
        ['uppercase hex', { size: 1, hashes: ['AB'.repeat(32)] }],
        ['a short hash', { size: 1, hashes: ['ab'] }],
        ['an unknown key', { size: 1, hashes: [hash], extra: true }],
        ['too few hashes for the size', { size: 3, hashes: [hash] }],
        ['too many hashes for the size', { size: 4, hashes: [hash, hash] }],
      ];
      it.each(cases)('reports MERKLE_FRONTIER_MALFORMED for %s', (_, value) => {
        expectErrorCode(() => MerkleFrontier.fromJSON(value), 'MERKLE_FRONTIER_MALFORMED');
      });
    });
  });

  describe('restore', () => {
    it('rebuilds the frontier of any stored size', async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: LARGE }), async (size) => {
          const restored = await MerkleFrontier.restore(size, source);
          expect(restored.toJSON()).toEqual(frontiers[size]!.toJSON());
        }),
        { numRuns: 200 },
      );
    });

    it('reads each stored level at most once', async () => {
      for (const size of [0, 1, 15, 16, 17, 255, 4095, 4096, LARGE]) {
        source.resetCounters();
        await MerkleFrontier.restore(size, source);
        expect(source.reads).toBeLessThanOrEqual(
          Math.ceil(Math.log2(size + 1) / MERKLE_NODE_STRIDE),
        );
        // Level L costs at most 2^(L mod STRIDE) stored nodes: 1 + 2 + 4 + 8 per stored level.
        expect(source.nodesRead).toBeLessThanOrEqual(15 * source.reads);
      }
    });

    it('restores a frontier that keeps growing like the original', async () => {
      const restored = await MerkleFrontier.restore(2000, source);
      const grown: MerkleNode[] = [];
      for (const leafHash of leafHashes.slice(2000, 2100)) grown.push(...restored.append(leafHash));
      expect(restored.toJSON()).toEqual(frontiers[2100]!.toJSON());
      expect(grown).toEqual(emitted.slice(2000, 2100).flat());
    });
  });
});
