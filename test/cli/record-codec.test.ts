import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { encodeFrame, FrameReader } from '../../src/cli/capture/frames.js';
import { INVALID_VALUE, RecordDecoder, RecordEncoder } from '../../src/cli/capture/record-codec.js';
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

  it('marks a value JSON cannot carry instead of throwing on the pipeline side', () => {
    const encoder = new RecordEncoder();
    encoder.add({
      type: 'md.tick',
      wallNs: 1n,
      monoNs: 2n,
      hlcCounter: 0,
      source: { node: 'n' },
      causes: [],
      payload: { venue: 'X', bid_px: 10n, nested: [{ a: undefined }] },
    });
    const [record] = new RecordDecoder().decode(encoder.take());
    expect(record?.payload).toEqual({
      venue: 'X',
      bid_px: INVALID_VALUE,
      nested: [{ a: INVALID_VALUE }],
    });
  });

  it('keeps a member named __proto__ as a member, at the top and nested', () => {
    const payload = JSON.parse('{"__proto__":{"x":1},"inner":{"__proto__":[2]}}') as Record<
      string,
      unknown
    >;
    const encoder = new RecordEncoder();
    encoder.add({
      type: 'signal',
      wallNs: 1n,
      monoNs: 1n,
      hlcCounter: 0,
      source: { node: 'n' },
      causes: [],
      payload,
    });
    const [record] = new RecordDecoder().decode(structuredClone(encoder.take()));
    const decoded = record!.payload;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__', 'inner']);
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(payload));
  });

  it('sends a string that a field repeats from the last record of its type only once', () => {
    const tick = (seq: number, venue: string, keys: 'all' | 'no-bid'): CaptureRecord => ({
      type: 'md.tick',
      wallNs: BigInt(seq),
      monoNs: BigInt(seq),
      hlcCounter: 0,
      source: { node: 'n', venue },
      causes: [],
      payload:
        keys === 'all'
          ? { instrument: 'ACME', venue, bid_px: 10 + seq, feed_seq: seq }
          : { instrument: 'ACME', venue, feed_seq: seq },
    });
    const sent = [
      [tick(1, 'X1', 'all'), tick(2, 'X1', 'all'), tick(3, 'X2', 'no-bid')],
      [tick(4, 'X2', 'no-bid'), tick(5, 'X1', 'all'), tick(6, 'X1', 'all')],
    ];
    const encoder = new RecordEncoder();
    const decoder = new RecordDecoder();
    const stringCounts: number[] = [];
    for (const records of sent) {
      for (const record of records) encoder.add(record);
      const batch = structuredClone(encoder.take());
      stringCounts.push(batch.strings.length);
      expect(decoder.decode(batch)).toEqual(records);
    }
    // 'ACME' and 'X1' once, then 'X2' once: everything else repeats its field.
    expect(stringCounts).toEqual([3, 1]);
  });

  it('round-trips through the pipe framing, whatever the chunking', () => {
    const encoder = new RecordEncoder();
    encoder.add({
      type: 'plan.delta',
      wallNs: 1_767_364_200_000_000_000n,
      monoNs: 5n,
      hlcCounter: 3,
      source: { node: 'n', adapter: 'router' },
      causes: [1, 2],
      payload: {
        plan_id: 'P',
        changes: [{ venue: 'A', qty_delta_lots: 5 }],
        solver: { objective: '1.5' },
      },
    });
    const records = structuredClone(encoder.take());
    const bytes = Buffer.concat([
      encodeFrame({ kind: 'records', batch: records }),
      encodeFrame({ kind: 'flush', id: 9 }),
    ]);
    const reader = new FrameReader();
    const messages = [...bytes].flatMap((_, i) => reader.push(bytes.subarray(i, i + 1)));
    expect(messages.map((m) => m.kind)).toEqual(['records', 'flush']);
    const first = messages[0]!;
    if (first.kind !== 'records') throw new Error('expected records');
    expect(new RecordDecoder().decode(first.batch)).toEqual(new RecordDecoder().decode(records));
  });
});
