import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { AUDIT_WINDOW, ChainAuditor, type Finding } from '../../../src/core/chain/chain-auditor.js';
import { analyzeEntryLine } from '../../../src/core/chain/entry-analysis.js';
import { sealEntry } from '../../../src/core/chain/entry-codec.js';
import { GENESIS_PREV } from '../../../src/core/events/envelope.js';
import { sealChain, tickBody } from '../../helpers/bodies.js';

function audit(lines: readonly string[]): readonly Finding[] {
  const auditor = new ChainAuditor(GENESIS_PREV);
  for (const line of lines) auditor.push(analyzeEntryLine(line));
  return auditor.finish();
}

const SIZES = [1, 2, 3, 10, AUDIT_WINDOW + 5, 200];

describe('ChainAuditor', () => {
  it('finds nothing in an intact chain', () => {
    expect(audit(sealChain(300).map((e) => e.line))).toEqual([]);
  });

  describe('when one entry is mutated', () => {
    it('locates every single-byte payload change at its seq', () => {
      fc.assert(
        fc.property(fc.constantFrom(...SIZES), fc.nat(), (size, pick) => {
          const lines = sealChain(size).map((e) => e.line);
          const seq = pick % size;
          lines[seq] = lines[seq]!.replace('"feed_seq":', '"feed_seq":9');
          const findings = audit(lines);
          expect(findings).toHaveLength(1);
          expect(findings[0]).toMatchObject({ seq, kind: 'mutated' });
        }),
        { numRuns: 200 },
      );
    });

    it('locates a damaged hash field, and unparseable text', () => {
      const lines = sealChain(100).map((e) => e.line);
      lines[40] = lines[40]!.replace(
        /"hash":"(.)/,
        (_m, c: string) => `"hash":"${c === 'a' ? 'b' : 'a'}`,
      );
      lines[70] = lines[70]!.slice(0, 30);
      const findings = audit(lines);
      expect(findings.map((f) => [f.seq, f.kind])).toEqual([
        [40, 'mutated'],
        [70, 'mutated'],
      ]);
    });
  });

  describe('when entries are deleted', () => {
    it('locates one or several missing entries at the first missing seq', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 5, max: 150 }),
          fc.nat(),
          fc.integer({ min: 1, max: 3 }),
          (size, pick, count) => {
            const lines = sealChain(size).map((e) => e.line);
            const seq = pick % (size - count);
            lines.splice(seq, count);
            const findings = audit(lines);
            expect(findings).toHaveLength(1);
            expect(findings[0]).toMatchObject({ seq, kind: 'deleted' });
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  describe('when an entry is inserted', () => {
    it('locates a forged entry that links to its predecessor', () => {
      fc.assert(
        fc.property(fc.integer({ min: 2, max: 150 }), fc.nat(), (size, pick) => {
          const entries = sealChain(size);
          const seq = pick % size;
          const forged = sealEntry(
            tickBody(10_000 + seq),
            seq,
            seq === 0 ? GENESIS_PREV : entries[seq - 1]!.hash,
          );
          const lines = entries.map((e) => e.line);
          lines.splice(seq, 0, forged.line);
          const findings = audit(lines);
          expect(findings).toHaveLength(1);
          expect(findings[0]).toMatchObject({ seq, kind: 'inserted' });
        }),
        { numRuns: 200 },
      );
    });

    it('locates garbage and a copy of an earlier entry', () => {
      const lines = sealChain(120).map((e) => e.line);
      lines.splice(90, 0, lines[10]!);
      lines.splice(30, 0, '{"garbage":true}');
      const findings = audit(lines);
      expect(findings.map((f) => [f.seq, f.kind])).toEqual([
        [30, 'inserted'],
        [90, 'inserted'],
      ]);
    });
  });

  describe('when entries are reordered', () => {
    it('locates two swapped neighbours at the lower seq', () => {
      fc.assert(
        fc.property(fc.integer({ min: 2, max: 150 }), fc.nat(), (size, pick) => {
          const lines = sealChain(size).map((e) => e.line);
          const seq = pick % (size - 1);
          [lines[seq], lines[seq + 1]] = [lines[seq + 1]!, lines[seq]!];
          const findings = audit(lines);
          expect(findings).toHaveLength(1);
          expect(findings[0]).toMatchObject({ seq, kind: 'reordered' });
        }),
        { numRuns: 200 },
      );
    });

    it('locates an entry moved a few places earlier', () => {
      const lines = sealChain(100).map((e) => e.line);
      const [moved] = lines.splice(50, 1);
      lines.splice(45, 0, moved!);
      const findings = audit(lines);
      expect(findings[0]).toMatchObject({ seq: 45, kind: 'reordered' });
    });
  });
});
