/**
 * The replay's ids by ref: what goes in comes out, across blocks, for ids of our form and others.
 */
import { describe, expect, it } from 'vitest';

import { ID_BLOCK_BYTES, type IdBlockSpill, IdTable } from '../../src/replay/id-table.js';

const idOf = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`;

/** The digest of `id` as words, after 8 other words (as a scan keeps it: see IdArena). */
function wordsOf(id: string): Int32Array {
  const words = new Int32Array(16);
  new Uint8Array(words.buffer, 32, 32).set(Buffer.from(id.slice(7), 'hex'));
  return words;
}

describe('IdTable', () => {
  it('gives back every id by ref, across blocks', () => {
    const table = new IdTable();
    const count = 70_000;
    for (let n = 0; n < count; n++) {
      if (n % 2 === 0) table.push(idOf(n));
      else table.pushFrom(`{"id":"${idOf(n)}"}`, 7, 7 + 71);
    }
    expect(table.size).toBe(count);
    for (const n of [0, 1, 32_767, 32_768, 65_535, 65_536, count - 1])
      expect(table.at(n)).toBe(idOf(n));
  });

  it('gives back ids this process computed or the scan decoded, pushed without digit checks', () => {
    const table = new IdTable();
    const ids = Array.from({ length: 33_000 }, (_, n) => idOf(n * 7919));
    for (const [n, id] of ids.entries()) {
      if (n % 3 === 0) table.pushComputed(id);
      else if (n % 3 === 1) table.pushWords(wordsOf(id), 8);
      else table.push(id);
    }
    for (const n of [0, 1, 2, 32_767, 32_768, 32_999]) expect(table.at(n)).toBe(ids[n]);
    // Not hex at all: kept whole rather than lost.
    table.pushComputed('sha256:not-hex');
    expect(table.at(33_000)).toBe('sha256:not-hex');
  });

  it('forgets what follows a truncation, and goes on from there', () => {
    const table = new IdTable();
    for (let n = 0; n < 40_000; n++) table.push(n === 39_000 ? 'odd' : idOf(n));
    table.truncate(32_769);
    expect(table.size).toBe(32_769);
    expect(table.at(32_768)).toBe(idOf(32_768));
    expect(table.at(32_769)).toBeUndefined();
    for (let n = 32_769; n < 40_000; n++) {
      if (n % 2 === 0) table.push(idOf(n + 1));
      else table.pushWords(wordsOf(idOf(n + 1)), 8);
    }
    expect(table.at(32_769)).toBe(idOf(32_770));
    expect(table.at(39_000)).toBe(idOf(39_001));
    expect(table.at(39_001)).toBe(idOf(39_002));
    table.truncate(0);
    expect(table.size).toBe(0);
    table.pushWords(wordsOf(idOf(5)), 8);
    expect(table.at(0)).toBe(idOf(5));
    // Back into a block the truncation kept, part-filled.
    for (let n = 1; n < 70_000; n++) table.push(idOf(n));
    table.truncate(32_770);
    table.pushWords(wordsOf(idOf(7)), 8);
    expect(table.at(32_770)).toBe(idOf(7));
    expect(table.at(32_769)).toBe(idOf(32_769));
  });

  describe('with a spill', () => {
    /** A spill in memory that counts what it is asked to do. */
    function memorySpill() {
      const blocks = new Map<number, Uint8Array>();
      const spill: IdBlockSpill & { writes: number[]; reads: number } = {
        writes: [],
        reads: 0,
        write(index, block) {
          expect(block).toHaveLength(ID_BLOCK_BYTES);
          spill.writes.push(index);
          blocks.set(index, block.slice());
        },
        read(index, offset, into) {
          spill.reads++;
          into.set(blocks.get(index)!.subarray(offset, offset + into.length));
        },
        close: () => undefined,
      };
      return spill;
    }

    it('keeps only the newest blocks in memory and reads older ids back', () => {
      const spill = memorySpill();
      const table = new IdTable({ spill, blocksInMemory: 2 });
      const count = 5 * 32_768 + 17;
      for (let n = 0; n < count; n++) table.push(idOf(n));
      expect(spill.writes).toEqual([0, 1, 2, 3]);
      for (const n of [0, 1, 32_767, 32_768, 100_000, 131_071]) expect(table.at(n)).toBe(idOf(n));
      expect(spill.reads).toBe(6);
      for (const n of [131_072, 163_839, 163_840, count - 1]) expect(table.at(n)).toBe(idOf(n));
      expect(spill.reads).toBe(6);
    });

    it('brings a spilled block back when a truncation ends in it', () => {
      const spill = memorySpill();
      const table = new IdTable({ spill, blocksInMemory: 1 });
      for (let n = 0; n < 3 * 32_768; n++) table.push(idOf(n));
      table.truncate(40_000);
      expect(table.at(39_999)).toBe(idOf(39_999));
      for (let n = 40_000; n < 4 * 32_768; n++) table.push(idOf(n + 7));
      expect(table.at(39_999)).toBe(idOf(39_999));
      expect(table.at(40_000)).toBe(idOf(40_007));
      expect(table.at(12)).toBe(idOf(12));
      expect(table.at(4 * 32_768 - 1)).toBe(idOf(4 * 32_768 - 1 + 7));
    });
  });

  describe('when an id is not sha256 and 64 lowercase hex digits', () => {
    it('gives it back as it was', () => {
      const table = new IdTable();
      const odd = [
        'sha256:' + 'A'.repeat(64),
        'sha256:' + 'g'.repeat(64),
        'sha1:' + 'a'.repeat(64),
        'sha256:abc',
        'sha256:' + '\u0130'.repeat(64),
        '',
      ];
      for (const id of odd) table.push(id);
      table.push(idOf(7));
      expect(odd.map((_, ref) => table.at(ref))).toEqual(odd);
      expect(table.at(odd.length)).toBe(idOf(7));
    });
  });

  describe('when there is no such ref', () => {
    it('gives undefined', () => {
      const table = new IdTable();
      table.push(idOf(1));
      for (const ref of [-1, 1, 0.5, Number.NaN]) expect(table.at(ref)).toBeUndefined();
    });
  });
});
