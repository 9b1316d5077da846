/**
 * Moving a log in and out: export (JSONL exchange format, audit document) and import.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

import { InputError } from '../core/errors.js';
import type { SqliteWriter } from '../storage/index.js';
import { atLine } from './append-command.js';
import type { Output } from './output.js';
import { awaitedLater, openLedger, readLines, withStore, writerOf } from './session.js';
import { runVerify, verifiersFor } from './verify-commands.js';

export async function exportCommand(
  home: string,
  options: {
    readonly format: 'jsonl' | 'audit';
    readonly output?: string;
    readonly keys: readonly string[];
  },
  out: Output,
): Promise<void> {
  const verifiers = verifiersFor(home, options.keys);
  await withStore(home, { readonly: true }, async (store) => {
    const sink = options.output === undefined ? process.stdout : createWriteStream(options.output);
    const write = async (text: string): Promise<void> => {
      if (!sink.write(text)) await once(sink, 'drain');
    };
    let count = 0;
    if (options.format === 'jsonl') {
      for await (const lines of store.scan()) {
        await write(`${lines.join('\n')}\n`);
        count += lines.length;
        out.progress.update('exported', count);
      }
    } else {
      const integrity = await runVerify(store, verifiers, [], out);
      const snapshot = await store.snapshot();
      const checkpoints = await store.listCheckpoints();
      const head = {
        format: 'deltatrace.audit.v1',
        integrity,
        type_counts: integrity.type_counts,
        snapshot,
        checkpoint: checkpoints.at(-1) ?? null,
      };
      const opening = JSON.stringify(head);
      await write(`${opening.slice(0, -1)},"events":[`);
      for await (const lines of store.scan()) {
        await write(`${count === 0 ? '' : ','}${lines.join(',')}`);
        count += lines.length;
        out.progress.update('exported', count);
      }
      await write(']}\n');
    }
    out.progress.done();
    if (options.output !== undefined) {
      sink.end();
      await once(sink, 'finish');
      out.ok({ format: options.format, output: options.output, entries: count });
    }
  });
}

/**
 * Imports an exported JSONL log verbatim (same ids, hashes and root). The whole file is checked
 * first, so a bad line imports nothing.
 */
export async function importCommand(
  home: string,
  file: string,
  options: { readonly batchSize: number; readonly writer?: SqliteWriter },
  out: Output,
): Promise<void> {
  await withStore(home, { readonly: false, ...writerOf(options) }, async (store) => {
    const ledger = await openLedger(store);
    const checker = ledger.importChecker();
    let lineNo = 0;
    for await (const text of readLines(file)) {
      lineNo++;
      atLine(lineNo, () => checker.check(text, lineNo - 1));
      if (lineNo % 4096 === 0) out.progress.update('checked', lineNo);
    }
    out.progress.done();
    if (lineNo === 0) throw new InputError('INPUT_EMPTY', 'the input holds no entries');

    let batch: string[] = [];
    let imported = 0;
    // Two batches in flight, as append has: the next is checked and sealed while one is written.
    const inFlight: Promise<void>[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length > 0) {
        inFlight.push(
          awaitedLater(
            ledger.importEntries(batch).then((result) => {
              imported += result.count;
              out.progress.update('imported', imported, lineNo);
            }),
          ),
        );
        batch = [];
      }
      if (inFlight.length > 1) await inFlight.shift();
    };
    for await (const text of readLines(file)) {
      batch.push(text);
      if (batch.length >= options.batchSize) await flush();
    }
    await flush();
    await Promise.all(inFlight);
    out.progress.done();
    out.info(`imported ${imported} entries; root ${ledger.snapshot.root}`);
    out.ok({ imported, size: ledger.snapshot.size, root: ledger.snapshot.root });
  });
}
