/**
 * `state-snapshot.json`: the acknowledged state of a JSONL store, i.e. the StoreSnapshot and how
 * many bytes of events.jsonl and checkpoints.jsonl it covers. Bytes past those lengths were
 * written by an append or checkpoint that never completed and are not part of the log.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { z } from 'zod';

import { SNAPSHOT_FORMAT, StorageError, type StoreSnapshot } from '../../core/index.js';
import { STATE_FILE_NAME, writeFileAtomic } from './files.js';

export const JSONL_STATE_FORMAT = 'deltatrace.jsonl-state.v1';

export interface JsonlState {
  readonly format: typeof JSONL_STATE_FORMAT;
  readonly events_bytes: number;
  readonly checkpoints_bytes: number;
  readonly snapshot: StoreSnapshot;
}

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

const JsonlStateSchema = z.strictObject({
  format: z.string(),
  events_bytes: CountSchema,
  checkpoints_bytes: CountSchema,
  snapshot: z.unknown(),
});

function corrupt(file: string, problem: string, cause?: unknown): StorageError {
  return new StorageError('STORE_CORRUPT', `${file}: ${problem}`, {
    details: { file },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Reads and checks the state file of `dir`.
 * @throws STORE_NOT_FOUND, STORE_CORRUPT, STORE_FORMAT_UNSUPPORTED
 */
export async function readState(dir: string): Promise<JsonlState> {
  const file = path.join(dir, STATE_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing =
      typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
    throw new StorageError(
      missing ? 'STORE_NOT_FOUND' : 'STORE_IO',
      missing ? `no store in ${dir}` : `reading ${file} failed`,
      { details: { dir }, cause: error },
    );
  }
  let value: unknown;
  try {
    // JSON.parse throws a bare SyntaxError; a damaged state file must surface as STORE_CORRUPT.
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, 'not valid JSON', error);
  }
  const state = JsonlStateSchema.safeParse(value);
  if (!state.success) throw corrupt(file, 'not a JSONL store state');
  if (state.data.format !== JSONL_STATE_FORMAT) {
    throw new StorageError(
      'STORE_FORMAT_UNSUPPORTED',
      `the store in ${dir} has format ${state.data.format}; this version reads ${JSONL_STATE_FORMAT}`,
      { details: { dir, format: state.data.format } },
    );
  }
  const snapshot = StoreSnapshotSchema.safeParse(state.data.snapshot);
  if (!snapshot.success) {
    const issue = snapshot.error.issues[0];
    throw corrupt(file, `malformed snapshot at ${issue?.path.join('.') ?? ''}`);
  }
  return {
    format: JSONL_STATE_FORMAT,
    events_bytes: state.data.events_bytes,
    checkpoints_bytes: state.data.checkpoints_bytes,
    snapshot: snapshot.data,
  };
}

/** The state file's text as it is on disk, or undefined when it cannot be read. */
export async function readStateText(dir: string): Promise<string | undefined> {
  return readFile(path.join(dir, STATE_FILE_NAME), 'utf8').catch(() => undefined);
}

export function stateText(state: JsonlState): string {
  return `${JSON.stringify(state)}\n`;
}

export async function writeState(dir: string, text: string): Promise<void> {
  await writeFileAtomic(path.join(dir, STATE_FILE_NAME), text);
}
