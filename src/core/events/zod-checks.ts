/**
 * @module
 * zod's checks on a value — string and array lengths, patterns, number formats and bounds — as
 * plain predicates, each deciding exactly as zod 4 does, for ./fast-check.ts. A check this module
 * does not model throws {@link Unsupported}, and the schema holding it does not compile.
 */

/** Holds only if the schema accepts the value and its output would equal it member for member. */
export type FastCheck = (value: unknown) => boolean;

/** Thrown inside the compiler for a part it does not model; never escapes it. */
export class Unsupported extends Error {}

interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly length?: number;
  readonly value?: unknown;
  readonly inclusive?: boolean;
}

/** A check as a schema's `_zod.def.checks` holds it. */
export interface ZodCheck {
  readonly _zod: { readonly def: CheckDef };
}

export type Checked = 'string' | 'number' | 'array';

/** The base test, then each of zod's checks on the value, in order. */
export function withChecks(
  base: FastCheck,
  checks: readonly ZodCheck[] | undefined,
  kind: Checked,
): FastCheck {
  const tests = (checks ?? []).map((check) => checkTest(check._zod.def, kind));
  if (tests.length === 0) return base;
  return (value) => {
    if (!base(value)) return false;
    for (const test of tests) if (!test(value)) return false;
    return true;
  };
}

/**
 * A check's own `when` is ignored: it only ever lets zod skip the check (zod's length checks skip
 * a value without a length), so applying the check regardless is at most stricter than zod.
 */
function checkTest(check: CheckDef, kind: Checked): FastCheck {
  switch (check.check) {
    case 'min_length': {
      if (kind === 'number') throw new Unsupported();
      const minimum = check.minimum!;
      if (kind === 'array') return (value) => (value as readonly unknown[]).length >= minimum;
      // zod counts a string's code points where that can change the verdict.
      return (value) => {
        const units = (value as string).length;
        const length =
          units >= minimum && units < minimum * 2 ? codePointLength(value as string) : units;
        return length >= minimum;
      };
    }
    case 'max_length': {
      if (kind === 'number') throw new Unsupported();
      const maximum = check.maximum!;
      if (kind === 'array') return (value) => (value as readonly unknown[]).length <= maximum;
      return (value) => {
        const units = (value as string).length;
        return (units > maximum ? codePointLength(value as string) : units) <= maximum;
      };
    }
    case 'length_equals': {
      if (kind === 'number') throw new Unsupported();
      const length = check.length!;
      if (kind === 'array') return (value) => (value as readonly unknown[]).length === length;
      return (value) => {
        const units = (value as string).length;
        const counted =
          units >= length && units <= length * 2 ? codePointLength(value as string) : units;
        return counted === length;
      };
    }
    case 'string_format': {
      if (kind !== 'string' || check.format !== 'regex' || !(check.pattern instanceof RegExp)) {
        throw new Unsupported();
      }
      const pattern = check.pattern;
      return (value) => {
        // As zod does: a global or sticky pattern would otherwise test from its last match.
        pattern.lastIndex = 0;
        return pattern.test(value as string);
      };
    }
    case 'number_format':
      // safeint is the only format .int() makes; the others have ranges of their own.
      if (kind !== 'number' || check.format !== 'safeint') throw new Unsupported();
      return (value) => Number.isSafeInteger(value);
    case 'greater_than': {
      if (kind !== 'number' || typeof check.value !== 'number') throw new Unsupported();
      const bound = check.value;
      return check.inclusive === true
        ? (value) => (value as number) >= bound
        : (value) => (value as number) > bound;
    }
    case 'less_than': {
      if (kind !== 'number' || typeof check.value !== 'number') throw new Unsupported();
      const bound = check.value;
      return check.inclusive === true
        ? (value) => (value as number) <= bound
        : (value) => (value as number) < bound;
    }
    default:
      throw new Unsupported();
  }
}

/** Code points, a lone surrogate counting as one: how zod measures a string's length. */
function codePointLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}
