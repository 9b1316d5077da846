/**
 * @module
 * Decimal strings for hashed payloads (DecimalStringSchema: `-12.5`, `0.001`, no exponent). Ratios
 * of integers are rounded with integer arithmetic; numbers a solver produces are rendered through
 * `toFixed`, whose digits ECMAScript fixes exactly, so every platform writes the same text.
 */
import { InputError } from './errors.js';

function trimmed(text: string): string {
  let out = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  if (out === '-0') out = '0';
  return out;
}

/**
 * `numerator / denominator` rounded half away from zero to `digits` decimals, trailing zeros
 * dropped.
 * @throws INPUT_INVALID_ARGUMENT for a zero denominator or non-integer inputs.
 */
export function ratioToDecimal(
  numerator: bigint | number,
  denominator: bigint | number,
  digits = 6,
): string {
  if (
    (typeof numerator === 'number' && !Number.isSafeInteger(numerator)) ||
    (typeof denominator === 'number' && !Number.isSafeInteger(denominator)) ||
    BigInt(denominator) === 0n ||
    !Number.isInteger(digits) ||
    digits < 0 ||
    digits > 30
  ) {
    throw new InputError(
      'INPUT_INVALID_ARGUMENT',
      'a ratio needs integers and a non-zero denominator',
      {
        details: { numerator: String(numerator), denominator: String(denominator), digits },
      },
    );
  }
  let n = BigInt(numerator);
  let d = BigInt(denominator);
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const negative = n < 0n;
  const scale = 10n ** BigInt(digits);
  const scaled = (negative ? -n : n) * scale;
  const rounded = (scaled * 2n + d) / (2n * d);
  const whole = rounded / scale;
  const fraction = (rounded % scale).toString().padStart(digits, '0');
  const text = digits === 0 ? whole.toString() : `${whole}.${fraction}`;
  return trimmed(`${negative && rounded !== 0n ? '-' : ''}${text}`);
}

/**
 * A finite number as a decimal string with at most `digits` decimals.
 * @throws INPUT_INVALID_ARGUMENT for NaN, ±Infinity or |value| ≥ 1e21 (where toFixed switches to
 *   exponent form).
 */
export function numberToDecimal(value: number, digits = 9): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) {
    throw new InputError(
      'INPUT_INVALID_ARGUMENT',
      'only finite numbers below 1e21 have a decimal form',
      {
        details: { value: String(value) },
      },
    );
  }
  return trimmed(value.toFixed(digits));
}
