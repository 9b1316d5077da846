import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { RecordDecoder, RecordEncoder } from '../../src/cli/capture/record-codec.js';
import type { CaptureRecord } from '../../src/pipeline/index.js';

const scalar = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean());
const nested = fc.oneof(
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.integer()),
  fc.constant(null),
);

const recordArb: fc.Arbitrary<CaptureRecord> = fc.record({
  type: fc.constantFrom('md.tick', 'fill', 'signal', 'plan.delta'),
  wallNs: fc.bigInt({ min: 0n, max: 2n ** 62n }),
  monoNs: fc.bigInt({ min: 0n, max: 2n ** 62n }),
  hlcCounter: fc.nat(1000),
  source: fc.record(
    {
      node: fc.constantFrom('n1', 'n2'),
      adapter: fc.constantFrom('fix', 'ws'),
      venue: fc.constantFrom('XSIM1', 'XSIM2'),
    },
    { requiredKeys: ['node'] },
  ),
  causes: fc.array(fc.nat(), { maxLength: 4 }),
  payload: fc.oneof(
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), scalar, { maxKeys: 8 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(scalar, nested), {
      minKeys: 1,
      maxKeys: 8,
    }),
  ),
});

describe('the capture hand-over codec', () => {
  it('gives back exactly the records it was given, across batches that share the name table', () => {
    fc.assert(
      fc.property(fc.array(fc.array(recordArb, { maxLength: 30 }), { maxLength: 5 }), (batches) => {
        const encoder = new RecordEncoder();
        const decoder = new RecordDecoder();
        for (const records of batches) {
          for (const record of records) encoder.add(record);
          // Structured clone, as postMessage does.
          const decoded = decoder.decode(structuredClone(encoder.take()));
          expect(decoded).toEqual(records);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps flat records out of structured clone', () => {
    const encoder = new RecordEncoder();
    encoder.add({
      type: 'md.tick',
      wallNs: 1n,
      monoNs: 2n,
      hlcCounter: 0,
      source: { node: 'n' },
      causes: [],
      payload: { venue: 'X', bid_px: 1 },
    });
    encoder.add({
      type: 'plan.delta',
      wallNs: 1n,
      monoNs: 2n,
      hlcCounter: 1,
      source: { node: 'n' },
      causes: [0],
      payload: { changes: [] },
    });
    const batch = encoder.take();
    expect(batch.generic.map((r) => r.type)).toEqual(['plan.delta']);
    expect(batch.strings).toEqual(['X']);
    expect(batch.newNames).toEqual(['md.tick', 'n', 'venue', 'bid_px']);
  });
});
