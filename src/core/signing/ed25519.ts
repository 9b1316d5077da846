/**
 * @module
 * Ed25519 (RFC 8032) over raw 32-byte keys, on top of node:crypto. Verification adds the RFC 8032
 * §5.1.7 decoding checks itself (sizes, S < L, canonical point encodings) rather than trusting
 * whichever OpenSSL build Node links against, and never throws: any malformed input is simply an
 * invalid signature.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

import { InputError } from '../errors.js';

export const ED25519_SEED_SIZE = 32;
export const ED25519_PUBLIC_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4) before the 32 key bytes. */
const RFC8410_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** DER prefix of an Ed25519 PKCS#8 OneAsymmetricKey (RFC 8410 §7) before the 32-byte seed. */
const RFC8410_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** RFC 8032 §5.1: p = 2^255 - 19. */
const RFC8032_P = (1n << 255n) - 19n;
/** RFC 8032 §5.1: L = 2^252 + 27742317777372353535851937790883648493, the group order. */
const RFC8032_L = (1n << 252n) + 27742317777372353535851937790883648493n;

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

/**
 * RFC 8032 §5.1.3: decoding fails when y >= p, or when x would be 0 (y = ±1) yet its sign bit is
 * set. Whether y lies on the curve at all is left to OpenSSL.
 */
function isCanonicalPointEncoding(encoded: Uint8Array): boolean {
  const sign = ((encoded[31] ?? 0) & 0x80) !== 0;
  const y = littleEndianToBigInt(encoded) & ((1n << 255n) - 1n);
  if (y >= RFC8032_P) return false;
  return !(sign && (y === 1n || y === RFC8032_P - 1n));
}

function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.byteLength !== ED25519_SEED_SIZE) {
    throw new InputError('NOTE_BAD_KEY', `an Ed25519 seed is ${ED25519_SEED_SIZE} bytes`, {
      details: { size: seed.byteLength },
    });
  }
  return createPrivateKey({
    key: Buffer.concat([RFC8410_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** The public key A of RFC 8032 §5.1.5 for a 32-byte seed. Throws NOTE_BAD_KEY on a bad size. */
export function ed25519PublicKeyFromSeed(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(privateKeyFromSeed(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(RFC8410_SPKI_PREFIX.length));
}

/** RFC 8032 §5.1.6 signature (64 bytes, deterministic). Throws NOTE_BAD_KEY on a bad seed size. */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKeyFromSeed(seed)));
}

/** RFC 8032 §5.1.7 verification. Returns false, never throws, on malformed keys or signatures. */
export function ed25519Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.byteLength !== ED25519_PUBLIC_KEY_SIZE) return false;
  if (signature.byteLength !== ED25519_SIGNATURE_SIZE) return false;
  if (littleEndianToBigInt(signature.subarray(32)) >= RFC8032_L) return false;
  if (!isCanonicalPointEncoding(publicKey)) return false;
  if (!isCanonicalPointEncoding(signature.subarray(0, 32))) return false;
  try {
    const key = createPublicKey({
      key: Buffer.concat([RFC8410_SPKI_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    });
    return verify(null, message, key, signature);
  } catch {
    // OpenSSL refuses keys that do not decode to a curve point; RFC 8032 calls that invalid.
    return false;
  }
}
