/**
 * Ticks read straight from their entry texts: whatever is read so gives the tick `inputOfEvent`
 * gives from the parsed payload, the entry's other members still read as parsing the whole text
 * does, and a replayed payload is taken for the recorded one exactly when their canonical texts
 * are equal. A payload not laid out as a tick's canonical text is not read here at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { canonicalize, type Source } from '../../src/core/index.js';
import { inputOfEvent } from '../../src/pipeline/index.js';
import { type EntryScanner, nativeEntryScanner } from '../../src/replay/entry-scan.js';
import { StoredEvent } from '../../src/replay/stored-event.js';
import { readTickText } from '../../src/replay/tick-text.js';
import {
  type EntryMembers,
  entryText,
  expectReadAsParsed,
  simulatedEntryTexts,
} from '../helpers/entry-texts.js';

const TICK_MEMBERS = [
  'ask_px',
  'ask_qty',
  'bid_px',
  'bid_qty',
  'feed_seq',
  'instrument',
  'last_px',
  'last_qty',
  'venue',
] as const;

/** The native scan (when built) and the reading of the text in JavaScript. */
const SCANNERS: readonly (readonly [string, EntryScanner | undefined])[] =
  nativeEntryScanner === undefined
    ? [['text', undefined]]
    : [
        ['native', nativeEntryScanner],
        ['text', undefined],
      ];

describe.each(SCANNERS)('reading a tick from its entry text with the %s scanner', (_, scanner) => {
  const lines = simulatedEntryTexts(150);
  const ticks = lines.filter((line) => (JSON.parse(line) as EntryMembers).type === 'md.tick');
  const base = JSON.parse(ticks[0]!) as EntryMembers;

  it('reads every tick the pipeline recorded as inputOfEvent does from the parsed payload', () => {
    expect(ticks.length).toBeGreaterThan(50);
    for (const line of ticks) {
      const entry = JSON.parse(line) as EntryMembers;
      const event = new StoredEvent(line, undefined, scanner);
      const tick = event.tick();
      expect(tick).toBeDefined();
      expect(tick).toStrictEqual(inputOfEvent('md.tick', entry.source as Source, entry.payload));
      expect(event.isTickPayload(entry.payload)).toBe(true);
      expectReadAsParsed(event, line);
    }
  });

  it('reads nothing from entries of other types', () => {
    for (const line of lines.filter((l) => !ticks.includes(l))) {
      expect(new StoredEvent(line, undefined, scanner).tick()).toBeUndefined();
    }
  });

  /** Payloads near a tick's: its members and a stranger, with values of every kind. */
  const value = fc.oneof(
    fc.integer(),
    fc.constantFrom(0, -1, 2 ** 53 - 1, -(2 ** 53) + 1, 1e15, 123456789012345, 1.5, -0.25, 1e-7),
    fc.string({ maxLength: 6 }),
    fc.constantFrom('ACME', 'a"b', 'a\\b', '\u0001', 'é', '}', ',"prev":"'),
    fc.constant(null),
    fc.constant(true),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom('x', 'venue'), fc.integer(), { maxKeys: 2 }),
  );
  const payload = fc.dictionary(fc.constantFrom(...TICK_MEMBERS, 'zz', 'a', 'feed'), value, {
    maxKeys: 10,
  });

  it('reads a payload only when inputOfEvent would give the same tick, and keeps every member', () => {
    fc.assert(
      fc.property(payload, fc.constantFrom('fix', 'ws', undefined), (members, adapter) => {
        const source: Source =
          adapter === undefined ? { node: 'n', venue: 'V' } : { node: 'n', venue: 'V', adapter };
        const line = entryText({ ...base, payload: members, source });
        const event = new StoredEvent(line, undefined, scanner);
        const tick = event.tick();
        const parsed = (JSON.parse(line) as EntryMembers).payload;
        const onlyTickMembers = Object.entries(parsed).every(
          ([key, v]) =>
            (TICK_MEMBERS as readonly string[]).includes(key) &&
            (key === 'instrument' || key === 'venue'
              ? typeof v === 'string'
              : Number.isSafeInteger(v) && !Object.is(v, -0)),
        );
        // Every plain tick payload is read; none that is not.
        // What RFC 8785 escapes: a quote, a backslash, a control character.
        const escaped = (text: string): boolean =>
          [...text].some((c) => c === '"' || c === '\\' || c.charCodeAt(0) < 0x20);
        const plainStrings = ['instrument', 'venue'].every(
          (key) => typeof parsed[key] !== 'string' || !escaped(parsed[key]),
        );
        expect(tick !== undefined).toBe(onlyTickMembers && plainStrings);
        if (tick !== undefined) {
          expect(tick).toStrictEqual(inputOfEvent('md.tick', source, parsed));
        }
        expectReadAsParsed(event, line);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes a replayed payload for the recorded one exactly when their canonical texts agree', () => {
    fc.assert(
      fc.property(payload, payload, (recorded, replayed) => {
        const line = entryText({ ...base, payload: recorded });
        const event = new StoredEvent(line, undefined, scanner);
        fc.pre(event.tick() !== undefined);
        expect(readTickText(line, line.indexOf('"payload":') + 10)).toBeDefined();
        // The recorded payload itself, and one member changed, removed or added.
        for (const candidate of [recorded, replayed, { ...recorded, ...replayed }]) {
          expect(event.isTickPayload(candidate)).toBe(
            canonicalize(candidate) === canonicalize(recorded),
          );
        }
      }),
      { numRuns: 2000 },
    );
  });
});
