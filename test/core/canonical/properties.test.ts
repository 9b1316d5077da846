/**
 * Property tests over arbitrary JSON values built from safe numbers and well-formed strings
 * (fast-check's 'binary' unit covers every code point, astral ones and C0 controls included, and
 * never a lone surrogate).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { canonicalize } from '../../../src/core/canonical/index.js';

const text = fc.string({ unit: 'binary', maxLength: 12 });

// −0 is left out: it canonicalises to "0" and reads back as +0 (covered in canonicalize.test.ts).
const safeNumber = fc.oneof(
  fc.maxSafeInteger(),
  fc.integer({ min: -1000, max: 1000 }),
  fc
    .double({ noNaN: true, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })
    .map((x) => (x === 0 ? 0 : x)),
);

function jsonValue(maxKeys: number): fc.Arbitrary<unknown> {
  return fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>(
    (tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constant(null),
        fc.boolean(),
        safeNumber,
        text,
        tie('array'),
        tie('object'),
      ),
      array: fc.array(tie('value'), { maxLength: 5 }),
      object: fc.dictionary(text, tie('value'), { maxKeys }),
    }),
  ).value;
}

const json = jsonValue(8);

/** Rebuilds every object with its keys inserted in a seed-dependent shuffled order. */
function reinsert(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item) => reinsert(item, seed));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  let state = seed >>> 0;
  for (let i = entries.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    Object.defineProperty(out, key, { value: reinsert(item, seed), enumerable: true });
  }
  return out;
}

/** An independent oracle: the engine's own escaping and number form, keys via the built-in sort. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('canonicalize (properties)', () => {
  it('is idempotent through JSON.parse', () => {
    fc.assert(
      fc.property(json, (value) => {
        const once = canonicalize(value);
        expect(canonicalize(JSON.parse(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the order in which keys were inserted', () => {
    fc.assert(
      fc.property(jsonValue(30), fc.integer(), (value, seed) => {
        expect(canonicalize(reinsert(value, seed))).toBe(canonicalize(value));
      }),
      { numRuns: 300 },
    );
  });

  it('parses back to a deep-equal value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(JSON.parse(canonicalize(value))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with a JSON.stringify-based reference, also for objects with many keys', () => {
    fc.assert(
      fc.property(jsonValue(40), (value) => {
        expect(canonicalize(value)).toBe(reference(value));
      }),
      { numRuns: 300 },
    );
  });
});
