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

export function toFixMessage(msgType: string, fields: readonly FixField[]): FixMessage {
  return {
    msgType,
    fields,
    get: (tag) => fields.find(([t]) => t === tag)?.[1],
    getAll: (tag) => fields.filter(([t]) => t === tag).map(([, value]) => value),
  };
}
