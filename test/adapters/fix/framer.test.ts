import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  encodeFixMessage,
  type FixField,
  FixFramer,
  type FramerEvent,
} from '../../../src/adapters/fix/index.js';
import { text, wire } from './helpers.js';

const OPTIONS = { beginString: 'FIX.4.4' } as const;

function encode(fields: FixField[]): Uint8Array {
  return encodeFixMessage(fields, OPTIONS);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Feeds `stream` cut at `cuts` and ends it; events rendered comparable. */
function frame(stream: Uint8Array, cuts: readonly number[]): string[] {
  const framer = new FixFramer();
  const events: FramerEvent[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    events.push(...framer.push(stream.subarray(from, cut)));
    from = cut;
  }
  events.push(...framer.push(stream.subarray(from)), ...framer.end());
  return events.map((e) =>
    e.type === 'message' ? text(e.bytes) : `garbled ${e.skippedBytes} ${e.error.code}`,
  );
}

const MESSAGES = [
  encode([
    [35, '0'],
    [34, '1'],
  ]),
  encode([
    [35, 'D'],
    [11, 'o=1'],
    [54, '1'],
    [60, '20240101-00:00:00'],
    [40, '1'],
  ]),
  encode([
    [35, 'W'],
    [55, 'X'],
    [268, '1'],
    [269, '0'],
    [270, '1.5'],
  ]),
];
const STREAM = concat(MESSAGES);
const EXPECTED = MESSAGES.map(text);

describe('FixFramer', () => {
  it('yields the same messages for a split at every byte boundary', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      expect(frame(STREAM, [cut])).toEqual(EXPECTED);
    }
  });

  it('yields the same messages for any chunking (property)', () => {
    const field = fc.tuple(
      fc.integer({ min: 11, max: 9999 }),
      fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\x01')),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (bodies, rawCuts) => {
          const messages = bodies.map((body) => encode([[35, 'B'], ...body]));
          const stream = concat(messages);
          const cuts = rawCuts.map((c) => c % (stream.length + 1));
          expect(frame(stream, cuts)).toEqual(messages.map(text));
        },
      ),
    );
  });

  it('reports garbage between messages once per gap and keeps framing', () => {
    const stream = concat([
      wire('junk|8=FIY|'),
      MESSAGES[0] ?? new Uint8Array(),
      wire('8=FIX.4.4|9=999|35=0|'),
      wire('8=FIX.4.4|9=3|35=0|10=000|'),
      MESSAGES[1] ?? new Uint8Array(),
      wire('trailing'),
    ]);
    const expected = [
      'garbled 11 FIX_GARBLED',
      EXPECTED[0],
      // 9=999 swallows everything up to the end of the stream: reported once, at end().
    ];
    const whole = frame(stream, []);
    expect(whole[0]).toBe(expected[0]);
    expect(whole[1]).toBe(expected[1]);
    for (let cut = 0; cut <= stream.length; cut++) expect(frame(stream, [cut])).toEqual(whole);
  });

  it('resynchronises after a BodyLength that misses the trailer', () => {
    const stream = concat([wire('8=FIX.4.4|9=3|35=0|10=000|'), ...MESSAGES]);
    const events = frame(stream, []);
    expect(events).toEqual([`garbled 26 FIX_BAD_BODY_LENGTH`, ...EXPECTED]);
    for (let cut = 0; cut <= stream.length; cut++) expect(frame(stream, [cut])).toEqual(events);
  });

  it('frames a too-long BodyLength up to the next trailer, swallowing the message after it', () => {
    // As QuickFIX frames it (acceptance script 2m): both messages are dropped as one garbled span.
    const tooLong = wire('8=FIX.4.4|9=40|35=0|34=2|10=000|');
    const stream = concat([
      tooLong,
      MESSAGES[0] ?? new Uint8Array(),
      MESSAGES[1] ?? new Uint8Array(),
    ]);
    const events = frame(stream, []);
    expect(events).toEqual([
      `garbled ${tooLong.length + (MESSAGES[0]?.length ?? 0)} FIX_BAD_BODY_LENGTH`,
      EXPECTED[1],
    ]);
    for (let cut = 0; cut <= stream.length; cut++) expect(frame(stream, [cut])).toEqual(events);
  });

  it('reports a truncated stream at end()', () => {
    const framer = new FixFramer();
    expect(framer.push(STREAM.subarray(0, 10))).toEqual([]);
    expect(framer.end()).toMatchObject([{ type: 'garbled', skippedBytes: 10 }]);
  });
});
