/**
 * Comparing a received message with a script's expected line. Lenient: as tag → value maps, order
 * ignored, 9, 10, 52, 60 and 122 skipped, Text (58) matched as a prefix, the same set of tags.
 * Strict: the same tags in the same order and byte-equal values except 10, 52, 42, 60 and 122
 * (BodyLength compared, so SendingTime must carry milliseconds as the scripts' do).
 */
import { completeMessage } from './script.js';

export type CompareMode = 'lenient' | 'strict';

export interface Mismatch {
  readonly tag?: number;
  readonly message: string;
}

type Field = readonly [tag: number, value: string];

const LENIENT_SKIPPED = new Set([9, 10, 52, 60, 122]);
const STRICT_SKIPPED = new Set([10, 52, 42, 60, 122]);

/** Splits SOH-separated tag=value text; a field without '=' keeps its text as the value. */
export function splitMessage(text: string): Field[] {
  return text
    .split('\x01')
    .filter((part) => part !== '')
    .map((part): Field => {
      const eq = part.indexOf('=');
      return eq < 0 ? [Number.NaN, part] : [Number(part.slice(0, eq)), part.slice(eq + 1)];
    });
}

function render(fields: readonly Field[]): string {
  return fields.map(([tag, value]) => `${tag}=${value}`).join('|');
}

function compareLenient(
  expected: readonly Field[],
  actual: readonly Field[],
): Mismatch | undefined {
  const actualValues = new Map<number, string>();
  for (const [tag, value] of actual) if (!actualValues.has(tag)) actualValues.set(tag, value);
  const expectedTags = new Set<number>();
  for (const [tag, value] of expected) {
    if (LENIENT_SKIPPED.has(tag)) continue;
    expectedTags.add(tag);
    const got = actualValues.get(tag);
    if (got === undefined) return { tag, message: `missing tag ${tag} (expected ${value})` };
    const matches = tag === 58 ? got.startsWith(value) : got === value;
    if (!matches) return { tag, message: `tag ${tag}: expected ${value}, got ${got}` };
  }
  for (const [tag, value] of actual) {
    if (!LENIENT_SKIPPED.has(tag) && !expectedTags.has(tag)) {
      return { tag, message: `unexpected tag ${tag}=${value}` };
    }
  }
  return undefined;
}

function compareStrict(expected: readonly Field[], actual: readonly Field[]): Mismatch | undefined {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const want = expected[i];
    const got = actual[i];
    if (want === undefined || got === undefined || want[0] !== got[0]) {
      return {
        ...(want === undefined ? {} : { tag: want[0] }),
        message: `field ${i + 1}: expected ${want === undefined ? 'end' : `${want[0]}=`}, got ${
          got === undefined ? 'end' : `${got[0]}=${got[1]}`
        }`,
      };
    }
    if (!STRICT_SKIPPED.has(want[0]) && want[1] !== got[1]) {
      return { tag: want[0], message: `tag ${want[0]}: expected ${want[1]}, got ${got[1]}` };
    }
  }
  return undefined;
}

/** The first difference between an expected line and a received message, or undefined. */
export function compareMessage(
  expectedText: string,
  actualBytes: Uint8Array,
  mode: CompareMode,
): Mismatch | undefined {
  const actual = splitMessage(new TextDecoder().decode(actualBytes));
  const expectedSource =
    mode === 'strict' ? new TextDecoder().decode(completeMessage(expectedText)) : expectedText;
  const expected = splitMessage(expectedSource);
  const mismatch =
    mode === 'strict' ? compareStrict(expected, actual) : compareLenient(expected, actual);
  if (mismatch === undefined) return undefined;
  return { ...mismatch, message: `${mismatch.message}; received ${render(actual)}` };
}
