/**
 * Replay from a state snapshot: a run recorded with periodic snapshots replays from any of them
 * to the same outputs a replay from the start gives, a full replay regenerates every snapshot (so
 * each is checked against the ledger by content id), and a damaged snapshot or input is found.
 */
import { describe, expect, it } from 'vitest';

import { createCoreRegistry, InputError } from '../../src/core/index.js';
import {
  AdmmRouter,
  BUILT_IN_CATALOG,
  registerPipelineEventTypes,
} from '../../src/pipeline/index.js';
import { type RecordedEvent, replayRun } from '../../src/replay/index.js';
import { expectErrorCodeAsync } from '../helpers/errors.js';
import { recordedEvents } from '../helpers/recorded-events.js';
import { runSimulation } from '../pipeline/simulation.js';

const registry = registerPipelineEventTypes(createCoreRegistry());
const privacy = { epsilonPerShare: '0.5', epsilonTotal: '40', sensitivityLots: '1' };

const recorded = recordedEvents;

/** The run's events from `fromSeq` on, in pages that arrive asynchronously as a store's do. */
function opener(events: readonly RecordedEvent[]) {
  return async function* (fromSeq?: number): AsyncGenerator<readonly RecordedEvent[]> {
    const from = events.findIndex((e) => e.seq >= (fromSeq ?? 0));
    if (from < 0) return;
    for (let i = from; i < events.length; i += 89) {
      await Promise.resolve();
      yield events.slice(i, i + 89);
    }
  };
}

const replay = (events: readonly RecordedEvent[], fromSeq?: number) =>
  replayRun(opener(events), {
    catalog: BUILT_IN_CATALOG,
    registry,
    ...(fromSeq === undefined ? {} : { fromSeq }),
  });

describe('replay from a state snapshot', () => {
  // The planner is the stateful router (warm starts, budgets, released values): the hardest case.
  const { capture } = runSimulation({
    snapshotEveryInputs: 150,
    router: () => new AdmmRouter({ privacy }),
  });
  const events = recorded(capture);
  const snapshots = events.filter((e) => e.type === 'state.snapshot');

  it('records snapshots through the run', () => {
    expect(snapshots.length).toBeGreaterThan(5);
  });

  it('regenerates every snapshot in a replay from the start', async () => {
    const report = await replay(events);
    expect(report.divergence).toBeNull();
    expect(report.identical).toBe(true);
    expect(report.resumedFrom).toBeNull();
    expect(report.events).toBe(events.length);
  });

  it('reproduces every later output from each snapshot, and says which one it used', async () => {
    const last = events.at(-1)!.seq;
    for (const snapshot of [snapshots[0]!, snapshots[2]!, snapshots.at(-1)!]) {
      for (const fromSeq of [snapshot.seq, snapshot.seq + 7]) {
        const report = await replay(events, fromSeq);
        expect(report.divergence).toBeNull();
        expect(report.identical).toBe(true);
        const used = snapshots.filter((s) => s.seq <= fromSeq).at(-1)!;
        expect(report.resumedFrom?.snapshot).toMatchObject({ seq: used.seq, id: used.id });
        expect(report.events).toBe(last - used.seq);
        expect(report.outputs).toBeGreaterThan(0);
      }
    }
  });

  it('reports REPLAY_SNAPSHOT_NOT_FOUND before the first snapshot and for a run without any', async () => {
    const error = await expectErrorCodeAsync(
      () => replay(events, snapshots[0]!.seq - 1),
      'REPLAY_SNAPSHOT_NOT_FOUND',
    );
    expect(error).toBeInstanceOf(InputError);
    const plain = recorded(runSimulation({ steps: 60 }).capture);
    await expectErrorCodeAsync(() => replay(plain, 100), 'REPLAY_SNAPSHOT_NOT_FOUND');
  });

  it('finds a changed input after the snapshot at the seq a replay from the start finds it', async () => {
    const at = snapshots[3]!.seq;
    const fillIndex = events.findIndex((e) => e.seq > at && e.type === 'fill');
    const fill = events[fillIndex]!;
    const changed = events.map((e, i) =>
      i === fillIndex
        ? {
            ...e,
            id: 'sha256:' + '0'.repeat(64),
            payload: { ...e.payload, qty_lots: Number(e.payload['qty_lots']) + 1 },
          }
        : e,
    );
    const full = await replay(changed);
    const resumed = await replay(changed, at);
    expect(full.divergence).not.toBeNull();
    expect(resumed.divergence?.seq).toBe(full.divergence?.seq);
    expect(resumed.divergence?.kind).toBe(full.divergence?.kind);
    expect(resumed.divergence!.seq).toBeGreaterThan(fill.seq);
    expect(resumed.changedInputs).toEqual([{ seq: fill.seq, type: 'fill' }]);
    // The same ancestry, reaching back past the snapshot to events the resumed replay never re-ran.
    expect(resumed.divergence!.ancestry).toEqual(full.divergence!.ancestry);
    expect(resumed.divergence!.ancestry.some((a) => a.seq < at)).toBe(true);
  });

  it('finds a snapshot whose state was altered: at the snapshot from the start, after it from it', async () => {
    const target = snapshots[2]!;
    const index = events.indexOf(target);
    const payload = structuredClone(target.payload) as {
      state: { next_order: number };
    };
    payload.state.next_order += 1;
    // As a tamperer who re-hashed it would leave it (the ledger's chain is another matter).
    const id = 'sha256:' + 'f'.repeat(64);
    const altered = events.map((e, i) => (i === index ? { ...e, id, payload } : e));
    // From the start, the regenerated snapshot no longer matches the recorded one.
    const full = await replay(altered);
    expect(full.divergence).toMatchObject({ kind: 'mismatch', seq: target.seq });
    expect(full.divergence!.diff.some((d) => d.path.includes('next_order'))).toBe(true);
    // From it, the pipeline takes the altered state and its next order id differs.
    const resumed = await replay(altered, target.seq);
    expect(resumed.divergence).not.toBeNull();
    expect(resumed.divergence!.seq).toBeGreaterThan(target.seq);
  });

  it('reports REPLAY_SNAPSHOT_INVALID for a snapshot that does not parse', async () => {
    const target = snapshots[1]!;
    const broken = events.map((e) =>
      e === target ? { ...e, payload: { ...e.payload, state: { halted: 'no' } } } : e,
    );
    await expectErrorCodeAsync(() => replay(broken, target.seq), 'REPLAY_SNAPSHOT_INVALID');
  });
});
