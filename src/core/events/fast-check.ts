/**
 * @module
 * A zod schema compiled into a plain predicate that holds only for values the schema accepts
 * exactly as they are: no key stripped, no default filled in, nothing transformed. Parsing with
 * zod copies every object and array it walks and allocates a result per member, which made
 * validation the capture writer's largest single cost (about a fifth of its CPU); a value the
 * predicate accepts can be used as zod's output without that copy.
 *
 * The predicate is conservative by construction. It models the parts of zod our schemas use —
 * strings with length and pattern checks, safe-integer and bounded numbers, booleans, enums,
 * literals, null, unknown, optional, nullable, strict and loose objects, records, arrays, tuples,
 * unions — each exactly as zod 4 decides it, and a schema with anything else (a refinement, a
 * transform, a default, a coercion, a codec…) does not compile at all. Where it says no, zod
 * decides, and produces the error. A property test holds the two to the same verdicts and the
 * same canonical bytes.
 */
import type { z } from 'zod';

import { type FastCheck, Unsupported, withChecks, type ZodCheck } from './zod-checks.js';

export type { FastCheck } from './zod-checks.js';

/** Only what these code paths read from zod's (public, stable) `_zod.def`. */
interface Def {
  readonly type: string;
  /** Set on a schema that is itself a check (a string or number format). */
  readonly check?: string;
  readonly format?: string;
  readonly checks?: readonly ZodCheck[];
  readonly coerce?: boolean;
  readonly innerType?: Schema;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly catchall?: Schema;
  readonly element?: Schema;
  readonly items?: readonly Schema[];
  readonly rest?: Schema | null;
  readonly keyType?: Schema;
  readonly valueType?: Schema;
  readonly options?: readonly Schema[];
  readonly discriminator?: string;
  readonly unionFallback?: boolean;
  readonly mode?: string;
}

interface Schema {
  readonly _zod: {
    readonly def: Def;
    readonly optin?: string;
    readonly optout?: string;
    readonly values?: ReadonlySet<unknown>;
    /** The names of the zod classes the schema is an instance of. */
    readonly traits?: ReadonlySet<string>;
  };
}

const ACCEPT_ALL: FastCheck = () => true;

/** The compiled predicate, or undefined when the schema uses anything this module does not model. */
export function compileFastCheck(schema: z.ZodType): FastCheck | undefined {
  try {
    return compile(schema as unknown as Schema);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/**
 * The zod classes this module models. A schema is only as the module understands it if it is an
 * instance of these and nothing else: a subclass with the same `def.type` may decide differently
 * (z.xor is a union that wants exactly one option; an exact optional refuses `undefined`).
 */
const MODELLED_CLASSES: ReadonlySet<string> = new Set([
  '$ZodType',
  '$ZodString',
  '$ZodNumber',
  '$ZodNumberFormat',
  '$ZodCheck',
  '$ZodCheckNumberFormat',
  '$ZodBoolean',
  '$ZodNull',
  '$ZodUnknown',
  '$ZodAny',
  '$ZodEnum',
  '$ZodLiteral',
  '$ZodOptional',
  '$ZodNullable',
  '$ZodObject',
  '$ZodObjectJIT',
  '$ZodRecord',
  '$ZodArray',
  '$ZodTuple',
  '$ZodUnion',
  '$ZodDiscriminatedUnion',
]);

function compile(schema: Schema): FastCheck {
  const traits = schema._zod.traits;
  if (traits === undefined) throw new Unsupported();
  for (const trait of traits) {
    if (trait.startsWith('$') && !MODELLED_CLASSES.has(trait)) throw new Unsupported();
  }
  const def = schema._zod.def;
  if (def.coerce === true) throw new Unsupported();
  switch (def.type) {
    case 'string':
      // A string format schema (z.email(), z.uuid()…) is itself a check, with rules of its own.
      if (def.check !== undefined) throw new Unsupported();
      return withChecks((value) => typeof value === 'string', def.checks, 'string');
    case 'number': {
      // z.int() is itself a safeint check; the other number formats have ranges of their own.
      if (def.check !== undefined && (def.check !== 'number_format' || def.format !== 'safeint')) {
        throw new Unsupported();
      }
      const base: FastCheck =
        def.check === undefined
          ? (value) => typeof value === 'number' && Number.isFinite(value)
          : (value) => Number.isSafeInteger(value);
      return withChecks(base, def.checks, 'number');
    }
    case 'boolean':
      noChecks(def);
      return (value) => typeof value === 'boolean';
    case 'null':
      noChecks(def);
      return (value) => value === null;
    case 'unknown':
    case 'any':
      noChecks(def);
      return ACCEPT_ALL;
    case 'enum':
    case 'literal': {
      noChecks(def);
      // The very set zod tests membership in (an enum's values, not its entries' keys).
      const values = schema._zod.values;
      if (values === undefined) throw new Unsupported();
      return (value) => values.has(value);
    }
    case 'optional': {
      noChecks(def);
      const inner = compile(def.innerType!);
      return (value) => value === undefined || inner(value);
    }
    case 'nullable': {
      noChecks(def);
      const inner = compile(def.innerType!);
      return (value) => value === null || inner(value);
    }
    case 'object':
      noChecks(def);
      return compileObject(def);
    case 'record':
      noChecks(def);
      return compileRecord(def);
    case 'array':
      return withChecks(arrayOf(compile(def.element!)), def.checks, 'array');
    case 'tuple':
      noChecks(def);
      return compileTuple(def);
    case 'union':
      noChecks(def);
      return traits.has('$ZodDiscriminatedUnion') ? compileDiscriminated(def) : compileUnion(def);
    default:
      throw new Unsupported();
  }
}

/**
 * zod takes the first option that accepts the value, and gives that option's output. An option
 * made of objects or arrays may accept a value this module's check for it declines (an object with
 * keys to strip, say) and give a different output, while a later option's check accepts the value
 * as it is; so a union compiles only when every option hands back whatever it accepts unchanged.
 */
function compileUnion(def: Def): FastCheck {
  const options = (def.options ?? []).map((option) => {
    if (!returnsInputUnchanged(option)) throw new Unsupported();
    return compile(option);
  });
  return (value) => {
    for (const option of options) if (option(value)) return true;
    return false;
  };
}

/** Schemas whose output, whenever zod accepts a value, is that very value. */
function returnsInputUnchanged(schema: Schema): boolean {
  const def = schema._zod.def;
  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'enum':
    case 'literal':
    case 'unknown':
    case 'any':
      return true;
    case 'optional':
    case 'nullable':
      return returnsInputUnchanged(def.innerType!);
    default:
      return false;
  }
}

/**
 * zod picks a discriminated union's option by the discriminator's value alone. With each option's
 * discriminator a literal or enum and no value shared between options, at most one option's check
 * can pass, and it is the option zod picks.
 */
function compileDiscriminated(def: Def): FastCheck {
  if (def.unionFallback === true) throw new Unsupported();
  const discriminator = def.discriminator!;
  const seen = new Set<unknown>();
  const options = (def.options ?? []).map((option) => {
    const tag =
      option._zod.def.type === 'object' ? option._zod.def.shape?.[discriminator] : undefined;
    const tagType = tag?._zod.def.type;
    const values = tag?._zod.values;
    if ((tagType !== 'literal' && tagType !== 'enum') || values === undefined) {
      throw new Unsupported();
    }
    for (const value of values) {
      if (seen.has(value)) throw new Unsupported();
      seen.add(value);
    }
    return compile(option);
  });
  return (value) => {
    for (const option of options) if (option(value)) return true;
    return false;
  };
}

function noChecks(def: Def): void {
  if (def.checks !== undefined && def.checks.length > 0) throw new Unsupported();
}

/**
 * A non-array object whose members all pass — read as zod reads them, `key in value` and
 * `value[key]` — and, unless the catchall lets anything through, no other enumerable key (zod's
 * `for…in`).
 */
function compileObject(def: Def): FastCheck {
  const shape = def.shape ?? {};
  const keys = Object.keys(shape);
  // zod reads members with `in` and `[]`, which find what a plain object inherits (toString…), and
  // copies it into its output as the object's own; and it strips a declared __proto__.
  if (keys.some((key) => key in Object.prototype)) throw new Unsupported();
  const members = keys.map((key) => {
    const schema = shape[key]!;
    const { optin, optout } = schema._zod;
    // zod lets an absent key through only where its schema is optional in and out; a schema
    // optional in only (a default, a catch) fills a value in, which this module does not model.
    if (optin !== undefined && (optin !== 'optional' || optout !== 'optional')) {
      throw new Unsupported();
    }
    return { key, optional: optin === 'optional', test: compile(schema) };
  });
  const keySet = new Set(keys);
  const catchall = def.catchall?._zod.def.type;
  // Without a catchall zod strips unknown keys: the output would differ, so none may be there.
  const unknownKeysPass =
    catchall === 'unknown' || catchall === 'any'
      ? true
      : catchall === 'never' || catchall === undefined
        ? false
        : undefined;
  if (unknownKeysPass === undefined) throw new Unsupported();
  return (value) => {
    if (!isPlainObject(value)) return false;
    const record = value as Readonly<Record<string, unknown>>;
    for (const member of members) {
      const present = member.key in record;
      if (!present) {
        if (member.optional) continue;
        return false;
      }
      if (!member.test(record[member.key])) return false;
    }
    if (!unknownKeysPass) {
      for (const key in record) if (!keySet.has(key)) return false;
    } else if (Object.hasOwn(record, '__proto__')) {
      // zod never copies an undeclared __proto__ into its output.
      return false;
    }
    return true;
  };
}

function compileRecord(def: Def): FastCheck {
  const keyDef = def.keyType!._zod.def;
  // zod checks every own key, symbols included, against the key schema; only string keys are
  // modelled, and an enum or literal key type would make the record exhaustive.
  if (keyDef.type !== 'string' || def.mode !== undefined) throw new Unsupported();
  const keyTest = compile(def.keyType!);
  const valueTest = compile(def.valueType!);
  return (value) => {
    if (!isPlainObject(value)) return false;
    const record = value as Readonly<Record<string, unknown>>;
    if (Object.getOwnPropertySymbols(record).length > 0) return false;
    for (const key of Object.keys(record)) {
      if (key === '__proto__' || !keyTest(key) || !valueTest(record[key])) return false;
    }
    return true;
  };
}

function arrayOf(element: FastCheck): FastCheck {
  return (value) => {
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) if (!element(value[i])) return false;
    return true;
  };
}

/** Fixed-length tuples only: optional items and rest elements have length rules of their own. */
function compileTuple(def: Def): FastCheck {
  if (def.rest !== null && def.rest !== undefined) throw new Unsupported();
  const items = (def.items ?? []).map((item) => {
    if (item._zod.optin !== undefined) throw new Unsupported();
    return compile(item);
  });
  return (value) => {
    if (!Array.isArray(value) || value.length !== items.length) return false;
    for (let i = 0; i < items.length; i++) if (!items[i]!(value[i])) return false;
    return true;
  };
}

/** zod's output object is a `{}`: a value with another prototype (even none) would differ. */
function isPlainObject(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}
