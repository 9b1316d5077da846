import { describe, expect, it } from 'vitest';

import { fromBase64, toHex } from '../../../src/core/bytes.js';
import {
  formatSignerKey,
  formatVerifierKey,
  parseSignerKey,
  parseVerifierKey,
  signerKeyFromSeed,
} from '../../../src/core/signing/index.js';
import { expectErrorCode } from '../../helpers/errors.js';

// golang.org/x/mod sumdb/note/note_test.go (TestNewVerifier, TestNewSigner, TestVerifierList).
const PETER_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SIGNER_KEY =
  'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VERIFIER_KEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
// golang/go src/cmd/go/internal/modfetch/key.go (knownGOSUMDB).
const SUMDB_VERIFIER_KEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';

/** Every proper substring and every one-character increment of `key`, as the Go tests try. */
function manglings(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= key.length; i++) {
    for (let j = i + 1; j <= key.length; j++) {
      if (i !== 0 || j !== key.length) out.push(key.slice(i, j));
    }
  }
  for (let i = 0; i < key.length; i++) {
    out.push(key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1));
  }
  return out;
}

describe('parseVerifierKey', () => {
  it('reads the Go note test keys and the sum.golang.org key', () => {
    const peter = parseVerifierKey(PETER_VERIFIER_KEY);
    expect(peter.name).toBe('PeterNeumann');
    expect(peter.keyId).toBe(0xc74f20a3);
    expect(toHex(peter.publicKey)).toBe(
      toHex(fromBase64('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW').subarray(1)),
    );
    expect(parseVerifierKey(ENOCH_VERIFIER_KEY).keyId).toBe(0xaf0cfe78);
    const sumdb = parseVerifierKey(SUMDB_VERIFIER_KEY);
    expect(sumdb.name).toBe('sum.golang.org');
    expect(sumdb.keyId).toBe(0x033de0ae);
  });

  it('formats back to the same text', () => {
    for (const key of [PETER_VERIFIER_KEY, ENOCH_VERIFIER_KEY, SUMDB_VERIFIER_KEY]) {
      expect(formatVerifierKey(parseVerifierKey(key))).toBe(key);
    }
  });

  describe('when the key text is mangled', () => {
    it('reports NOTE_BAD_KEY for every substring and every one-character change', () => {
      for (const bad of manglings(PETER_VERIFIER_KEY)) {
        expectErrorCode(() => parseVerifierKey(bad), 'NOTE_BAD_KEY');
      }
    });
  });

  describe('when the key data has the wrong length or algorithm', () => {
    it('reports NOTE_BAD_KEY (Go note_test.go cases with adjusted key hash)', () => {
      expectErrorCode(
        () =>
          parseVerifierKey(
            'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
          ),
        'NOTE_BAD_KEY',
      );
      expectErrorCode(
        () =>
          parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
        'NOTE_BAD_KEY',
      );
    });
  });
});

describe('parseSignerKey', () => {
  it('derives the published verifier key from the Go test signer key', () => {
    const signer = parseSignerKey(PETER_SIGNER_KEY);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(formatVerifierKey(signer)).toBe(PETER_VERIFIER_KEY);
    expect(formatSignerKey(signer)).toBe(PETER_SIGNER_KEY);
  });

  describe('when the key text is mangled', () => {
    it('reports NOTE_BAD_KEY for every substring and every one-character change', () => {
      for (const bad of manglings(PETER_SIGNER_KEY)) {
        expectErrorCode(() => parseSignerKey(bad), 'NOTE_BAD_KEY');
      }
    });
  });

  describe('when handed a verifier key', () => {
    it('reports NOTE_BAD_KEY', () => {
      expectErrorCode(() => parseSignerKey(PETER_VERIFIER_KEY), 'NOTE_BAD_KEY');
    });
  });
});

describe('signerKeyFromSeed', () => {
  const seed = fromBase64('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz').subarray(1);

  it('is deterministic and reproduces the Go test key from its seed', () => {
    const signer = signerKeyFromSeed('PeterNeumann', seed);
    expect(formatSignerKey(signer)).toBe(PETER_SIGNER_KEY);
    expect(formatVerifierKey(signerKeyFromSeed('PeterNeumann', seed))).toBe(PETER_VERIFIER_KEY);
  });

  it('round-trips through the signer and verifier key texts', () => {
    const signer = signerKeyFromSeed('log.example/deltatrace', new Uint8Array(32).fill(42));
    const reparsed = parseSignerKey(formatSignerKey(signer));
    expect(reparsed).toEqual(signer);
    const verifier = parseVerifierKey(formatVerifierKey(signer));
    expect(verifier).toEqual({
      name: signer.name,
      keyId: signer.keyId,
      publicKey: signer.publicKey,
    });
  });

  it('accepts names with non-ASCII letters and punctuation', () => {
    const signer = signerKeyFromSeed('ĉekpunkto.example/lög—1', seed);
    expect(parseVerifierKey(formatVerifierKey(signer)).name).toBe('ĉekpunkto.example/lög—1');
  });

  describe('when the name is not a valid key name (C2SP signed-note)', () => {
    it.each([
      ['empty', ''],
      ['a plus', 'a+b'],
      ['an ASCII space', 'a b'],
      ['a tab', 'a\tb'],
      ['a newline', 'a\nb'],
      ['a no-break space', 'a\u00a0b'],
      ['a next-line character', 'a\u0085b'],
      ['an ideographic space', 'a\u3000b'],
      ['a line separator', 'a\u2028b'],
      ['a control character', 'a\u0001b'],
      ['a lone surrogate', 'a\ud800b'],
    ])('reports NOTE_BAD_KEY for %s', (_label, name) => {
      expectErrorCode(() => signerKeyFromSeed(name, seed), 'NOTE_BAD_KEY');
    });
  });

  describe('when the seed is not 32 bytes', () => {
    it('reports NOTE_BAD_KEY', () => {
      expectErrorCode(() => signerKeyFromSeed('a', new Uint8Array(31)), 'NOTE_BAD_KEY');
      expectErrorCode(() => signerKeyFromSeed('a', new Uint8Array(64)), 'NOTE_BAD_KEY');
    });
  });
});
