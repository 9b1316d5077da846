/**
 * subtreeHash and rootAt: hashes of any node and of any older tree, from stored nodes only, and a
 * clear failure when the store cannot supply them.
 */
import { describe, expect, it } from 'vitest';

import { sha256, toHex } from '../../../src/core/bytes.js';
import {
  hashLeaf,
  inclusionProof,
  type MerkleNodeSource,
  rootAt,
  rootFromLeafHashes,
  subtreeHash,
} from '../../../src/core/merkle/index.js';
import { expectErrorCodeAsync } from '../../helpers/errors.js';
import { MemoryNodeSource } from '../../helpers/memory-node-source.js';

const SIZE = 1024;
const entries = Array.from({ length: SIZE }, (_, i) => sha256(`entry ${i}`));
const leafHashes = entries.map((entry) => hashLeaf(entry));
const source = MemoryNodeSource.fromLeafData(entries);

describe('subtreeHash', () => {
  it('matches the reference hash of every node of a 1,024-leaf tree', async () => {
    for (let level = 0; level <= 10; level++) {
      const width = 2 ** level;
      for (let index = 0; index < SIZE / width; index++) {
        const expected = rootFromLeafHashes(leafHashes.slice(index * width, (index + 1) * width));
        expect(toHex(await subtreeHash(level, index, source))).toBe(toHex(expected));
      }
    }
  });

  it('costs one read of at most 2^(level mod STRIDE) stored nodes', async () => {
    for (const level of [0, 3, 4, 7, 9]) {
      source.resetCounters();
      await subtreeHash(level, 1, source);
      expect(source.reads).toBe(1);
      expect(source.nodesRead).toBe(2 ** (level % 4));
    }
  });

  describe('when the node lies outside any tree of safe size', () => {
    it.each([
      [-1, 0],
      [0.5, 0],
      [54, 0],
      [0, -1],
      [0, 2 ** 53],
      [10, 2 ** 43],
    ])('reports MERKLE_INDEX_OUT_OF_RANGE for level %d, index %d', async (level, index) => {
      await expectErrorCodeAsync(
        () => subtreeHash(level, index, source),
        'MERKLE_INDEX_OUT_OF_RANGE',
      );
    });
  });
});

describe('rootAt', () => {
  it('reports MERKLE_SIZE_OUT_OF_RANGE for a size that is not a safe integer ≥ 0', async () => {
    for (const size of [-1, 1.5, Number.NaN, 2 ** 53]) {
      await expectErrorCodeAsync(() => rootAt(size, source), 'MERKLE_SIZE_OUT_OF_RANGE');
    }
  });
});

describe('when the store lacks nodes', () => {
  it('passes on MERKLE_NODE_MISSING for a size beyond the stored leaves', async () => {
    await expectErrorCodeAsync(() => rootAt(SIZE + 1, source), 'MERKLE_NODE_MISSING');
    await expectErrorCodeAsync(() => subtreeHash(10, 1, source), 'MERKLE_NODE_MISSING');
  });

  it('reports MERKLE_NODE_MISSING when a source returns fewer nodes than asked', async () => {
    const short: MerkleNodeSource = {
      readNodes: async (level, from, to) => (await source.readNodes(level, from, to)).slice(1),
    };
    await expectErrorCodeAsync(() => inclusionProof(3, 100, short), 'MERKLE_NODE_MISSING');
  });

  it('reports STORE_CORRUPT when a source returns a hash that is not 32 bytes', async () => {
    const corrupt: MerkleNodeSource = {
      readNodes: async (level, from, to) =>
        (await source.readNodes(level, from, to)).map((hash) => hash.subarray(1)),
    };
    await expectErrorCodeAsync(() => rootAt(100, corrupt), 'STORE_CORRUPT');
  });
});
