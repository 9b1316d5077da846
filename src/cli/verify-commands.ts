/**
 * Checking a log: verify, prove, verify-proof, consistency.
 */
import { DeltaTraceError, InputError, IntegrityError } from '../core/errors.js';
import type { EventStore } from '../core/ports.js';
import {
  parseInclusionProof,
  proveConsistency,
  proveInclusion,
  verifyInclusionProof,
} from '../core/proofs.js';
import type { NoteVerifier } from '../core/signing/index.js';
import { verifyLog, type VerifyReport } from '../core/verify.js';
import { startAnalysisPool } from '../runtime/analysis-pool.js';
import { loadLocalVerifiers, parseVerifierOption, readInputFile } from './context.js';
import type { Output } from './output.js';
import { checkpointOpener, parseJsonLine, withStore } from './session.js';

const PARALLEL_VERIFY_THRESHOLD = 50_000;

export interface VerifyCommandOptions {
  readonly checkpoints: readonly string[];
  readonly keys: readonly string[];
}

export function verifiersFor(home: string, keys: readonly string[]): NoteVerifier[] {
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
  if (report.checkpoints.some((c) => c.error?.code === 'NOTE_NO_VERIFIABLE_SIGNATURE')) {
    out.info(
      '  hint: no key given or in the home signed that checkpoint; pass --key with the verifier key (or its file) of whoever signed it',
    );
  }
}

export async function proveCommand(home: string, seq: number, out: Output): Promise<void> {
  const proof = await withStore(home, { readonly: true }, (store) => proveInclusion(store, seq));
  out.ok(proof);
}

/**
 * The document inside `{"ok":true,"data":…}`, what `deltatrace prove SEQ > proof.json` writes; a
 * bare document as it is. Whatever else is left for the proof's schema to refuse.
 */
function unwrapResult(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const result = value as Record<string, unknown>;
  return result['ok'] === true && 'data' in result && !('format' in result)
    ? result['data']
    : value;
}

export function verifyProofCommand(
  proofFile: string,
  options: { readonly checkpoint: string; readonly key: string },
  out: Output,
): void {
  const document = parseInclusionProof(
    unwrapResult(parseJsonLine(readInputFile(proofFile, 'proof'), 1)),
  );
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
