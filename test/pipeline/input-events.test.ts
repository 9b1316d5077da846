/**
 * A tick as the strategy sees it is the tick with its handle and stamps, member for member, built
 * without a spread: the same members as `{ ref, monoNs, wallNs, ...tick }`, absent ones absent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { recordedTick } from '../../src/pipeline/input-events.js';
import type { TickInput } from '../../src/pipeline/inputs.js';

const optional = fc.option(fc.integer(), { nil: undefined });

describe('recordedTick', () => {
  it('has exactly the members of the tick spread after its handle and stamps', () => {
    fc.assert(
      fc.property(
        fc.record({
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
        }),
        fc.nat(),
        fc.bigInt({ min: 0n, max: 2n ** 63n }),
        fc.bigInt({ min: 0n, max: 2n ** 63n }),
        (members, ref, monoNs, wallNs) => {
          // Absent members absent, as a tick read from a payload has them.
          const tick = Object.fromEntries(
            Object.entries({ kind: 'tick', ...members }).filter(([, v]) => v !== undefined),
          ) as unknown as TickInput;
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
