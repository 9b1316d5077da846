/**
 * @module
 * Where two JSON values differ, as RFC 6901 pointers with the value on each side: what a
 * divergence report shows of an expected and an actual payload. Keys are compared in sorted
 * order, so the report does not depend on the order members were written in.
 */
import type { JsonValue } from '../core/index.js';

export interface JsonDifference {
  readonly path: string;
  /** Absent on this side: `null` with `missing` naming the side. */
  readonly expected: JsonValue | null;
  readonly actual: JsonValue | null;
  readonly missing?: 'expected' | 'actual';
}

function pointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asJson(value: unknown): JsonValue {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  ) as JsonValue;
}

/** At most `limit` differences, depth first in key order. */
export function diffJson(
  expected: unknown,
  actual: unknown,
  limit = 50,
  path = '',
): JsonDifference[] {
  const out: JsonDifference[] = [];
  const walk = (a: unknown, b: unknown, at: string): void => {
    if (out.length >= limit) return;
    if (isObject(a) && isObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) {
        const here = pointer(at, key);
        if (!Object.hasOwn(b, key))
          out.push({ path: here, expected: asJson(a[key]), actual: null, missing: 'actual' });
        else if (!Object.hasOwn(a, key))
          out.push({ path: here, expected: null, actual: asJson(b[key]), missing: 'expected' });
        else walk(a[key], b[key], here);
        if (out.length >= limit) return;
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const here = pointer(at, i);
        if (i >= b.length)
          out.push({ path: here, expected: asJson(a[i]), actual: null, missing: 'actual' });
        else if (i >= a.length)
          out.push({ path: here, expected: null, actual: asJson(b[i]), missing: 'expected' });
        else walk(a[i], b[i], here);
        if (out.length >= limit) return;
      }
      return;
    }
    if (a !== b && !(typeof a === 'bigint' && typeof b === 'bigint' && a === b)) {
      out.push({ path: at === '' ? '/' : at, expected: asJson(a), actual: asJson(b) });
    }
  };
  walk(expected, actual, path);
  return out;
}
