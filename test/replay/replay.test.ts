import { describe, expect, it } from 'vitest';

import {
  createCoreRegistry,
  type EventBody,
  type EventId,
  type EventStore,
  GENESIS_PREV,
  sealEntry,
  toWireTimestamp,
} from '../../src/core/index.js';
import {
  AdmmRouter,
  BUILT_IN_CATALOG,
  type InMemoryCapture,
  INPUT_EVENT_TYPES,
  registerPipelineEventTypes,
} from '../../src/pipeline/index.js';
import {
  createRecordedEventParser,
  readRecordedEvents,
  type RecordedEvent,
  replayRun,
} from '../../src/replay/index.js';
import { recordedEvents } from '../helpers/recorded-events.js';
import { runSimulation } from '../pipeline/simulation.js';

const registry = registerPipelineEventTypes(createCoreRegistry());
/** What the replay gives rather than regenerates. */
const GIVEN_TYPES = new Set([...INPUT_EVENT_TYPES, 'run.start', 'run.end', 'governance.trigger']);

const recorded = recordedEvents;

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

/** The run's entry texts as the ledger stores them, `change` applied to the bodies first. */
function entryTexts(
  capture: InMemoryCapture,
  change: (body: EventBody, seq: number) => EventBody = (body) => body,
): string[] {
  let prev = GENESIS_PREV;
  return capture.bodies.map((body, seq) => {
    const entry = sealEntry(change(body, seq), seq, prev);
    prev = entry.hash;
    return entry.line;
  });
}

/** How a replay reads stored texts: parsed one string at a time, or read in place from pages. */
type Reading = 'strings' | 'packed pages';

/** A store's reads of `lines`, in pages of `size`: as strings, and packed (see EventStore). */
function pagesOf(
  lines: readonly string[],
  size: number,
): Pick<EventStore, 'query' | 'queryPacked'> {
  async function* pages(): AsyncGenerator<readonly string[]> {
    for (let i = 0; i < lines.length; i += size) {
      await Promise.resolve();
      yield lines.slice(i, i + size);
    }
  }
  return {
    query: pages,
    async *queryPacked() {
      for await (const page of pages()) {
        yield { bytes: Buffer.from(page.join('\n')), count: page.length };
      }
    },
  };
}

function textChunks(
  lines: readonly string[],
  reading: Reading,
  size = 61,
): AsyncIterable<readonly RecordedEvent[]> {
  if (reading === 'packed pages') return readRecordedEvents(pagesOf(lines, size), {});
  const parse = createRecordedEventParser();
  return (async function* () {
    for await (const page of pagesOf(lines, size).query({})) yield page.map(parse);
  })();
}

describe.each<Reading>(['strings', 'packed pages'])(
  'replayRun over stored entry texts read as %s',
  (reading) => {
    const { capture } = runSimulation();
    const bodies = capture.bodies;

    it('reproduces every output by content id', async () => {
      const lines = entryTexts(capture);
      const report = await replayRun(() => textChunks(lines, reading), {
        catalog: BUILT_IN_CATALOG,
        registry,
      });
      expect(report.identical).toBe(true);
      expect(report.events).toBe(lines.length);
      expect(report.outputs).toBeGreaterThan(100);
    });

    it('reproduces a run that records state snapshots', async () => {
      const privacy = { epsilonPerShare: '0.5', epsilonTotal: '3', sensitivityLots: '1' };
      const snapshotting = runSimulation({
        snapshotEveryInputs: 250,
        router: () => new AdmmRouter({ privacy }),
      }).capture;
      expect(snapshotting.bodies.some((b) => b.type === 'state.snapshot')).toBe(true);
      const lines = entryTexts(snapshotting);
      const report = await replayRun(() => textChunks(lines, reading), {
        catalog: BUILT_IN_CATALOG,
        registry,
      });
      expect(report.identical).toBe(true);
    });

    describe('when a recorded input differs from what the pipeline records in one member', () => {
      const firstOf = (type: string): number => bodies.findIndex((b) => b.type === type);
      const tick = firstOf('md.tick');
      const fill = firstOf('fill');
      const changes: Record<string, [number, (body: EventBody) => EventBody]> = {
        'the hybrid-clock counter': [
          tick,
          (b) => ({ ...b, ts: { ...b.ts, hlc: b.ts.hlc!.replace(/\.(\d+)@/, '.9@') } }),
        ],
        'the source': [tick, (b) => ({ ...b, source: { ...b.source, venue: 'XSIM-Z' } })],
        'a payload member': [
          tick,
          (b) => ({ ...b, payload: { ...(b.payload as Record<string, unknown>), extra: 1 } }),
        ],
        'the causes': [fill, (b) => ({ ...b, causes: [capture.ids[0]! as EventId] })],
        'the payload version': [fill, (b) => ({ ...b, type_v: 2 })],
      };
      for (const [member, [seq, change]] of Object.entries(changes)) {
        it(`reports it as changed for ${member}`, async () => {
          const lines = entryTexts(capture, (body, at) => (at === seq ? change(body) : body));
          const report = await replayRun(() => textChunks(lines, reading), {
            catalog: BUILT_IN_CATALOG,
            registry,
          });
          expect(report.identical).toBe(false);
          expect(report.changedInputs).toContainEqual({ seq, type: bodies[seq]!.type });
        });
      }
    });

    it('locates a recorded output its code does not make, with its recorded ancestry', async () => {
      const signal = bodies.findIndex((b) => b.type === 'signal');
      const lines = entryTexts(capture);
      const forged = lines.map((line, seq) =>
        seq === signal ? line.replace(capture.ids[seq]!, `sha256:${'0'.repeat(64)}`) : line,
      );
      const report = await replayRun(() => textChunks(forged, reading), {
        catalog: BUILT_IN_CATALOG,
        registry,
      });
      const divergence = report.divergence!;
      expect(divergence.kind).toBe('mismatch');
      expect(divergence.seq).toBe(signal);
      expect(divergence.cause).toBe('unexplained');
      const causes = bodies[signal]!.causes.map((id) => capture.ids.indexOf(id));
      expect(divergence.ancestry.map((a) => a.seq)).toEqual(expect.arrayContaining(causes));
      expect(report.outputs).toBe(
        bodies.slice(0, signal + 1).filter((b) => !GIVEN_TYPES.has(b.type)).length,
      );
    });
  },
);
