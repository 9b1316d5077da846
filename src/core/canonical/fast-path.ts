/**
 * The common case of canonicalisation in one lean pass: plain objects, arrays, well-formed
 * strings, safe numbers, booleans and null, with no walk state, fault bookkeeping or cycle checks.
 * It gives up (undefined) on anything the careful walk of ./canonicalize.ts must look at — a value
 * it rejects, or nesting deeper than FAST_MAX_DEPTH, which is also how a cycle ends up there — so
 * errors, and their paths, come from one place only. Where it answers, it writes exactly what the
 * careful walk writes (pinned by a property test).
 */
import { isWellFormed, NOT_VERBATIM_RE } from './string.js';

/** Deeper values go to the careful walk; no record of ours nests half this deep. */
const FAST_MAX_DEPTH = 32;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Quoted member names with their colon, by name. Records reuse a few dozen names, and the lookup
 * costs a third of testing and quoting the name again. Bounded: past the limit names are quoted
 * each time.
 */
const MEMBER_PREFIXES = new Map<string, MemberPrefix>();
const MEMBER_PREFIXES_MAX = 4096;

/**
 * A member name quoted with its colon, alone (the first member) and after a comma: one string
 * concatenation less per member, about a tenth of canonicalising a payload.
 */
interface MemberPrefix {
  readonly first: string;
  readonly next: string;
}

function memberPrefix(key: string): MemberPrefix | undefined {
  const known = MEMBER_PREFIXES.get(key);
  if (known !== undefined) return known;
  const quoted = quoteFast(key);
  if (quoted === undefined) return undefined;
  const prefix = { first: quoted + ':', next: ',' + quoted + ':' };
  if (MEMBER_PREFIXES.size < MEMBER_PREFIXES_MAX) MEMBER_PREFIXES.set(key, prefix);
  return prefix;
}

/** RFC 8785 §3.2.2.2 quoting of a well-formed string; undefined for a lone surrogate. */
export function quoteFast(s: string): string | undefined {
  if (!NOT_VERBATIM_RE.test(s)) return '"' + s + '"';
  return isWellFormed(s) ? JSON.stringify(s) : undefined;
}

/** The RFC 8785 text of `value`, or undefined when the careful walk has to decide. */
export function writeFast(
  value: unknown,
  allowUnsafeIntegers: boolean,
  depth = 0,
): string | undefined {
  switch (typeof value) {
    case 'string':
      return quoteFast(value);
    case 'number':
      if (value <= MAX_SAFE && value >= -MAX_SAFE) return String(value);
      return allowUnsafeIntegers && Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth >= FAST_MAX_DEPTH) return undefined;
      if (Array.isArray(value)) return writeArrayFast(value, allowUnsafeIntegers, depth + 1);
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return undefined;
      return writeObjectFast(value, allowUnsafeIntegers, depth + 1);
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      return undefined;
  }
}

function writeArrayFast(
  array: readonly unknown[],
  allowUnsafeIntegers: boolean,
  depth: number,
): string | undefined {
  const n = array.length;
  if (n === 0) return '[]';
  let out = writeFast(array[0], allowUnsafeIntegers, depth);
  if (out === undefined) return undefined;
  out = '[' + out;
  for (let i = 1; i < n; i++) {
    const item = writeFast(array[i], allowUnsafeIntegers, depth);
    if (item === undefined) return undefined;
    out += ',' + item;
  }
  return out + ']';
}

function writeObjectFast(
  object: object,
  allowUnsafeIntegers: boolean,
  depth: number,
): string | undefined {
  const keys = Object.keys(object);
  const n = keys.length;
  if (n === 0) return '{}';
  if (n > SMALL_SORT_MAX) keys.sort();
  else insertionSort(keys);
  const record = object as Readonly<Record<string, unknown>>;
  let out = '{';
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const prefix = memberPrefix(key);
    if (prefix === undefined) return undefined;
    const member = writeFast(record[key], allowUnsafeIntegers, depth);
    if (member === undefined) return undefined;
    out += (i === 0 ? prefix.first : prefix.next) + member;
  }
  return out + '}';
}

/** Member order of RFC 8785 §3.2.3: by UTF-16 code units, as `<` on strings compares. */
function insertionSort(keys: string[]): void {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
}

const SMALL_SORT_MAX = 24;
