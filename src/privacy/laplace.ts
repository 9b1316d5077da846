/**
 * @module
 * Exact ε arithmetic and the Laplace mechanism. ε amounts are decimal strings on the wire and
 * integer nano-ε in memory, so that basic composition (ε spent = Σ εᵢ) and the comparison with a
 * budget never round. Noise is drawn by inverse-CDF sampling from the injected seeded Rng: the
 * same seed and the same sequence of shares release the same values, in a replay as live.
 */
import { DecimalStringSchema, type ErrorCode, InputError, type Rng } from '../core/index.js';

/** ε is counted in units of 10^-9 (nano-ε). */
export const EPSILON_DECIMALS = 9;
const EPSILON_SCALE = 10n ** BigInt(EPSILON_DECIMALS);
/** Released values keep this many decimals. */
export const RELEASE_DECIMALS = 6;
/** |value| bound: beyond it a double no longer resolves the released decimals. */
const MAX_ABS_VALUE = 1e12;

function invalid(message: string, details: Record<string, string>): InputError {
  const code: ErrorCode = 'PRIVACY_INVALID_ARGUMENT';
  return new InputError(code, message, { details });
}

/**
 * A positive decimal with at most nine decimals, as nano-units. More decimals are refused rather
 * than rounded: an ε that silently rounds down would let a spend exceed its budget.
 * @throws PRIVACY_INVALID_ARGUMENT
 */
export function parsePositiveUnits(text: string, what: string): bigint {
  const match = /^(0|[1-9][0-9]{0,11})(?:\.([0-9]{1,9}))?$/.exec(text);
  if (match === null) {
    throw invalid(`${what} must be a positive decimal with at most 9 decimals`, {
      [what]: text,
    });
  }
  const fraction = (match[2] ?? '').padEnd(EPSILON_DECIMALS, '0');
  const units = BigInt(match[1]!) * EPSILON_SCALE + BigInt(fraction);
  if (units === 0n) throw invalid(`${what} must be positive`, { [what]: text });
  return units;
}

/** Nano-units as a decimal string (`1500000000n` → `"1.5"`). */
export function formatUnits(units: bigint): string {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const whole = magnitude / EPSILON_SCALE;
  const fraction = (magnitude % EPSILON_SCALE)
    .toString()
    .padStart(EPSILON_DECIMALS, '0')
    .replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** @throws PRIVACY_INVALID_ARGUMENT for anything but a decimal string of moderate size. */
export function parseSignalValue(text: string): number {
  if (!DecimalStringSchema.safeParse(text).success) {
    throw invalid('a signal value is a decimal string', { value: text.slice(0, 64) });
  }
  const value = Number(text);
  if (!(Math.abs(value) < MAX_ABS_VALUE)) {
    throw invalid('a signal value must be below 1e12 in magnitude', { value: text.slice(0, 64) });
  }
  return value;
}

/**
 * Uniform in the open interval (0, 1): (k + ½)/2^52 for 52 random bits k. Both ends are excluded
 * and every step below is exact in a double, so the logarithm in {@link sampleLaplace} is finite.
 */
export function drawOpenUnit(rng: Rng): number {
  const bytes = rng.fill(new Uint8Array(7));
  let k = 0;
  for (let i = 0; i < 6; i++) k = k * 256 + bytes[i]!;
  k = k * 16 + (bytes[6]! & 0x0f);
  return (k + 0.5) / 2 ** 52;
}

/**
 * One draw of Laplace(0, scale) by the inverse CDF: −b·sgn(u)·ln(1 − 2|u|), u uniform in
 * (−½, ½). `Math.log` is V8's port of fdlibm, the same on every platform Node runs on, so a
 * seed gives the same noise everywhere; the released value is rounded to RELEASE_DECIMALS besides.
 */
export function sampleLaplace(scale: number, rng: Rng): number {
  const u = drawOpenUnit(rng) - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

/** b = Δ/ε of the Laplace mechanism, for sensitivity and ε in nano-units. */
export function laplaceScale(sensitivityUnits: bigint, epsilonUnits: bigint): number {
  return Number(sensitivityUnits) / Number(epsilonUnits);
}
