/**
 * The ledger commands: init, append, log, checkpoint, verify, prove, verify-proof, consistency,
 * export, import.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';

import { fromHex, toBase64 } from '../core/bytes.js';
import { computeEventId } from '../core/chain/entry-codec.js';
import { DeltaTraceError, InputError, IntegrityError } from '../core/errors.js';
import type { EventBody } from '../core/events/envelope.js';
import type { Ledger } from '../core/ledger.js';
import type { Durability, EntryFilter, EventStore } from '../core/ports.js';
import {
  parseInclusionProof,
  proveConsistency,
  proveInclusion,
  verifyInclusionProof,
} from '../core/proofs.js';
import { formatVerifierKey, type NoteVerifier, signCheckpoint } from '../core/signing/index.js';
import { verifyLog, type VerifyReport } from '../core/verify.js';
import { startAnalysisPool } from '../runtime/analysis-pool.js';
import { createStore } from '../storage/index.js';
import {
  generateKey,
  listKeyNames,
  loadLocalVerifiers,
  loadSigner,
  parseVerifierOption,
  readInputFile,
} from './context.js';
import type { Output } from './output.js';
import { checkpointOpener, openLedger, parseJsonLine, readLines, withStore } from './session.js';

export interface InitOptions {
  readonly backend: 'sqlite' | 'jsonl';
  readonly origin?: string;
  readonly keyName: string;
  readonly key: boolean;
}

export async function initCommand(home: string, options: InitOptions, out: Output): Promise<void> {
  mkdirSync(home, { recursive: true });
  const origin = options.origin ?? `deltatrace/${randomHex(12)}`;
  const store = await createStore(home, { backend: options.backend, origin });
  await store.close();
  let verifierKey: string | null = null;
  if (options.key && listKeyNames(home).length === 0) {
    verifierKey = formatVerifierKey(generateKey(home, options.keyName));
  }
  out.info(`created a ${options.backend} ledger in ${home} (origin ${origin})`);
  out.ok({ home, backend: options.backend, origin, verifier_key: verifierKey });
}

function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}

/** Rethrows an input error of one line with the line number in its details. */
function atLine<T>(line: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof InputError) {
      const { index: _index, ...details } = error.details ?? {};
      throw new InputError(error.code, `line ${line}: ${error.message}`, {
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

  await withStore(home, { readonly: false }, async (store) => {
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
          ledger.append(batch).then((result) => {
            firstSeq ??= result.first_seq;
            appended += result.count;
            out.progress.update('appended', appended, count);
          }),
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

export interface LogOptions {
  readonly type?: string;
  readonly run?: string;
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
}

export async function logCommand(home: string, options: LogOptions, out: Output): Promise<void> {
  await withStore(home, { readonly: true }, async (store) => {
    const filter: { -readonly [K in keyof EntryFilter]: EntryFilter[K] } = {};
    if (options.type !== undefined) filter.type = options.type;
    if (options.run !== undefined) filter.run = options.run;
    if (options.from !== undefined) filter.fromSeq = options.from;
    if (options.to !== undefined) filter.toSeq = options.to;
    let printed = 0;
    for await (const lines of store.query(filter)) {
      for (const line of lines) {
        if (options.limit !== undefined && printed >= options.limit) return;
        out.record(JSON.parse(line));
        printed++;
      }
    }
  });
}

export async function checkpointCommand(
  home: string,
  options: { readonly keyName?: string; readonly out?: string },
  out: Output,
): Promise<void> {
  const signer = loadSigner(home, options.keyName);
  await withStore(home, { readonly: false }, async (store) => {
    const ledger = await openLedger(store);
    const { origin, size, root } = ledger.snapshot;
    const note = signCheckpoint({ origin, size, rootHash: fromHex(root) }, signer);
    await ledger.recordCheckpoint(note);
    if (options.out !== undefined) writeFileSync(options.out, note);
    out.info(`signed checkpoint of size ${size} with key ${signer.name}`);
    out.ok({
      origin,
      size,
      root: toBase64(fromHex(root)),
      note,
      verifier_key: formatVerifierKey(signer),
    });
  });
}

const PARALLEL_VERIFY_THRESHOLD = 50_000;

export interface VerifyCommandOptions {
  readonly checkpoints: readonly string[];
  readonly keys: readonly string[];
}

function verifiersFor(home: string, keys: readonly string[]): NoteVerifier[] {
  return keys.length > 0 ? keys.map(parseVerifierOption) : loadLocalVerifiers(home);
}

export async function runVerify(
  store: EventStore,
  verifiers: readonly NoteVerifier[],
  givenCheckpoints: readonly string[],
  out: Output,
): Promise<VerifyReport> {
  const snapshot = await store.snapshot();
  // Worker threads pay off once their start-up (tens of ms) is small against the work.
  const pool = snapshot.size >= PARALLEL_VERIFY_THRESHOLD ? startAnalysisPool() : undefined;
  try {
    const report = await verifyLog(store, {
      openCheckpoint: checkpointOpener(verifiers, snapshot.origin),
      givenCheckpoints,
      onProgress: (scanned) => out.progress.update('verified', scanned, snapshot.size),
      ...(pool === undefined
        ? {}
        : { analyze: pool.analyze, depth: pool.size * 2, chunkSize: 2000 }),
    });
    out.progress.done();
    return report;
  } finally {
    await pool?.close();
  }
}

export async function verifyCommand(
  home: string,
  options: VerifyCommandOptions,
  out: Output,
): Promise<void> {
  const verifiers = verifiersFor(home, options.keys);
  const given = options.checkpoints.map((file) => readInputFile(file, 'checkpoint'));
  const report = await withStore(home, { readonly: true }, (store) =>
    runVerify(store, verifiers, given, out),
  );
  summarizeVerify(report, out);
  if (!report.ok) {
    const first = report.findings[0]!;
    throw new IntegrityError(
      'CHAIN_VERIFY_FAILED',
      `${report.findings.length} finding(s); first: ${first.kind} at seq ${first.seq}`,
      { details: { report: JSON.parse(JSON.stringify(report)) as never } },
    );
  }
  out.ok(report);
}

export function summarizeVerify(report: VerifyReport, out: Output): void {
  const signed = report.checkpoints.filter((c) => c.signature === 'valid').length;
  out.info(
    `verified ${report.entries_scanned} entries against ${signed} signed checkpoint(s): ${
      report.ok ? 'intact' : `${report.findings.length} finding(s)`
    }`,
  );
  for (const finding of report.findings.slice(0, 10)) {
    out.info(`  ${finding.kind} at seq ${finding.seq}: ${finding.detail}`);
  }
  for (const note of report.notes) out.info(`  note: ${note}`);
}

export async function proveCommand(home: string, seq: number, out: Output): Promise<void> {
  const proof = await withStore(home, { readonly: true }, (store) => proveInclusion(store, seq));
  out.ok(proof);
}

export function verifyProofCommand(
  proofFile: string,
  options: { readonly checkpoint: string; readonly key: string },
  out: Output,
): void {
  const document = parseInclusionProof(parseJsonLine(readInputFile(proofFile, 'proof'), 1));
  const verdict = verifyInclusionProof(
    document,
    readInputFile(options.checkpoint, 'checkpoint'),
    parseVerifierOption(options.key),
  );
  out.info(
    `entry ${verdict.seq} (${verdict.type}) is in the log ${verdict.origin} of size ${verdict.tree_size}`,
  );
  out.ok(verdict);
}

export async function consistencyCommand(
  home: string,
  oldCheckpoint: string,
  options: { readonly keys: readonly string[] },
  out: Output,
): Promise<void> {
  const verifiers = verifiersFor(home, options.keys);
  const note = readInputFile(oldCheckpoint, 'checkpoint');
  const report = await withStore(home, { readonly: true }, async (store) => {
    let lastError: DeltaTraceError = new InputError('KEY_NOT_FOUND', 'no verifier key: pass --key');
    for (const verifier of verifiers) {
      try {
        return await proveConsistency(store, note, verifier);
      } catch (error) {
        // Several local keys: a note none of them signed is only an error after trying them all.
        if (!(error instanceof DeltaTraceError) || error.code !== 'NOTE_NO_VERIFIABLE_SIGNATURE') {
          throw error;
        }
        lastError = error;
      }
    }
    throw lastError;
  });
  out.ok(report);
}

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
  options: { readonly batchSize: number },
  out: Output,
): Promise<void> {
  await withStore(home, { readonly: false }, async (store) => {
    const ledger = await openLedger(store);
    const checker = ledger.importChecker();
    let lineNo = 0;
    for await (const text of readLines(file)) {
      lineNo++;
      atEntryLine(lineNo, () => checker.check(text, lineNo - 1));
      if (lineNo % 4096 === 0) out.progress.update('checked', lineNo);
    }
    out.progress.done();
    if (lineNo === 0) throw new InputError('INPUT_EMPTY', 'the input holds no entries');

    let batch: string[] = [];
    let imported = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      imported += (await ledger.importEntries(batch)).count;
      batch = [];
      out.progress.update('imported', imported, lineNo);
    };
    for await (const text of readLines(file)) {
      batch.push(text);
      if (batch.length >= options.batchSize) await flush();
    }
    await flush();
    out.progress.done();
    out.info(`imported ${imported} entries; root ${ledger.snapshot.root}`);
    out.ok({ imported, size: ledger.snapshot.size, root: ledger.snapshot.root });
  });
}

/** Like {@link atLine}, for integrity errors of imported entries too. */
function atEntryLine<T>(line: number, work: () => T): T {
  try {
    return atLine(line, work);
  } catch (error) {
    if (error instanceof IntegrityError) {
      const { index: _index, ...details } = error.details ?? {};
      throw new IntegrityError(error.code, `line ${line}: ${error.message}`, {
        details: { line, ...details },
        cause: error,
      });
    }
    throw error;
  }
}
