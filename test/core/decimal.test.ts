import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DecimalStringSchema, numberToDecimal, ratioToDecimal } from '../../src/core/index.js';
import { expectErrorCode } from '../helpers/errors.js';

describe('ratioToDecimal', () => {
  it('rounds half away from zero and trims zeros', () => {
    expect(ratioToDecimal(1, 3)).toBe('0.333333');
    expect(ratioToDecimal(2, 3)).toBe('0.666667');
    expect(ratioToDecimal(-1, 8, 2)).toBe('-0.13');
    expect(ratioToDecimal(1, 8, 2)).toBe('0.13');
    expect(ratioToDecimal(10, 5)).toBe('2');
    expect(ratioToDecimal(-1, 3000000, 6)).toBe('0');
    expect(ratioToDecimal(7n, -2n, 0)).toBe('-4');
    expect(ratioToDecimal(12345678901234567890n, 10n, 1)).toBe('1234567890123456789');
  });

  it('always writes a valid decimal string within half a unit of the last digit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.integer({ min: 1, max: 1e9 }),
        (n, d) => {
          const text = ratioToDecimal(n, d, 6);
          expect(DecimalStringSchema.safeParse(text).success).toBe(true);
          expect(Math.abs(Number(text) - n / d)).toBeLessThanOrEqual(
            5e-7 + Math.abs(n / d) * 1e-15,
          );
        },
      ),
    );
  });

  it('reports INPUT_INVALID_ARGUMENT for a zero denominator or a fraction', () => {
    expectErrorCode(() => ratioToDecimal(1, 0), 'INPUT_INVALID_ARGUMENT');
    expectErrorCode(() => ratioToDecimal(1.5, 2), 'INPUT_INVALID_ARGUMENT');
  });
});

describe('numberToDecimal', () => {
  it('writes fixed digits without exponent, trailing zeros or a negative zero', () => {
    expect(numberToDecimal(0.1 + 0.2, 6)).toBe('0.3');
    expect(numberToDecimal(-0.0000001, 6)).toBe('0');
    expect(numberToDecimal(1e-7, 9)).toBe('0.0000001');
    expect(numberToDecimal(123456789.5, 0)).toBe('123456790');
  });

  it('reports INPUT_INVALID_ARGUMENT for NaN and infinities', () => {
    expectErrorCode(() => numberToDecimal(Number.NaN), 'INPUT_INVALID_ARGUMENT');
    expectErrorCode(() => numberToDecimal(Number.POSITIVE_INFINITY), 'INPUT_INVALID_ARGUMENT');
  });
});
