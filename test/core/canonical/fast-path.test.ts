/**
 * The lean pass of canonicalisation must write exactly what the careful walk writes wherever it
 * answers, and must decline (never answer) wherever the careful walk rejects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { canonicalizeCarefully } from '../../../src/core/canonical/canonicalize.js';
import { writeFast } from '../../../src/core/canonical/fast-path.js';

// Strings with lone surrogates and controls, numbers of every kind, values JSON cannot hold.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'binary-ascii', maxLength: 8 }),
  fc.string({
    unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)),
    maxLength: 3,
  }),
  fc.constantFrom('a"b', 'c\\d', '\u0000', '\u001f', 'é', '\ud83d\ude00', '\ud83d', 'z\ude00'),
);
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(
    -0,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    -(2 ** 53),
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1e21,
    1e-7,
    5e-324,
  ),
);
const oddValue = fc.constantFrom<unknown>(
  undefined,
  1n,
  Symbol('s'),
  () => 1,
  new Date(0),
  new Map(),
);

const anyValue = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      anyNumber,
      anyText,
      oddValue,
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(anyText, tie('value'), { maxKeys: 30 }),
  }),
).value;

function careful(value: unknown, allowUnsafeIntegers: boolean): string | Error {
  try {
    return canonicalizeCarefully(value, allowUnsafeIntegers);
  } catch (error) {
    return error as Error;
  }
}

describe('the fast path of canonicalisation', () => {
  it.each([false, true])(
    'agrees with the careful walk or declines (allowUnsafeIntegers %s)',
    (allowUnsafeIntegers) => {
      fc.assert(
        fc.property(anyValue, (value) => {
          const fast = writeFast(value, allowUnsafeIntegers);
          const expected = careful(value, allowUnsafeIntegers);
          if (expected instanceof Error) expect(fast).toBeUndefined();
          else if (fast !== undefined) expect(fast).toBe(expected);
        }),
        { numRuns: 3000 },
      );
    },
  );

  it('answers for the records it exists for', () => {
    const record = { b: [1, 'x', null, true], a: { z: -0, y: 0.5, é: 'ü' }, c: '' };
    expect(writeFast(record, false)).toBe(careful(record, false));
    expect(writeFast(record, false)).toBe(
      '{"a":{"y":0.5,"z":0,"é":"ü"},"b":[1,"x",null,true],"c":""}',
    );
  });

  it('writes objects of one shape alike, whatever order their members were added in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(anyText, fc.constantFrom('0', '1', '10', '9', '-1', 'a')), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.constant(null)), {
          minLength: 30,
          maxLength: 30,
        }),
        (names, values) => {
          // The same names and values in three orders, then the same shape with other values:
          // a shape remembered from one must never misplace the members of another.
          for (const order of [names, [...names].reverse(), [...names.slice(1), names[0]!]]) {
            for (const shift of [0, 1]) {
              const value = Object.fromEntries(order.map((n, i) => [n, values[(i + shift) % 30]]));
              const fast = writeFast(value, false);
              const expected = careful(value, false);
              if (expected instanceof Error) expect(fast).toBeUndefined();
              else expect(fast).toBe(expected);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('goes on writing right past the shapes it remembers', () => {
    // Far more shapes than are kept, many of them under one first name.
    for (let i = 0; i < 6000; i++) {
      const value = i % 2 === 0 ? { a: i, [`k${i}`]: 'x', z: [i] } : { [`k${i}`]: { a: 1, b: i } };
      expect(writeFast(value, false)).toBe(careful(value, false));
    }
  });

  it('declines cycles and deep nesting, leaving them to the careful walk', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(writeFast(cyclic, false)).toBeUndefined();
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(writeFast(deep, false)).toBeUndefined();
    expect(careful(deep, false)).toBe('['.repeat(40) + '1' + ']'.repeat(40));
  });
});
