/**
 * What the JSONL store keeps in memory once a lookup needs it: each line's byte offset, a hash
 * table of content ids, the entry hashes and, from the first Merkle read on, the stored levels
 * of the tree. Built in one pass over events.jsonl and then extended by every append, so appends
 * stay O(batch). Everything is packed into typed arrays (about 80 bytes per entry, plus 34 with
 * the tree) rather than a million small objects.
 *
 * The fields are read from the canonical text without a JSON parse: an entry line begins
 * `{"causes":[…],"hash":"<hex>","id":"sha256:<hex>"` (RFC 8785 member order), and cause strings
 * cannot contain `]`. A line that does not start that way (damage) keeps its offset, gets no id
 * and contributes SHA-256 of its text as Merkle leaf data, as verification does.
 */
import {
  hashLeaf,
  MERKLE_NODE_STRIDE,
  MerkleFrontier,
  sha256,
  StorageError,
} from '../../core/index.js';

const HASH_SIZE = 32;
const HEAD_RE = /^\{"causes":\[[^\]]*\],"hash":"([0-9a-f]{64})","id":"sha256:([0-9a-f]{64})"/;
const ID_RE = /^sha256:([0-9a-f]{64})$/;

/** A growable run of 32-byte hashes. */
class PackedHashes {
  bytes = Buffer.alloc(HASH_SIZE * 1024);
  count = 0;

  push(hash: Uint8Array): void {
    if ((this.count + 1) * HASH_SIZE > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.bytes.set(hash, this.count * HASH_SIZE);
    this.count++;
  }

  at(index: number): Buffer {
    return this.bytes.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }
}

export class LineIndex {
  /** Byte offset just past the last indexed line. */
  end = 0;
  #offsets = new Float64Array(1024);
  #count = 0;
  /** Content id bytes per line; all zero for a line without one. */
  readonly #ids = new PackedHashes();
  readonly #entryHashes = new PackedHashes();
  /** Open addressing on the id's first 32 bits; slot value = position + 1, 0 = empty. */
  #slots = new Int32Array(4096);
  #levels: Map<number, PackedHashes> | undefined;
  #frontier = MerkleFrontier.empty();

  get count(): number {
    return this.#count;
  }

  /** Adds the line that starts at `offset` and ends (with its newline) at `end`. */
  add(line: string, offset: number, end: number): void {
    const head = HEAD_RE.exec(line);
    if (head === null) this.#push(offset, end, undefined, sha256(line));
    else this.#push(offset, end, Buffer.from(head[2]!, 'hex'), Buffer.from(head[1]!, 'hex'));
  }

  /** Adds an entry the store has just written, whose id and hash are already known. */
  addEntry(id: string, hash: Uint8Array, offset: number, end: number): void {
    const match = ID_RE.exec(id);
    this.#push(offset, end, match === null ? undefined : Buffer.from(match[1]!, 'hex'), hash);
  }

  #push(offset: number, end: number, id: Uint8Array | undefined, hash: Uint8Array): void {
    const position = this.#count;
    if (position === this.#offsets.length) {
      const grown = new Float64Array(position * 2);
      grown.set(this.#offsets);
      this.#offsets = grown;
    }
    this.#offsets[position] = offset;
    this.#count++;
    this.end = end;
    this.#entryHashes.push(hash);
    this.#ids.push(id ?? new Uint8Array(HASH_SIZE));
    if (id !== undefined) {
      if (this.#count * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
      else this.#insertSlot(position);
    }
    if (this.#levels !== undefined) this.#addLeaf(hash);
  }

  /** Byte range [start, end) of the line at `position`, newline included. */
  lineRange(position: number): [number, number] | undefined {
    if (!Number.isSafeInteger(position) || position < 0 || position >= this.#count)
      return undefined;
    const next = position + 1 < this.#count ? this.#offsets[position + 1]! : this.end;
    return [this.#offsets[position]!, next];
  }

  has(id: string): boolean {
    const match = ID_RE.exec(id);
    if (match === null) return false;
    const bytes = Buffer.from(match[1]!, 'hex');
    const mask = this.#slots.length - 1;
    for (let slot = bytes.readUInt32BE(0) & mask; ; slot = (slot + 1) & mask) {
      const value = this.#slots[slot]!;
      if (value === 0) return false;
      if (this.#ids.at(value - 1).equals(bytes)) return true;
    }
  }

  /** Stored nodes at `level` with index in [from, to). */
  readNodes(level: number, from: number, to: number): Uint8Array[] {
    const packed = this.#merkleLevels().get(level);
    const valid =
      Number.isSafeInteger(from) &&
      Number.isSafeInteger(to) &&
      level % MERKLE_NODE_STRIDE === 0 &&
      0 <= from &&
      from <= to &&
      to <= (packed?.count ?? 0);
    if (!valid || packed === undefined) {
      if (valid && from === to) return [];
      throw new StorageError('MERKLE_NODE_MISSING', `no nodes [${from}, ${to}) at level ${level}`, {
        details: { level, from, to, stored: packed?.count ?? 0 },
      });
    }
    const nodes: Uint8Array[] = [];
    for (let index = from; index < to; index++) nodes.push(new Uint8Array(packed.at(index)));
    return nodes;
  }

  #merkleLevels(): Map<number, PackedHashes> {
    if (this.#levels === undefined) {
      this.#levels = new Map([[0, new PackedHashes()]]);
      for (let position = 0; position < this.#count; position++) {
        this.#addLeaf(this.#entryHashes.at(position));
      }
    }
    return this.#levels;
  }

  #addLeaf(entryHash: Uint8Array): void {
    const levels = this.#levels!;
    const leaf = hashLeaf(entryHash);
    levels.get(0)!.push(leaf);
    for (const node of this.#frontier.append(leaf)) {
      let packed = levels.get(node.level);
      if (packed === undefined) {
        packed = new PackedHashes();
        levels.set(node.level, packed);
      }
      packed.push(node.hash);
    }
  }

  #insertSlot(position: number): void {
    const mask = this.#slots.length - 1;
    let slot = this.#ids.at(position).readUInt32BE(0) & mask;
    while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
    this.#slots[slot] = position + 1;
  }

  #rehash(capacity: number): void {
    this.#slots = new Int32Array(capacity);
    for (let position = 0; position < this.#count; position++) {
      if (this.#ids.at(position).some((byte) => byte !== 0)) this.#insertSlot(position);
    }
  }
}
