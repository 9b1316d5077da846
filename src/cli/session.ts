/**
 * Opening the pieces a command needs: the store in the home, the ledger over it, and the
 * checkpoint opener that verification uses.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

import { InputError, IntegrityError } from '../core/errors.js';
import { createCoreRegistry } from '../core/events/registry.js';
import { Ledger } from '../core/ledger.js';
import type { Durability, EventStore } from '../core/ports.js';
import { type NoteVerifier, openNote, parseCheckpoint } from '../core/signing/index.js';
import type { CheckpointOpener } from '../core/verify.js';
import { openStore } from '../storage/index.js';
import { SystemClock } from './context.js';

export async function withStore<T>(
  home: string,
  options: { readonly readonly: boolean },
  work: (store: EventStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(home, { readonly: options.readonly });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function openLedger(
  store: EventStore,
  durability: Durability = 'batch',
): Promise<Ledger> {
  return Ledger.open(store, {
    registry: createCoreRegistry(),
    clock: new SystemClock(),
    durability,
  });
}

/** Opens checkpoints signed by any of `verifiers` for the log named `origin`. */
export function checkpointOpener(
  verifiers: readonly NoteVerifier[],
  origin: string,
): CheckpointOpener {
  return (note) => {
    const checkpoint = parseCheckpoint(openNote(note, verifiers).body);
    if (checkpoint.origin !== origin) {
      throw new IntegrityError('CHECKPOINT_ORIGIN_MISMATCH', 'the checkpoint is from another log', {
        details: { expected: origin, actual: checkpoint.origin },
      });
    }
    return { size: checkpoint.size, root: checkpoint.rootHash };
  };
}

/** Lines of a file, or of stdin for `-`; blank lines are kept so numbering stays true. */
export async function* readLines(file: string): AsyncGenerator<string> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    if (file === '-') {
      resolve();
      return;
    }
    input.once('open', () => resolve());
    input.once('error', (error: Error) =>
      reject(
        new InputError('INPUT_INVALID_ARGUMENT', `cannot read ${file}`, {
          details: { file },
          cause: error,
        }),
      ),
    );
  });
  await opened;
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) yield line;
}

/** JSON.parse of one input line; a syntax error becomes INPUT_INVALID_JSON with its line number. */
export function parseJsonLine(text: string, line: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError('INPUT_INVALID_JSON', `line ${line} is not valid JSON`, {
      details: { line, reason: error instanceof Error ? error.message : String(error) },
    });
  }
}
