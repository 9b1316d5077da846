/**
 * @module
 * Exact conversion between integer units on our side (price ticks, quantity lots) and FIX decimal
 * strings on the wire (PRICE, QTY: `-?digits[.digits]`), for a step such as a tick size of
 * "0.25". Arithmetic is on bigint decimal mantissas, never binary floats: "100.10" at a 0.05 step
 * is 2002 ticks exactly, and a value off the step is refused, not rounded.
 */
import { fixError } from '../message.js';

const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?$/;
const STEP = /^(\d+)(?:\.(\d+))?$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class DecimalScale {
  /** The step as written, e.g. "0.01". */
  readonly step: string;
  /** The step is stepUnits × 10^-decimals. */
  readonly #stepUnits: bigint;
  readonly #decimals: number;

  /** @throws InputError FIX_BAD_VALUE when `step` is not a positive decimal. */
  constructor(step: string) {
    const m = STEP.exec(step);
    const units = m === null ? 0n : BigInt(`${m[1]}${m[2] ?? ''}`);
    if (m === null || units === 0n) {
      throw fixError('FIX_BAD_VALUE', `a scale step must be a positive decimal, got ${step}`, {
        actual: step,
      });
    }
    this.step = step;
    this.#stepUnits = units;
    this.#decimals = m[2]?.length ?? 0;
  }

  /** The wire decimal of `units` steps, with as many decimals as the step has. */
  toWire(units: number): string {
    if (!Number.isSafeInteger(units)) {
      throw fixError('FIX_BAD_VALUE', `${units} is not a whole number of steps`, { actual: units });
    }
    const scaled = BigInt(units) * this.#stepUnits;
    const negative = scaled < 0n;
    const digits = (negative ? -scaled : scaled).toString().padStart(this.#decimals + 1, '0');
    const cut = digits.length - this.#decimals;
    const text = this.#decimals === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
    return negative ? `-${text}` : text;
  }

  /**
   * Whole steps in a wire decimal.
   * @throws InputError FIX_BAD_FORMAT (naming `tag`) when the text is not a FIX decimal;
   * FIX_BAD_VALUE when it is not a whole number of steps or out of the safe integer range.
   */
  fromWire(text: string, tag: number): number {
    const m = DECIMAL.exec(text);
    const whole = m?.[2] ?? '';
    const fraction = m?.[3] ?? '';
    if (m === null || whole.length + fraction.length === 0) {
      throw fixError('FIX_BAD_FORMAT', `tag ${tag}: ${JSON.stringify(text)} is not a decimal`, {
        tag,
        actual: text,
      });
    }
    const mantissa = BigInt(`${m[1]}${whole}${fraction}`);
    const shift = this.#decimals - fraction.length;
    const numerator = shift >= 0 ? mantissa * 10n ** BigInt(shift) : mantissa;
    const denominator = shift >= 0 ? this.#stepUnits : this.#stepUnits * 10n ** BigInt(-shift);
    const units = numerator / denominator;
    const outOfRange = units > MAX_SAFE || -units > MAX_SAFE;
    if (numerator % denominator !== 0n || outOfRange) {
      throw fixError('FIX_BAD_VALUE', `tag ${tag}: ${text} is not a whole number of ${this.step}`, {
        tag,
        actual: text,
        expected: this.step,
      });
    }
    return Number(units);
  }
}

/** Tick size and lot size of an instrument. */
export interface InstrumentScales {
  /** Price (44, 31, 270): integer ticks of this size. */
  readonly price: DecimalScale;
  /** Quantities (38, 32, 14, 151, 271): integer lots of this size. */
  readonly qty: DecimalScale;
}
