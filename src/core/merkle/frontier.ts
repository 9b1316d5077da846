/**
 * @module
 * The compact range of a growing tree: the roots of the perfect subtrees of size's binary
 * decomposition, largest first. Appending a leaf works like incrementing a binary counter, each
 * carry being one interior hash, and reports the completed nodes the store must persist.
 */
import { z } from 'zod';

import { fromHex, toHex } from '../bytes.js';
import { InputError } from '../errors.js';
import { foldRightEdge, hashChildren } from './hashing.js';
import { MERKLE_NODE_STRIDE, type MerkleNode, type MerkleNodeSource } from './node-source.js';
import { readSubtreeHashes } from './stored-subtrees.js';
import { assertHashSize, assertTreeSize, isOdd, popCount, rightEdgeNodes } from './tree-math.js';

/** JSON-safe form of a frontier: the size and the subtree roots in lowercase hex, largest first. */
export interface MerkleFrontierJson {
  readonly size: number;
  readonly hashes: string[];
}

const MerkleFrontierJsonSchema = z.strictObject({
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  hashes: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits')),
});

// Most appends complete no stored node; they share one empty answer instead of allocating one.
const NONE_COMPLETED: readonly MerkleNode[] = Object.freeze([]);

export class MerkleFrontier {
  #size: number;
  /** One root per set bit of #size, highest bit first. Never mutated in place, so clones share. */
  readonly #hashes: Uint8Array[];

  private constructor(size: number, hashes: Uint8Array[]) {
    this.#size = size;
    this.#hashes = hashes;
  }

  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /**
   * The frontier of the stored tree's first `size` leaves: one perfect subtree per set bit, each
   * from ≤ 2^(L mod STRIDE) stored nodes, read in about one request per stored level.
   * @throws MERKLE_SIZE_OUT_OF_RANGE; MERKLE_NODE_MISSING when the store holds fewer leaves.
   */
  static async restore(size: number, source: MerkleNodeSource): Promise<MerkleFrontier> {
    assertTreeSize(size);
    return new MerkleFrontier(size, await readSubtreeHashes(source, rightEdgeNodes(0, size)));
  }

  /**
   * Parses the form {@link toJSON} writes. Outside input: everything is checked.
   * @throws MERKLE_FRONTIER_MALFORMED when the shape is wrong, a hash is not 64 lowercase hex
   *   digits, or the number of hashes is not the number of set bits of `size`.
   */
  static fromJSON(value: unknown): MerkleFrontier {
    const parsed = MerkleFrontierJsonSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      const where = field === '' ? 'Merkle frontier' : `Merkle frontier field ${field}`;
      const message = `${where}: ${issue?.message ?? 'invalid'}`;
      throw new InputError('MERKLE_FRONTIER_MALFORMED', message, { details: { field } });
    }
    const { size, hashes } = parsed.data;
    const expected = popCount(size);
    if (hashes.length !== expected) {
      throw new InputError(
        'MERKLE_FRONTIER_MALFORMED',
        `a frontier of size ${size} has ${expected} hashes, not ${hashes.length}`,
        { details: { size, hashes: hashes.length, expected } },
      );
    }
    return new MerkleFrontier(
      size,
      hashes.map((hex) => fromHex(hex)),
    );
  }

  /** Leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds a leaf hash (RFC 9162 leaf hash, not the entry hash) and returns the perfect subtrees it
   * completes at levels that are positive multiples of MERKLE_NODE_STRIDE, lowest first: exactly
   * the interior nodes the store persists. Amortised O(1) hashes, O(log n) at worst. The frontier
   * keeps `leafHash`; do not change it afterwards.
   * @throws MERKLE_BAD_HASH_SIZE unless `leafHash` is 32 bytes; MERKLE_SIZE_OUT_OF_RANGE when the
   *   size would pass 2^53 − 1.
   */
  append(leafHash: Uint8Array): readonly MerkleNode[] {
    assertHashSize(leafHash, 'leaf hash');
    assertTreeSize(this.#size + 1);
    let completed: MerkleNode[] | undefined;
    let hash = leafHash;
    let level = 0;
    // `carry` is size >> level: while its low bit is set, a subtree of this level waits on the
    // left and merges with the new one.
    for (let carry = this.#size; isOdd(carry); carry = (carry - 1) / 2) {
      hash = hashChildren(this.#hashes.pop()!, hash);
      level++;
      if (level % MERKLE_NODE_STRIDE === 0) {
        (completed ??= []).push({ level, index: (carry - 1) / 2, hash });
      }
    }
    this.#hashes.push(hash);
    this.#size++;
    return completed ?? NONE_COMPLETED;
  }

  /** MTH of the leaves appended so far (RFC 9162 §2.1.1); a fresh array. */
  root(): Uint8Array {
    return foldRightEdge(this.#hashes);
  }

  clone(): MerkleFrontier {
    return new MerkleFrontier(this.#size, [...this.#hashes]);
  }

  toJSON(): MerkleFrontierJson {
    return { size: this.#size, hashes: this.#hashes.map((hash) => toHex(hash)) };
  }
}
