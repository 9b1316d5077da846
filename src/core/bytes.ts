/**
 * @module
 * Byte helpers shared by the chain, the Merkle tree and the signing code: SHA-256, strict hex and
 * base64 decoding of outside input (failures become our codes, never a raw exception or a silently
 * truncated buffer), and constant-time comparison of digests and signatures.
 */
import { timingSafeEqual } from 'node:crypto';

import { InputError } from './errors.js';
import { sha256Backend } from './sha256-backends.js';

export const SHA256_SIZE = 32;

// Hashing is most of the cost of appending and verifying: every entry takes two hashes plus the
// tree's. These go through the fastest backend this process has (./sha256-backends.ts).
export function sha256(data: Uint8Array | string): Uint8Array {
  return sha256Backend.digest(data);
}

/** SHA-256 as lowercase hex; cheaper than hashing to bytes and converting. */
export function sha256Hex(data: Uint8Array | string): string {
  return sha256Backend.hex(data);
}

/** {@link sha256Hex} of `bytes[start, end)`. */
export function sha256HexOfRange(bytes: Uint8Array, start: number, end: number): string {
  return sha256Backend.hexOfRange(bytes, start, end);
}

/** SHA-256 over the concatenation of several parts. */
export function sha256Parts(...parts: readonly (Uint8Array | string)[]): Uint8Array {
  let length = 0;
  for (const part of parts)
    length += typeof part === 'string' ? Buffer.byteLength(part) : part.byteLength;
  const joined = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const part of parts) {
    if (typeof part === 'string') {
      offset += joined.write(part, offset);
    } else {
      joined.set(part, offset);
      offset += part.byteLength;
    }
  }
  return sha256(joined);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const HEX_RE = /^(?:[0-9a-f]{2})*$/;

/** Decodes lowercase hex. Buffer.from(…, 'hex') stops silently at the first bad digit, hence the check. */
export function fromHex(text: string, what = 'hex value'): Uint8Array {
  if (!HEX_RE.test(text)) {
    throw new InputError('INPUT_INVALID_ENCODING', `${what} is not lowercase hex`, {
      details: { value: text.length > 80 ? `${text.slice(0, 80)}…` : text },
    });
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes standard padded base64. Node's decoder skips bad characters silently, hence the check. */
export function fromBase64(text: string, what = 'base64 value'): Uint8Array {
  if (!BASE64_RE.test(text)) {
    throw new InputError('INPUT_INVALID_ENCODING', `${what} is not standard padded base64`, {
      details: { value: text.length > 80 ? `${text.slice(0, 80)}…` : text },
    });
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Constant-time equality for digests and signatures; unequal lengths are simply unequal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
