/**
 * Every MERKLE_* code has a trigger here, and a new code without one fails the first test. The
 * other suites cover each code in context; this file pins the reason-to-code mapping in one place.
 */
import { describe, expect, it } from 'vitest';

import { sha256 } from '../../../src/core/bytes.js';
import { ERROR_CODES, type ErrorCode } from '../../../src/core/errors.js';
import {
  consistencyProof,
  hashLeaf,
  inclusionProof,
  MerkleFrontier,
  rootAt,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/core/merkle/index.js';
import { expectErrorCodeAsync } from '../../helpers/errors.js';
import { MemoryNodeSource } from '../../helpers/memory-node-source.js';

const entries = Array.from({ length: 8 }, (_, i) => sha256(`entry ${i}`));
const leafHashes = entries.map((entry) => hashLeaf(entry));
const source = MemoryNodeSource.fromLeafData(entries);
const root8 = source.root();
const root6 = await rootAt(6, source);
const proof5of8 = await inclusionProof(5, 8, source);
const proof6to8 = await consistencyProof(6, 8, source);
const hash = sha256('some hash');

type Trigger = readonly [reason: string, run: () => unknown];

/** Every MERKLE_* code, with the reasons that must produce it. */
const TRIGGERS: Readonly<Record<string, readonly Trigger[]>> = {
  MERKLE_INDEX_OUT_OF_RANGE: [
    ['verifying an index equal to the size', () => verifyInclusion(hash, 8, 8, [], root8)],
    ['verifying a negative index', () => verifyInclusion(hash, -1, 8, [], root8)],
    ['verifying an index in the empty tree', () => rootFromInclusionProof(hash, 0, 0, [])],
    ['proving an index past the size', () => inclusionProof(8, 8, source)],
  ],
  MERKLE_SIZE_OUT_OF_RANGE: [
    ['verifying in a tree of fractional size', () => verifyInclusion(hash, 0, 1.5, [], root8)],
    ['checking consistency to an unsafe size', () => verifyConsistency(1, 2 ** 53, [], hash, hash)],
    ['proving consistency from a negative size', () => consistencyProof(-1, 8, source)],
    ['restoring a frontier of size NaN', () => MerkleFrontier.restore(Number.NaN, source)],
    [
      'appending past 2^53 − 1 leaves',
      () => {
        const size = Number.MAX_SAFE_INTEGER;
        const full = MerkleFrontier.fromJSON({ size, hashes: Array(53).fill('00'.repeat(32)) });
        full.append(hash);
      },
    ],
  ],
  MERKLE_BAD_HASH_SIZE: [
    ['a 31-byte leaf hash', () => verifyInclusion(hash.subarray(1), 5, 8, proof5of8, root8)],
    [
      'an empty proof element',
      () => verifyInclusion(leafHashes[5]!, 5, 8, [proof5of8[0]!, new Uint8Array(0)], root8),
    ],
    ['a 33-byte root', () => verifyInclusion(leafHashes[5]!, 5, 8, proof5of8, new Uint8Array(33))],
    ['a short first root', () => verifyConsistency(6, 8, proof6to8, root6.subarray(4), root8)],
    [
      'a short consistency proof element',
      () => verifyConsistency(6, 8, [hash.subarray(2)], root6, root8),
    ],
    ['appending a 20-byte leaf hash', () => MerkleFrontier.empty().append(new Uint8Array(20))],
  ],
  MERKLE_PROOF_WRONG_LENGTH: [
    [
      'an inclusion proof one short',
      () => verifyInclusion(leafHashes[5]!, 5, 8, proof5of8.slice(1), root8),
    ],
    [
      'a consistency proof one long',
      () => verifyConsistency(6, 8, [...proof6to8, hash], root6, root8),
    ],
    ['a non-empty proof between equal sizes', () => verifyConsistency(8, 8, [hash], root8, root8)],
  ],
  MERKLE_ROOT_MISMATCH: [
    ['another leaf', () => verifyInclusion(leafHashes[4]!, 5, 8, proof5of8, root8)],
    ['another root', () => verifyInclusion(leafHashes[5]!, 5, 8, proof5of8, root6)],
    ['a wrong first root', () => verifyConsistency(6, 8, proof6to8, root8, root8)],
    ['a wrong second root', () => verifyConsistency(6, 8, proof6to8, root6, root6)],
    ['unequal roots at equal sizes', () => verifyConsistency(6, 6, [], root6, root8)],
  ],
  MERKLE_CONSISTENCY_FROM_EMPTY: [
    ['verifying from size 0', () => verifyConsistency(0, 8, [], hash, root8)],
    ['verifying between two empty trees', () => verifyConsistency(0, 0, [], hash, hash)],
    ['proving from size 0', () => consistencyProof(0, 8, source)],
  ],
  MERKLE_CONSISTENCY_SIZE_ORDER: [
    ['verifying from a larger size', () => verifyConsistency(8, 6, proof6to8, root8, root6)],
    ['proving from a larger size', () => consistencyProof(8, 6, source)],
  ],
  MERKLE_NODE_MISSING: [
    ['proving in a tree larger than the store', () => inclusionProof(0, 9, source)],
    ['computing the root of a tree larger than the store', () => rootAt(16, source)],
  ],
  MERKLE_FRONTIER_MALFORMED: [
    [
      'a frontier whose hash count contradicts its size',
      () => MerkleFrontier.fromJSON({ size: 2, hashes: [] }),
    ],
  ],
};

describe('MERKLE_* error codes', () => {
  it('each have triggers', () => {
    const codes = Object.keys(ERROR_CODES).filter((code) => code.startsWith('MERKLE_'));
    expect(Object.keys(TRIGGERS).sort()).toEqual(codes.sort());
  });

  describe.each(Object.entries(TRIGGERS))('%s', (code, triggers) => {
    it.each(triggers)('is reported for %s', async (_, run) => {
      await expectErrorCodeAsync(() => Promise.resolve().then(run), code as ErrorCode);
    });
  });
});
