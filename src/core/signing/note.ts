/**
 * @module
 * Signed notes (C2SP signed-note, golang.org/x/mod/sumdb/note): a body ending in a newline, a blank
 * line, then one line per signature, `— <key name> base64(key id ‖ signature)`. Opening a note
 * verifies every signature from a known key and keeps the others as unverified, as the spec says.
 */
import { toBase64 } from '../bytes.js';
import { InputError, IntegrityError } from '../errors.js';
import { ed25519Sign, ed25519Verify } from './ed25519.js';
import { formatKeyId, isSameVerifier, type NoteSigner, type NoteVerifier } from './keys.js';
import { decodeBase64As, isNoteSafeText, isValidKeyName } from './text.js';

/** One signature line of an opened note. */
export interface NoteSignature {
  readonly name: string;
  /** The uint32 key ID of C2SP signed-note. */
  readonly keyId: number;
  /** True when a known verifier checked it; false for a key the caller did not pass. */
  readonly verified: boolean;
}

export interface OpenedNote {
  /** The signed text, final newline included. */
  readonly body: string;
  readonly signatures: readonly NoteSignature[];
}

/** C2SP signed-note, §Format: U+2014 em dash, then a space. */
const SIGNATURE_LINE_PREFIX = '\u2014 ';
/**
 * C2SP signed-note asks verifiers to cap the signature count and to accept at least 16; the cap of
 * golang.org/x/mod/sumdb/note (100) keeps us interoperable with it.
 */
const MAX_NOTE_SIGNATURES = 100;
/** uint32 key ID followed by at least one signature byte. */
const MIN_SIGNATURE_BYTES = 5;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function malformed(message: string): InputError {
  return new InputError('NOTE_MALFORMED', message);
}

function assertNoteBody(body: string): void {
  if (!body.endsWith('\n')) throw malformed('a note body must end with a newline');
  if (!isNoteSafeText(body)) {
    throw malformed('a note must be valid UTF-8 without control characters other than newline');
  }
}

function encodeKeyId(keyId: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, keyId, false);
  return bytes;
}

/**
 * Signs `body` with each signer (at least one) and returns the note text.
 * @throws NOTE_MALFORMED when the body does not end in a newline or holds forbidden characters;
 *   NOTE_BAD_KEY when a signer's name or seed is invalid.
 */
export function signNote(body: string, signers: readonly NoteSigner[]): string {
  assertNoteBody(body);
  if (signers.length === 0) throw malformed('a signed note needs at least one signature');
  const message = Buffer.from(body, 'utf8');
  const lines: string[] = [];
  const signed: NoteSigner[] = [];
  for (const signer of signers) {
    if (!isValidKeyName(signer.name)) {
      throw new InputError('NOTE_BAD_KEY', 'invalid signer key name', {
        details: { name: signer.name },
      });
    }
    if (signed.some((other) => isSameVerifier(other, signer))) continue;
    signed.push(signer);
    const signature = ed25519Sign(signer.seed, message);
    const blob = new Uint8Array(4 + signature.byteLength);
    blob.set(encodeKeyId(signer.keyId), 0);
    blob.set(signature, 4);
    lines.push(`${SIGNATURE_LINE_PREFIX}${signer.name} ${toBase64(blob)}\n`);
  }
  return `${body}\n${lines.join('')}`;
}

interface SignatureLine {
  readonly line: string;
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

function parseSignatureLine(line: string): SignatureLine {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX)) {
    throw malformed('every line after the last blank line must be a signature line');
  }
  const rest = line.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw malformed('a signature line is "— <key name> <base64 signature>"');
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) throw malformed('a signature line has an invalid key name');
  const blob = decodeBase64As('NOTE_MALFORMED', rest.slice(space + 1), 'note signature');
  if (blob.byteLength < MIN_SIGNATURE_BYTES) throw malformed('a note signature is too short');
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return { line, name, keyId: view.getUint32(0, false), signature: blob.subarray(4) };
}

function decodeNoteText(text: string | Uint8Array): string {
  if (typeof text === 'string') return text;
  try {
    return utf8Decoder.decode(text);
  } catch (error) {
    throw new InputError('NOTE_MALFORMED', 'a note must be valid UTF-8', { cause: error });
  }
}

function findVerifier(
  verifiers: readonly NoteVerifier[],
  name: string,
  keyId: number,
): NoteVerifier | undefined {
  const matches = verifiers.filter((v) => v.name === name && v.keyId === keyId);
  const [first, ...others] = matches;
  if (first !== undefined && others.some((other) => !isSameVerifier(first, other))) {
    throw new InputError('NOTE_BAD_KEY', 'two different verifier keys share a name and key id', {
      details: { name, keyId: formatKeyId(keyId) },
    });
  }
  return first;
}

/**
 * Parses a signed note and checks every signature whose key name and key ID match a verifier.
 * Signatures from other keys are kept with `verified: false`; identical lines are reported once.
 * @throws NOTE_MALFORMED (syntax, over 100 signatures, invalid UTF-8);
 *   NOTE_BAD_KEY (two different verifiers share a name and key id);
 *   NOTE_BAD_SIGNATURE (a known key's signature does not verify; the whole note is refused, as
 *   C2SP signed-note recommends); NOTE_NO_VERIFIABLE_SIGNATURE (no known key signed it).
 */
export function openNote(
  text: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
): OpenedNote {
  const note = decodeNoteText(text);
  if (!isNoteSafeText(note)) {
    throw malformed('a note must be valid UTF-8 without control characters other than newline');
  }
  // C2SP signed-note: the body is separated from the signatures by the last empty line.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('a note needs a blank line before its signatures');
  const body = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) {
    throw malformed('a note needs at least one signature line, each ending in a newline');
  }
  const rawLines = block.slice(0, -1).split('\n');
  if (rawLines.length > MAX_NOTE_SIGNATURES) {
    throw malformed(`a note may carry at most ${MAX_NOTE_SIGNATURES} signatures`);
  }

  const message = Buffer.from(body, 'utf8');
  const seen = new Set<string>();
  const signatures: NoteSignature[] = [];
  for (const sig of rawLines.map(parseSignatureLine)) {
    if (seen.has(sig.line)) continue;
    seen.add(sig.line);
    const verifier = findVerifier(verifiers, sig.name, sig.keyId);
    if (verifier === undefined) {
      signatures.push({ name: sig.name, keyId: sig.keyId, verified: false });
      continue;
    }
    if (!ed25519Verify(verifier.publicKey, message, sig.signature)) {
      throw new IntegrityError(
        'NOTE_BAD_SIGNATURE',
        'a note signature from a known key is invalid',
        {
          details: { name: sig.name, keyId: formatKeyId(sig.keyId) },
        },
      );
    }
    signatures.push({ name: sig.name, keyId: sig.keyId, verified: true });
  }
  if (!signatures.some((s) => s.verified)) {
    throw new IntegrityError('NOTE_NO_VERIFIABLE_SIGNATURE', 'no known key signed this note', {
      details: { signers: signatures.map((s) => `${s.name}+${formatKeyId(s.keyId)}`) },
    });
  }
  return { body, signatures };
}
