/**
 * @module
 * The content ids of a replayed run by ref, 32 raw bytes each in fixed blocks: any earlier event
 * may be named as a cause (an order's answers come long after it), so every id is kept, but as
 * bytes rather than a string each — a string cut from an entry text would keep the whole text
 * alive. Ids not of the form `sha256:<64 lowercase hex>` are kept as strings beside.
 *
 * Given a spill, only the newest blocks stay in memory and older ones are handed to it, so memory
 * stays flat however long the run: causes are nearly always recent, and an old one (the order a
 * late fill answers) is read back when asked for.
 */
const PREFIX = 'sha256:';
const ID_LENGTH = PREFIX.length + 64;
const BLOCK_IDS = 1 << 15;
const HEX_DIGITS = '0123456789abcdef';

/** Nibble value by char code; -1 for anything but a lowercase hex digit. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) NIBBLE[HEX_DIGITS.charCodeAt(i)] = i;

/** Bytes of one block of ids. */
export const ID_BLOCK_BYTES = BLOCK_IDS * 32;

/** Where an IdTable keeps the blocks it no longer holds in memory (a file, in the CLI). */
export interface IdBlockSpill {
  /** Keeps block `index` (ID_BLOCK_BYTES bytes); after a truncation it may be written again. */
  write(index: number, block: Uint8Array): void;
  /** Fills `into` from block `index`, starting `offset` bytes into it. */
  read(index: number, offset: number, into: Uint8Array): void;
  close(): void;
}

export interface IdTableOptions {
  readonly spill?: IdBlockSpill;
  /** Blocks kept in memory when there is a spill (default 4: 131,072 ids, 4 MiB). */
  readonly blocksInMemory?: number;
}

export class IdTable {
  /** By block index; undefined once handed to the spill. */
  /** Buffers, so that an id is read back by one native hex encoding (a loop cost twice as much). */
  readonly #blocks: (Buffer | undefined)[] = [];
  #size = 0;
  readonly #odd = new Map<number, string>();
  readonly #spill: IdBlockSpill | undefined;
  readonly #blocksInMemory: number;
  /** The lowest block index still in memory. */
  #firstInMemory = 0;
  readonly #scratch = Buffer.alloc(32);
  /** The newest block, as words. */
  #blockWords: Int32Array | undefined;

  constructor(options: IdTableOptions = {}) {
    this.#spill = options.spill;
    this.#blocksInMemory = Math.max(1, options.blocksInMemory ?? 4);
  }

  get size(): number {
    return this.#size;
  }

  /** Appends `id`. */
  push(id: string): void {
    this.pushFrom(id, 0, id.length);
  }

  /**
   * {@link push} of an id this process computed (`sha256:` and 64 lowercase hex digits by
   * construction): decoded natively, without the digit checks an id read from a log needs.
   */
  pushComputed(id: string): void {
    const ref = this.#size++;
    const index = ref % BLOCK_IDS;
    if (index === 0) this.#startBlock();
    const block = this.#blocks[this.#blocks.length - 1]!;
    if (block.write(id.slice(PREFIX.length), index * 32, 32, 'hex') !== 32) {
      this.#odd.set(ref, id);
    }
  }

  /** Appends the id whose 32 digest bytes are the 8 words of `words` from `at` (see IdArena). */
  pushWords(words: Int32Array, at: number): void {
    const index = this.#size++ % BLOCK_IDS;
    if (index === 0) this.#startBlock();
    const block = this.#blockWords!;
    const to = index * 8;
    for (let k = 0; k < 8; k++) block[to + k] = words[at + k]!;
  }

  /** Appends the id in `text[from, to)`, read in place. */
  pushFrom(text: string, from: number, to: number): void {
    const ref = this.#size++;
    const index = ref % BLOCK_IDS;
    if (index === 0) this.#startBlock();
    const block = this.#blocks[this.#blocks.length - 1]!;
    if (to - from === ID_LENGTH && text.startsWith(PREFIX, from)) {
      let at = index * 32;
      let valid = true;
      for (let i = from + PREFIX.length; i < to; i += 2) {
        const hi = NIBBLE[text.charCodeAt(i) & 127]!;
        const lo = NIBBLE[text.charCodeAt(i + 1) & 127]!;
        if (hi < 0 || lo < 0 || text.charCodeAt(i) > 127 || text.charCodeAt(i + 1) > 127) {
          valid = false;
          break;
        }
        block[at++] = (hi << 4) | lo;
      }
      if (valid) return;
    }
    this.#odd.set(ref, text.slice(from, to));
  }

  #startBlock(): void {
    // Not from the pool (it is far larger than a pool's slab), so it starts on a word boundary.
    const block = Buffer.alloc(ID_BLOCK_BYTES);
    this.#blocks.push(block);
    this.#blockWords = new Int32Array(block.buffer, block.byteOffset, ID_BLOCK_BYTES / 4);
    const spill = this.#spill;
    if (spill === undefined) return;
    while (this.#blocks.length - this.#firstInMemory > this.#blocksInMemory) {
      const index = this.#firstInMemory++;
      spill.write(index, this.#blocks[index]!);
      this.#blocks[index] = undefined;
    }
  }

  /** Keeps the first `size` ids and forgets the rest. */
  truncate(size: number): void {
    if (size >= this.#size) return;
    const keep = Math.max(0, Math.floor(size));
    this.#blocks.length = Math.ceil(keep / BLOCK_IDS);
    const last = this.#blocks.length - 1;
    // Appends go on in the last block: a spilled one comes back into memory.
    if (last >= 0 && this.#blocks[last] === undefined) {
      const block = Buffer.alloc(ID_BLOCK_BYTES);
      this.#spill!.read(last, 0, block);
      this.#blocks[last] = block;
    }
    this.#firstInMemory = Math.min(this.#firstInMemory, Math.max(0, last));
    const lastBlock = this.#blocks[last];
    this.#blockWords =
      lastBlock === undefined
        ? undefined
        : new Int32Array(lastBlock.buffer, lastBlock.byteOffset, ID_BLOCK_BYTES / 4);
    for (const ref of [...this.#odd.keys()]) if (ref >= keep) this.#odd.delete(ref);
    this.#size = keep;
  }

  /** The id of `ref`, or undefined when there is none yet. */
  at(ref: number): string | undefined {
    if (!Number.isInteger(ref) || ref < 0 || ref >= this.#size) return undefined;
    if (this.#odd.size > 0) {
      const odd = this.#odd.get(ref);
      if (odd !== undefined) return odd;
    }
    const index = Math.floor(ref / BLOCK_IDS);
    let block = this.#blocks[index];
    let at = (ref % BLOCK_IDS) * 32;
    if (block === undefined) {
      block = this.#scratch;
      this.#spill!.read(index, at, block);
      at = 0;
    }
    return PREFIX + block.toString('hex', at, at + 32);
  }

  /** Lets the spill go. */
  close(): void {
    this.#spill?.close();
  }
}
