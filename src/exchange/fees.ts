/**
 * @module
 * Maker/taker fees in exact integers. A rate is in hundredths of a tick per lot ("centiticks"),
 * negative for a rebate; a fill's fee is `qtyLots × rate`, a `bigint` of centiticks, so no fill
 * size can round or overflow it. Fees end up in hashed execution records, where binary floats
 * are banned; {@link toFeeDecimal} gives the decimal-string form those records carry.
 */
import { InputError } from '../core/index.js';
import type { Liquidity } from './events.js';

/** Hundredths of a tick in one tick. */
export const CENTITICKS_PER_TICK = 100;

/** The largest rate magnitude accepted: a million ticks per lot is no longer a fee. */
const MAX_RATE_CENTITICKS_PER_LOT = 100_000_000;

export interface FeeSchedule {
  /** Charged to the resting order of a trade; negative for a rebate. */
  readonly makerCentiTicksPerLot: number;
  /** Charged to the aggressor of a trade; negative for a rebate. */
  readonly takerCentiTicksPerLot: number;
}

/** No fees at all. */
export const ZERO_FEES: FeeSchedule = { makerCentiTicksPerLot: 0, takerCentiTicksPerLot: 0 };

/** @throws InputError `VENUE_INVALID_CONFIG` unless both rates are integers of sane size. */
export function assertFeeSchedule(fees: FeeSchedule): void {
  for (const [name, rate] of [
    ['makerCentiTicksPerLot', fees.makerCentiTicksPerLot],
    ['takerCentiTicksPerLot', fees.takerCentiTicksPerLot],
  ] as const) {
    if (!Number.isSafeInteger(rate) || Math.abs(rate) > MAX_RATE_CENTITICKS_PER_LOT) {
      throw new InputError('VENUE_INVALID_CONFIG', `fee rate ${name} must be an integer`, {
        details: { [name]: String(rate), max_abs: MAX_RATE_CENTITICKS_PER_LOT },
      });
    }
  }
}

/** The fee, in centiticks, of one fill of `qtyLots` with this liquidity. */
export function feeForFill(fees: FeeSchedule, liquidity: Liquidity, qtyLots: number): bigint {
  const rate = liquidity === 'maker' ? fees.makerCentiTicksPerLot : fees.takerCentiTicksPerLot;
  return BigInt(qtyLots) * BigInt(rate);
}

/**
 * A fee in centiticks as a decimal string in ticks: `-250n` → `"-2.5"`, `3n` → `"0.03"`,
 * `0n` → `"0"`. The shape matches the ledger's decimal strings (no exponent, no trailing zeros).
 */
export function toFeeDecimal(feeCentiTicks: bigint): string {
  const negative = feeCentiTicks < 0n;
  const magnitude = negative ? -feeCentiTicks : feeCentiTicks;
  const per = BigInt(CENTITICKS_PER_TICK);
  const whole = magnitude / per;
  const fraction = (magnitude % per).toString().padStart(2, '0').replace(/0+$/, '');
  const text = fraction === '' ? whole.toString() : `${whole}.${fraction}`;
  return negative && magnitude !== 0n ? `-${text}` : text;
}
