/**
 * How a tick is recorded and read back, whichever of its optional members it has: its payload has
 * exactly the members it has, under their recorded names; read back from that payload it is the
 * same tick; and as the strategy sees it, it is the tick with its handle and stamps, member for
 * member, as `{ ref, monoNs, wallNs, ...tick }` would give — absent members absent throughout.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { inputEvent, inputOfEvent, InputSources } from '../../src/pipeline/input-events.js';
import type { TickInput } from '../../src/pipeline/inputs.js';
import { recordedTick } from '../../src/pipeline/tick-events.js';

const optional = fc.option(fc.integer(), { nil: undefined });

/** Ticks with any of their optional members, absent ones absent (as one read from a payload). */
const anyTick = fc
  .record({
    venue: fc.string(),
    instrument: fc.string(),
    adapter: fc.string(),
    bidPx: optional,
    bidQty: optional,
    askPx: optional,
    askQty: optional,
    lastPx: optional,
    lastQty: optional,
    feedSeq: optional,
  })
  .map(
    (members) =>
      Object.fromEntries(
        Object.entries({ kind: 'tick', ...members }).filter(([, v]) => v !== undefined),
      ) as unknown as TickInput,
  );

/** The recorded names of a tick's members. */
const RECORDED_NAMES: Readonly<Record<string, string>> = {
  instrument: 'instrument',
  venue: 'venue',
  bidPx: 'bid_px',
  bidQty: 'bid_qty',
  askPx: 'ask_px',
  askQty: 'ask_qty',
  lastPx: 'last_px',
  lastQty: 'last_qty',
  feedSeq: 'feed_seq',
};

describe('a tick recorded and read back', () => {
  it('has a payload of exactly its members, and reads back as the same tick', () => {
    fc.assert(
      fc.property(anyTick, (tick) => {
        const event = inputEvent(tick, new InputSources('n'), undefined, 0);
        const expected: Record<string, unknown> = Object.fromEntries(
          Object.entries(tick as unknown as Record<string, unknown>)
            .filter(([key]) => key in RECORDED_NAMES)
            .map(([key, value]): [string, unknown] => [RECORDED_NAMES[key]!, value]),
        );
        expect(event.payload).toStrictEqual(expected);
        expect(inputOfEvent('md.tick', event.source, event.payload)).toStrictEqual(tick);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('recordedTick', () => {
  it('has exactly the members of the tick spread after its handle and stamps', () => {
    fc.assert(
      fc.property(
        anyTick,
        fc.nat(),
        fc.bigInt({ min: 0n, max: 2n ** 63n }),
        fc.bigInt({ min: 0n, max: 2n ** 63n }),
        (tick, ref, monoNs, wallNs) => {
          expect(recordedTick(tick, ref, monoNs, wallNs)).toStrictEqual({
            ref,
            monoNs,
            wallNs,
            ...tick,
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
