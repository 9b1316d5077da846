/**
 * Wire primitives shared by every event schema. Hashed records carry integers (ticks, lots) or
 * decimal strings, never binary floats: a float's text differs between languages and would make
 * the same event hash differently.
 */
import { z } from 'zod';

/** Integer nanoseconds as a decimal string: epoch ns (~1.7e18) is far above 2^53. */
const NS_TEXT_RE = /^(0|[1-9][0-9]{0,19})$/;

/** Nanosecond timestamp: a decimal string on the wire, a `bigint` in memory. */
export const TsNsSchema = z.codec(
  z.string().regex(NS_TEXT_RE, 'expected integer nanoseconds as a decimal string'),
  z.bigint().nonnegative().brand<'TsNs'>(),
  {
    decode: (text) => BigInt(text) as TsNs,
    encode: (value) => value.toString(),
  },
);
export type TsNs = bigint & z.$brand<'TsNs'>;

export function toTsNs(value: bigint): TsNs {
  return value as TsNs;
}

/** A decimal number as text: `-12.5`, `0.001`; no exponent, no leading zeros, no `+`. */
export const DecimalStringSchema = z
  .string()
  .regex(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/, 'expected a decimal string such as "12.5"');

/** Price in integer ticks of the instrument. */
export const PriceTicksSchema = z
  .number()
  .int()
  .min(-(2 ** 53) + 1)
  .max(2 ** 53 - 1);
/** Quantity in integer lots; a quantity of an order or fill is positive. */
export const QtyLotsSchema = z
  .number()
  .int()
  .positive()
  .max(2 ** 53 - 1);
/** A non-negative lot count (leaves, remaining). */
export const LotsSchema = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 53 - 1);

export const EVENT_ID_PREFIX = 'sha256:';
const EVENT_ID_RE = /^sha256:[0-9a-f]{64}$/;

/** Content id of an event: `sha256:` + hex SHA-256 of the canonical body. */
export const EventIdSchema = z
  .string()
  .regex(EVENT_ID_RE, 'expected sha256:<64 hex>')
  .brand<'EventId'>();
export type EventId = z.infer<typeof EventIdSchema>;

/** Entry hash as 64 lowercase hex characters. */
export const DigestHexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters')
  .brand<'DigestHex'>();
export type DigestHex = z.infer<typeof DigestHexSchema>;

/** Identifiers chosen by people or venues: printable, bounded, no control characters. */
export const NameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\p{Cc}]+$/u, 'control characters are not allowed');

export const SideSchema = z.enum(['buy', 'sell']);
export type Side = z.infer<typeof SideSchema>;
