/**
 * `deltatrace append`: NDJSON event inputs, validated whole before anything is written.
 */
import { computeEventId } from '../core/chain/entry-codec.js';
import { InputError, IntegrityError } from '../core/errors.js';
import type { EventBody } from '../core/events/envelope.js';
import type { Ledger } from '../core/ledger.js';
import type { Durability, EventStore } from '../core/ports.js';
import type { SqliteWriter } from '../storage/index.js';
import type { Output } from './output.js';
import {
  awaitedLater,
  openLedger,
  parseJsonLine,
  readLines,
  withStore,
  writerOf,
} from './session.js';

/** Rethrows an input or integrity error of one line with the line number in its details. */
export function atLine<T>(line: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof InputError || error instanceof IntegrityError) {
      const Kind = error instanceof InputError ? InputError : IntegrityError;
      const { index: _index, ...details } = error.details ?? {};
      throw new Kind(error.code, `line ${line}: ${error.message}`, {
        details: { line, ...details },
        cause: error,
      });
    }
    throw error;
  }
}

export interface AppendOptions {
  readonly batchSize: number;
  readonly durability: Durability;
  readonly writer?: SqliteWriter;
}

/**
 * Appends NDJSON event inputs. The whole input is validated before anything is written (a bad
 * line appends nothing); then it is appended in atomic batches.
 */
export async function appendCommand(
  home: string,
  file: string,
  options: AppendOptions,
  out: Output,
): Promise<void> {
  const stdinLines: string[] = [];
  if (file === '-') for await (const line of readLines('-')) stdinLines.push(line);
  const lines = (): AsyncIterable<string> | Iterable<string> =>
    file === '-' ? stdinLines : readLines(file);

  await withStore(home, { readonly: false, ...writerOf(options) }, async (store) => {
    const ledger = await openLedger(store, options.durability);
    const count = await validateInput(ledger, store, lines(), out);
    let batch: EventBody[] = [];
    let lineNo = 0;
    let firstSeq: number | undefined;
    let appended = 0;
    // Two batches in flight: the next is validated and sealed while the store writes one.
    const inFlight: Promise<void>[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length > 0) {
        inFlight.push(
          awaitedLater(
            ledger.append(batch).then((result) => {
              firstSeq ??= result.first_seq;
              appended += result.count;
              out.progress.update('appended', appended, count);
            }),
          ),
        );
        batch = [];
      }
      while (inFlight.length > 1) await inFlight.shift();
    };
    for await (const text of lines()) {
      lineNo++;
      if (text.trim() === '') continue;
      const value = parseJsonLine(text, lineNo);
      batch.push(atLine(lineNo, () => ledger.parseInputs([value])[0]!));
      if (batch.length >= options.batchSize) await flush();
    }
    await flush();
    await Promise.all(inFlight);
    out.progress.done();
    out.info(`appended ${appended} events; log size ${ledger.snapshot.size}`);
    out.ok({
      appended,
      first_seq: firstSeq ?? null,
      size: ledger.snapshot.size,
      root: ledger.snapshot.root,
    });
  });
}

/** First pass of append: every line parses, validates and links; returns the event count. */
async function validateInput(
  ledger: Ledger,
  store: EventStore,
  lines: AsyncIterable<string> | Iterable<string>,
  out: Output,
): Promise<number> {
  const idLines = new Map<string, number>();
  const causeLines = new Map<string, number>();
  let lineNo = 0;
  let count = 0;
  for await (const text of lines) {
    lineNo++;
    if (text.trim() === '') continue;
    const value = parseJsonLine(text, lineNo);
    const body = atLine(lineNo, () => ledger.parseInputs([value])[0]!);
    for (const cause of body.causes) {
      if (!idLines.has(cause) && !causeLines.has(cause)) causeLines.set(cause, lineNo);
    }
    const id = atLine(lineNo, () => computeEventId(body));
    const earlier = idLines.get(id);
    if (earlier !== undefined) {
      throw new InputError(
        'INPUT_DUPLICATE_EVENT',
        `line ${lineNo} repeats the event of line ${earlier}`,
        {
          details: { line: lineNo, id, first_line: earlier },
        },
      );
    }
    idLines.set(id, lineNo);
    count++;
    if (count % 4096 === 0) out.progress.update('validated', count);
  }
  out.progress.done();
  if (count === 0) throw new InputError('INPUT_EMPTY', 'the input holds no events');
  await checkAgainstStore(store, causeLines, (known, cause, line) => {
    if (!known.has(cause)) {
      throw new InputError(
        'INPUT_UNKNOWN_CAUSE',
        `line ${line}: cause ${cause} is not in the log`,
        {
          details: { line, cause },
        },
      );
    }
  });
  await checkAgainstStore(store, idLines, (known, id, line) => {
    if (known.has(id)) {
      throw new InputError(
        'INPUT_DUPLICATE_EVENT',
        `line ${line}: event ${id} is already in the log`,
        {
          details: { line, id },
        },
      );
    }
  });
  return count;
}

async function checkAgainstStore(
  store: EventStore,
  idLines: ReadonlyMap<string, number>,
  check: (known: ReadonlySet<string>, id: string, line: number) => void,
): Promise<void> {
  const all = [...idLines.entries()].sort((a, b) => a[1] - b[1]);
  for (let start = 0; start < all.length; start += 512) {
    const chunk = all.slice(start, start + 512);
    const known = await store.findIds(chunk.map(([id]) => id));
    for (const [id, line] of chunk) check(known, id, line);
  }
}
