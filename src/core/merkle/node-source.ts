/**
 * How the Merkle tree's interior is persisted. A store keeps the leaf hashes (level 0) and the
 * hashes of the perfect subtrees whose level is a multiple of {@link MERKLE_NODE_STRIDE}. Every
 * other node is at most 2^(STRIDE-1) hashes away from stored ones, so a proof at a million leaves
 * reads about ninety stored hashes in under ten batched requests and costs under a hundred hash
 * operations, while the store writes only about n/15 extra rows for n entries.
 */

/** Levels stored are 0, STRIDE, 2·STRIDE, … */
export const MERKLE_NODE_STRIDE = 4;

/** A perfect subtree's hash: level L covers leaves [index·2^L, (index+1)·2^L). */
export interface MerkleNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

/** Read side of the persisted tree. Implemented by every EventStore backend. */
export interface MerkleNodeSource {
  /**
   * Hashes of the stored nodes at `level` (a multiple of MERKLE_NODE_STRIDE; 0 = leaf hashes,
   * i.e. RFC 9162 leaf hashes, not entry hashes) with index in [from, to), in index order.
   * Throws MERKLE_NODE_MISSING if any is absent.
   */
  readNodes(level: number, from: number, to: number): Promise<readonly Uint8Array[]>;
}
