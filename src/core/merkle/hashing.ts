/**
 * @module
 * The RFC 9162 §2.1.1 tree hash: domain-separated leaf and interior hashes, and the recursive
 * reference definition MTH that every faster path in this folder must agree with.
 */
import { sha256, sha256Parts } from '../bytes.js';

/** RFC 9162 §2.1.1: leaf hash = SHA-256(0x00 ‖ data). */
export const RFC9162_LEAF_PREFIX = 0x00;
/** RFC 9162 §2.1.1: interior hash = SHA-256(0x01 ‖ left ‖ right). */
export const RFC9162_NODE_PREFIX = 0x01;

const LEAF_PREFIX = Uint8Array.of(RFC9162_LEAF_PREFIX);
const NODE_PREFIX = Uint8Array.of(RFC9162_NODE_PREFIX);

// Appending and verifying hash one leaf and about one interior node per entry: reusing one input
// buffer for the common 32-byte case saves an allocation per hash. Safe because hashing copies
// its input synchronously.
const LEAF_INPUT = new Uint8Array(33);
const LEAF_INPUT_BUFFER = Buffer.from(LEAF_INPUT.buffer, LEAF_INPUT.byteOffset, 33);
const NODE_INPUT = new Uint8Array(65);
LEAF_INPUT[0] = RFC9162_LEAF_PREFIX;
NODE_INPUT[0] = RFC9162_NODE_PREFIX;

/**
 * MTH({}) = SHA-256() (RFC 9162 §2.1.1). Shared: treat as read-only; the functions of this folder
 * hand out copies.
 */
export const EMPTY_TREE_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** The leaf hash of `data` (for a DeltaTrace log, `data` is the 32-byte entry hash). */
export function hashLeaf(data: Uint8Array): Uint8Array {
  if (data.byteLength !== 32) return sha256Parts(LEAF_PREFIX, data);
  LEAF_INPUT.set(data, 1);
  return sha256(LEAF_INPUT);
}

/**
 * {@link hashLeaf} of a 32-byte digest given as its 64 lowercase hex digits, decoded straight into
 * the hash input. Only for digests this process computed itself: the decoding does not check the
 * digits (Buffer#write stops silently at a bad one).
 */
export function hashLeafOfHex(hex: string): Uint8Array {
  LEAF_INPUT_BUFFER.write(hex, 1, 32, 'hex');
  return sha256(LEAF_INPUT);
}

/** The value of each lowercase hex digit's char code; -1 for every other byte. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX_VALUE[48 + c] = c;
for (let c = 0; c < 6; c++) HEX_VALUE[97 + c] = 10 + c;

/**
 * {@link hashLeaf} of a 32-byte digest written as 64 lowercase hex digits in ASCII at `at` in
 * `text` (the hash member of an entry line's UTF-8 bytes), decoded straight into the hash input
 * without a string; undefined when they are not such digits.
 */
export function hashLeafOfHexBytes(text: Uint8Array, at: number): Uint8Array | undefined {
  if (at < 0 || at + 64 > text.length) return undefined;
  for (let i = 0; i < 32; i++) {
    const high = HEX_VALUE[text[at + 2 * i]!]!;
    const low = HEX_VALUE[text[at + 2 * i + 1]!]!;
    if ((high | low) < 0) return undefined;
    LEAF_INPUT[1 + i] = (high << 4) | low;
  }
  return sha256(LEAF_INPUT);
}

/**
 * {@link hashLeaf} of the 32-byte digest at `offset` in `data`, copied straight into the hash
 * input: a chunk of leaf data is hashed without a view per leaf.
 */
export function hashLeafAt(data: Buffer, offset: number): Uint8Array {
  data.copy(LEAF_INPUT_BUFFER, 1, offset, offset + 32);
  return sha256(LEAF_INPUT);
}

/** A copy that shares no memory (Buffer#slice would). */
export function copyHash(hash: Uint8Array): Uint8Array {
  return new Uint8Array(hash);
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.byteLength !== 32 || right.byteLength !== 32) {
    return sha256Parts(NODE_PREFIX, left, right);
  }
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 33);
  return sha256(NODE_INPUT);
}

/**
 * MTH(D[n]) over already-hashed leaves, by the recursive definition of RFC 9162 §2.1.1: split at
 * the largest power of two smaller than n. O(n) hashes and O(log n) stack: for tests and small
 * trees; large trees use {@link MerkleFrontier} or `rootAt`.
 */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return copyHash(EMPTY_TREE_ROOT);
  return rangeRoot(leafHashes, 0, leafHashes.length);
}

function rangeRoot(leafHashes: readonly Uint8Array[], start: number, end: number): Uint8Array {
  const count = end - start;
  if (count === 1) return copyHash(leafHashes[start]!);
  let split = 1;
  while (split * 2 < count) split *= 2;
  return hashChildren(
    rangeRoot(leafHashes, start, start + split),
    rangeRoot(leafHashes, start + split, end),
  );
}

/**
 * The hash of consecutive perfect subtrees, largest first, as one range: fold from the right
 * (RFC 9162 §2.1.1). Always a fresh array, so callers may keep or change it.
 */
export function foldRightEdge(hashes: readonly Uint8Array[]): Uint8Array {
  let last = hashes.length - 1;
  if (last < 0) return copyHash(EMPTY_TREE_ROOT);
  let hash = copyHash(hashes[last]!);
  while (--last >= 0) hash = hashChildren(hashes[last]!, hash);
  return hash;
}
