/**
 * @module
 * The log's RFC 9162 Merkle tree: leaf and interior hashing, the incremental frontier that the
 * ledger advances on every append, proofs built from the nodes a store persists, and their
 * verification. Pure: no I/O of its own; stored nodes arrive through the async MerkleNodeSource
 * port, and every failure is a DeltaTraceError with a MERKLE_* code.
 */
export { MerkleFrontier, type MerkleFrontierJson } from './frontier.js';
export {
  EMPTY_TREE_ROOT,
  hashChildren,
  hashLeaf,
  hashLeafAt,
  hashLeafOfHex,
  hashLeafOfHexBytes,
  RFC9162_LEAF_PREFIX,
  RFC9162_NODE_PREFIX,
  rootFromLeafHashes,
} from './hashing.js';
export { MERKLE_NODE_STRIDE, type MerkleNode, type MerkleNodeSource } from './node-source.js';
export { consistencyProof, inclusionProof } from './proofs.js';
export { rootAt, subtreeHash } from './stored-subtrees.js';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify.js';
