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
  const names = Object.keys(object);
  if (names.length === 0) return '{}';
  const shape = shapeOf(names);
  if (shape === undefined) return undefined;
  const { sorted, prefixes } = shape;
  const record = object as Readonly<Record<string, unknown>>;
  let out = '{';
  for (let i = 0; i < sorted.length; i++) {
    const member = writeFast(record[sorted[i]!], allowUnsafeIntegers, depth);
    if (member === undefined) return undefined;
    out += prefixes[i]! + member;
  }
  return out + '}';
}

/**
 * An object's member names as Object.keys lists them, in RFC 8785 order, and quoted with their
 * colon (after a comma but the first): the same for every object with the same names in the same
 * order, which records of one kind are.
 */
interface ObjectShape {
  readonly names: readonly string[];
  readonly sorted: readonly string[];
  readonly prefixes: readonly string[];
}

/**
 * Shapes seen, by their first name. Sorting an object's names and finding each one's quoted form
 * cost more than writing its members; a shape is found by one lookup and a walk of its names.
 * Bounded: past the limits, shapes are worked out each time.
 */
const SHAPES = new Map<string, ObjectShape[]>();
const SHAPES_MAX = 4096;
const SHAPES_PER_NAME = 8;
let shapesKept = 0;

/** The shape of an object whose Object.keys are `names` (not empty); undefined for a lone surrogate. */
function shapeOf(names: string[]): ObjectShape | undefined {
  const bucket = SHAPES.get(names[0]!);
  if (bucket !== undefined) {
    for (const shape of bucket) if (sameNames(shape.names, names)) return shape;
  }
  const sorted = names.slice();
  if (sorted.length > SMALL_SORT_MAX) sorted.sort();
  else insertionSort(sorted);
  const prefixes: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const prefix = memberPrefix(sorted[i]!);
    if (prefix === undefined) return undefined;
    prefixes.push(i === 0 ? prefix.first : prefix.next);
  }
  const shape: ObjectShape = { names, sorted, prefixes };
  if (shapesKept < SHAPES_MAX && (bucket?.length ?? 0) < SHAPES_PER_NAME) {
    if (bucket === undefined) SHAPES.set(names[0]!, [shape]);
    else bucket.push(shape);
    shapesKept++;
  }
  return shape;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
