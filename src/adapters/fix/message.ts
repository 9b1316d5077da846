/**
 * @module
 * The decoded form of a FIX message and the typed errors of this adapter.
 */
import { type ErrorCode, InputError } from '../../core/index.js';

/** One tag=value pair, in wire order. */
export type FixField = readonly [tag: number, value: string];

export interface FixMessage {
  /** MsgType (35). */
  readonly msgType: string;
  /** Every field in wire order, header and trailer included; duplicates preserved. */
  readonly fields: readonly FixField[];
  /** The first value of `tag`, or undefined. */
  get(tag: number): string | undefined;
  /** Every value of `tag`, in order. */
  getAll(tag: number): readonly string[];
}

export interface FixErrorDetails {
  readonly tag?: number;
  readonly expected?: string | number;
  readonly actual?: string | number;
}

export function fixError(
  code: ErrorCode & `FIX_${string}`,
  message: string,
  details: FixErrorDetails = {},
): InputError {
  return new InputError(code, message, { details: { ...details } });
}

/**
 * Lookups scan the fields: a message holds a few dozen at most, where a linear scan beats building
 * an index for every decoded message.
 */
class FieldList implements FixMessage {
  readonly msgType: string;
  readonly fields: readonly FixField[];

  constructor(msgType: string, fields: readonly FixField[]) {
    this.msgType = msgType;
    this.fields = fields;
  }

  get(tag: number): string | undefined {
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      if (field[0] === tag) return field[1];
    }
    return undefined;
  }

  getAll(tag: number): readonly string[] {
    const out: string[] = [];
    for (const [t, value] of this.fields) if (t === tag) out.push(value);
    return out;
  }
}

export function toFixMessage(msgType: string, fields: readonly FixField[]): FixMessage {
  return new FieldList(msgType, fields);
}
