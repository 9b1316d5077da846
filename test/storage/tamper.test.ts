/**
 * The tampering helpers do what they claim on both backends: each edit lands on disk and
 * verification finds it at the expected place, and the careful rewrites leave a store that is
 * consistent in itself, so only a signed checkpoint gives them away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  type FindingKind,
  fromHex,
  openCheckpoint,
  signCheckpoint,
  signerKeyFromSeed,
  verifyLog,
  type VerifyReport,
} from '../../src/core/index.js';
import { createStore, openStore, type StoreBackend } from '../../src/storage/index.js';
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

const SIGNER = signerKeyFromSeed('tamper-test', new Uint8Array(32).fill(9));
const SIZE = 60;

async function verify(dir: string, readonly = true): Promise<VerifyReport> {
  const store = await openStore(dir, { readonly });
  try {
    return await verifyLog(store, {
      openCheckpoint: (note) => {
        const checkpoint = openCheckpoint(note, SIGNER);
        return { size: checkpoint.size, root: checkpoint.rootHash };
      },
    });
  } finally {
    await store.close();
  }
}

function kinds(report: VerifyReport): [number, FindingKind][] {
  return report.findings.map((finding) => [finding.seq, finding.kind]);
}

describe.each<StoreBackend>(['sqlite', 'jsonl'])('tamper helpers on %s', (backend) => {
  let dir = '';
  let lines: string[] = [];

  beforeEach(async () => {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'deltatrace-tamper-')), 'store');
    const ledger = await openLedger(await createStore(dir, { backend, origin: 'tamper' }));
    await appendEvents(ledger, new EventFactory({ seed: 30 }), SIZE, 25);
    const { origin, size, root } = ledger.snapshot;
    await ledger.recordCheckpoint(
      signCheckpoint({ origin, size, rootHash: fromHex(root) }, SIGNER),
    );
    lines = (await collect(ledger.store.scan())).flat();
    await ledger.store.close();
    expect((await verify(dir)).ok).toBe(true);
  });
  afterEach(() => {
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('mutatePayloadByte changes one byte of one entry', async () => {
    await mutatePayloadByte(dir, 17);
    const store = await openStore(dir, { readonly: true });
    const stored = (await collect(store.scan())).flat();
    await store.close();
    const changed = stored.flatMap((line, i) => (line === lines[i] ? [] : [i]));
    expect(changed).toEqual([17]);
    const a = Buffer.from(stored[17]!);
    const b = Buffer.from(lines[17]!);
    expect(a.length).toBe(b.length);
    expect(a.filter((byte, i) => byte !== b[i]).length).toBe(1);
    expect(kinds(await verify(dir))).toContainEqual([17, 'mutated']);
  });

  it('deleteEntry, insertEntry and swapEntries are found where they happened', async () => {
    await deleteEntry(dir, 10);
    expect(kinds(await verify(dir))).toContainEqual([10, 'deleted']);
    await insertEntry(dir, 10, lines[10]!);
    expect((await verify(dir, false)).ok).toBe(true);
    await insertEntry(dir, 30, '{"not":"an entry"}');
    expect(kinds(await verify(dir))).toContainEqual([30, 'inserted']);
    await deleteEntry(dir, 30);
    await swapEntries(dir, 40);
    expect(kinds(await verify(dir)).map(([, kind]) => kind)).toContain('reordered');
  });

  it('truncateTail leaves a consistent store that only the checkpoint contradicts', async () => {
    await truncateTail(dir, 45);
    const report = await verify(dir, false);
    expect(report.entries_scanned).toBe(45);
    expect(kinds(report)).toEqual([[45, 'truncated']]);
    const store = await openStore(dir, { readonly: true });
    expect((await store.snapshot()).size).toBe(45);
    expect(await store.listCheckpoints()).toHaveLength(1);
    await store.close();
  });

  it('truncateTail without consistency leaves the snapshot claiming more', async () => {
    await truncateTail(dir, 50, { consistent: false });
    const report = await verify(dir);
    expect(report.entries_scanned).toBe(50);
    expect(kinds(report)).toEqual([[50, 'truncated']]);
  });

  it('rewriteLog re-seals a consistent chain that only the checkpoint contradicts', async () => {
    await rewriteLog(dir, (body, seq) =>
      seq === 20 ? { ...body, run: 'rewritten-history' } : body,
    );
    const report = await verify(dir, false);
    expect(report.entries_scanned).toBe(SIZE);
    expect(kinds(report)).toEqual([[0, 'forked']]);
    const ledger = await openLedger(await openStore(dir));
    await appendEvents(ledger, new EventFactory({ seed: 31, start: 1_000_000 }), 10);
    expect(ledger.snapshot.size).toBe(SIZE + 10);
    await ledger.store.close();
  });
});
