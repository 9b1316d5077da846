import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { BackgroundCapture } from '../../src/cli/capture/background-capture.js';
import { createCoreRegistry, Ledger, verifyLog } from '../../src/core/index.js';
import { registerPipelineEventTypes } from '../../src/pipeline/index.js';
import { createStore, openStore } from '../../src/storage/index.js';
import { expectErrorCodeAsync } from '../helpers/errors.js';
import { runSimulation } from '../pipeline/simulation.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-threaded-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function newStore(name: string): Promise<string> {
  const dir = path.join(work, name);
  const store = await createStore(dir, { backend: 'sqlite', origin: `test/${name}` });
  await store.close();
  return dir;
}

describe('BackgroundCapture', () => {
  it('writes on its own thread exactly what the in-process capture computes', async () => {
    const dir = await newStore('same');
    const capture = BackgroundCapture.start({
      dir,
      run: 'sim-7',
      batchSize: 300,
      handOver: 64,
    });
    const { capture: memory } = runSimulation({ capture });
    const state = await capture.close();
    expect(state.captured).toBe(memory.ids.length);
    expect(state.size).toBe(memory.ids.length);

    const store = await openStore(dir, { readonly: true });
    const ids: string[] = [];
    for await (const lines of store.scan()) {
      for (const line of lines) ids.push((JSON.parse(line) as { id: string }).id);
    }
    expect(ids).toEqual(memory.ids);
    const report = await verifyLog(store, {
      openCheckpoint: () => {
        throw new Error('no checkpoints');
      },
    });
    expect(report.ok).toBe(true);
    expect((await store.snapshot()).root).toBe(state.root);
    await store.close();
  });

  it('reports a payload its type refuses with the registry code, keeping what came before it', async () => {
    const dir = await newStore('bad');
    const capture = BackgroundCapture.start({ dir, run: 'r', batchSize: 10 });
    const base = { wallNs: 1n, monoNs: 1n, source: { node: 'n' }, causes: [] };
    capture.record({
      ...base,
      hlcCounter: 0,
      type: 'timer.fire',
      payload: { timer: 't', firing: 1 },
    });
    capture.record({ ...base, hlcCounter: 1, type: 'timer.fire', payload: { timer: 't' } });
    await expectErrorCodeAsync(() => capture.close(), 'INPUT_SCHEMA_VIOLATION');
    const store = await openStore(dir, { readonly: true });
    expect((await store.snapshot()).size).toBe(1);
    await store.close();
    // The store is whole and appendable afterwards.
    const reopened = await openStore(dir);
    const ledger = await Ledger.open(reopened, {
      registry: registerPipelineEventTypes(createCoreRegistry()),
      clock: { wallNs: () => 0n, monoNs: () => 0n },
    });
    expect(ledger.snapshot.size).toBe(1);
    await reopened.close();
  });

  it('reports a writer that cannot open its store with the store’s code, not as a crash', async () => {
    const capture = BackgroundCapture.start({ dir: path.join(work, 'no-store-here'), run: 'r' });
    await expectErrorCodeAsync(() => capture.ready(), 'STORE_NOT_FOUND');
    await expectErrorCodeAsync(() => capture.close(), 'STORE_NOT_FOUND');
  });
});
