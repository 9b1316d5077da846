/**
 * Inclusion and consistency proofs as self-contained documents. An inclusion proof carries the
 * event's full entry text, so it is checked offline against a signed checkpoint alone: nobody
 * needs the log to confirm that one event is in it, unchanged, at its position.
 */
import { z } from 'zod';

import { fromBase64, fromHex, toBase64 } from './bytes.js';
import { analyzeEntryLine } from './chain/entry-analysis.js';
import { InputError, IntegrityError } from './errors.js';
import { formatIssues } from './events/registry.js';
import {
  consistencyProof,
  hashLeaf,
  inclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './merkle/index.js';
import type { EventStore } from './ports.js';
import { type Checkpoint, type NoteVerifier, openCheckpoint } from './signing/index.js';

export const INCLUSION_PROOF_FORMAT = 'deltatrace.inclusion-proof.v1';
export const CONSISTENCY_PROOF_FORMAT = 'deltatrace.consistency-proof.v1';

export const InclusionProofDocumentSchema = z.strictObject({
  format: z.literal(INCLUSION_PROOF_FORMAT),
  origin: z.string().min(1),
  seq: z.number().int().nonnegative(),
  tree_size: z.number().int().positive(),
  /** The entry's canonical JSON text, exactly as logged. */
  entry: z.string().min(2),
  /** RFC 9162 audit path, base64 hashes. */
  hashes: z.array(z.string()),
  /** The signed checkpoint the proof was made against (informative; verifiers bring their own). */
  checkpoint: z.string().min(1),
});
export type InclusionProofDocument = z.infer<typeof InclusionProofDocumentSchema>;

/**
 * Proves the entry at `seq` against the store's latest signed checkpoint.
 * @throws STORE_NO_CHECKPOINT, STORE_SEQ_OUT_OF_RANGE
 */
export async function proveInclusion(
  store: EventStore,
  seq: number,
): Promise<InclusionProofDocument> {
  const snapshot = await store.snapshot();
  const checkpoint = snapshot.latest_checkpoint;
  if (checkpoint === null) {
    throw new InputError('STORE_NO_CHECKPOINT', 'the log has no signed checkpoint yet', {
      details: { hint: 'run `deltatrace checkpoint` first' },
    });
  }
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= checkpoint.size) {
    throw new InputError(
      'STORE_SEQ_OUT_OF_RANGE',
      `seq ${seq} is not covered by the latest checkpoint (size ${checkpoint.size})`,
      { details: { seq, checkpoint_size: checkpoint.size } },
    );
  }
  const entry = await store.readEntry(seq);
  if (entry === undefined) {
    throw new IntegrityError('STORE_CORRUPT', `entry ${seq} is missing from the store`, {
      details: { seq },
    });
  }
  const hashes = await inclusionProof(seq, checkpoint.size, store);
  return {
    format: INCLUSION_PROOF_FORMAT,
    origin: snapshot.origin,
    seq,
    tree_size: checkpoint.size,
    entry,
    hashes: hashes.map(toBase64),
    checkpoint: checkpoint.note,
  };
}

export interface InclusionVerdict {
  readonly ok: true;
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly tree_size: number;
  readonly origin: string;
}

/** Parses a proof document from outside input. @throws INPUT_SCHEMA_VIOLATION */
export function parseInclusionProof(value: unknown): InclusionProofDocument {
  const parsed = InclusionProofDocumentSchema.safeParse(value);
  if (!parsed.success) {
    throw new InputError('INPUT_SCHEMA_VIOLATION', 'not an inclusion proof document', {
      details: { issues: formatIssues(parsed.error.issues) },
    });
  }
  return parsed.data;
}

/**
 * Checks an inclusion proof offline: the checkpoint's signature, the entry's own integrity, and
 * the audit path from the entry to the signed root.
 * @throws NOTE_* / CHECKPOINT_* for the checkpoint, PROOF_INVALID, MERKLE_*
 */
export function verifyInclusionProof(
  document: InclusionProofDocument,
  checkpointNote: string,
  verifier: NoteVerifier,
): InclusionVerdict {
  const checkpoint = openCheckpoint(checkpointNote, verifier, document.origin);
  if (checkpoint.size !== document.tree_size) {
    throw new IntegrityError(
      'PROOF_INVALID',
      `the proof is for a tree of size ${document.tree_size}, the checkpoint has size ${checkpoint.size}`,
      { details: { proof_size: document.tree_size, checkpoint_size: checkpoint.size } },
    );
  }
  const entry = analyzeEntryLine(document.entry);
  if (!entry.selfValid || entry.seq !== document.seq) {
    throw new IntegrityError('PROOF_INVALID', 'the entry in the proof is not intact', {
      details: { seq: document.seq, problem: entry.problem ?? `entry claims seq ${entry.seq}` },
    });
  }
  const hashes = document.hashes.map((hash, index) => fromBase64(hash, `hashes[${index}]`));
  verifyInclusion(
    hashLeaf(fromHex(entry.actualHash)),
    document.seq,
    checkpoint.size,
    hashes,
    checkpoint.rootHash,
  );
  return {
    ok: true,
    seq: entry.seq,
    id: entry.id,
    type: entry.type,
    tree_size: checkpoint.size,
    origin: checkpoint.origin,
  };
}

export interface ConsistencyReport {
  readonly format: typeof CONSISTENCY_PROOF_FORMAT;
  readonly ok: true;
  readonly origin: string;
  readonly old_size: number;
  readonly new_size: number;
  readonly old_root: string;
  readonly new_root: string;
  readonly hashes: readonly string[];
}

/**
 * Proves that the store's latest signed checkpoint extends an older one the user kept, and checks
 * the proof: the log only grew since.
 * @throws STORE_NO_CHECKPOINT, CONSISTENCY_FAILED, NOTE_* / CHECKPOINT_*
 */
export async function proveConsistency(
  store: EventStore,
  oldCheckpointNote: string,
  verifier: NoteVerifier,
): Promise<ConsistencyReport> {
  const snapshot = await store.snapshot();
  if (snapshot.latest_checkpoint === null) {
    throw new InputError('STORE_NO_CHECKPOINT', 'the log has no signed checkpoint yet');
  }
  const older = openCheckpoint(oldCheckpointNote, verifier, snapshot.origin);
  const newer = openCheckpoint(snapshot.latest_checkpoint.note, verifier, snapshot.origin);
  if (older.size > newer.size) {
    throw new IntegrityError(
      'CONSISTENCY_FAILED',
      `the kept checkpoint (size ${older.size}) is larger than the log's latest (size ${newer.size}): the log was truncated`,
      { details: { old_size: older.size, new_size: newer.size } },
    );
  }
  const hashes = older.size === 0 ? [] : await consistencyProof(older.size, newer.size, store);
  try {
    if (older.size > 0) {
      verifyConsistency(older.size, newer.size, hashes, older.rootHash, newer.rootHash);
    }
  } catch (error) {
    throw new IntegrityError(
      'CONSISTENCY_FAILED',
      'the log is not an extension of the kept checkpoint: its history was rewritten',
      { details: describeSizes(older, newer), cause: error },
    );
  }
  return {
    format: CONSISTENCY_PROOF_FORMAT,
    ok: true,
    origin: snapshot.origin,
    old_size: older.size,
    new_size: newer.size,
    old_root: toBase64(older.rootHash),
    new_root: toBase64(newer.rootHash),
    hashes: hashes.map(toBase64),
  };
}

function describeSizes(
  older: Checkpoint,
  newer: Checkpoint,
): { old_size: number; new_size: number } {
  return { old_size: older.size, new_size: newer.size };
}
