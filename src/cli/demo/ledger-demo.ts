/**
 * `deltatrace demo ledger`: records a generated trading session in a fresh store, signs a
 * checkpoint, verifies, proves one event offline, then damages one byte of a copy on disk and
 * shows verification locating it. The demo checks its own results and fails loudly on a mismatch.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { fromHex } from '../../core/bytes.js';
import { InternalError } from '../../core/errors.js';
import { parseInclusionProof, proveInclusion, verifyInclusionProof } from '../../core/proofs.js';
import { signCheckpoint, signerKeyFromSeed } from '../../core/signing/index.js';
import type { VerifyReport } from '../../core/verify.js';
import { createStore, openStore } from '../../storage/index.js';
import type { Output } from '../output.js';
import { openLedger } from '../session.js';
import { runVerify, summarizeVerify } from '../verify-commands.js';
import { generateSession } from './trading-session.js';

export interface LedgerDemoOptions {
  readonly home: string;
  readonly events: number;
  readonly seed: number;
  readonly backend: 'sqlite' | 'jsonl';
}

function expect(
  condition: boolean,
  message: string,
  details: Record<string, string | number> = {},
): void {
  if (!condition)
    throw new InternalError('INTERNAL', `demo self-check failed: ${message}`, { details });
}

export async function runLedgerDemo(
  options: LedgerDemoOptions,
  out: Output,
): Promise<Record<string, unknown>> {
  const demoDir = path.join(options.home, 'demo-ledger');
  const storeDir = path.join(demoDir, 'store');
  const tamperedDir = path.join(demoDir, 'tampered');
  // The demo owns this directory: every run starts from nothing.
  rmSync(demoDir, { recursive: true, force: true });
  mkdirSync(demoDir, { recursive: true });

  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, options.seed);
  const signer = signerKeyFromSeed('deltatrace-demo', seed);
  const origin = `deltatrace/demo-${options.seed}`;

  out.info(
    `1/5 recording a trading session of ~${options.events} events (${options.backend}, seed ${options.seed})`,
  );
  const store = await createStore(storeDir, { backend: options.backend, origin });
  const ledger = await openLedger(store);
  const run = `demo-${options.seed}`;
  for (const batch of generateSession(ledger, {
    seed: options.seed,
    events: options.events,
    run,
    approver: signer,
  })) {
    await ledger.append(batch);
    out.progress.update('recorded', ledger.snapshot.size, options.events);
  }
  out.progress.done();
  const { size, root, type_counts: typeCounts } = ledger.snapshot;

  out.info(`2/5 signing a checkpoint of ${size} entries`);
  const note = signCheckpoint({ origin, size, rootHash: fromHex(root) }, signer);
  await ledger.recordCheckpoint(note);
  writeFileSync(path.join(demoDir, 'checkpoint.txt'), note);

  out.info('3/5 verifying every entry from disk');
  const report = await runVerify(store, [signer], [], out);
  summarizeVerify(report, out);
  expect(report.ok, 'the untouched log must verify', { findings: report.findings.length });

  const fillSeq = await findFirst(store, 'fill');
  out.info(`4/5 proving fill at seq ${fillSeq} and checking the proof offline`);
  const proof = await proveInclusion(store, fillSeq);
  writeFileSync(path.join(demoDir, `proof-${fillSeq}.json`), JSON.stringify(proof, null, 2));
  const verdict = verifyInclusionProof(
    parseInclusionProof(JSON.parse(JSON.stringify(proof))),
    note,
    signer,
  );
  expect(verdict.seq === fillSeq, 'the proof must verify for its own seq');
  await store.close();

  out.info(
    `5/5 flipping one byte of that fill's payload in a copy on disk, then verifying the copy`,
  );
  cpSync(storeDir, tamperedDir, { recursive: true });
  const damaged = flipPayloadByte(
    tamperedDir,
    options.backend,
    JSON.parse(proof.entry) as { payload: { fill_id: string } },
  );
  const tamperedStore = await openStore(tamperedDir, { readonly: true });
  let tampered: VerifyReport;
  try {
    tampered = await runVerify(tamperedStore, [signer], [], out);
  } finally {
    await tamperedStore.close();
  }
  summarizeVerify(tampered, out);
  const first = tampered.findings[0];
  expect(
    !tampered.ok && first?.kind === 'mutated' && first.seq === fillSeq,
    'the damage must be located',
    {
      expected_seq: fillSeq,
      found: first === undefined ? 'nothing' : `${first.kind}@${first.seq}`,
    },
  );

  out.info(
    `demo passed: ${size} events, root ${root.slice(0, 16)}…, damage located at seq ${fillSeq}`,
  );
  return {
    store: storeDir,
    backend: options.backend,
    origin,
    size,
    root,
    type_counts: typeCounts,
    checkpoint: note,
    verify: { ok: report.ok, entries: report.entries_scanned, findings: report.findings.length },
    proof: {
      seq: fillSeq,
      tree_size: proof.tree_size,
      path_length: proof.hashes.length,
      verified: true,
    },
    tamper: { file: damaged, seq: fillSeq, located: tampered.findings },
  };
}

async function findFirst(
  store: Awaited<ReturnType<typeof openStore>>,
  type: string,
): Promise<number> {
  for await (const lines of store.query({ type }, 1)) {
    const first = lines[0];
    if (first !== undefined) return (JSON.parse(first) as { seq: number }).seq;
  }
  throw new InternalError('INTERNAL', `the demo session has no ${type} event`);
}

/**
 * Changes one character of the fill id inside the stored bytes of the entry: a real disk edit.
 * SQLite may keep stale copies of a row in free pages after B-tree splits, so every copy of the
 * text in the file is changed the same way; the live one is what verification reads.
 */
function flipPayloadByte(
  dir: string,
  backend: 'sqlite' | 'jsonl',
  entry: { payload: { fill_id: string } },
): string {
  const file = path.join(dir, backend === 'sqlite' ? 'ledger.sqlite' : 'events.jsonl');
  expect(existsSync(file), 'the store file must exist', { file });
  const bytes = readFileSync(file);
  const needle = Buffer.from(`"fill_id":"${entry.payload.fill_id}"`);
  let copies = 0;
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
    const position = at + needle.length - 2;
    bytes[position] = bytes[position] === 0x31 ? 0x32 : 0x31;
    copies++;
  }
  expect(copies > 0, 'the fill must be on disk');
  writeFileSync(file, bytes);
  return file;
}
