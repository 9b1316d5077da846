/**
 * @module
 * Signed checkpoints: Ed25519 (RFC 8032) over C2SP signed notes whose body is a C2SP
 * tlog-checkpoint, with keys in the text formats of golang.org/x/mod/sumdb/note. Pure: no I/O, no
 * clock, no randomness (key generation takes the caller's seed).
 */
export type { Checkpoint } from './checkpoint.js';
export { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.js';
export { ed25519Sign, ed25519Verify } from './ed25519.js';
export type { NoteSigner, NoteVerifier } from './keys.js';
export {
  formatSignerKey,
  formatVerifierKey,
  parseSignerKey,
  parseVerifierKey,
  signerKeyFromSeed,
} from './keys.js';
export type { NoteSignature, OpenedNote } from './note.js';
export { openNote, signNote } from './note.js';
