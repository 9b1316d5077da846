/**
 * Lines of `checkpoints.jsonl`: `{"note":…,"size":…}`, keys sorted, one per stored checkpoint.
 */
import { z } from 'zod';

import { StorageError, type StoredCheckpoint } from '../../core/index.js';

const CheckpointLineSchema = z.strictObject({
  note: z.string(),
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

export function toCheckpointLine(checkpoint: StoredCheckpoint): string {
  return `${JSON.stringify({ note: checkpoint.note, size: checkpoint.size })}\n`;
}

/** @throws STORE_CORRUPT */
export function parseCheckpointLine(line: string, dir: string): StoredCheckpoint {
  let value: unknown;
  try {
    // JSON.parse throws a bare SyntaxError; a damaged line must surface as STORE_CORRUPT.
    value = JSON.parse(line);
  } catch (error) {
    throw new StorageError('STORE_CORRUPT', 'checkpoints.jsonl holds a line that is not JSON', {
      details: { dir },
      cause: error,
    });
  }
  const parsed = CheckpointLineSchema.safeParse(value);
  if (!parsed.success) {
    throw new StorageError('STORE_CORRUPT', 'checkpoints.jsonl holds a malformed checkpoint', {
      details: { dir },
    });
  }
  return parsed.data;
}
