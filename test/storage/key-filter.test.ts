import { describe, expect, it } from 'vitest';

import { SeededRng } from '../../src/core/index.js';
import { KeyFilter } from '../../src/storage/sqlite/key-filter.js';

function keys(count: number, seed: number): number[] {
  const rng = new SeededRng(seed);
  return Array.from(
    { length: count },
    () => rng.nextUint32() * 65_536 + (rng.nextUint32() & 0xffff),
  );
}

describe('KeyFilter', () => {
  it('never misses a key it holds, and rarely claims one it does not', () => {
    const held = keys(100_000, 1);
    const filter = new KeyFilter(held.length);
    for (const key of held) filter.add(key);
    for (const key of held) expect(filter.mayContain(key)).toBe(true);
    const others = keys(100_000, 2);
    const falsePositives = others.filter((key) => filter.mayContain(key)).length;
    expect(falsePositives / others.length).toBeLessThan(0.03);
  });

  it('says when it holds more keys than it was sized for', () => {
    const filter = new KeyFilter(10);
    expect(filter.capacity).toBe(65_536);
    for (const key of keys(65_537, 3)) filter.add(key);
    expect(filter.full).toBe(true);
  });
});
