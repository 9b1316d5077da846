/**
 * @module
 * RFC 8785 §3.2.2.3 number serialisation. The RFC defines it as ECMAScript's Number::toString
 * (ECMA-262 §7.1.12.1 in ES6), which is exactly what the engine's `String(x)` implements; the
 * ES6 number-generator test pins that against the RFC's reference sequence.
 */
import { InputError } from '../errors.js';
import { CanonicalFault } from './fault.js';

/**
 * RFC 8785 §3.2.2.3 form of a finite number: shortest round-trip digits, exponent form outside
 * [1e-6, 1e21), and −0 as "0".
 *
 * @throws InputError CANONICAL_NON_FINITE_NUMBER for NaN and ±Infinity, which JSON cannot carry.
 */
export function serializeNumber(x: number): string {
  if (!Number.isFinite(x)) {
    throw new InputError('CANONICAL_NON_FINITE_NUMBER', `${String(x)} has no JSON form`, {
      details: { value: String(x) },
    });
  }
  // Number::toString already maps −0 to "0" (ECMA-262 Number::toString step 2).
  return String(x);
}

/**
 * Beyond 2^53−1 not every integer is a double, so a value read back by a parser that uses 64-bit
 * integers (Go, Rust, Java) may differ from the one we hashed (RFC 8785 §6, I-JSON RFC 7493 §2.2).
 * Every finite double outside this range is integer-valued, so a range check is enough.
 */
export function writeNumber(x: number, allowUnsafeIntegers: boolean): string {
  if (x <= Number.MAX_SAFE_INTEGER && x >= -Number.MAX_SAFE_INTEGER) return String(x);
  if (!Number.isFinite(x)) {
    throw new CanonicalFault('CANONICAL_NON_FINITE_NUMBER', `${String(x)} has no JSON form`, {
      value: String(x),
    });
  }
  if (!allowUnsafeIntegers) {
    throw new CanonicalFault(
      'CANONICAL_UNSAFE_INTEGER',
      `${String(x)} is beyond ±(2^53−1); encode it as a decimal string`,
      { value: String(x) },
    );
  }
  return String(x);
}
