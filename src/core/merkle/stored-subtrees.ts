/**
 * @module
 * Hashes of perfect subtrees computed from the persisted nodes (see node-source.ts): a subtree at
 * level L is the pairwise reduction of its 2^(L mod STRIDE) descendants at the stored level
 * L − L mod STRIDE. Requests are planned together so that a whole proof costs one round of
 * concurrent reads, about two per stored level.
 */
import { SHA256_SIZE } from '../bytes.js';
import { InputError, IntegrityError } from '../errors.js';
import { copyHash, foldRightEdge, hashChildren } from './hashing.js';
import { MERKLE_NODE_STRIDE, type MerkleNodeSource } from './node-source.js';
import { assertTreeSize, type NodeId, pow2, rightEdgeNodes } from './tree-math.js';

/**
 * Two wanted runs of stored nodes this close are read as one: fetching up to a subtree's worth of
 * extra hashes is cheaper than another round trip. Safe because complete nodes form a prefix of
 * each level, so everything between two complete nodes is stored too.
 */
const MERGE_GAP = pow2(MERKLE_NODE_STRIDE);

interface Read {
  readonly level: number;
  readonly from: number;
  to: number;
}

interface Span {
  readonly level: number;
  readonly from: number;
  readonly to: number;
  read?: Read;
}

/** Hashes of `ids`, in order, reading only stored nodes. Trusted input: ids lie inside the tree. */
export async function readSubtreeHashes(
  source: MerkleNodeSource,
  ids: readonly NodeId[],
): Promise<Uint8Array[]> {
  const spans: Span[] = ids.map(({ level, index }) => {
    const stored = level - (level % MERKLE_NODE_STRIDE);
    const width = pow2(level - stored);
    return { level: stored, from: index * width, to: index * width + width };
  });
  const reads = planReads(spans);
  const results = await Promise.all(
    reads.map(async (read) =>
      checkRead(read, await source.readNodes(read.level, read.from, read.to)),
    ),
  );
  const byRead = new Map(reads.map((read, i) => [read, results[i]!]));
  return spans.map((span) => {
    const read = span.read!;
    const nodes = byRead.get(read)!.slice(span.from - read.from, span.to - read.from);
    return reduce(nodes);
  });
}

function planReads(spans: Span[]): Read[] {
  const sorted = [...spans].sort((a, b) => a.level - b.level || a.from - b.from);
  const reads: Read[] = [];
  let current: Read | undefined;
  for (const span of sorted) {
    if (current?.level === span.level && span.from <= current.to + MERGE_GAP) {
      current.to = Math.max(current.to, span.to);
    } else {
      current = { level: span.level, from: span.from, to: span.to };
      reads.push(current);
    }
    span.read = current;
  }
  return reads;
}

function checkRead(read: Read, nodes: readonly Uint8Array[]): readonly Uint8Array[] {
  const wanted = read.to - read.from;
  if (nodes.length !== wanted) {
    throw new IntegrityError(
      'MERKLE_NODE_MISSING',
      `node source returned ${nodes.length} of ${wanted} nodes at level ${read.level}`,
      { details: { level: read.level, from: read.from, to: read.to, returned: nodes.length } },
    );
  }
  for (const [offset, node] of nodes.entries()) {
    if (node.byteLength !== SHA256_SIZE) {
      throw new IntegrityError('STORE_CORRUPT', `stored Merkle node is ${node.byteLength} bytes`, {
        details: { level: read.level, index: read.from + offset, bytes: node.byteLength },
      });
    }
  }
  return nodes;
}

/**
 * Pairwise reduction of a power-of-two run of sibling hashes to their common ancestor; a fresh
 * array even for a run of one, so results never alias what the source handed out.
 */
function reduce(nodes: readonly Uint8Array[]): Uint8Array {
  if (nodes.length === 1) return copyHash(nodes[0]!);
  let layer = nodes;
  while (layer.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(hashChildren(layer[i]!, layer[i + 1]!));
    layer = next;
  }
  return layer[0]!;
}

/** Deepest level whose subtrees all fit in safe-integer leaf positions. */
const MAX_LEVEL = 53;

/**
 * Hash of the perfect subtree covering leaves [index·2^level, (index+1)·2^level), which must be
 * complete in the stored tree.
 * @throws MERKLE_INDEX_OUT_OF_RANGE when (level, index) is not a node of a tree of safe size;
 *   MERKLE_NODE_MISSING (from the source) when the subtree is not complete in the store.
 */
export async function subtreeHash(
  level: number,
  index: number,
  source: MerkleNodeSource,
): Promise<Uint8Array> {
  const fits =
    Number.isInteger(level) &&
    level >= 0 &&
    level <= MAX_LEVEL &&
    Number.isSafeInteger(index) &&
    index >= 0 &&
    (index + 1) * pow2(level) - 1 <= Number.MAX_SAFE_INTEGER;
  if (!fits) {
    const message = `no subtree at level ${level}, index ${index}`;
    throw new InputError('MERKLE_INDEX_OUT_OF_RANGE', message, { details: { level, index } });
  }
  const [hash] = await readSubtreeHashes(source, [{ level, index }]);
  return hash!;
}

/**
 * MTH of the first `size` leaves, from stored nodes only: the fold of the perfect subtrees of
 * size's binary decomposition. Checks an older checkpoint against a grown tree.
 * @throws MERKLE_SIZE_OUT_OF_RANGE; MERKLE_NODE_MISSING when the store holds fewer leaves.
 */
export async function rootAt(size: number, source: MerkleNodeSource): Promise<Uint8Array> {
  assertTreeSize(size);
  return foldRightEdge(await readSubtreeHashes(source, rightEdgeNodes(0, size)));
}
