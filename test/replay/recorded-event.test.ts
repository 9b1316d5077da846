/**
 * Stored entry texts read as recorded events: members cut from where RFC 8785 places them read
 * exactly as parsing the whole text does — for the ledger's own texts and for members holding the
 * very texts the cuts look for — and a text that is no entry is refused with our code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { canonicalize, eventIdOfBodyText } from '../../src/core/index.js';
import { nativeEntryScanner } from '../../src/replay/entry-scan.js';
import { createRecordedEventParser, parseRecordedEvent } from '../../src/replay/index.js';
import { StoredEvent } from '../../src/replay/stored-event.js';
import { canonicalJsonValue } from '../helpers/arbitraries.js';
import {
  type EntryMembers,
  entryText,
  expectReadAsParsed,
  simulatedEntryTexts,
} from '../helpers/entry-texts.js';
import { expectErrorCode } from '../helpers/errors.js';

/** Both ways of reading an entry text in place: the native scan (when built) and the text one. */
const SCANNERS =
  nativeEntryScanner === undefined ? (['text'] as const) : (['native', 'text'] as const);

describe.each(SCANNERS)('parseRecordedEvent, reading with the %s scanner', (scanner) => {
  const lines = simulatedEntryTexts(150);
  const base = JSON.parse(lines[1]!) as EntryMembers;

  describe('when the text is one the ledger wrote', () => {
    it('reads every member as parsing the whole text does', () => {
      const parse = createRecordedEventParser({ scanner });
      expect(new Set(lines.map((l) => (JSON.parse(l) as EntryMembers).type)).size).toBeGreaterThan(
        6,
      );
      for (const line of lines) {
        const event = parse(line);
        expectReadAsParsed(event, line);
        expectReadAsParsed(parseRecordedEvent(line), line);
        // Read in place, not parsed whole.
        expect(event instanceof StoredEvent && event.idAt).toBeGreaterThan(0);
      }
    });

    it('compares the id, stamp and causes in place', () => {
      const parse = createRecordedEventParser({ scanner });
      for (const line of lines) {
        const event = parse(line) as StoredEvent;
        const entry = JSON.parse(line) as EntryMembers;
        const [, counter, node] = /^\d+\.(\d+)@(.*)$/.exec(entry.ts.hlc!)!;
        expect(event.hasHlc(Number(counter), node!)).toBe(true);
        expect(event.hasHlc(Number(counter) + 1, node!)).toBe(false);
        expect(event.hasHlc(Number(counter), `${node}x`)).toBe(false);
        expect(event.hasHlc(Number(counter), node!.slice(1))).toBe(false);
        expect(event.hasId(entry.id)).toBe(true);
        expect(event.hasId(`${entry.id.slice(0, -1)}x`)).toBe(false);
        expect(event.hasId(entry.id.slice(0, -1))).toBe(false);
        expect(event.uncaused).toBe(entry.causes.length === 0);
      }
    });

    it('checks the id against the body its own text holds, of the run given', () => {
      const parse = createRecordedEventParser({ scanner });
      for (const line of lines) {
        const entry = JSON.parse(line) as EntryMembers;
        const run = canonicalize(entry.run);
        expect((parse(line) as StoredEvent).hasOwnBodyId(run)).toBe(true);
        expect((parse(line) as StoredEvent).hasOwnBodyId(canonicalize(`${entry.run}x`))).toBe(
          false,
        );
        const forged = line.replace(entry.id, `sha256:${'0'.repeat(64)}`);
        expect((parse(forged) as StoredEvent).hasOwnBodyId(run)).toBe(false);
      }
    });
  });

  describe('when members hold the texts that mark where members end', () => {
    const variants: Record<string, EntryMembers> = {
      'a payload with prev, ts and source members of its own': {
        ...base,
        payload: {
          a: { prev: 'x', ts: { hlc: 'y' }, source: { node: 'n' } },
          b: ',"prev":"',
          c: ',"ts":{"mono_ns":"1","wall_ns":"2"},"type":"t","type_v":1,"v":1}',
        },
      },
      'escapes in the source and stamp': {
        ...base,
        source: { node: 'n"\\', adapter: 'a' },
        ts: { ...base.ts, hlc: `${base.ts.wall_ns}.0@n"\\` },
      },
      'an escape in the run': { ...base, run: 'r"\\x' },
      'causes that are not ids': { ...base, causes: ['x', `sha256:${'c'.repeat(64)}`] },
      'no hybrid-clock stamp': { ...base, ts: { wall_ns: base.ts.wall_ns, mono_ns: '7' } },
      'a stamp of another form': { ...base, ts: { ...base.ts, hlc: 'elsewhere' } },
      'a stamp of another wall time': { ...base, ts: { ...base.ts, hlc: '5.3@sim-node' } },
      'a long type and name': { ...base, type: 'a'.repeat(300), source: { node: 'n'.repeat(400) } },
      'an id of another form': { ...base, id: 'sha1:abc' },
    };
    for (const [name, entry] of Object.entries(variants)) {
      it(`reads ${name} as parsing the whole text does`, () => {
        const line = entryText(entry);
        expectReadAsParsed(createRecordedEventParser({ scanner })(line), line);
        expectReadAsParsed(parseRecordedEvent(line), line);
      });
    }

    it('reads any payload, source and run as parsing the whole text does', () => {
      fc.assert(
        fc.property(
          fc.dictionary(fc.string(), canonicalJsonValue),
          fc.dictionary(fc.constantFrom('node', 'adapter', 'venue', 'prev', 'ts'), fc.string()),
          fc.string(),
          (payload, source, run) => {
            const members = { ...base, payload, source: { node: 'n', ...source }, run };
            const { causes, ts, type, type_v } = members;
            const body = { causes, payload, run, source: members.source, ts, type, type_v };
            const id = eventIdOfBodyText(canonicalize(body));
            const line = entryText({ ...members, id });
            const event = createRecordedEventParser({ scanner })(line) as StoredEvent;
            expectReadAsParsed(event, line);
            // The body is cut from the text but where the run has an escape: the text is parsed
            // whole then, and the replay encodes the body instead.
            expect(event.hasOwnBodyId(canonicalize(run))).toBe(
              !canonicalize(run).slice(1, -1).includes('\\'),
            );
            const forged = line.replace(id, `sha256:${'0'.repeat(64)}`);
            expect(
              (createRecordedEventParser({ scanner })(forged) as StoredEvent).hasOwnBodyId(
                canonicalize(run),
              ),
            ).toBe(false);
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  describe('when the stamp, type and versions take any form', () => {
    const digits = fc.bigInt({ min: 0n, max: 10n ** 21n }).map(String);
    // Stamps of our form (the entry's own wall time or another), near misses and other texts.
    const stamp = fc.oneof(
      fc.tuple(fc.constantFrom('own', 'other'), fc.nat(), fc.string()),
      fc.stringMatching(/^[0-9.@a-z]{0,24}$/),
      fc.string(),
      fc.constant(undefined),
    );
    it('reads them as parsing the whole text does, in place where the layout is ours', () => {
      fc.assert(
        fc.property(
          digits,
          digits,
          stamp,
          fc.oneof(fc.constantFrom('md.tick', 'fill'), fc.string()),
          fc.nat(2 ** 40),
          (wall, mono, hlc, type, typeV) => {
            const ts: EntryMembers['ts'] = { wall_ns: wall, mono_ns: mono };
            if (Array.isArray(hlc)) {
              const [whose, counter, node] = hlc;
              ts.hlc = `${whose === 'own' ? wall : `1${wall}`}.${counter}@${node}`;
            } else if (hlc !== undefined) {
              ts.hlc = hlc;
            }
            const line = entryText({ ...base, ts, type, type_v: typeV });
            const event = createRecordedEventParser({ scanner })(line) as StoredEvent;
            expectReadAsParsed(event, line);
            // Nothing escaped: the text is written as it is.
            const plain = (text: string): boolean => JSON.stringify(text) === `"${text}"`;
            if (plain(type) && (ts.hlc === undefined || plain(ts.hlc))) {
              expect(event.idAt).toBeGreaterThan(0);
            }
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe('when the text is not an entry', () => {
    for (const text of ['not json', '[]', '{"causes":[]}', lines[1]!.slice(0, -1)]) {
      it(`reports INPUT_INVALID_JSON for ${JSON.stringify(text.slice(0, 20))}`, () => {
        expectErrorCode(() => parseRecordedEvent(text).payload, 'INPUT_INVALID_JSON');
      });
    }
  });

  describe('when the payload alone is not JSON', () => {
    it('reports INPUT_INVALID_JSON when the payload is read', () => {
      const line = lines[1]!.replace('"payload":{', '"payload":{{');
      const event = parseRecordedEvent(line);
      expect(event.type).toBe(base.type);
      expectErrorCode(() => event.payload, 'INPUT_INVALID_JSON');
    });
  });
});
