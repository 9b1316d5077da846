/**
 * RFC 9162 §2.1.1 hashing against the RFC 6962 reference roots (the eight leaves and roots of the
 * certificate-transparency test suite, repeated in transparency-dev/merkle's testdata and the
 * ../shared/vectors README), through every route to a root: the recursive definition, the
 * frontier, and the stored nodes.
 */
import { describe, expect, it } from 'vitest';

import { sha256, toHex } from '../../../src/core/bytes.js';
import {
  EMPTY_TREE_ROOT,
  hashChildren,
  hashLeaf,
  hashLeafAt,
  hashLeafOfHex,
  hashLeafOfHexBytes,
  MerkleFrontier,
  RFC9162_LEAF_PREFIX,
  RFC9162_NODE_PREFIX,
  rootAt,
  rootFromLeafHashes,
} from '../../../src/core/merkle/index.js';
import { MemoryNodeSource } from '../../helpers/memory-node-source.js';

const REFERENCE_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((hex) => new Uint8Array(Buffer.from(hex, 'hex')));

/** MTH of the first n reference leaves, n = 0…8. */
const REFERENCE_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const leafHashes = REFERENCE_LEAVES.map((data) => hashLeaf(data));

describe('RFC 9162 hashing', () => {
  it('prefixes leaves with 0x00 and interior nodes with 0x01', () => {
    expect([RFC9162_LEAF_PREFIX, RFC9162_NODE_PREFIX]).toEqual([0x00, 0x01]);
    const data = Uint8Array.of(0xab, 0xcd);
    expect(toHex(hashLeaf(data))).toBe(toHex(sha256(Uint8Array.of(0x00, 0xab, 0xcd))));
    const left = sha256('left');
    const right = sha256('right');
    expect(toHex(hashChildren(left, right))).toBe(
      toHex(sha256(new Uint8Array([0x01, ...left, ...right]))),
    );
  });

  it('gives the empty tree the hash of the empty string', () => {
    expect(toHex(EMPTY_TREE_ROOT)).toBe(REFERENCE_ROOTS[0]);
    expect(toHex(rootFromLeafHashes([]))).toBe(REFERENCE_ROOTS[0]);
    expect(toHex(MerkleFrontier.empty().root())).toBe(REFERENCE_ROOTS[0]);
  });

  it('matches the reference roots at sizes 1 and 8 quoted in the vectors README', () => {
    expect(REFERENCE_ROOTS[1]).toMatch(/^6e340b9c.*afa01d$/);
    expect(REFERENCE_ROOTS[8]).toMatch(/^5dc9da79.*604328$/);
    expect(toHex(rootFromLeafHashes(leafHashes.slice(0, 1)))).toBe(REFERENCE_ROOTS[1]);
    expect(toHex(rootFromLeafHashes(leafHashes))).toBe(REFERENCE_ROOTS[8]);
  });

  describe('at every size 0…8', () => {
    it('agrees with the reference through rootFromLeafHashes', () => {
      const roots = REFERENCE_ROOTS.map((_, n) =>
        toHex(rootFromLeafHashes(leafHashes.slice(0, n))),
      );
      expect(roots).toEqual(REFERENCE_ROOTS);
    });

    it('agrees with the reference through the frontier', () => {
      const frontier = MerkleFrontier.empty();
      const roots = [toHex(frontier.root())];
      for (const leafHash of leafHashes) {
        frontier.append(leafHash);
        roots.push(toHex(frontier.root()));
      }
      expect(roots).toEqual(REFERENCE_ROOTS);
    });

    it('agrees with the reference through rootAt over stored nodes', async () => {
      const source = MemoryNodeSource.fromLeafData(REFERENCE_LEAVES);
      const roots = await Promise.all(REFERENCE_ROOTS.map(async (_, n) => rootAt(n, source)));
      expect(roots.map((root) => toHex(root))).toEqual(REFERENCE_ROOTS);
    });
  });

  it('agrees across all three routes at every size up to 300', async () => {
    const data = Array.from({ length: 300 }, (_, i) => sha256(`entry ${i}`));
    const hashes = data.map((entry) => hashLeaf(entry));
    const source = MemoryNodeSource.fromLeafData(data);
    const frontier = MerkleFrontier.empty();
    for (let n = 0; n <= data.length; n++) {
      const expected = toHex(rootFromLeafHashes(hashes.slice(0, n)));
      expect(toHex(frontier.root())).toBe(expected);
      expect(toHex(await rootAt(n, source))).toBe(expected);
      if (n < data.length) frontier.append(hashes[n]!);
    }
  });

  it('hands out roots that share no memory with its state', () => {
    const frontier = MerkleFrontier.empty();
    frontier.append(leafHashes[0]!);
    const root = frontier.root();
    root.fill(0);
    expect(toHex(frontier.root())).toBe(REFERENCE_ROOTS[1]);
    rootFromLeafHashes([]).fill(0);
    expect(toHex(EMPTY_TREE_ROOT)).toBe(REFERENCE_ROOTS[0]);
  });

  it('hashes a digest the same from bytes, hex text and hex digits in place', () => {
    for (let n = 0; n < 64; n++) {
      const digest = sha256(new Uint8Array([n]));
      const hex = toHex(digest);
      const expected = toHex(hashLeaf(digest));
      const text = Buffer.from(`{"hash":"${hex}"}`, 'latin1');
      const at = Buffer.concat([Buffer.alloc(5), Buffer.from(digest), Buffer.alloc(3)]);
      expect(toHex(hashLeafOfHex(hex))).toBe(expected);
      expect(toHex(hashLeafOfHexBytes(text, 9)!)).toBe(expected);
      expect(toHex(hashLeafAt(at, 5))).toBe(expected);
    }
  });

  it('refuses hex digits in place that are not 64 lowercase ones', () => {
    const hex = toHex(sha256(new Uint8Array([1])));
    const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
    expect(hashLeafOfHexBytes(bytes(hex), 0)).toBeDefined();
    expect(hashLeafOfHexBytes(bytes(hex.toUpperCase()), 0)).toBeUndefined();
    expect(hashLeafOfHexBytes(bytes(`${hex.slice(0, 63)}g`), 0)).toBeUndefined();
    expect(hashLeafOfHexBytes(bytes(`${hex.slice(0, 40)} ${hex.slice(41)}`), 0)).toBeUndefined();
    expect(hashLeafOfHexBytes(bytes(hex.slice(1)), 0)).toBeUndefined();
    expect(hashLeafOfHexBytes(bytes(hex), 1)).toBeUndefined();
    expect(hashLeafOfHexBytes(bytes(hex), -1)).toBeUndefined();
  });
});
