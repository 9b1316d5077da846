/**
 * @module
 * Checkpoints (C2SP tlog-checkpoint): the note body `<origin>\n<tree size>\n<base64 root hash>\n`
 * followed by optional extension lines, signed as a C2SP signed note. Tree sizes are JS numbers, so
 * this implementation refuses sizes above Number.MAX_SAFE_INTEGER although the spec allows uint64.
 */
import { z } from 'zod';

import { SHA256_SIZE, toBase64 } from '../bytes.js';
import { InputError, IntegrityError } from '../errors.js';
import type { NoteSigner, NoteVerifier } from './keys.js';
import { openNote, signNote } from './note.js';
import { decodeBase64As, isNoteSafeText } from './text.js';

export interface Checkpoint {
  /** Unique identity of the log; any non-empty line (C2SP recommends a schema-less URL). */
  readonly origin: string;
  /** Number of leaves, a safe integer. */
  readonly size: number;
  /** RFC 6962 / RFC 9162 Merkle tree hash at `size`: 32 bytes. */
  readonly rootHash: Uint8Array;
  /** Opaque non-empty lines after the root hash; C2SP tlog-checkpoint does not recommend them. */
  readonly extensions?: readonly string[];
}

/** One non-empty line of a note: no newline, no control characters, no lone surrogates. */
const NoteLineSchema = z
  .string()
  .min(1, 'must be non-empty')
  .refine(
    (line) => !line.includes('\n') && isNoteSafeText(line),
    'must be one line without control characters',
  );

const SIZE_RULE = 'must be an integer from 0 to 2^53 - 1';

const CheckpointSchema = z.object({
  origin: NoteLineSchema,
  size: z.number().int(SIZE_RULE).min(0, SIZE_RULE).max(Number.MAX_SAFE_INTEGER, SIZE_RULE),
  rootHash: z.custom<Uint8Array>(
    (value) => value instanceof Uint8Array && value.byteLength === SHA256_SIZE,
    `must be ${SHA256_SIZE} bytes`,
  ),
  extensions: z.array(NoteLineSchema).readonly().optional(),
});

function malformed(message: string, details: Record<string, string> = {}): InputError {
  return new InputError('CHECKPOINT_MALFORMED', message, { details });
}

function validate(checkpoint: Checkpoint): Checkpoint {
  const result = CheckpointSchema.safeParse(checkpoint);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.map(String).join('.') ?? '';
    throw malformed(`checkpoint ${where} ${issue?.message ?? 'is invalid'}`.trim(), {
      field: where,
    });
  }
  return checkpoint;
}

/**
 * The note body of a checkpoint. @throws CHECKPOINT_MALFORMED on an empty or multi-line origin or
 * extension line, a size that is not a safe non-negative integer, or a root hash not 32 bytes.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions = [] } = validate(checkpoint);
  return [origin, String(size), toBase64(rootHash), ...extensions].map((l) => `${l}\n`).join('');
}

/** C2SP tlog-checkpoint: ASCII decimal, no leading zeroes except for the empty tree. */
const TREE_SIZE_RE = /^(?:0|[1-9][0-9]*)$/;

/**
 * Parses a checkpoint note body (what {@link openNote} returns as `body`).
 * @throws CHECKPOINT_MALFORMED when the body is not three or more non-empty lines each ending in a
 *   newline, the size is not canonical decimal or exceeds 2^53 - 1, or the root hash is not the
 *   canonical standard base64 of 32 bytes.
 */
export function parseCheckpoint(body: string): Checkpoint {
  if (!body.endsWith('\n')) throw malformed('a checkpoint body ends with a newline');
  const [origin, sizeText, rootText, ...extensions] = body.slice(0, -1).split('\n');
  if (origin === undefined || sizeText === undefined || rootText === undefined) {
    throw malformed('a checkpoint has an origin, a tree size and a root hash line');
  }
  if (!TREE_SIZE_RE.test(sizeText)) {
    throw malformed('the tree size is not a decimal without leading zeroes', { size: sizeText });
  }
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) {
    throw malformed('the tree size exceeds 2^53 - 1', { size: sizeText });
  }
  const rootHash = decodeBase64As('CHECKPOINT_MALFORMED', rootText, 'checkpoint root hash');
  // Refuse non-canonical padding bits too, so parse and format are exact inverses.
  if (toBase64(rootHash) !== rootText) {
    throw malformed('the root hash is not canonical base64', { rootHash: rootText });
  }
  const parsed: Checkpoint =
    extensions.length === 0 ? { origin, size, rootHash } : { origin, size, rootHash, extensions };
  return validate(parsed);
}

/** Signs a checkpoint as a one-signature note. @throws CHECKPOINT_MALFORMED, NOTE_BAD_KEY. */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  return signNote(formatCheckpoint(checkpoint), [signer]);
}

/**
 * Opens a signed checkpoint that `verifier` must have signed; other signatures (witness
 * cosignatures, rotated keys) are tolerated unverified. When `expectedOrigin` is given, the origin
 * line must equal it.
 * @throws the codes of {@link openNote}, CHECKPOINT_MALFORMED, CHECKPOINT_ORIGIN_MISMATCH.
 */
export function openCheckpoint(
  noteText: string | Uint8Array,
  verifier: NoteVerifier,
  expectedOrigin?: string,
): Checkpoint {
  const checkpoint = parseCheckpoint(openNote(noteText, [verifier]).body);
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) {
    throw new IntegrityError('CHECKPOINT_ORIGIN_MISMATCH', 'the checkpoint is from another log', {
      details: { expected: expectedOrigin, actual: checkpoint.origin },
    });
  }
  return checkpoint;
}
