/**
 * @module
 * Note keys in the text formats of golang.org/x/mod/sumdb/note, which C2SP signed-note follows:
 *
 *   verifier key  <name>+<key id, 8 hex digits>+base64(0x01 ‖ 32-byte Ed25519 public key)
 *   signer key    PRIVATE+KEY+<name>+<key id>+base64(0x01 ‖ 32-byte Ed25519 seed)
 *
 * Key generation is deterministic from a seed: randomness is the caller's, never read here.
 */
import { bytesEqual, sha256Parts, toBase64 } from '../bytes.js';
import { InputError } from '../errors.js';
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SEED_SIZE, ed25519PublicKeyFromSeed } from './ed25519.js';
import { decodeBase64As, isValidKeyName } from './text.js';

/** C2SP signed-note §Signature types: 0x01 is Ed25519. */
const SIGNED_NOTE_ED25519_TYPE = 0x01;

/** A public key that checks note signatures. `keyId` is the uint32 of C2SP signed-note. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
}

/** A private key that signs notes; it is also a {@link NoteVerifier} for its own signatures. */
export interface NoteSigner extends NoteVerifier {
  readonly seed: Uint8Array;
}

const SIGNER_KEY_PREFIX = 'PRIVATE+KEY+';

/** C2SP signed-note §Ed25519: key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian. */
function computeKeyId(name: string, publicKey: Uint8Array): number {
  const digest = sha256Parts(name, '\n', Uint8Array.of(SIGNED_NOTE_ED25519_TYPE), publicKey);
  return Buffer.from(digest.buffer, digest.byteOffset, 4).readUInt32BE(0);
}

export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function badKey(message: string, details: Record<string, string | number> = {}): InputError {
  return new InputError('NOTE_BAD_KEY', message, { details });
}

function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw badKey('a key name must be non-empty, without spaces, "+" or control characters', {
      name,
    });
  }
}

/** Builds a signer from a 32-byte seed; the caller supplies the randomness. Throws NOTE_BAD_KEY. */
export function signerKeyFromSeed(name: string, seed: Uint8Array): NoteSigner {
  assertKeyName(name);
  if (seed.byteLength !== ED25519_SEED_SIZE) {
    throw badKey(`an Ed25519 seed is ${ED25519_SEED_SIZE} bytes`, { size: seed.byteLength });
  }
  const publicKey = ed25519PublicKeyFromSeed(seed);
  return { name, keyId: computeKeyId(name, publicKey), publicKey, seed: new Uint8Array(seed) };
}

/** Builds a verifier from a raw 32-byte public key. Throws NOTE_BAD_KEY. */
function verifierKeyFromPublicKey(name: string, publicKey: Uint8Array): NoteVerifier {
  assertKeyName(name);
  if (publicKey.byteLength !== ED25519_PUBLIC_KEY_SIZE) {
    throw badKey(`an Ed25519 public key is ${ED25519_PUBLIC_KEY_SIZE} bytes`, {
      size: publicKey.byteLength,
    });
  }
  const key = new Uint8Array(publicKey);
  return { name, keyId: computeKeyId(name, key), publicKey: key };
}

function typedKey(key: Uint8Array): string {
  return toBase64(Uint8Array.of(SIGNED_NOTE_ED25519_TYPE, ...key));
}

export function formatVerifierKey(verifier: NoteVerifier): string {
  return `${verifier.name}+${formatKeyId(verifier.keyId)}+${typedKey(verifier.publicKey)}`;
}

/** The secret signer key text; whoever holds it can sign as `signer.name`. */
export function formatSignerKey(signer: NoteSigner): string {
  return `${SIGNER_KEY_PREFIX}${signer.name}+${formatKeyId(signer.keyId)}+${typedKey(signer.seed)}`;
}

interface KeyFields {
  readonly name: string;
  readonly keyId: number;
  readonly key: Uint8Array;
}

const KEY_ID_RE = /^[0-9a-fA-F]{8}$/;

/** Splits `<name>+<key id>+<base64 typed key>`; the base64 part may itself contain '+'. */
function splitKeyFields(text: string, what: string): KeyFields {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw badKey(`${what} is not <name>+<key id>+<key>`);
  const name = text.slice(0, first);
  const keyIdHex = text.slice(first + 1, second);
  assertKeyName(name);
  if (!KEY_ID_RE.test(keyIdHex))
    throw badKey(`${what} has a malformed key id`, { keyId: keyIdHex });
  const typed = decodeBase64As('NOTE_BAD_KEY', text.slice(second + 1), `${what} key data`);
  if (typed[0] !== SIGNED_NOTE_ED25519_TYPE) {
    throw badKey(`${what} is not an Ed25519 key (signature type 0x01)`, {
      type: typed[0] ?? -1,
    });
  }
  if (typed.byteLength !== 1 + ED25519_PUBLIC_KEY_SIZE) {
    throw badKey(`${what} key data is not 0x01 followed by 32 bytes`, { size: typed.byteLength });
  }
  return { name, keyId: Number.parseInt(keyIdHex, 16), key: typed.subarray(1) };
}

function assertKeyIdMatches(what: string, stated: number, derived: number): void {
  if (stated !== derived) {
    throw badKey(
      `${what} states key id ${formatKeyId(stated)}, the key has ${formatKeyId(derived)}`,
    );
  }
}

/** Parses `<name>+<key id>+<base64(0x01 ‖ public key)>`. Throws NOTE_BAD_KEY. */
export function parseVerifierKey(text: string): NoteVerifier {
  const fields = splitKeyFields(text, 'verifier key');
  const verifier = verifierKeyFromPublicKey(fields.name, fields.key);
  assertKeyIdMatches('verifier key', fields.keyId, verifier.keyId);
  return verifier;
}

/** Parses `PRIVATE+KEY+<name>+<key id>+<base64(0x01 ‖ seed)>`. Throws NOTE_BAD_KEY. */
export function parseSignerKey(text: string): NoteSigner {
  if (!text.startsWith(SIGNER_KEY_PREFIX))
    throw badKey(`signer key must start ${SIGNER_KEY_PREFIX}`);
  const fields = splitKeyFields(text.slice(SIGNER_KEY_PREFIX.length), 'signer key');
  const signer = signerKeyFromSeed(fields.name, fields.key);
  // The key id covers the public key, so it can only be checked once the seed is expanded.
  assertKeyIdMatches('signer key', fields.keyId, signer.keyId);
  return signer;
}

/** Same name, same key id and same public key: the one key C2SP signed-note identifies. */
export function isSameVerifier(a: NoteVerifier, b: NoteVerifier): boolean {
  return a.name === b.name && a.keyId === b.keyId && bytesEqual(a.publicKey, b.publicKey);
}
