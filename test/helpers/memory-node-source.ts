/**
 * An in-memory MerkleNodeSource for tests, filled the way a store is: level-0 leaf hashes plus
 * exactly the nodes MerkleFrontier#append reports. Each level is one packed byte array, so a
 * million leaves cost 32 MB rather than a million small buffers. Counts reads, so tests can pin
 * how many round trips a proof costs.
 */
import { SHA256_SIZE } from '../../src/core/bytes.js';
import { IntegrityError } from '../../src/core/errors.js';
import {
  hashLeaf,
  MERKLE_NODE_STRIDE,
  MerkleFrontier,
  type MerkleNode,
  type MerkleNodeSource,
} from '../../src/core/merkle/index.js';

class PackedLevel {
  bytes = new Uint8Array(SHA256_SIZE * 16);
  count = 0;

  push(hash: Uint8Array): void {
    if ((this.count + 1) * SHA256_SIZE > this.bytes.byteLength) {
      const grown = new Uint8Array(this.bytes.byteLength * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(hash, this.count * SHA256_SIZE);
    this.count++;
  }

  /** A copy, so a test that tampers with a result cannot change the store. */
  get(index: number): Uint8Array {
    return this.bytes.slice(index * SHA256_SIZE, (index + 1) * SHA256_SIZE);
  }
}

export class MemoryNodeSource implements MerkleNodeSource {
  readonly #levels = new Map<number, PackedLevel>();
  readonly #frontier = MerkleFrontier.empty();
  /** readNodes calls since construction or the last resetCounters(). */
  reads = 0;
  /** Nodes returned by those calls. */
  nodesRead = 0;

  static fromLeafData(leaves: Iterable<Uint8Array>): MemoryNodeSource {
    const source = new MemoryNodeSource();
    for (const data of leaves) source.appendLeafData(data);
    return source;
  }

  get size(): number {
    return this.#frontier.size;
  }

  /** MTH of everything appended, from the source's own frontier. */
  root(): Uint8Array {
    return this.#frontier.root();
  }

  appendLeafData(data: Uint8Array): readonly MerkleNode[] {
    const leafHash = hashLeaf(data);
    this.#level(0).push(leafHash);
    const nodes = this.#frontier.append(leafHash);
    for (const node of nodes) {
      const level = this.#level(node.level);
      if (node.index !== level.count) throw new Error(`node ${node.index} out of order`);
      level.push(node.hash);
    }
    return nodes;
  }

  /** Stored nodes at a level: the count a store would hold. */
  storedCount(level: number): number {
    return this.#levels.get(level)?.count ?? 0;
  }

  storedNode(level: number, index: number): Uint8Array | undefined {
    const packed = this.#levels.get(level);
    return packed !== undefined && index < packed.count ? packed.get(index) : undefined;
  }

  storedLevels(): number[] {
    return [...this.#levels.keys()].sort((a, b) => a - b);
  }

  resetCounters(): void {
    this.reads = 0;
    this.nodesRead = 0;
  }

  readNodes(level: number, from: number, to: number): Promise<readonly Uint8Array[]> {
    this.reads++;
    const packed = this.#levels.get(level);
    const valid = level % MERKLE_NODE_STRIDE === 0 && 0 <= from && from <= to;
    if (!valid || to > (packed?.count ?? 0)) {
      return Promise.reject(
        new IntegrityError('MERKLE_NODE_MISSING', `no nodes [${from}, ${to}) at level ${level}`, {
          details: { level, from, to, stored: packed?.count ?? 0 },
        }),
      );
    }
    const nodes: Uint8Array[] = [];
    for (let index = from; index < to; index++) nodes.push(packed!.get(index));
    this.nodesRead += nodes.length;
    return Promise.resolve(nodes);
  }

  #level(level: number): PackedLevel {
    let packed = this.#levels.get(level);
    if (packed === undefined) {
      packed = new PackedLevel();
      this.#levels.set(level, packed);
    }
    return packed;
  }
}
