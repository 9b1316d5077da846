/**
 * The native SHA-256 module gives node:crypto's digests for every input the ledger hashes: strings
 * (as UTF-8, lone surrogates included), bytes, and ranges of bytes; and it refuses what is not
 * one of those with a typed error. Skipped with a notice where the module was not built, unless
 * DELTATRACE_REQUIRE_NATIVE=1 (CI), which turns the skip into a failure.
 */
import { hash } from 'node:crypto';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { nativeSha256, nodeCryptoSha256, sha256Backend } from '../../src/core/sha256-backends.js';

const required = process.env['DELTATRACE_REQUIRE_NATIVE'] === '1';
if (nativeSha256 === undefined && !required) {
  process.stderr.write('NOTICE: native SHA-256 suite skipped: native/sha256 is not built\n');
}

/** Any UTF-16 code units, lone surrogates among them. */
const anyText = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  maxLength: 300,
});
const someBytes = fc.uint8Array({ maxLength: 2000 });

const nodeHex = (data: Uint8Array | string): string => hash('sha256', data, 'hex');

describe.runIf(nativeSha256 === undefined && required)('native SHA-256 module', () => {
  it('is built, as DELTATRACE_REQUIRE_NATIVE=1 demands', () => {
    expect.fail('native/sha256 did not build or does not load (see the install log)');
  });
});

describe.runIf(nativeSha256 !== undefined)('native SHA-256', () => {
  const native = nativeSha256!;

  it('is the backend in use', () => {
    expect(sha256Backend.name).toBe('native');
  });

  it('gives the FIPS 180-2 digests', () => {
    expect(native.hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(native.hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(native.hex('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it("hashes strings as node:crypto does, lone surrogates and text past the stack's room included", () => {
    fc.assert(
      fc.property(anyText, fc.nat(40_000), (text, pad) => {
        const long = text + 'é'.repeat(pad % 3 === 0 ? pad : 0);
        expect(native.hex(text)).toBe(nodeHex(text));
        expect(native.hex(long)).toBe(nodeHex(long));
        expect(native.digest(text)).toEqual(nodeCryptoSha256.digest(text));
      }),
      { numRuns: 300 },
    );
  });

  it('hashes bytes, subarrays and ranges as node:crypto does', () => {
    fc.assert(
      fc.property(someBytes, fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const end = start + (b % (bytes.length - start + 1));
        const view = bytes.subarray(start, end);
        expect(native.hex(bytes)).toBe(nodeHex(bytes));
        expect(native.hex(view)).toBe(nodeHex(view));
        expect(native.hexOfRange(bytes, start, end)).toBe(nodeHex(view));
        expect(native.digest(view)).toEqual(nodeCryptoSha256.digest(view));
      }),
      { numRuns: 300 },
    );
  });

  it('hands out a fresh digest each time', () => {
    const first = native.digest('one');
    const second = native.digest('two');
    expect(first).not.toEqual(second);
    expect(first).toEqual(nodeCryptoSha256.digest('one'));
  });

  it('refuses other input with a typed error', () => {
    const codeOf = (hashIt: () => unknown): unknown => {
      try {
        hashIt();
      } catch (error) {
        return (error as { code?: unknown }).code;
      }
      return 'no error';
    };
    const hex = (...args: unknown[]): unknown =>
      (native.hex as (...args: unknown[]) => string)(...args);
    expect(codeOf(() => hex(42))).toBe('ERR_SHA256_INPUT');
    expect(codeOf(() => hex(new Uint16Array(4)))).toBe('ERR_SHA256_INPUT');
    expect(codeOf(() => native.hexOfRange(new Uint8Array(4), 2, 5))).toBe('ERR_SHA256_RANGE');
    expect(codeOf(() => native.hexOfRange(new Uint8Array(4), 3, 2))).toBe('ERR_SHA256_RANGE');
    expect(codeOf(() => native.hexOfRange(new Uint8Array(4), -1, 2))).toBe('ERR_SHA256_INPUT');
    expect(codeOf(() => native.hexOfRange(new Uint8Array(4), 0, 2 ** 70))).toBe('ERR_SHA256_INPUT');
    expect(codeOf(() => native.hexOfRange(new Uint8Array(4), 0.5, 2))).toBe('ERR_SHA256_INPUT');
  });
});

describe('node:crypto SHA-256 (the fallback)', () => {
  it('hashes bytes, ranges and strings', () => {
    const backend = nodeCryptoSha256;
    fc.assert(
      fc.property(someBytes, anyText, (bytes, text) => {
        const half = bytes.length >> 1;
        expect(backend.hex(bytes)).toBe(nodeHex(bytes));
        expect(backend.hexOfRange(bytes, half, bytes.length)).toBe(nodeHex(bytes.subarray(half)));
        expect(Buffer.from(backend.digest(text)).toString('hex')).toBe(nodeHex(text));
      }),
      { numRuns: 100 },
    );
  });
});
