import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { sha256, toHex } from '../../../src/core/bytes.js';
import { canonicalize } from '../../../src/core/canonical/index.js';
import {
  analyzeEntryLine,
  analyzeIntactEntryLine,
} from '../../../src/core/chain/entry-analysis.js';
import {
  computeEventId,
  encodeBody,
  HASH_MEMBER_BYTES,
  linkEntryInPlace,
  sealEncoded,
  sealEntry,
  toWireTimestamp,
  unlinkEncoded,
} from '../../../src/core/chain/entry-codec.js';
import { GENESIS_PREV } from '../../../src/core/events/envelope.js';
import type { EventId } from '../../../src/core/events/primitives.js';
import { canonicalJsonValue as jsonValue } from '../../helpers/arbitraries.js';
import { sealChain, tickBody } from '../../helpers/bodies.js';

describe('sealEntry', () => {
  it('produces exactly the RFC 8785 encoding of the entry object', () => {
    const body = tickBody(3);
    const entry = sealEntry(body, 3, 'ab'.repeat(32));
    const object = {
      v: 1,
      seq: 3,
      id: entry.id,
      type: body.type,
      type_v: body.type_v,
      run: body.run,
      ts: toWireTimestamp(body.ts),
      source: body.source,
      causes: body.causes,
      payload: body.payload,
      prev: 'ab'.repeat(32),
    };
    expect(entry.hash).toBe(toHex(sha256(canonicalize(object))));
    expect(entry.line).toBe(canonicalize({ ...object, hash: entry.hash }));
  });

  it('gives the id of the canonical body, the same for equal content', () => {
    const body = tickBody(5);
    const wireBody = {
      type: body.type,
      type_v: body.type_v,
      run: body.run,
      ts: toWireTimestamp(body.ts),
      source: body.source,
      causes: body.causes,
      payload: body.payload,
    };
    expect(computeEventId(body)).toBe(`sha256:${toHex(sha256(canonicalize(wireBody)))}`);
    expect(computeEventId(tickBody(5))).toBe(computeEventId(body));
    expect(computeEventId(tickBody(6))).not.toBe(computeEventId(body));
  });

  it('pins the format: a known body has a known id and entry hash', () => {
    const entry = sealEntry(tickBody(0), 0, GENESIS_PREV);
    // Golden values: a change here is a change of the on-disk format and breaks old proofs.
    expect(entry.line).toMatchInlineSnapshot(
      `"{"causes":[],"hash":"${entry.hash}","id":"${entry.id}","payload":{"ask_px":10002,"bid_px":10000,"feed_seq":0,"instrument":"ACME","venue":"XNAS-SIM"},"prev":"0000000000000000000000000000000000000000000000000000000000000000","run":"test-run","seq":0,"source":{"node":"n1","venue":"XNAS-SIM"},"ts":{"mono_ns":"0","wall_ns":"1767225600000000000"},"type":"md.tick","type_v":1,"v":1}"`,
    );
  });
});

describe('analyzeEntryLine', () => {
  it('finds a sealed entry self-valid and canonical', () => {
    for (const entry of sealChain(5)) {
      const analyzed = analyzeEntryLine(entry.line);
      expect(analyzed.selfValid).toBe(true);
      expect(analyzed.actualHash).toBe(entry.hash);
      expect(analyzed.seq).toBe(entry.seq);
      expect(toHex(analyzed.leafData)).toBe(entry.hash);
    }
  });

  it('never throws, and flags every single-character change', () => {
    const [entry] = sealChain(1);
    const line = entry!.line;
    fc.assert(
      fc.property(fc.nat(line.length - 1), fc.integer({ min: 32, max: 126 }), (at, code) => {
        const replacement = String.fromCharCode(code);
        fc.pre(line[at] !== replacement);
        const damaged = line.slice(0, at) + replacement + line.slice(at + 1);
        const analyzed = analyzeEntryLine(damaged);
        expect(analyzed.selfValid).toBe(false);
        expect(analyzed.problem).toBeDefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects non-canonical text with the same content', () => {
    const [entry] = sealChain(1);
    const spaced = entry!.line.replace('"causes":[]', '"causes": []');
    const analyzed = analyzeEntryLine(spaced);
    expect(analyzed.parsed).toBe(true);
    expect(analyzed.canonical).toBe(false);
    expect(analyzed.problem).toBe('entry text is not canonical JSON');
  });

  it('describes garbage instead of crashing', () => {
    expect(analyzeEntryLine('not json').problem).toBe('not valid JSON');
    expect(analyzeEntryLine('[1,2]').problem).toBe('not a JSON object');
    expect(analyzeEntryLine('{"a":1}').problem).toBe('unexpected set of entry members');
  });
});

describe('an entry linked in place by the store that keeps the chain', () => {
  const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);

  /** As the SQLite writer process gets it: room, then the unhashed text's UTF-8 bytes. */
  function linkAsWriter(body: ReturnType<typeof tickBody>, seq: number, prev: string) {
    const unlinked = unlinkEncoded(encodeBody(body), seq);
    const text = Buffer.from(unlinked.unhashed, 'utf8');
    const prevAt = Buffer.byteLength(unlinked.unhashed.slice(0, unlinked.prevAt), 'utf8');
    // Garbage around and in the room: linking must overwrite all of it and nothing outside.
    const bytes = Buffer.concat([
      Buffer.alloc(5, 0x7b),
      Buffer.alloc(HASH_MEMBER_BYTES, 0xff),
      text,
      Buffer.alloc(3, 0x7d),
    ]);
    const end = 5 + HASH_MEMBER_BYTES + text.length;
    const hash = linkEntryInPlace(bytes, 5, end, unlinked.hashAt, prevAt, prev);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('{{{{{');
    expect(bytes.subarray(end).toString('latin1')).toBe('}}}');
    return { hash, line: bytes.subarray(5, end).toString('utf8') };
  }

  it('is byte for byte the entry the ledger seals, non-ASCII payloads and causes included', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), jsonValue),
        fc.string({ minLength: 1, unit: 'binary' }),
        fc.array(hex64, { maxLength: 3 }),
        fc.nat(1_000_000_000),
        hex64,
        (payload, run, causes, seq, prev) => {
          const body = {
            ...tickBody(1),
            run,
            payload,
            causes: causes.map((digits) => `sha256:${digits}` as EventId),
          };
          const sealed = sealEncoded(encodeBody(body), seq, prev);
          expect(linkAsWriter(body, seq, prev)).toEqual({ hash: sealed.hash, line: sealed.line });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is what the golden entry is', () => {
    const sealed = sealEntry(tickBody(0), 0, GENESIS_PREV);
    expect(linkAsWriter(tickBody(0), 0, GENESIS_PREV)).toEqual({
      hash: sealed.hash,
      line: sealed.line,
    });
  });
});

describe('analyzeIntactEntryLine', () => {
  it('agrees with the full analysis on any intact entry, nested "prev" keys included', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('prev', 'run', 'seq', 'type', 'x', '"q', 'a,b'), jsonValue),
        fc.string(),
        fc.nat(1_000_000),
        (payload, run, seq) => {
          fc.pre(run.length > 0);
          const body = { ...tickBody(1), run, payload, causes: [] };
          const entry = sealEntry(body, seq, 'cd'.repeat(32));
          const fast = analyzeIntactEntryLine(entry.line);
          const full = analyzeEntryLine(entry.line);
          expect(full.selfValid).toBe(true);
          // The leaf data is decoded on demand, not held as a member.
          expect({ ...fast, leafData: fast?.leafData }).toEqual(full);
          // Told that the entry's prev is a known hash, it finds the same.
          const told = analyzeIntactEntryLine(entry.line, 'cd'.repeat(32));
          expect({ ...told, leafData: told?.leafData }).toEqual(full);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('declines every single-character change, leaving it to the full analysis', () => {
    const [entry] = sealChain(1);
    const line = entry!.line;
    for (let at = 0; at < line.length; at++) {
      const replacement = line[at] === 'a' ? 'b' : 'a';
      expect(
        analyzeIntactEntryLine(line.slice(0, at) + replacement + line.slice(at + 1)),
      ).toBeUndefined();
    }
  });
});
