import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  EVENTS_FILE_NAME,
  JsonlEventStore,
  STATE_FILE_NAME,
} from '../../src/storage/jsonl/index.js';
import { expectErrorCodeAsync } from '../helpers/errors.js';
import { EventFactory } from '../helpers/event-factory.js';
import { describeEventStoreConformance } from './conformance.js';
import { appendEvents, collect, openLedger, verifyClean } from './store-fixtures.js';

const blocker = (dir: string) => path.join(dir, `${STATE_FILE_NAME}.tmp`);

describeEventStoreConformance('jsonl', {
  create: (dir, origin) => JsonlEventStore.create(dir, { origin }),
  open: (dir, options) => JsonlEventStore.open(dir, options),
  // The events are written and fsynced, then replacing the state file fails (EISDIR).
  breakWrites: (dir) => mkdirSync(blocker(dir)),
  repairWrites: (dir) => rmSync(blocker(dir), { recursive: true }),
});

describe('JsonlEventStore', () => {
  let dir = '';
  const events = () => path.join(dir, EVENTS_FILE_NAME);
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-jsonl-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function seed(count: number): Promise<{ size: number; bytes: number }> {
    const ledger = await openLedger(await JsonlEventStore.create(dir, { origin: 'o' }));
    await appendEvents(ledger, new EventFactory({ seed: 1 }), count, 50);
    await ledger.store.close();
    return { size: ledger.snapshot.size, bytes: statSync(events()).size };
  }

  /** Simulates an interrupted append: whole lines past the acknowledged end, then a torn one. */
  function interruptAppend(extraLines: number): void {
    const lines = readFileSync(events(), 'utf8').split('\n').slice(0, extraLines);
    appendFileSync(events(), `${lines.join('\n')}\n{"causes":[],"hash":"ab`);
  }

  it('writes one canonical entry per line', async () => {
    const { size } = await seed(120);
    const text = readFileSync(events(), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(size);
    expect(lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([
      ...Array(size).keys(),
    ]);
  });

  it('read-only: leaves an unacknowledged tail in place, scans its whole lines and notes it', async () => {
    const { bytes } = await seed(100);
    interruptAppend(3);
    const before = readFileSync(events());
    const store = await JsonlEventStore.open(dir, { readonly: true });
    const lines = (await collect(store.scan(40))).flat();
    expect(lines).toHaveLength(103);
    const notes = await store.notes();
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain(`3 complete entries after its acknowledged ${bytes} bytes`);
    expect(notes[1]).toContain('torn line of 23 bytes');
    expect((await store.snapshot()).size).toBe(100);
    await store.close();
    expect(readFileSync(events())).toEqual(before);
  });

  it('for writing: cuts the unacknowledged tail and continues the chain', async () => {
    const { bytes } = await seed(100);
    interruptAppend(3);
    const ledger = await openLedger(await JsonlEventStore.open(dir));
    expect(statSync(events()).size).toBe(bytes);
    expect(await ledger.store.notes()).toEqual([]);
    await appendEvents(ledger, new EventFactory({ seed: 2, start: 1_000_000 }), 30);
    expect(await verifyClean(ledger.store)).toBe(130);
    await ledger.store.close();
  });

  it('refuses to write on when events.jsonl is shorter than acknowledged (STORE_CORRUPT)', async () => {
    const { bytes } = await seed(20);
    truncateSync(events(), bytes - 10);
    await expectErrorCodeAsync(() => JsonlEventStore.open(dir), 'STORE_CORRUPT');
    const store = await JsonlEventStore.open(dir, { readonly: true });
    expect(await store.notes()).toEqual([
      'events.jsonl is 10 bytes shorter than its acknowledged length',
    ]);
    expect((await collect(store.scan())).flat()).toHaveLength(19);
    await store.close();
  });

  it('refuses to cut a tail that does not start at a line boundary (STORE_CORRUPT)', async () => {
    await seed(20);
    const text = readFileSync(events(), 'utf8');
    writeFileSync(events(), `x${text}`);
    await expectErrorCodeAsync(() => JsonlEventStore.open(dir), 'STORE_CORRUPT');
    expect(readFileSync(events(), 'utf8')).toBe(`x${text}`);
  });

  it('reports STORE_CORRUPT for a damaged state file', async () => {
    await seed(5);
    writeFileSync(path.join(dir, STATE_FILE_NAME), '{"format":');
    await expectErrorCodeAsync(() => JsonlEventStore.open(dir), 'STORE_CORRUPT');
    writeFileSync(path.join(dir, STATE_FILE_NAME), '{"format":"deltatrace.jsonl-state.v1"}');
    await expectErrorCodeAsync(() => JsonlEventStore.open(dir), 'STORE_CORRUPT');
  });

  it('reports STORE_FORMAT_UNSUPPORTED for another state format', async () => {
    await seed(5);
    const file = path.join(dir, STATE_FILE_NAME);
    const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...state, format: 'deltatrace.jsonl-state.v99' }));
    await expectErrorCodeAsync(
      () => JsonlEventStore.open(dir, { readonly: true }),
      'STORE_FORMAT_UNSUPPORTED',
    );
  });

  it('reports STORE_CORRUPT when events.jsonl is missing', async () => {
    await seed(5);
    rmSync(events());
    await expectErrorCodeAsync(() => JsonlEventStore.open(dir), 'STORE_CORRUPT');
  });

  it('reads entries with multi-byte text across read-block boundaries', async () => {
    const ledger = await openLedger(await JsonlEventStore.create(dir, { origin: 'o' }));
    const reason = 'Überschreitung — 价格 ✓ '.repeat(20);
    const factory = new EventFactory({ seed: 3 });
    const base = factory.take(1)[0]!;
    await ledger.append(ledger.parseInputs([base.input]));
    const inputs = Array.from({ length: 3000 }, (_, i) => ({
      ...base.input,
      type: 'order.reject',
      ts: { wall_ns: String(1_000 + i), mono_ns: String(i) },
      causes: [],
      payload: { order_id: `o-${i}`, venue: 'XNAS-SIM', reason: reason.slice(0, 500) },
    }));
    await ledger.append(ledger.parseInputs(inputs));
    await ledger.store.close();
    const store = await JsonlEventStore.open(dir, { readonly: true });
    const lines = (await collect(store.scan(1000))).flat();
    expect(lines).toHaveLength(3001);
    expect(lines[2999]).toBe(await store.readEntry(2999));
    expect((JSON.parse(lines[2999]!) as { payload: { reason: string } }).payload.reason).toBe(
      reason.slice(0, 500),
    );
    expect(await verifyClean(store)).toBe(3001);
    await store.close();
  });
});
