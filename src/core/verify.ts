/**
 * Full verification of a stored log. Re-derives every entry from its stored text (never trusting
 * stored hashes or roots), locates chain damage, rebuilds the Merkle tree from what is actually
 * stored and checks it against every signed checkpoint it is given. Streams: memory stays flat
 * whatever the log's size.
 */
import { bytesEqual, toHex } from './bytes.js';
import { ChainAuditor, type Finding } from './chain/chain-auditor.js';
import { analyzeChunk, type ChunkAnalysis } from './chain/chunk-analysis.js';
import { analyzeEntryLine } from './chain/entry-analysis.js';
import { DeltaTraceError } from './errors.js';
import { GENESIS_PREV } from './events/envelope.js';
import { hashLeafAt, MerkleFrontier } from './merkle/index.js';
import type { EventStore, StoredCheckpoint } from './ports.js';

export const VERIFY_REPORT_FORMAT = 'deltatrace.verify-report.v1';

/** Opens a signed checkpoint note: returns its size and root, or throws a DeltaTraceError. */
export type CheckpointOpener = (note: string) => {
  readonly size: number;
  readonly root: Uint8Array;
};

/** Analyses chunks of entry texts; a composition root may spread this over worker threads. */
export type ChunkAnalyzer = (lines: readonly string[]) => Promise<ChunkAnalysis>;

export interface CheckpointCheck {
  readonly source: 'store' | 'given';
  readonly size: number | null;
  readonly signature: 'valid' | 'invalid';
  readonly root_matches: boolean | null;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface VerifyReport {
  readonly format: typeof VERIFY_REPORT_FORMAT;
  readonly ok: boolean;
  readonly backend: string;
  readonly origin: string;
  /** Stored entry texts read. */
  readonly entries_scanned: number;
  /** Log positions settled by the chain audit. */
  readonly log_size: number;
  /** Root (hex) of the tree rebuilt from the stored entries. */
  readonly root: string;
  readonly type_counts: Readonly<Record<string, number>>;
  readonly checkpoints: readonly CheckpointCheck[];
  readonly findings: readonly Finding[];
  readonly notes: readonly string[];
}

export interface VerifyOptions {
  readonly openCheckpoint: CheckpointOpener;
  /** Checkpoints the user kept, checked besides the store's own. */
  readonly givenCheckpoints?: readonly string[];
  readonly analyze?: ChunkAnalyzer;
  /** Chunks analysed ahead of the one being settled (keeps worker threads busy). */
  readonly depth?: number;
  readonly chunkSize?: number;
  readonly onProgress?: (scanned: number) => void;
}

interface PendingCheckpoint {
  readonly check: { source: 'store' | 'given'; size: number };
  readonly root: Uint8Array;
  matches: boolean | null;
}

const analyzeInline: ChunkAnalyzer = (lines) => Promise.resolve(analyzeChunk(lines));

export async function verifyLog(store: EventStore, options: VerifyOptions): Promise<VerifyReport> {
  const snapshot = await store.snapshot();
  const findings: Finding[] = [];
  const checks: CheckpointCheck[] = [];
  const pending: PendingCheckpoint[] = [];

  const candidates: { source: 'store' | 'given'; note: string }[] = [
    ...(await store.listCheckpoints()).map((cp: StoredCheckpoint) => ({
      source: 'store' as const,
      note: cp.note,
    })),
    ...(options.givenCheckpoints ?? []).map((note) => ({ source: 'given' as const, note })),
  ];
  for (const candidate of candidates) {
    try {
      const opened = options.openCheckpoint(candidate.note);
      pending.push({
        check: { source: candidate.source, size: opened.size },
        root: opened.root,
        matches: null,
      });
    } catch (error) {
      if (!(error instanceof DeltaTraceError)) throw error;
      const size = claimedSize(candidate.note);
      checks.push({
        source: candidate.source,
        size,
        signature: 'invalid',
        root_matches: null,
        error: { code: error.code, message: error.message },
      });
      findings.push({
        seq: size ?? 0,
        kind: 'bad-signature',
        detail: `${candidate.source} checkpoint${size === null ? '' : ` of size ${size}`}: ${error.message}`,
      });
    }
  }
  pending.sort((a, b) => a.check.size - b.check.size);

  const auditor = new ChainAuditor(GENESIS_PREV);
  const frontier = MerkleFrontier.empty();
  const counts = new Map<string, number>();
  const analyze = options.analyze ?? analyzeInline;
  let next = 0;
  const settleCheckpoints = (): void => {
    while (next < pending.length && pending[next]!.check.size === frontier.size) {
      pending[next]!.matches = bytesEqual(frontier.root(), pending[next]!.root);
      next++;
    }
  };
  settleCheckpoints();
  const settle = (chunk: ChunkAnalysis, lines: readonly string[]): void => {
    if (!chunk.linked || !auditor.pushLinkedRun(chunk.first, chunk.last, chunk.count)) {
      for (const entry of chunk.entries ?? lines.map(analyzeEntryLine)) auditor.push(entry);
    }
    const { leafData } = chunk;
    const data = Buffer.from(leafData.buffer, leafData.byteOffset, leafData.byteLength);
    for (let index = 0; index < chunk.count; index++) {
      frontier.append(hashLeafAt(data, index * 32));
      if (next < pending.length && pending[next]!.check.size === frontier.size) settleCheckpoints();
    }
    for (const [type, count] of Object.entries(chunk.typeCounts)) {
      counts.set(type, (counts.get(type) ?? 0) + count);
    }
    options.onProgress?.(frontier.size);
  };
  const inflight: { analysis: Promise<ChunkAnalysis>; lines: readonly string[] }[] = [];
  const depth = options.depth ?? 1;
  for await (const lines of store.scan(options.chunkSize)) {
    inflight.push({ analysis: analyze(lines), lines });
    while (inflight.length >= depth) {
      const head = inflight.shift()!;
      settle(await head.analysis, head.lines);
    }
  }
  for (const item of inflight) settle(await item.analysis, item.lines);
  findings.push(...auditor.finish());
  const scanned = frontier.size;

  const located = (before: number): boolean =>
    findings.some((finding) => finding.kind !== 'bad-signature' && finding.seq < before);
  // Positions the audit settled: a deletion is located, and still counts as a position.
  const settled = auditor.size;
  let lastGoodSize = 0;
  let truncationReported = false;
  for (const item of pending) {
    const { size } = item.check;
    checks.push({ ...item.check, signature: 'valid', root_matches: item.matches });
    if (item.matches === true) {
      lastGoodSize = Math.max(lastGoodSize, size);
    } else if (settled < size) {
      if (!truncationReported) {
        findings.push({
          seq: settled,
          kind: 'truncated',
          detail: `a signed checkpoint covers ${size} entries; the log ends at ${settled}`,
        });
        truncationReported = true;
      }
    } else if (!located(size)) {
      findings.push({
        seq: lastGoodSize,
        kind: 'forked',
        detail: `entries ${lastGoodSize}..${size - 1} differ from the ones signed in the checkpoint of size ${size}`,
      });
    }
  }
  if (!truncationReported && snapshot.size > settled) {
    findings.push({
      seq: settled,
      kind: 'truncated',
      detail: `the store acknowledged ${snapshot.size} entries; the log ends at ${settled}`,
    });
  }
  findings.sort((a, b) => a.seq - b.seq);

  const typeCounts: Record<string, number> = {};
  for (const key of [...counts.keys()].sort()) typeCounts[key] = counts.get(key)!;
  return {
    format: VERIFY_REPORT_FORMAT,
    ok: findings.length === 0,
    backend: store.backend,
    origin: snapshot.origin,
    entries_scanned: scanned,
    log_size: auditor.size,
    root: toHex(frontier.root()),
    type_counts: typeCounts,
    checkpoints: checks,
    findings,
    notes: await store.notes(),
  };
}

/** The size line of a checkpoint body, when it can be read at all. */
function claimedSize(note: string): number | null {
  const line = note.split('\n')[1];
  return line !== undefined && /^(0|[1-9][0-9]{0,15})$/.test(line) ? Number(line) : null;
}
