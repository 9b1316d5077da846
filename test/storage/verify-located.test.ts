/**
 * The verification promise, on both backends, with the damage done to the files on disk: each
 * kind of tampering is detected and located at the right seq, and nothing else is reported.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sealEntry } from '../../src/core/chain/entry-codec.js';
import {
  type FindingKind,
  fromHex,
  type NoteSigner,
  openCheckpoint,
  SeededRng,
  signCheckpoint,
  signerKeyFromSeed,
  verifyLog,
  type VerifyReport,
} from '../../src/core/index.js';
import { createStore, openStore, type StoreBackend } from '../../src/storage/index.js';
import { tickBody } from '../helpers/bodies.js';
import { EventFactory } from '../helpers/event-factory.js';
import {
  deleteEntry,
  insertEntry,
  mutatePayloadByte,
  rewriteLog,
  swapEntries,
  truncateTail,
} from '../helpers/tamper.js';
import { appendEvents, collect, openLedger } from './store-fixtures.js';

const OWNER = signerKeyFromSeed('log-owner', new Uint8Array(32).fill(3));
const ATTACKER = signerKeyFromSeed('log-owner', new Uint8Array(32).fill(4));
const SIZE = 120;
const FIRST_CHECKPOINT = 80;

async function verify(dir: string, given: readonly string[] = []): Promise<VerifyReport> {
  const store = await openStore(dir, { readonly: true });
  try {
    return await verifyLog(store, {
      openCheckpoint: (note) => {
        const checkpoint = openCheckpoint(note, OWNER);
        return { size: checkpoint.size, root: checkpoint.rootHash };
      },
      givenCheckpoints: given,
    });
  } finally {
    await store.close();
  }
}

function located(report: VerifyReport): [number, FindingKind][] {
  return report.findings.map((finding) => [finding.seq, finding.kind]);
}

/** Replaces every stored checkpoint note, as an attacker holding another key would. */
function resignStoredCheckpoints(
  dir: string,
  backend: StoreBackend,
  signer: NoteSigner,
  root: Uint8Array,
  origin: string,
): void {
  if (backend === 'sqlite') {
    const db = new Database(path.join(dir, 'ledger.sqlite'));
    for (const { n, size } of db.prepare('SELECT n, size FROM checkpoints').all() as {
      n: number;
      size: number;
    }[]) {
      const note = signCheckpoint({ origin, size, rootHash: root }, signer);
      db.prepare('UPDATE checkpoints SET note = ? WHERE n = ?').run(note, n);
    }
    db.close();
    return;
  }
  const file = path.join(dir, 'checkpoints.jsonl');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const rewritten = lines.map((line) => {
    const { size } = JSON.parse(line) as { size: number };
    return JSON.stringify({ note: signCheckpoint({ origin, size, rootHash: root }, signer), size });
  });
  writeFileSync(file, `${rewritten.join('\n')}\n`);
}

describe.each<StoreBackend>(['sqlite', 'jsonl'])('verify on a damaged %s store', (backend) => {
  let work = '';
  let pristine = '';
  let lines: string[] = [];
  let keptCheckpoint = '';
  let origin = '';
  let copies = 0;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), `deltatrace-located-${backend}-`));
    pristine = path.join(work, 'pristine');
    const ledger = await openLedger(
      await createStore(pristine, { backend, origin: `located/${backend}` }),
    );
    const events = new EventFactory({ seed: 77 });
    const sign = async (): Promise<string> => {
      const snapshot = ledger.snapshot;
      const note = signCheckpoint(
        { origin: snapshot.origin, size: snapshot.size, rootHash: fromHex(snapshot.root) },
        OWNER,
      );
      await ledger.recordCheckpoint(note);
      return note;
    };
    await appendEvents(ledger, events, FIRST_CHECKPOINT, 40);
    keptCheckpoint = await sign();
    await appendEvents(ledger, events, SIZE - FIRST_CHECKPOINT, 40);
    await sign();
    origin = ledger.snapshot.origin;
    lines = (await collect(ledger.store.scan())).flat();
    await ledger.store.close();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A fresh copy of the pristine store to damage. */
  function copy(): string {
    const dir = path.join(work, `copy-${copies++}`);
    cpSync(pristine, dir, { recursive: true });
    return dir;
  }

  it('finds the untouched store intact', async () => {
    const report = await verify(pristine, [keptCheckpoint]);
    expect(report.ok).toBe(true);
    expect(report.checkpoints.map((c) => [c.size, c.root_matches])).toEqual([
      [FIRST_CHECKPOINT, true],
      [FIRST_CHECKPOINT, true],
      [SIZE, true],
    ]);
  });

  it('locates a one-byte change inside any payload at its seq', async () => {
    const rng = new SeededRng(backend === 'sqlite' ? 5 : 6);
    for (let round = 0; round < 6; round++) {
      const seq = rng.int(0, SIZE - 1);
      const dir = copy();
      await mutatePayloadByte(dir, seq);
      expect(located(await verify(dir))).toEqual([[seq, 'mutated']]);
    }
  });

  it('locates a deleted entry', async () => {
    const dir = copy();
    await deleteEntry(dir, 33);
    expect(located(await verify(dir))).toEqual([[33, 'deleted']]);
  });

  it('locates an inserted forged entry that links to its predecessor', async () => {
    const dir = copy();
    const previous = JSON.parse(lines[50]!) as { hash: string };
    await insertEntry(dir, 51, sealEntry(tickBody(999), 51, previous.hash).line);
    expect(located(await verify(dir))).toEqual([[51, 'inserted']]);
  });

  it('locates two swapped entries', async () => {
    const dir = copy();
    await swapEntries(dir, 64);
    expect(located(await verify(dir))).toEqual([[64, 'reordered']]);
  });

  it('catches a cut-off tail against the signed checkpoint', async () => {
    const dir = copy();
    await truncateTail(dir, 100);
    expect(located(await verify(dir))).toEqual([[100, 'truncated']]);
  });

  it('catches a rewritten history with recomputed hashes against the checkpoints it kept', async () => {
    const dir = copy();
    await rewriteLog(dir, (body, seq) => (seq === 90 ? { ...body, run: 'rewritten' } : body));
    // The store's own checkpoint of size 80 still matches: the damage is after it.
    expect(located(await verify(dir))).toEqual([[FIRST_CHECKPOINT, 'forked']]);
  });

  it('catches a whole-log rewrite that also re-signed the checkpoints, by the signature', async () => {
    const dir = copy();
    await rewriteLog(dir, (body) => ({ ...body, run: 'rewritten' }));
    const store = await openStore(dir, { readonly: true });
    const root = fromHex((await store.snapshot()).root);
    await store.close();
    resignStoredCheckpoints(dir, backend, ATTACKER, root, origin);
    const report = await verify(dir);
    expect(located(report).every(([, kind]) => kind === 'bad-signature')).toBe(true);
    expect(located(report).map(([seq]) => seq)).toEqual([FIRST_CHECKPOINT, SIZE]);
    // …and by consistency with the checkpoint the owner kept elsewhere.
    const withKept = await verify(dir, [keptCheckpoint]);
    expect(located(withKept)).toContainEqual([0, 'forked']);
  });
});
