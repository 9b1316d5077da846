/**
 * @module
 * The instruments a FIX venue gateway offers, each with the tick size its prices are written in
 * and the lot size of its quantities, and the exact decimal arithmetic of the fields that leave
 * the tick grid (AvgPx 6, Commission 12): bigint mantissas, never binary floats.
 */
import { InputError } from '../../../core/index.js';
import type { Venue } from '../../../exchange/index.js';
import type { DecimalScale, InstrumentScales } from '../app/decimal-scale.js';

const STEP = /^(\d+)(?:\.(\d+))?$/;

/**
 * The scales of each offered instrument, in symbol order.
 * @throws InputError FIX_GATEWAY_INVALID_CONFIG for no instrument or one the venue does not list.
 */
export function resolveScales(
  venue: Venue,
  scales: Readonly<Record<string, InstrumentScales>>,
): ReadonlyMap<string, InstrumentScales> {
  const symbols = Object.keys(scales).sort();
  if (symbols.length === 0) {
    throw new InputError('FIX_GATEWAY_INVALID_CONFIG', 'a gateway offers instruments', {
      details: { venue: venue.mic },
    });
  }
  const listed = new Set(venue.instruments);
  const resolved = new Map<string, InstrumentScales>();
  for (const symbol of symbols) {
    if (!listed.has(symbol)) {
      throw new InputError(
        'FIX_GATEWAY_INVALID_CONFIG',
        'the venue does not list this instrument',
        {
          details: { venue: venue.mic, symbol },
        },
      );
    }
    resolved.set(symbol, scales[symbol]!);
  }
  return resolved;
}

/** A decimal value as mantissa × 10^-decimals. */
interface Fixed {
  readonly mantissa: bigint;
  readonly decimals: number;
}

function fixedOf(step: string): Fixed {
  const m = STEP.exec(step);
  return { mantissa: BigInt(`${m?.[1] ?? '0'}${m?.[2] ?? ''}`), decimals: m?.[2]?.length ?? 0 };
}

/** `mantissa × 10^-decimals` as text, trailing fraction zeros dropped below `minDecimals`. */
function formatFixed(mantissa: bigint, decimals: number, minDecimals: number): string {
  const negative = mantissa < 0n;
  const digits = (negative ? -mantissa : mantissa).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  let fraction = digits.slice(digits.length - decimals);
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const text = fraction.length === 0 ? whole : `${whole}.${fraction}`;
  return negative && /[1-9]/.test(digits) ? `-${text}` : text;
}

/** Digits AvgPx carries below the tick: an average of fills is off the tick grid. */
const AVG_PX_EXTRA_DECIMALS = 6;

/**
 * AvgPx (6) of fills worth `notionalTickLots` (Σ priceTicks × qtyLots) over `cumLots`: exact
 * when it terminates within six digits below the tick, else rounded half up there.
 */
export function toAvgPx(notionalTickLots: bigint, cumLots: number, price: DecimalScale): string {
  if (cumLots === 0) return '0';
  const step = fixedOf(price.step);
  const numerator = notionalTickLots * step.mantissa * 10n ** BigInt(AVG_PX_EXTRA_DECIMALS);
  const cum = BigInt(cumLots);
  const mantissa = (2n * numerator + cum) / (2n * cum);
  return formatFixed(mantissa, step.decimals + AVG_PX_EXTRA_DECIMALS, step.decimals);
}

/** Decimal places of a centitick: CENTITICKS_PER_TICK is 10^2. */
const CENTITICK_DECIMALS = 2;

/**
 * Commission (12) of a fill, in price units: the venue's fee in hundredths of a tick times the
 * tick size, exactly (negative for a rebate).
 */
export function toCommission(feeCentiTicks: bigint, price: DecimalScale): string {
  const step = fixedOf(price.step);
  return formatFixed(feeCentiTicks * step.mantissa, step.decimals + CENTITICK_DECIMALS, 0);
}
