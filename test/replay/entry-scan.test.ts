/**
 * The native scan of entry texts reads the ledger's own texts in one pass, and for every other
 * text either reads it as parsing the whole text does or declines it (the text is then read in
 * JavaScript): near misses of the layout, chars beyond Latin-1 (whose low byte is a quote or a
 * brace), texts longer than its buffer. Skipped with a notice where the module was not built,
 * unless DELTATRACE_REQUIRE_NATIVE=1 (CI), which turns the skip into a failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { nativeEntryScanner, SCAN, SLOT } from '../../src/replay/entry-scan.js';
import { StoredEvent } from '../../src/replay/stored-event.js';
import {
  type EntryMembers,
  entryText,
  expectReadAsParsed,
  simulatedEntryTexts,
} from '../helpers/entry-texts.js';

const required = process.env['DELTATRACE_REQUIRE_NATIVE'] === '1';
if (nativeEntryScanner === undefined && !required) {
  process.stderr.write('NOTICE: native entry scan suite skipped: native/entry-scan is not built\n');
}

describe.runIf(nativeEntryScanner === undefined && required)('native entry scan module', () => {
  it('is built, as DELTATRACE_REQUIRE_NATIVE=1 demands', () => {
    expect.fail('native/entry-scan did not build or does not load (see the install log)');
  });
});

/** Whether `text` parses as JSON. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(nativeEntryScanner !== undefined)('native entry scan', () => {
  const scanner = nativeEntryScanner!;
  const lines = simulatedEntryTexts(150);
  const base = JSON.parse(lines.find((l) => l.includes('"type":"md.tick"'))!) as EntryMembers;

  it("reads every text the ledger wrote, and a tick's payload with it", () => {
    for (const line of lines) {
      const type = (JSON.parse(line) as EntryMembers).type;
      expect(scanner.scan(line)).toBe(type === 'md.tick' ? SCAN.tick : SCAN.entry);
      expectReadAsParsed(new StoredEvent(line, undefined, scanner), line);
    }
  });

  it('declines a text beyond ASCII, read then in JavaScript as itself, not as its low bytes', () => {
    // U+0122 and U+017B end in the bytes of `"` and `{`; U+2C7D in those of `}`.
    for (const odd of ['\u00e9', '\u0122', '\u017b', '\u2c7d', '😀']) {
      const line = entryText({
        ...base,
        run: `r${odd}`,
        payload: { ...base.payload, instrument: `A${odd}` },
        source: { ...base.source, node: `n${odd}` },
        ts: { ...base.ts, hlc: `${base.ts.wall_ns}.3@n${odd}` },
      });
      expect(scanner.scan(line)).toBe(SCAN.other);
      const bytes = Buffer.from(`${line}\n${lines[0]}`);
      expect(scanner.scanBytes(bytes, 0)).toBe(SCAN.other);
      expect(scanner.slots[SLOT.LINE_END]).toBe(Buffer.byteLength(line));
      for (const event of [
        new StoredEvent(line, undefined, scanner),
        new StoredEvent(bytes, undefined, scanner, undefined, 0),
      ]) {
        expectReadAsParsed(event, line);
        expect(event.payload).toMatchObject({ instrument: `A${odd}` });
      }
    }
  });

  it('reads texts where they lie in bytes as it reads them as strings', () => {
    const bytes = Buffer.from(lines.join('\n'));
    let at = 0;
    for (const line of lines) {
      const expected = scanner.scan(line);
      const slots = [...scanner.slots.subarray(0, SLOT.LINE_END)];
      const stamps = [...scanner.stamps];
      expect(scanner.scanBytes(bytes, at)).toBe(expected);
      expect([...scanner.slots.subarray(0, SLOT.LINE_END)]).toEqual(slots);
      expect([...scanner.stamps]).toEqual(stamps);
      expect(scanner.slots[SLOT.LINE_END]).toBe(at + line.length);
      const event = new StoredEvent(bytes, undefined, scanner, undefined, at);
      expectReadAsParsed(event, line);
      expect(event.line).toBe(line);
      at += line.length + 1;
    }
    expect(at).toBe(bytes.length + 1);
  });

  it("decodes the id's 64 digits, and declines an id that is not 64 lowercase hex digits", () => {
    // Every digit, in every place of a word: each of the 16 values at each of the 64 places.
    for (let place = 0; place < 64; place++) {
      for (const digit of '0123456789abcdef') {
        const hex = base.id.slice(7);
        const id = `sha256:${hex.slice(0, place)}${digit}${hex.slice(place + 1)}`;
        expect(scanner.scan(entryText({ ...base, id }))).toBe(SCAN.tick);
        const expected = Buffer.from(id.slice(7), 'hex');
        expect(Buffer.from(scanner.idWords.buffer, scanner.idWords.byteOffset, 32)).toEqual(
          expected,
        );
      }
    }
    // The neighbours of the digits' ranges, uppercase, and a byte past ASCII.
    for (const odd of ['/', ':', '`', 'g', 'A', 'F', '\u007f', '\u00e9']) {
      for (const place of [0, 7, 8, 31, 63]) {
        const hex = base.id.slice(7);
        const id = `sha256:${hex.slice(0, place)}${odd}${hex.slice(place + 1)}`;
        expect(scanner.scan(entryText({ ...base, id }))).toBe(SCAN.other);
        expect(scanner.scanBytes(Buffer.from(entryText({ ...base, id })), 0)).toBe(SCAN.other);
      }
    }
  });

  it('reads names past the most it numbers as it reads the others', () => {
    // Types, nodes, sources, instruments and venues, each new: the module numbers 256 at most.
    for (let i = 0; i < 300; i++) {
      const line = entryText({
        ...base,
        type: i % 2 === 0 ? `t${i}` : 'md.tick',
        payload: { ...base.payload, instrument: `I${i}`, venue: `V${i}` },
        source: { ...base.source, node: `n${i}` },
        ts: { ...base.ts, hlc: `${base.ts.wall_ns}.1@n${i}` },
      });
      expect(scanner.scan(line)).not.toBe(SCAN.other);
      const event = new StoredEvent(line, { byKey: new Map(), size: 0, byId: [] }, scanner);
      expectReadAsParsed(event, line);
      if (event.type === 'md.tick') {
        expect(event.tick()).toMatchObject({ instrument: `I${i}`, venue: `V${i}` });
      }
    }
  });

  it('declines a text longer than its buffer, which is then read in JavaScript', () => {
    const line = entryText({ ...base, payload: { ...base.payload, note: 'x'.repeat(9000) } });
    expect(scanner.scan(line)).toBe(SCAN.other);
    expectReadAsParsed(new StoredEvent(line, undefined, scanner), line);
  });

  it('reads a changed text as parsing it whole does, or declines it', () => {
    const any = fc.oneof(
      fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', '.', '@', 'a', ' '),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...lines),
        fc.array(fc.tuple(fc.nat(), fc.nat(3), any), { minLength: 1, maxLength: 3 }),
        (line, edits) => {
          let text = line;
          for (const [at, remove, insert] of edits) {
            const from = at % (text.length + 1);
            text = text.slice(0, from) + insert + text.slice(from + remove);
          }
          const scanned = scanner.scan(text);
          // A text read natively is laid out as an entry; what it means is for the parse to say.
          if (scanned !== SCAN.other && isJson(text)) {
            expectReadAsParsed(new StoredEvent(text, undefined, scanner), text);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads a changed text in bytes as parsing it whole does, or declines it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...lines),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (line, at, byte) => {
          const bytes = Buffer.from(line);
          bytes[at % bytes.length] = byte;
          const text = bytes.toString('utf8');
          const scanned = scanner.scanBytes(bytes, 0);
          if (scanned !== SCAN.other && isJson(text)) {
            expectReadAsParsed(new StoredEvent(bytes, undefined, scanner, undefined, 0), text);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses what is not a string or bytes, and a start outside them, with a typed error', () => {
    const refused = expect.objectContaining({ code: 'ERR_ENTRY_SCAN_INPUT' }) as Error;
    expect(() => scanner.scan(42 as unknown as string)).toThrow(refused);
    expect(() => scanner.scanBytes('{}' as unknown as Uint8Array, 0)).toThrow(refused);
    expect(() => scanner.scanBytes(Buffer.from('{}'), 3)).toThrow(refused);
    expect(() => scanner.scanBytes(Buffer.from('{}'), -1)).toThrow(refused);
  });
});
