/**
 * @module
 * Shared machinery of the application messages: two-way tables between FIX enumerated values and
 * our names, a field reader that turns absent, malformed or unknown values into typed errors
 * naming the tag, and the final zod check of a parsed message whose failures name a tag too.
 */
import type { z } from 'zod';

import { fixError, type FixField, type FixMessage, toFixMessage } from '../message.js';
import { formatUtcTimestamp, parseUtcTimestamp } from '../timestamps.js';
import type { InstrumentScales } from './decimal-scale.js';

/** A FIX enumerated field's values and the names we use for them. */
export class WireCodes<Name extends string> {
  readonly #toWire: ReadonlyMap<Name, string>;
  readonly #fromWire: ReadonlyMap<string, Name>;

  constructor(entries: Readonly<Record<Name, string>>) {
    const pairs = Object.entries(entries) as [Name, string][];
    this.#toWire = new Map(pairs);
    this.#fromWire = new Map(pairs.map(([name, code]) => [code, name]));
  }

  toWire(name: Name): string {
    return this.#toWire.get(name) ?? '';
  }

  /** @throws InputError FIX_BAD_VALUE for a value outside the table. */
  fromWire(code: string, tag: number): Name {
    const name = this.#fromWire.get(code);
    if (name === undefined) {
      throw fixError('FIX_BAD_VALUE', `tag ${tag}: unsupported value ${JSON.stringify(code)}`, {
        tag,
        actual: code,
      });
    }
    return name;
  }
}

const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)$/;
const INTEGER = /^-?\d{1,15}$/;

/** Reads typed values from a message or one repeating-group instance. */
export class FieldReader {
  readonly #source: FixMessage;
  readonly #scales: InstrumentScales | undefined;

  constructor(source: FixMessage | readonly FixField[], scales?: InstrumentScales) {
    this.#source = Array.isArray(source) ? toFixMessage('', source) : (source as FixMessage);
    this.#scales = scales;
  }

  optional(tag: number): string | undefined {
    return this.#source.get(tag);
  }

  /** @throws InputError FIX_MISSING_TAG */
  required(tag: number): string {
    const value = this.#source.get(tag);
    if (value === undefined) throw fixError('FIX_MISSING_TAG', `tag ${tag} is required`, { tag });
    return value;
  }

  code<Name extends string>(tag: number, codes: WireCodes<Name>): Name {
    return codes.fromWire(this.required(tag), tag);
  }

  optionalCode<Name extends string>(tag: number, codes: WireCodes<Name>): Name | undefined {
    const value = this.optional(tag);
    return value === undefined ? undefined : codes.fromWire(value, tag);
  }

  ticks(tag: number): number {
    return this.#scalesOf(tag).price.fromWire(this.required(tag), tag);
  }

  optionalTicks(tag: number): number | undefined {
    return this.optional(tag) === undefined ? undefined : this.ticks(tag);
  }

  lots(tag: number): number {
    return this.#scalesOf(tag).qty.fromWire(this.required(tag), tag);
  }

  optionalLots(tag: number): number | undefined {
    return this.optional(tag) === undefined ? undefined : this.lots(tag);
  }

  /** @throws InputError FIX_BAD_FORMAT for a value that is not a UTCTimestamp. */
  timestamp(tag: number): bigint {
    const text = this.required(tag);
    const ns = parseUtcTimestamp(text);
    if (ns === undefined) {
      throw fixError('FIX_BAD_FORMAT', `tag ${tag}: not a UTCTimestamp`, { tag, actual: text });
    }
    return ns;
  }

  optionalTimestamp(tag: number): bigint | undefined {
    return this.optional(tag) === undefined ? undefined : this.timestamp(tag);
  }

  /** @throws InputError FIX_BAD_FORMAT for a value that is not an integer. */
  int(tag: number): number {
    const text = this.required(tag);
    if (!INTEGER.test(text)) {
      throw fixError('FIX_BAD_FORMAT', `tag ${tag}: not an integer`, { tag, actual: text });
    }
    return Number(text);
  }

  optionalInt(tag: number): number | undefined {
    return this.optional(tag) === undefined ? undefined : this.int(tag);
  }

  /** A decimal kept as its text (AvgPx is not on the tick grid). @throws FIX_BAD_FORMAT */
  decimal(tag: number): string {
    const text = this.required(tag);
    if (!DECIMAL.test(text)) {
      throw fixError('FIX_BAD_FORMAT', `tag ${tag}: not a decimal`, { tag, actual: text });
    }
    return text;
  }

  #scalesOf(tag: number): InstrumentScales {
    if (this.#scales === undefined) {
      throw fixError('FIX_BAD_VALUE', `tag ${tag}: no instrument scales to read it with`, { tag });
    }
    return this.#scales;
  }
}

/** `{ [key]: value }` when value is defined, else `{}`: optional keys stay absent. */
export function optionalEntry<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Issue params that mark a conditionally required field as missing rather than wrong. */
export const MISSING = { missing: true } as const;

/**
 * The final zod check of a parsed message. The first issue becomes FIX_MISSING_TAG (a custom
 * issue with {@link MISSING} params) or FIX_BAD_VALUE, naming the tag of the key it is about.
 */
export function checkParsed<T>(
  schema: z.ZodType<T>,
  candidate: unknown,
  tags: Readonly<Record<string, number>>,
): T {
  const result = schema.safeParse(candidate);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? '');
  const tag = tags[key];
  const missing = issue?.code === 'custom' && issue.params?.['missing'] === true;
  throw fixError(
    missing ? 'FIX_MISSING_TAG' : 'FIX_BAD_VALUE',
    `${key}: ${issue?.message ?? 'invalid'}`,
    tag === undefined ? {} : { tag },
  );
}

/** `[tag, value]` when value is defined: for optional fields of a body. */
export function fieldIf(tag: number, value: string | undefined): FixField[] {
  return value === undefined ? [] : [[tag, value]];
}

/** A UTCTimestamp (millisecond precision, FIX 4.4) of epoch nanoseconds. */
export function toWireTimestamp(ns: bigint): string {
  return formatUtcTimestamp(ns);
}

/** @throws InputError FIX_UNSUPPORTED_MSG_TYPE when `message` is not of `msgType`. */
export function expectMsgType(message: FixMessage, msgType: string): void {
  if (message.msgType !== msgType) {
    throw fixError(
      'FIX_UNSUPPORTED_MSG_TYPE',
      `expected MsgType ${msgType}, got ${message.msgType}`,
      {
        tag: 35,
        expected: msgType,
        actual: message.msgType,
      },
    );
  }
}
