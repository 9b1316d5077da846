/**
 * Requests from a SQLite store to its writer process. Each is a frame (a little-endian uint32
 * length, then the frame) written to a spool file, and a notice on the pipe saying where it is:
 * a pipe holds 64 KiB, so a batch's frame sent through it would move on only when the caller's
 * thread returned to its event loop, leaving the writer waiting behind the next batch's hashing;
 * a write to the spool file (on tmpfs where there is one) is one call.
 *
 * An append frame carries the batch as typed arrays (lookup keys, name indexes, line ends, node
 * positions), its distinct type and run names and its snapshot as JSON, and the entry lines as
 * one run of UTF-8 bytes, so that handing a batch over costs a copy of each line and no
 * serialisation per entry. The writer binds each line's bytes as they are: the stored text is
 * byte for byte what an inline write stores.
 *
 * A batch sealed without its Merkle nodes (the writer process keeps the tree) is a frame of its
 * own kind with no node sections: the writer reads each entry's hash out of its line. A batch left
 * unlinked (the writer process keeps the chain as well) is a third kind: in place of each line it
 * carries room for the hash member and the entry's unhashed text, and a section of where in it the
 * hash member and the `prev` digits go; the writer links and hashes each entry in place after its
 * own head, and the bytes become the line (linkEntryInPlace).
 */
import {
  type AppendBatch,
  batchFirstSeq,
  HASH_MEMBER_BYTES,
  InternalError,
  type StoredCheckpoint,
} from '../../core/index.js';
import { keyOfId } from './id-index.js';

const KIND_APPEND = 1;
const KIND_CHECKPOINT = 2;
/** An append whose Merkle nodes the writer computes from the entry hashes it carries. */
const KIND_APPEND_UNTREED = 3;
/** An append of unlinked entries, which the writer links, hashes and adds to its tree. */
const KIND_APPEND_UNLINKED = 4;

/** Length, kind, request id, five section sizes; then firstPos and snapshot size as f64. */
const APPEND_HEADER_BYTES = 48;
/** Length, kind, request id, note and snapshot sizes, padding; then the size as f64. */
const CHECKPOINT_HEADER_BYTES = 32;
const HASH_BYTES = 32;

export interface DecodedAppend {
  readonly kind: 'append';
  readonly id: number;
  readonly firstPos: number;
  readonly count: number;
  /** Log size after the batch, as its snapshot says. */
  readonly snapshotSize: number;
  readonly keys: Float64Array;
  readonly names: readonly string[];
  readonly typeIndex: Uint32Array;
  readonly runIndex: Uint32Array;
  /** Line i is `lines[lineEnds[i-1] ?? 0, lineEnds[i])`. */
  readonly lineEnds: Uint32Array;
  readonly lines: Buffer;
  readonly nodeLevels: Uint32Array;
  readonly nodeIndexes: Float64Array;
  readonly nodeHashes: Buffer;
  /** The batch came without its Merkle nodes: the writer computes them. */
  readonly untreed: boolean;
  /**
   * The batch came unlinked: text i is HASH_MEMBER_BYTES of room and the entry's unhashed text,
   * whose hash member and `prev` digits go at its bytes `linkOffsets[2i]` and `[2i+1]`.
   */
  readonly unlinked: boolean;
  readonly linkOffsets: Uint32Array;
  readonly snapshotText: string;
}

export interface DecodedCheckpoint {
  readonly kind: 'checkpoint';
  readonly id: number;
  readonly checkpoint: StoredCheckpoint;
  readonly snapshotText: string;
}

export type WriterRequest = DecodedAppend | DecodedCheckpoint;

const pad8 = (n: number): number => (n + 7) & ~7;

/**
 * The frame of an append request. The entries must be consecutive from `entries[0].seq`: the
 * frame carries positions implicitly.
 * @throws INTERNAL when they are not
 */
export function encodeAppendFrame(id: number, batch: AppendBatch): Buffer {
  const { entries, unlinked } = batch;
  const nodes = batch.nodes ?? [];
  const untreed = batch.nodes === null;
  if (entries === null && !untreed) {
    throw new InternalError('INTERNAL', 'an unlinked batch cannot bring Merkle nodes');
  }
  const items = entries ?? unlinked ?? [];
  const count = items.length;
  const firstPos = batchFirstSeq(batch);
  const nameIndex = new Map<string, number>();
  const names: string[] = [];
  const indexOf = (name: string): number => {
    let index = nameIndex.get(name);
    if (index === undefined) {
      index = names.length;
      names.push(name);
      nameIndex.set(name, index);
    }
    return index;
  };
  let chars = 0;
  let longest = 0;
  for (let i = 0; i < count; i++) {
    let length: number;
    if (entries === null) {
      length = HASH_MEMBER_BYTES + unlinked![i]!.unhashed.length;
    } else {
      const entry = entries[i]!;
      if (entry.seq !== firstPos + i) {
        throw new InternalError('INTERNAL', 'batch entries are not consecutive', {
          details: { expected: firstPos + i, seq: entry.seq },
        });
      }
      length = entry.line.length;
    }
    chars += length;
    if (length > longest) longest = length;
  }
  const offsetWords = entries === null ? 2 * count : 0;
  const typeIndex = new Uint32Array(count);
  const runIndex = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    typeIndex[i] = indexOf(items[i]!.type);
    runIndex[i] = indexOf(items[i]!.run);
  }
  const namesText = JSON.stringify(names);
  const snapshotText = JSON.stringify(batch.snapshot);
  const namesBytes = Buffer.byteLength(namesText, 'utf8');
  const snapshotBytes = Buffer.byteLength(snapshotText, 'utf8');
  const nodeCount = nodes.length;
  // f64 sections first, at 8-byte aligned offsets of an unpooled buffer (offset 0).
  const keysAt = APPEND_HEADER_BYTES;
  const nodeIndexesAt = keysAt + 8 * count;
  const u32At = nodeIndexesAt + 8 * nodeCount;
  const hashesAt = u32At + 4 * (3 * count + nodeCount + offsetWords);
  const textAt = hashesAt + HASH_BYTES * nodeCount;
  // Room for every line as one byte a char (entry lines are nearly always ASCII), plus the worst
  // case of one line; a batch with more non-ASCII text grows the frame as it goes.
  let frame = Buffer.allocUnsafeSlow(
    pad8(textAt + namesBytes + snapshotBytes + chars + 3 * longest),
  );
  frame.writeUInt32LE(
    entries === null ? KIND_APPEND_UNLINKED : untreed ? KIND_APPEND_UNTREED : KIND_APPEND,
    4,
  );
  frame.writeUInt32LE(id, 8);
  frame.writeUInt32LE(count, 12);
  frame.writeUInt32LE(nodeCount, 16);
  frame.writeUInt32LE(namesBytes, 20);
  frame.writeUInt32LE(snapshotBytes, 24);
  frame.writeDoubleLE(firstPos, 32);
  frame.writeDoubleLE(batch.snapshot.size, 40);
  const keys = new Float64Array(frame.buffer, keysAt, count);
  const nodeIndexes = new Float64Array(frame.buffer, nodeIndexesAt, nodeCount);
  const u32 = new Uint32Array(frame.buffer, u32At, 3 * count + nodeCount + offsetWords);
  u32.set(typeIndex, 0);
  u32.set(runIndex, count);
  for (let i = 0; i < nodeCount; i++) {
    const node = nodes[i]!;
    u32[3 * count + i] = node.level;
    nodeIndexes[i] = node.index;
    frame.set(node.hash, hashesAt + HASH_BYTES * i);
  }
  const offsetsAt = 3 * count + nodeCount;

  const lineEnds = new Uint32Array(count);
  let at = textAt;
  at += frame.write(namesText, at, 'utf8');
  at += frame.write(snapshotText, at, 'utf8');
  const linesAt = at;
  for (let i = 0; i < count; i++) {
    const item = items[i]!;
    keys[i] = keyOfId(item.id);
    const text = entries === null ? unlinked![i]!.unhashed : entries[i]!.line;
    const room = entries === null ? HASH_MEMBER_BYTES : 0;
    // Buffer#write stops short of a character that does not fit: make sure the worst case does.
    if (frame.length - at < room + 3 * text.length) {
      const grown = Buffer.allocUnsafeSlow(pad8(2 * frame.length + room + 3 * text.length));
      frame.copy(grown, 0, 0, at);
      frame = grown;
    }
    // The room is left as it is: linking overwrites every byte of it.
    const written = frame.write(text, at + room, 'utf8');
    if (entries === null) {
      const entry = unlinked![i]!;
      u32[offsetsAt + 2 * i] = entry.hashAt;
      u32[offsetsAt + 2 * i + 1] =
        written === text.length
          ? entry.prevAt
          : Buffer.byteLength(text.slice(0, entry.prevAt), 'utf8');
    }
    at += room + written;
    lineEnds[i] = at - linesAt;
  }
  // The typed views above may belong to a buffer left behind by growth: write through the frame.
  Buffer.from(lineEnds.buffer).copy(frame, u32At + 8 * count);
  if (offsetWords > 0 && frame.buffer !== u32.buffer) {
    Buffer.from(u32.buffer, u32.byteOffset + 4 * offsetsAt, 4 * offsetWords).copy(
      frame,
      u32At + 4 * offsetsAt,
    );
  }
  if (frame.buffer !== keys.buffer) {
    Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength).copy(frame, keysAt);
  }
  frame.writeUInt32LE(at - linesAt, 28);
  const total = pad8(at);
  frame.writeUInt32LE(total - 4, 0);
  return frame.subarray(0, total);
}

export function encodeCheckpointFrame(
  id: number,
  checkpoint: StoredCheckpoint,
  snapshotText: string,
): Buffer {
  const noteBytes = Buffer.byteLength(checkpoint.note, 'utf8');
  const snapshotBytes = Buffer.byteLength(snapshotText, 'utf8');
  const frame = Buffer.allocUnsafeSlow(CHECKPOINT_HEADER_BYTES + noteBytes + snapshotBytes);
  frame.writeUInt32LE(frame.length - 4, 0);
  frame.writeUInt32LE(KIND_CHECKPOINT, 4);
  frame.writeUInt32LE(id, 8);
  frame.writeUInt32LE(noteBytes, 12);
  frame.writeUInt32LE(snapshotBytes, 16);
  frame.writeUInt32LE(0, 20);
  frame.writeDoubleLE(checkpoint.size, 24);
  frame.write(checkpoint.note, CHECKPOINT_HEADER_BYTES, 'utf8');
  frame.write(snapshotText, CHECKPOINT_HEADER_BYTES + noteBytes, 'utf8');
  return frame;
}

/** Copies into fresh, aligned typed arrays: a view needs its element alignment. */
function copyFloat64(frame: Buffer, at: number, length: number): Float64Array {
  const array = new Float64Array(length);
  Buffer.from(array.buffer).set(frame.subarray(at, at + 8 * length));
  return array;
}

function copyUint32(frame: Buffer, at: number, length: number): Uint32Array {
  const array = new Uint32Array(length);
  Buffer.from(array.buffer).set(frame.subarray(at, at + 4 * length));
  return array;
}

/**
 * Decodes one whole frame, its length prefix included.
 * @throws INTERNAL for a frame of unknown kind
 */
export function decodeFrame(frame: Buffer): WriterRequest {
  const kind = frame.readUInt32LE(4);
  const id = frame.readUInt32LE(8);
  if (kind === KIND_CHECKPOINT) {
    const noteBytes = frame.readUInt32LE(12);
    const snapshotBytes = frame.readUInt32LE(16);
    const noteAt = CHECKPOINT_HEADER_BYTES;
    return {
      kind: 'checkpoint',
      id,
      checkpoint: {
        size: frame.readDoubleLE(24),
        note: frame.toString('utf8', noteAt, noteAt + noteBytes),
      },
      snapshotText: frame.toString('utf8', noteAt + noteBytes, noteAt + noteBytes + snapshotBytes),
    };
  }
  if (kind !== KIND_APPEND && kind !== KIND_APPEND_UNTREED && kind !== KIND_APPEND_UNLINKED) {
    throw new InternalError('INTERNAL', `SQLite writer frame kind ${kind} unknown`);
  }
  const count = frame.readUInt32LE(12);
  const nodeCount = frame.readUInt32LE(16);
  const namesBytes = frame.readUInt32LE(20);
  const snapshotBytes = frame.readUInt32LE(24);
  const lineBytes = frame.readUInt32LE(28);
  const unlinked = kind === KIND_APPEND_UNLINKED;
  const offsetWords = unlinked ? 2 * count : 0;
  const keysAt = APPEND_HEADER_BYTES;
  const nodeIndexesAt = keysAt + 8 * count;
  const u32At = nodeIndexesAt + 8 * nodeCount;
  const hashesAt = u32At + 4 * (3 * count + nodeCount + offsetWords);
  const namesAt = hashesAt + HASH_BYTES * nodeCount;
  const snapshotAt = namesAt + namesBytes;
  const linesAt = snapshotAt + snapshotBytes;
  const u32 = copyUint32(frame, u32At, 3 * count + nodeCount + offsetWords);
  return {
    kind: 'append',
    id,
    firstPos: frame.readDoubleLE(32),
    count,
    snapshotSize: frame.readDoubleLE(40),
    keys: copyFloat64(frame, keysAt, count),
    names: JSON.parse(frame.toString('utf8', namesAt, snapshotAt)) as string[],
    typeIndex: u32.subarray(0, count),
    runIndex: u32.subarray(count, 2 * count),
    lineEnds: u32.subarray(2 * count, 3 * count),
    lines: frame.subarray(linesAt, linesAt + lineBytes),
    nodeLevels: u32.subarray(3 * count, 3 * count + nodeCount),
    nodeIndexes: copyFloat64(frame, nodeIndexesAt, nodeCount),
    nodeHashes: frame.subarray(hashesAt, namesAt),
    untreed: kind !== KIND_APPEND,
    unlinked,
    linkOffsets: u32.subarray(3 * count + nodeCount),
    snapshotText: frame.toString('utf8', snapshotAt, linesAt),
  };
}

/** A notice on the pipe: where in the spool file the next request's frame is. */
export interface SpoolNotice {
  readonly offset: number;
  readonly length: number;
}

const NOTICE_BYTES = 16;

export function encodeNotice(notice: SpoolNotice): Buffer {
  const bytes = Buffer.allocUnsafe(NOTICE_BYTES);
  bytes.writeDoubleLE(notice.offset, 0);
  bytes.writeDoubleLE(notice.length, 8);
  return bytes;
}

/** Cuts the pipe's byte stream into notices, whatever the chunking. */
export class NoticeReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpoolNotice[] {
    const bytes = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const notices: SpoolNotice[] = [];
    let at = 0;
    for (; at + NOTICE_BYTES <= bytes.length; at += NOTICE_BYTES) {
      notices.push({ offset: bytes.readDoubleLE(at), length: bytes.readDoubleLE(at + 8) });
    }
    this.#pending = bytes.subarray(at);
    return notices;
  }
}
