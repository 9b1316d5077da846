/**
 * Opening the pieces a command needs: the store in the home, the ledger over it, and the
 * checkpoint opener that verification uses.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

import { InputError, IntegrityError } from '../core/errors.js';
import { createCoreRegistry, type EventTypeRegistry } from '../core/events/registry.js';
import { Ledger } from '../core/ledger.js';
import type { Durability, EventStore } from '../core/ports.js';
import { type NoteVerifier, openNote, parseCheckpoint } from '../core/signing/index.js';
import type { CheckpointOpener } from '../core/verify.js';
import { registerPipelineEventTypes } from '../pipeline/event-types.js';
import { openStore, type SqliteWriter } from '../storage/index.js';
import { SystemClock } from './context.js';

export async function withStore<T>(
  home: string,
  options: { readonly readonly: boolean; readonly writer?: SqliteWriter },
  work: (store: EventStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(home, {
    readonly: options.readonly,
    ...writerOf(options),
  });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * `promise`, marked as handled now and awaited later: a batch in flight that fails while the next
 * is read must surface where it is awaited, with its code, not as an unhandled rejection.
 */
export function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The `writer` member of a command's options, when it has one: for {@link withStore}. */
export function writerOf(options: { readonly writer?: SqliteWriter }): {
  readonly writer?: SqliteWriter;
} {
  return options.writer === undefined ? {} : { writer: options.writer };
}

/**
 * The event types of every domain the CLI records: core, pipeline and privacy. A store the trading
 * demo or a capture wrote holds them all, so appending to it and importing its export need them.
 */
export function cliEventRegistry(): EventTypeRegistry {
  return registerPipelineEventTypes(createCoreRegistry());
}

export async function openLedger(
  store: EventStore,
  durability: Durability = 'batch',
): Promise<Ledger> {
  return Ledger.open(store, {
    registry: cliEventRegistry(),
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
