import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { computeEventId } from '../../src/core/chain/entry-codec.js';
import { createCoreRegistry } from '../../src/core/events/registry.js';
import { Ledger } from '../../src/core/ledger.js';
import type { EventStore } from '../../src/core/ports.js';
import { verifyLog } from '../../src/core/verify.js';
import { createStore } from '../../src/storage/index.js';
import { tickBody } from '../helpers/bodies.js';
import { expectErrorCodeAsync } from '../helpers/errors.js';
import { FaultInjectingStore } from '../helpers/fault-injecting-store.js';

const clock = { wallNs: () => 1n, monoNs: () => 1n };

function ticks(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => tickBody(from + i));
}

async function verifyClean(store: EventStore): Promise<void> {
  const report = await verifyLog(store, {
    openCheckpoint: () => {
      throw new Error('no checkpoints expected');
    },
  });
  expect(report.findings).toEqual([]);
}

// With the writer process the store keeps the tree and the chain, and takes each batch as soon as
// it is sealed, before the one ahead of it is acknowledged.
describe.each(['inline', 'process'] as const)('Ledger on a SQLite store, writer %s', (writer) => {
  let dir: string;
  let store: FaultInjectingStore;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-ledger-'));
    store = new FaultInjectingStore(
      await createStore(dir, { backend: 'sqlite', origin: 'test/ledger', writer }),
    );
    expect(store.keepsChain).toBe(writer === 'process');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals overlapping appends in call order', async () => {
    const ledger = await Ledger.open(store, { registry: createCoreRegistry(), clock });
    const results = await Promise.all([
      ledger.append(ticks(0, 50)),
      ledger.append(ticks(50, 50)),
      ledger.append(ticks(100, 50)),
    ]);
    expect(results.map((r) => [r.first_seq, r.count, r.size])).toEqual([
      [0, 50, 50],
      [50, 50, 100],
      [100, 50, 150],
    ]);
    expect(ledger.snapshot.size).toBe(150);
    await verifyClean(store);
  });

  it('accepts causes and refuses duplicates that are still being written', async () => {
    const ledger = await Ledger.open(store, { registry: createCoreRegistry(), clock });
    const first = ledger.append(ticks(0, 10));
    const caused = { ...tickBody(10), causes: [computeEventId(tickBody(3))] };
    const second = ledger.append([caused]);
    const duplicate = ledger.append([tickBody(5)]).catch((error: unknown) => error);
    await expect(first).resolves.toMatchObject({ size: 10 });
    await expect(second).resolves.toMatchObject({ size: 11 });
    expect(await duplicate).toMatchObject({ code: 'INPUT_DUPLICATE_EVENT' });
    await verifyClean(store);
  });

  it('fails the batches sealed after a failed write and goes on from the acknowledged state', async () => {
    const ledger = await Ledger.open(store, { registry: createCoreRegistry(), clock });
    await ledger.append(ticks(0, 10));
    let release = (): void => undefined;
    store.failAfter = new Promise((resolve) => (release = resolve));
    store.failNextAppend = true;
    const failed = ledger.append(ticks(10, 10)).catch((error: unknown) => error);
    const sealedAfter = ledger.append(ticks(20, 10)).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    expect(await failed).toMatchObject({ message: 'injected write failure' });
    expect(await sealedAfter).toMatchObject({ code: 'STORE_IO' });
    const next = await ledger.append(ticks(30, 10));
    expect(next).toMatchObject({ first_seq: 10, size: 20 });
    expect((await store.snapshot()).size).toBe(20);
    await verifyClean(store);
  });

  it('forgets the ids of a failed write: unknown as causes, and free to be appended again', async () => {
    const ledger = await Ledger.open(store, { registry: createCoreRegistry(), clock });
    await ledger.append(ticks(0, 5));
    let release = (): void => undefined;
    store.failAfter = new Promise((resolve) => (release = resolve));
    store.failNextAppend = true;
    const failed = ledger.append(ticks(5, 5)).catch((error: unknown) => error);
    // Checked while the failing write is still in flight: its ids count as known until it fails.
    const caused = { ...tickBody(50), causes: [computeEventId(tickBody(6))] };
    const sealedAfter = ledger.append([caused]).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    expect(await failed).toMatchObject({ message: 'injected write failure' });
    expect(await sealedAfter).toMatchObject({ code: 'STORE_IO' });
    await expectErrorCodeAsync(() => ledger.append([caused]), 'INPUT_UNKNOWN_CAUSE');
    await expect(ledger.append(ticks(5, 5))).resolves.toMatchObject({ first_seq: 5, size: 10 });
    await expect(ledger.append([caused])).resolves.toMatchObject({ size: 11 });
    await verifyClean(store);
  });

  it('keeps the ids of an event-durability call known until its last event is written', async () => {
    const ledger = await Ledger.open(store, {
      registry: createCoreRegistry(),
      clock,
      durability: 'event',
    });
    const first = ledger.append(ticks(0, 20));
    const caused = ledger.append([{ ...tickBody(50), causes: [computeEventId(tickBody(19))] }]);
    const duplicate = ledger.append([tickBody(0)]).catch((error: unknown) => error);
    await expect(first).resolves.toMatchObject({ size: 20 });
    await expect(caused).resolves.toMatchObject({ size: 21 });
    expect(await duplicate).toMatchObject({ code: 'INPUT_DUPLICATE_EVENT' });
    await expectErrorCodeAsync(() => ledger.append([tickBody(19)]), 'INPUT_DUPLICATE_EVENT');
    await verifyClean(store);
  });

  it('writes once per event with event durability, and once per batch by default', async () => {
    const perEvent = await Ledger.open(store, {
      registry: createCoreRegistry(),
      clock,
      durability: 'event',
    });
    await perEvent.append(ticks(0, 5));
    expect(store.appends).toBe(5);
    const perBatch = await Ledger.open(store, { registry: createCoreRegistry(), clock });
    await perBatch.append(ticks(5, 5));
    expect(store.appends).toBe(6);
    await verifyClean(store);
  });

  it('refuses an empty batch', async () => {
    const ledger = await Ledger.open(store, { registry: createCoreRegistry(), clock });
    await expectErrorCodeAsync(() => ledger.append([]), 'INPUT_EMPTY');
  });
});
