/**
 * @module
 * Key agreement for secure aggregation: X25519 (RFC 7748) over raw 32-byte keys, and the pairwise
 * masks expanded from each shared secret with HKDF-SHA-256 (RFC 5869). Keys come from a 32-byte
 * seed, so a seeded test or simulation derives the same keys every time; a live run draws the
 * seed from a secure source in its composition root.
 */
import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';

import { InputError } from '../core/index.js';

export const X25519_KEY_SIZE = 32;
/** Masks and masked values live in Z/2^64. */
export const MASK_MODULUS = 1n << 64n;

/** DER prefix of an X25519 PKCS#8 OneAsymmetricKey (RFC 8410 §7) before the 32 private bytes. */
const RFC8410_X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
/** DER prefix of an X25519 SubjectPublicKeyInfo (RFC 8410 §4) before the 32 public bytes. */
const RFC8410_X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
/** HKDF salt: binds every mask to this protocol and its version. */
const MASK_SALT = new TextEncoder().encode('deltatrace.secure-aggregation.v1');
const MASK_BYTES = 8;

export interface AggregationKeyPair {
  readonly privateKey: KeyObject;
  /** Raw X25519 public key (RFC 7748 u-coordinate), 32 bytes. */
  readonly publicKey: Uint8Array;
}

function invalidKey(message: string, details: Record<string, number | string>): InputError {
  return new InputError('PRIVACY_AGGREGATION_INVALID_KEY', message, { details });
}

/**
 * The X25519 key pair of a 32-byte seed (the RFC 7748 scalar before clamping).
 * @throws PRIVACY_AGGREGATION_INVALID_KEY for a seed of another size.
 */
export function aggregationKeyPairFromSeed(seed: Uint8Array): AggregationKeyPair {
  if (seed.byteLength !== X25519_KEY_SIZE) {
    throw invalidKey(`an X25519 seed is ${X25519_KEY_SIZE} bytes`, { size: seed.byteLength });
  }
  const privateKey = createPrivateKey({
    key: Buffer.concat([RFC8410_X25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    privateKey,
    publicKey: new Uint8Array(spki.subarray(RFC8410_X25519_SPKI_PREFIX.length)),
  };
}

/**
 * X25519(private, peer) as 32 bytes.
 * @throws PRIVACY_AGGREGATION_INVALID_KEY for a key of the wrong size or a low-order point, whose
 *   all-zero shared secret OpenSSL refuses (RFC 7748 §6.1): a mask from it would be public.
 */
export function agreeSharedSecret(privateKey: KeyObject, peerPublicKey: Uint8Array): Uint8Array {
  if (peerPublicKey.byteLength !== X25519_KEY_SIZE) {
    throw invalidKey(`an X25519 public key is ${X25519_KEY_SIZE} bytes`, {
      size: peerPublicKey.byteLength,
    });
  }
  try {
    const publicKey = createPublicKey({
      key: Buffer.concat([RFC8410_X25519_SPKI_PREFIX, peerPublicKey]),
      format: 'der',
      type: 'spki',
    });
    return new Uint8Array(diffieHellman({ privateKey, publicKey }));
  } catch (error) {
    throw new InputError('PRIVACY_AGGREGATION_INVALID_KEY', 'X25519 key agreement failed', {
      cause: error,
      details: { reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown' },
    });
  }
}

/**
 * The mask a pair of participants shares in a round: HKDF-SHA-256 of their shared secret, with the
 * round and both ids (in sorted order, NUL-separated; names hold no control characters) as
 * info, read as a little-endian integer mod 2^64. A new round id gives unrelated masks.
 */
export function derivePairMask(
  sharedSecret: Uint8Array,
  roundId: string,
  lowId: string,
  highId: string,
): bigint {
  const info = new TextEncoder().encode(`${roundId}\u0000${lowId}\u0000${highId}`);
  const bytes = new Uint8Array(hkdfSync('sha256', sharedSecret, MASK_SALT, info, MASK_BYTES));
  let mask = 0n;
  for (let i = MASK_BYTES - 1; i >= 0; i--) mask = (mask << 8n) | BigInt(bytes[i]!);
  return mask;
}
