/**
 * @module
 * Inclusion and consistency proofs (RFC 9162 §2.1.3.1, §2.1.4.1) built from stored nodes. Each
 * proof element is either a perfect subtree or, where a sibling hangs over the tree's right edge,
 * the fold of that edge's perfect subtrees; all of them are fetched in one planned batch.
 */
import { foldRightEdge } from './hashing.js';
import type { MerkleNodeSource } from './node-source.js';
import { readSubtreeHashes } from './stored-subtrees.js';
import {
  assertConsistencySizes,
  assertLeafIndex,
  assertTreeSize,
  isOdd,
  type NodeId,
  pow2,
  rightEdgeNodes,
  shiftRight,
  trailingZeros,
} from './tree-math.js';

/** One proof element: the perfect subtrees whose right fold is its hash. */
type ProofElement = readonly NodeId[];

/**
 * Audit path of leaf `index` in the tree of the first `size` leaves, leaf side first.
 * @throws MERKLE_SIZE_OUT_OF_RANGE; MERKLE_INDEX_OUT_OF_RANGE unless index < size;
 *   MERKLE_NODE_MISSING when the store holds fewer than `size` leaves.
 */
export async function inclusionProof(
  index: number,
  size: number,
  source: MerkleNodeSource,
): Promise<Uint8Array[]> {
  assertTreeSize(size);
  assertLeafIndex(index, size);
  return resolve(pathOf({ level: 0, index }, size), source);
}

/**
 * Proof that the tree of the first `size1` leaves is a prefix of the tree of the first `size2`;
 * empty when the sizes are equal.
 * @throws MERKLE_SIZE_OUT_OF_RANGE; MERKLE_CONSISTENCY_SIZE_ORDER when size1 > size2;
 *   MERKLE_CONSISTENCY_FROM_EMPTY when size1 is 0 (nothing to prove, and the verifier refuses it);
 *   MERKLE_NODE_MISSING when the store holds fewer than `size2` leaves.
 */
export async function consistencyProof(
  size1: number,
  size2: number,
  source: MerkleNodeSource,
): Promise<Uint8Array[]> {
  assertTreeSize(size1, 'size1');
  assertTreeSize(size2, 'size2');
  assertConsistencySizes(size1, size2);
  if (size1 === size2) return [];
  // The largest perfect subtree ending at size1: the proof is its inclusion path in the second
  // tree, preceded by its hash unless it is the whole first tree (RFC 9162 §2.1.4.1, the `b` flag).
  const level = trailingZeros(size1);
  const seed: NodeId = { level, index: size1 / pow2(level) - 1 };
  const path = pathOf(seed, size2);
  return resolve(seed.index === 0 ? path : [[seed], ...path], source);
}

/**
 * Siblings on the way from `node` up to the root of a tree of `size` leaves. A sibling wholly past
 * the last leaf does not exist: RFC 9162's MTH never splits there, so the node rises unchanged. A
 * sibling straddling the last leaf is the hash of its part inside the tree.
 */
function pathOf(node: NodeId, size: number): ProofElement[] {
  const path: ProofElement[] = [];
  for (let level = node.level; pow2(level) < size; level++) {
    const ancestor = shiftRight(node.index, level - node.level);
    const sibling = isOdd(ancestor) ? ancestor - 1 : ancestor + 1;
    const start = sibling * pow2(level);
    if (start >= size) continue;
    const end = start + pow2(level);
    path.push(end <= size ? [{ level, index: sibling }] : rightEdgeNodes(start, size));
  }
  return path;
}

async function resolve(
  elements: readonly ProofElement[],
  source: MerkleNodeSource,
): Promise<Uint8Array[]> {
  const hashes = await readSubtreeHashes(source, elements.flat());
  const proof: Uint8Array[] = [];
  let next = 0;
  for (const element of elements) {
    proof.push(foldRightEdge(hashes.slice(next, next + element.length)));
    next += element.length;
  }
  return proof;
}
