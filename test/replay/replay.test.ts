import { describe, expect, it } from 'vitest';

import { createCoreRegistry, toWireTimestamp } from '../../src/core/index.js';
import {
  BUILT_IN_CATALOG,
  type InMemoryCapture,
  registerPipelineEventTypes,
} from '../../src/pipeline/index.js';
import { type RecordedEvent, replayRun } from '../../src/replay/index.js';
import { runSimulation } from '../pipeline/simulation.js';

const registry = registerPipelineEventTypes(createCoreRegistry());

function recorded(capture: InMemoryCapture): RecordedEvent[] {
  return capture.bodies.map((body, seq) => ({
    seq,
    id: capture.ids[seq]!,
    type: body.type,
    run: body.run,
    wallNs: body.ts.wall_ns,
    monoNs: body.ts.mono_ns,
    source: body.source,
    causes: body.causes,
    payload: body.payload as Record<string, unknown>,
  }));
}

async function* chunks(
  events: readonly RecordedEvent[],
  size = 97,
): AsyncGenerator<readonly RecordedEvent[]> {
  for (let i = 0; i < events.length; i += size) {
    // A store's pages arrive asynchronously; so do these.
    await Promise.resolve();
    yield events.slice(i, i + size);
  }
}

describe('replayRun', () => {
  const { capture } = runSimulation();
  const events = recorded(capture);

  it('reproduces every output of a recorded run by content id', async () => {
    const report = await replayRun(() => chunks(events), { catalog: BUILT_IN_CATALOG, registry });
    expect(report.divergence).toBeNull();
    expect(report.identical).toBe(true);
    expect(report.events).toBe(events.length);
    expect(report.outputs).toBeGreaterThan(100);
    expect(toWireTimestamp(capture.bodies[0]!.ts).wall_ns).toMatch(/^\d+$/);
  });

  it('does not depend on the order venues are registered in', async () => {
    const report = await replayRun(() => chunks(events, 13), {
      catalog: BUILT_IN_CATALOG,
      registry,
      reverseVenues: true,
    });
    expect(report.identical).toBe(true);
  });

  it('locates the first decision a changed tick changes, with the tick in its ancestry', async () => {
    // The first tick a signal was based on, moved by a tick.
    const firstSignal = events.find((e) => e.type === 'signal')!;
    const tickId = firstSignal.causes.find(
      (c) => events.find((e) => e.id === c)?.type === 'md.tick',
    )!;
    const tick = events.find((e) => e.id === tickId)!;
    const report = await replayRun(() => chunks(events), {
      catalog: BUILT_IN_CATALOG,
      registry,
      alterInput: (input, event) =>
        event.seq === tick.seq && input.kind === 'tick'
          ? { ...input, askPx: (input.askPx ?? 0) + 1 }
          : input,
    });
    expect(report.identical).toBe(false);
    expect(report.changedInputs).toEqual([{ seq: tick.seq, type: 'md.tick' }]);
    const divergence = report.divergence!;
    expect(divergence.seq).toBeGreaterThan(tick.seq);
    expect(divergence.cause).toBe('input-changed');
    expect(divergence.ancestry.map((a) => a.seq)).toContain(tick.seq);
    expect(divergence.changedInputs).toEqual([{ seq: tick.seq, type: 'md.tick' }]);
    expect(divergence.diff.length).toBeGreaterThan(0);
  });

  it('locates the first decision a changed fill quantity changes', async () => {
    const fill = events.find((e) => e.type === 'fill' && (e.payload['qty_lots'] as number) > 1)!;
    const report = await replayRun(() => chunks(events), {
      catalog: BUILT_IN_CATALOG,
      registry,
      alterInput: (input, event) =>
        event.seq === fill.seq && input.kind === 'fill'
          ? { ...input, qtyLots: input.qtyLots - 1 }
          : input,
    });
    expect(report.divergence).not.toBeNull();
    expect(report.divergence!.seq).toBeGreaterThan(fill.seq);
    expect(report.divergence!.cause).toBe('input-changed');
  });

  it('reports a changed strategy parameter as a configuration change', async () => {
    const report = await replayRun(() => chunks(events), {
      catalog: BUILT_IN_CATALOG,
      registry,
      set: { max_slice_lots: 60 },
    });
    expect(report.strategy.changedParams).toEqual(['max_slice_lots']);
    expect(report.divergence?.cause).toBe('config-changed');
    expect(report.divergence?.kind).toBe('mismatch');
  });

  it('notices a recorded decision the replay does not make', async () => {
    const firstOrder = events.findIndex((e) => e.type === 'order.new');
    const forged = [
      ...events.slice(0, firstOrder),
      { ...events[firstOrder - 1]!, seq: -1, id: 'sha256:' + '0'.repeat(64), type: 'signal' },
      ...events.slice(firstOrder),
    ].map((e, seq) => ({ ...e, seq }));
    const report = await replayRun(() => chunks(forged), { catalog: BUILT_IN_CATALOG, registry });
    expect(report.divergence?.seq).toBeLessThanOrEqual(firstOrder);
  });
});
