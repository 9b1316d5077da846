/**
 * RFC 8785's ES6 number-serialisation test (json-canonicalization testdata/README.md, "ES6
 * Numbers"), re-implemented from the README's description: 168 edge-case doubles, then the 2000
 * smallest normal doubles, then doubles read four at a time (little-endian) from a SHA-256 chain
 * seeded with 32 zero bytes, skipping ±0 and non-finite ones. Each line is
 * `<bits as lowercase hex without leading zeros>,<expected serialisation>\n`, and the README
 * publishes the SHA-256 of the first N lines. The table and digests are copied from that README.
 */
import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { serializeNumber } from '../../../src/core/canonical/index.js';

const STATIC_BITS_HEX = `
0000000000000000 8000000000000000 0000000000000001 8000000000000001 c46696695dbd1cc3
c43211ede4974a35 c3fce97ca0f21056 c3c7213080c1a6ac c39280f39a348556 c35d9b1f5d20d557
c327af4c4a80aaac c2f2f2a36ecd5556 c2be51057e155558 c28840d131aaaaac c253670dc1555557
c21f0b4935555557 c1e8d5d42aaaaaac c1b3de4355555556 c17fca0555555556 c1496e6aaaaaaaab
c114585555555555 c0e046aaaaaaaaab c0aa0aaaaaaaaaaa c074d55555555555 c040aaaaaaaaaaab
c00aaaaaaaaaaaab bfd5555555555555 bfa1111111111111 bf6b4e81b4e81b4f bf35d867c3ece2a5
bf0179ec9cbd821e becbf647612f3696 be965e9f80f29212 be61e54c672874db be2ca213d840baf8
bdf6e80fe033c8c6 bdc2533fe68fd3d2 bd8d51ffd74c861c bd5774ccac3d3817 bd22c3d6f030f9ac
bcee0624b3818f79 bcb804ea293472c7 bc833721ba905bd3 bc4ebe9c5db3c61e bc18987d17c304e5
bbe3ad30dfcf371d bbaf7b816618582f bb792f9ab81379bf bb442615600f9499 bb101e77800c76e1
bad9ca58cce0be35 baa4a1e0a3e6fe90 ba708180831f320d ba3a68cd9e985016 446696695dbd1cc3
443211ede4974a35 43fce97ca0f21056 43c7213080c1a6ac 439280f39a348556 435d9b1f5d20d557
4327af4c4a80aaac 42f2f2a36ecd5556 42be51057e155558 428840d131aaaaac 4253670dc1555557
421f0b4935555557 41e8d5d42aaaaaac 41b3de4355555556 417fca0555555556 41496e6aaaaaaaab
4114585555555555 40e046aaaaaaaaab 40aa0aaaaaaaaaaa 4074d55555555555 4040aaaaaaaaaaab
400aaaaaaaaaaaab 3fd5555555555555 3fa1111111111111 3f6b4e81b4e81b4f 3f35d867c3ece2a5
3f0179ec9cbd821e 3ecbf647612f3696 3e965e9f80f29212 3e61e54c672874db 3e2ca213d840baf8
3df6e80fe033c8c6 3dc2533fe68fd3d2 3d8d51ffd74c861c 3d5774ccac3d3817 3d22c3d6f030f9ac
3cee0624b3818f79 3cb804ea293472c7 3c833721ba905bd3 3c4ebe9c5db3c61e 3c18987d17c304e5
3be3ad30dfcf371d 3baf7b816618582f 3b792f9ab81379bf 3b442615600f9499 3b101e77800c76e1
3ad9ca58cce0be35 3aa4a1e0a3e6fe90 3a708180831f320d 3a3a68cd9e985016 4024000000000000
4014000000000000 3fe0000000000000 3fa999999999999a 3f747ae147ae147b 3f40624dd2f1a9fc
3f0a36e2eb1c432d 3ed4f8b588e368f1 3ea0c6f7a0b5ed8d 3e6ad7f29abcaf48 3e35798ee2308c3a
3ed539223589fa95 3ed4ff26cd5a7781 3ed4f95a762283ff 3ed4f8c60703520c 3ed4f8b72f19cd0d
3ed4f8b5b31c0c8d 3ed4f8b58d1c461a 3ed4f8b5894f7f0e 3ed4f8b588ee37f3 3ed4f8b588e47da4
3ed4f8b588e3849c 3ed4f8b588e36bb5 3ed4f8b588e36937 3ed4f8b588e368f8 3ed4f8b588e368f1
3ff0000000000000 bff0000000000000 bfeffffffffffffa bfeffffffffffffb 3feffffffffffffa
3feffffffffffffb 3feffffffffffffc 3feffffffffffffe bfefffffffffffff bfefffffffffffff
3fefffffffffffff 3fefffffffffffff 3fd3333333333332 3fd3333333333333 3fd3333333333334
0010000000000000 000ffffffffffffd 000fffffffffffff 7fefffffffffffff ffefffffffffffff
4340000000000000 c340000000000000 4430000000000000 44b52d02c7e14af5 44b52d02c7e14af6
44b52d02c7e14af7 444b1ae4d6e2ef4e 444b1ae4d6e2ef4f 444b1ae4d6e2ef50 3eb0c6f7a0b5ed8c
3eb0c6f7a0b5ed8d 41b3de4355555553 41b3de4355555554 41b3de4355555555 41b3de4355555556
41b3de4355555557 becbf647612f3696 43143ff3c1cb0959
`
  .trim()
  .split(/\s+/);

const SERIAL_COUNT = 2000;

/** SHA-256 of the first N lines of es6testfile100m.txt, from the README's table. */
const EXPECTED_SHA256 = {
  1000: 'be18b62b6f69cdab33a7e0dae0d9cfa869fda80ddc712221570f9f40a5878687',
  1_000_000: '49415fee2c56c77864931bd3624faad425c3c577d6d74e89a83bc725506dad16',
} as const;

/** Calls `emit(hex, value)` for the first `count` doubles of the sequence. */
function generateDoubles(count: number, emit: (bitsHex: string, value: number) => void): void {
  const view = new DataView(new ArrayBuffer(8));
  let produced = 0;

  for (const hex of STATIC_BITS_HEX) {
    if (produced === count) return;
    view.setBigUint64(0, BigInt(`0x${hex}`));
    emit(BigInt(`0x${hex}`).toString(16), view.getFloat64(0));
    produced++;
  }
  for (let i = 0; i < SERIAL_COUNT; i++) {
    if (produced === count) return;
    // 0x0010000000000000 + i: the smallest normal double and its successors.
    view.setUint32(0, 0x0010_0000);
    view.setUint32(4, i);
    emit(bitsToHex(view), view.getFloat64(0));
    produced++;
  }
  let block: Uint8Array = new Uint8Array(32);
  while (produced < count) {
    block = createHash('sha256').update(block).digest();
    const words = new DataView(block.buffer, block.byteOffset, block.byteLength);
    for (let offset = 0; offset < 32 && produced < count; offset += 8) {
      const value = words.getFloat64(offset, true);
      if (value === 0 || !Number.isFinite(value)) continue;
      view.setFloat64(0, value);
      emit(bitsToHex(view), value);
      produced++;
    }
  }
}

/** The 64 bits in `view` (big-endian) as JavaScript's BigInt#toString(16) would print them. */
function bitsToHex(view: DataView): string {
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  return high === 0 ? low.toString(16) : high.toString(16) + low.toString(16).padStart(8, '0');
}

function digestOfLines(count: number): string {
  const hash = createHash('sha256');
  let chunk = '';
  let lines = 0;
  generateDoubles(count, (bitsHex, value) => {
    chunk += `${bitsHex},${serializeNumber(value)}\n`;
    if (++lines % 10_000 === 0) {
      hash.update(chunk);
      chunk = '';
    }
  });
  hash.update(chunk);
  return hash.digest('hex');
}

describe('serializeNumber', () => {
  describe('on the sample lines of the ES6 number test', () => {
    it.each([
      ['4340000000000001', '9007199254740994'],
      ['4340000000000002', '9007199254740996'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['8000000000000000', '0'],
      ['0', '0'],
    ])('serialises the double with bits %s as %s', (bitsHex, expected) => {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, BigInt(`0x${bitsHex}`));
      expect(serializeNumber(view.getFloat64(0))).toBe(expected);
    });
  });

  describe('on the generated ES6 number sequence', () => {
    it('starts with the edge cases and the smallest normals', () => {
      const first: string[] = [];
      generateDoubles(STATIC_BITS_HEX.length + 2, (bitsHex, value) => {
        first.push(`${bitsHex},${serializeNumber(value)}`);
      });
      expect(STATIC_BITS_HEX).toHaveLength(168);
      expect(first.slice(0, 3)).toEqual(['0,0', '8000000000000000,0', '1,5e-324']);
      expect(first.slice(-2)).toEqual([
        '10000000000000,2.2250738585072014e-308',
        '10000000000001,2.225073858507202e-308',
      ]);
    });

    it('matches the published digest of the first 1000 lines', () => {
      expect(digestOfLines(1000)).toBe(EXPECTED_SHA256[1000]);
    });

    it('matches the published digest of the first 1,000,000 lines', () => {
      expect(digestOfLines(1_000_000)).toBe(EXPECTED_SHA256[1_000_000]);
    }, 15_000);
  });
});
