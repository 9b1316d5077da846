/**
 * @module
 * The RFC 8785 (JCS) serialiser: a single recursive walk that validates and writes in one pass,
 * behind the lean pass of ./fast-path.ts that writes the common case without its bookkeeping.
 * It accepts only what JSON can carry exactly, so two implementations in any language produce the
 * same bytes for the same record; everything else is a typed error with the path to the value.
 */
import { writeFast } from './fast-path.js';
import { CanonicalFault } from './fault.js';
import { writeNumber } from './number.js';
import { quoteString } from './string.js';

export interface CanonicalizeOptions {
  /**
   * Accept integer-valued numbers beyond ±(2^53−1). Off for our own records, which must read back
   * identically in every language; on for RFC 8785's own conformance data.
   */
  readonly allowUnsafeIntegers?: boolean;
}

interface Walk {
  readonly allowUnsafeIntegers: boolean;
  /** Containers from the root to the current one; `depth` is how many are live. */
  readonly ancestors: object[];
  depth: number;
}

/**
 * The RFC 8785 serialisation of `value`.
 *
 * @throws InputError with `details.path` (an RFC 6901 pointer) and one of the codes
 *   CANONICAL_NON_FINITE_NUMBER, CANONICAL_UNSAFE_INTEGER, CANONICAL_LONE_SURROGATE,
 *   CANONICAL_UNSUPPORTED_VALUE (undefined, functions, symbols, bigint, non-plain objects) or
 *   CANONICAL_CYCLE.
 */
export function canonicalize(value: unknown, options?: CanonicalizeOptions): string {
  const allowUnsafeIntegers = options?.allowUnsafeIntegers === true;
  // Nearly every value takes the lean pass; what it declines, the walk below writes or rejects.
  const fast = writeFast(value, allowUnsafeIntegers);
  return fast ?? canonicalizeCarefully(value, allowUnsafeIntegers);
}

/** The careful walk alone: what {@link canonicalize} falls back to (exported for its tests). */
export function canonicalizeCarefully(value: unknown, allowUnsafeIntegers: boolean): string {
  const walk: Walk = {
    allowUnsafeIntegers,
    ancestors: [],
    depth: 0,
  };
  try {
    return write(value, walk);
  } catch (error) {
    throw error instanceof CanonicalFault ? error.toInputError() : error;
  }
}

const encoder = new TextEncoder();

/** UTF-8 bytes of {@link canonicalize}; RFC 8785 §3.2.3 fixes the encoding. */
export function canonicalBytes(value: unknown, options?: CanonicalizeOptions): Uint8Array {
  return encoder.encode(canonicalize(value, options));
}

function write(value: unknown, walk: Walk): string {
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      return writeNumber(value, walk.allowUnsafeIntegers);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? writeArray(value, walk) : writeObject(value, walk);
    case 'bigint':
      throw new CanonicalFault(
        'CANONICAL_UNSUPPORTED_VALUE',
        'bigint has no exact JSON number form; convert it to a decimal string',
        { type: 'bigint' },
      );
    case 'undefined':
    case 'function':
    case 'symbol':
      throw new CanonicalFault('CANONICAL_UNSUPPORTED_VALUE', `${typeof value} is not JSON`, {
        type: typeof value,
      });
  }
}

function writeArray(array: readonly unknown[], walk: Walk): string {
  enter(array, walk);
  let out = '[';
  let i = 0;
  try {
    for (; i < array.length; i++) {
      if (i > 0) out += ',';
      out += write(array[i], walk);
    }
  } catch (error) {
    if (error instanceof CanonicalFault) error.segments.push(String(i));
    throw error;
  }
  walk.depth--;
  return out + ']';
}

function writeObject(object: object, walk: Walk): string {
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) {
    const ctor: unknown = (object as { readonly constructor?: unknown }).constructor;
    const type = typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'object';
    throw new CanonicalFault('CANONICAL_UNSUPPORTED_VALUE', `${type} is not a plain object`, {
      type,
    });
  }
  enter(object, walk);
  const keys = sortKeys(Object.keys(object));
  const record = object as Readonly<Record<string, unknown>>;
  let out = '{';
  let i = 0;
  try {
    for (; i < keys.length; i++) {
      const key = keys[i] as string;
      if (i > 0) out += ',';
      out += quoteString(key) + ':' + write(record[key], walk);
    }
  } catch (error) {
    if (error instanceof CanonicalFault) error.segments.push(keys[i] as string);
    throw error;
  }
  walk.depth--;
  return out + '}';
}

/**
 * RFC 8785 §3.2.3: members sorted by their names as arrays of UTF-16 code units, which is what
 * JavaScript's relational string comparison and the default sort order do (never localeCompare).
 * Our records have a dozen keys per object, where a plain insertion sort beats the call into the
 * built-in sort by about a tenth of the whole serialisation.
 */
function sortKeys(keys: string[]): string[] {
  const n = keys.length;
  if (n > SMALL_SORT_MAX) return keys.sort();
  for (let i = 1; i < n; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

const SMALL_SORT_MAX = 24;

/** Containers allowed inside one another. */
export const MAX_DEPTH = 1000;

/** Only the current chain of containers counts: a value shared by two siblings is not a cycle. */
function enter(container: object, walk: Walk): void {
  const { ancestors, depth } = walk;
  // Deep enough for any record, shallow enough to stay far from the engine's stack limit, which
  // would otherwise surface as a bare RangeError instead of a code.
  if (depth >= MAX_DEPTH) {
    throw new CanonicalFault('CANONICAL_TOO_DEEP', `nesting deeper than ${MAX_DEPTH} levels`, {});
  }
  for (let i = 0; i < depth; i++) {
    if (ancestors[i] === container) {
      throw new CanonicalFault('CANONICAL_CYCLE', 'value contains itself');
    }
  }
  ancestors[depth] = container;
  walk.depth = depth + 1;
}
