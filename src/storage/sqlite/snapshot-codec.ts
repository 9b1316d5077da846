/**
 * Reads the persisted StoreSnapshot back. The text comes from disk, so it is parsed, never cast:
 * a damaged or foreign snapshot is STORE_CORRUPT, not a crash further down in the ledger.
 */
import { z } from 'zod';

import { SNAPSHOT_FORMAT, StorageError, type StoreSnapshot } from '../../core/index.js';

const Hex64Schema = z.string().regex(/^[0-9a-f]{64}$/);
const CountSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const StoreSnapshotSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  origin: z.string().min(1),
  size: CountSchema,
  head_hash: Hex64Schema,
  root: Hex64Schema,
  frontier: z.array(Hex64Schema),
  type_counts: z.record(z.string(), CountSchema),
  latest_checkpoint: z.strictObject({ size: CountSchema, note: z.string() }).nullable(),
});

export function parseSnapshot(text: unknown, where: string): StoreSnapshot {
  let value: unknown;
  try {
    // JSON.parse throws a bare SyntaxError; a damaged snapshot must surface as STORE_CORRUPT.
    value = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch (error) {
    throw new StorageError('STORE_CORRUPT', `${where}: the snapshot is not valid JSON`, {
      cause: error,
    });
  }
  const parsed = StoreSnapshotSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StorageError('STORE_CORRUPT', `${where}: the snapshot is malformed`, {
      details: { path: issue?.path.join('.') ?? '', issue: issue?.message ?? '' },
    });
  }
  return parsed.data;
}
