/**
 * Crash safety with a real process: a child appends large batches through the Ledger and is
 * killed with SIGKILL part-way through an append, several times, at seeded points. After every
 * kill the store must open, verify without findings and hold every acknowledged batch.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SeededRng } from '../../src/core/rng.js';
import { createStore, openStore, type StoreBackend } from '../../src/storage/index.js';
import { EventFactory } from '../helpers/event-factory.js';
import { appendEvents, collect, openLedger, verifyClean } from './store-fixtures.js';

const CHILD = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../helpers/append-child.ts',
);
const BATCH = 2000;
const ROUNDS = 6;

interface KillResult {
  readonly lastAck: number;
  readonly acks: number;
}

/**
 * Runs the child until it has acknowledged `acks` batches, then SIGKILLs it `delayMs` after it
 * announces its next store write: inside that write, or just after it.
 */
function appendUntilKilled(
  backend: StoreBackend,
  writer: StoreWriter,
  dir: string,
  acks: number,
  delayMs: number,
): Promise<KillResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, backend, dir, String(BATCH)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastAck = 0;
    let seen = 0;
    let buffered = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^(ack|write) (\d+)$/.exec(line);
        if (match?.[1] === 'ack') {
          lastAck = Number(match[2]);
          seen++;
        } else if (match?.[1] === 'write' && seen === acks) {
          setTimeout(() => child.kill('SIGKILL'), delayMs);
          seen++;
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ lastAck, acks: seen });
      else reject(new Error(`append child exited with ${code}: ${stderr}`));
    });
  });
}

type StoreWriter = 'inline' | 'process';

// With `process`, the SIGKILL hits the appending process while its writer process may be inside
// the transaction; the writer finishes or abandons it on its own.
describe.each<{ backend: StoreBackend; writer: StoreWriter }>([
  { backend: 'sqlite', writer: 'inline' },
  { backend: 'sqlite', writer: 'process' },
  { backend: 'jsonl', writer: 'inline' },
])('a $backend store ($writer writer) killed mid-append', ({ backend, writer }) => {
  let dir = '';
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), `deltatrace-crash-${backend}-`)), 'store');
  });
  afterEach(() => {
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('opens, verifies clean and holds every acknowledged batch', { timeout: 180_000 }, async () => {
    await (await createStore(dir, { backend, origin: `crash/${backend}` })).close();
    const rng = new SeededRng(backend === 'jsonl' ? 12 : writer === 'inline' ? 11 : 13);
    let acknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { lastAck } = await appendUntilKilled(
        backend,
        writer,
        dir,
        rng.int(1, 3),
        rng.int(5, 35),
      );
      expect(lastAck).toBeGreaterThan(acknowledged);
      acknowledged = lastAck;

      const reader = await openStore(dir, { readonly: true });
      const size = (await reader.snapshot()).size;
      expect(size).toBeGreaterThanOrEqual(lastAck);
      expect(size % BATCH).toBe(0);
      const scanned = await verifyClean(reader);
      if (backend === 'sqlite') expect(scanned).toBe(size);
      else expect(scanned).toBeGreaterThanOrEqual(size);
      await reader.close();

      // Opening for writing discards whatever no acknowledged append wrote.
      const writable = await openStore(dir, { writer });
      expect((await collect(writable.scan())).flat()).toHaveLength(size);
      expect(await writable.notes()).toEqual([]);
      await writable.close();
    }

    const ledger = await openLedger(await openStore(dir));
    const before = ledger.snapshot.size;
    await appendEvents(ledger, new EventFactory({ seed: 99, start: 1e9 }), 500, 250);
    expect(await verifyClean(ledger.store)).toBe(before + 500);
    await ledger.store.close();
  });

  // Past 16 MB of lines the WAL is checkpointed on a thread of the writer's own: a kill may land
  // in a checkpoint, or in the short RESTART that holds the writer.
  it.runIf(backend === 'sqlite')(
    'survives a kill after its checkpoint thread has run',
    { timeout: 180_000 },
    async () => {
      await (await createStore(dir, { backend, origin: `crash/${backend}` })).close();
      const rng = new SeededRng(writer === 'inline' ? 21 : 23);
      let acknowledged = 0;
      for (let round = 0; round < 2; round++) {
        const { lastAck } = await appendUntilKilled(backend, writer, dir, 18, rng.int(5, 35));
        expect(lastAck).toBeGreaterThan(acknowledged);
        acknowledged = lastAck;
        const reader = await openStore(dir, { readonly: true });
        const size = (await reader.snapshot()).size;
        expect(size).toBeGreaterThanOrEqual(lastAck);
        expect(await verifyClean(reader)).toBe(size);
        await reader.close();
      }
    },
  );
});
