/**
 * The compiled payload check may only ever accept what zod accepts unchanged: for every schema it
 * compiles and every value it accepts, zod must accept the value too and give back an equal value
 * (the same canonical bytes). It may decline anything — zod then decides — but it should accept
 * the payloads the pipeline really writes, or it buys nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { compileFastCheck } from '../../../src/core/events/fast-check.js';
import { canonicalize, createCoreRegistry } from '../../../src/core/index.js';
import { registerPipelineEventTypes } from '../../../src/pipeline/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { runSimulation } from '../../pipeline/simulation.js';

const registry = registerPipelineEventTypes(createCoreRegistry());

/** The canonical text, or the code of the error canonicalisation raises. */
function canonicalOrCode(value: unknown): string {
  try {
    return canonicalize(value);
  } catch (error) {
    return `error:${(error as { code?: string }).code ?? String(error)}`;
  }
}

/** The property every compiled check must have on `value`. */
function expectSoundOn(schema: z.ZodType, check: (value: unknown) => boolean, value: unknown) {
  if (!check(value)) return;
  const parsed = schema.safeParse(value);
  expect(parsed.success, `zod refused what the check accepted: ${canonicalOrCode(value)}`).toBe(
    true,
  );
  expect(parsed.data).toStrictEqual(value);
  expect(canonicalOrCode(parsed.data)).toBe(canonicalOrCode(value));
}

const oddText = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom(
    '',
    'buy',
    'sell',
    'limit',
    'a\u0000b',
    '\u0085',
    '\ud83d',
    'sha256:',
    '12.5',
    '-0',
  ),
);
const oddNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1, -1, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, 0.5),
);
const leaf = fc.oneof(
  oddText,
  oddNumber,
  fc.boolean(),
  fc.constantFrom<unknown>(null, undefined, 1n, Symbol('s'), new Date(0), new Map()),
);
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', 'venue', 'qty_lots')),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

/** A payload with one member changed, removed or added, one level down or at the top. */
function mutated(payload: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(payload);
  const replaceOne = fc
    .tuple(fc.constantFrom(...keys), anyValue)
    .map(([key, value]) => ({ ...payload, [key]: value }));
  const removeOne = fc.constantFrom(...keys).map((key) => {
    const copy: Record<string, unknown> = { ...payload };
    delete copy[key];
    return copy;
  });
  const addOne = fc
    .tuple(fc.string({ maxLength: 5 }), anyValue)
    .map(([key, value]) => Object.assign({ ...payload }, { [key]: value }));
  const ownProto = fc.constant(
    Object.defineProperty({ ...payload }, '__proto__', {
      value: 1,
      enumerable: true,
      configurable: true,
      writable: true,
    }),
  );
  const deeper = fc.constantFrom(...keys).chain((key) => {
    const inner = payload[key];
    if (Array.isArray(inner) && inner.length > 0 && typeof inner[0] === 'object') {
      return mutated(inner[0] as Record<string, unknown>).map((item) => ({
        ...payload,
        [key]: [item, ...(inner as unknown[]).slice(1)],
      }));
    }
    return anyValue.map((value) => ({ ...payload, [key]: value }));
  });
  return fc.oneof(replaceOne, removeOne, addOne, ownProto, deeper, anyValue);
}

describe('compileFastCheck on the registered payload schemas', () => {
  const { capture } = runSimulation({ steps: 150 });
  const byType = new Map<string, Record<string, unknown>[]>();
  for (const body of capture.bodies) {
    const list = byType.get(body.type) ?? [];
    list.push(body.payload as Record<string, unknown>);
    byType.set(body.type, list);
  }

  it('compiles every payload schema but the state snapshot', () => {
    const slow = registry
      .list()
      .filter((definition) => compileFastCheck(definition.payload) === undefined)
      .map((definition) => definition.type);
    expect(slow).toEqual(['state.snapshot']);
  });

  it('accepts every payload the pipeline writes, and zod agrees on each', () => {
    expect(byType.size).toBeGreaterThan(6);
    for (const [type, payloads] of byType) {
      const definition = registry.list().find((candidate) => candidate.type === type)!;
      const check = compileFastCheck(definition.payload);
      if (check === undefined) continue;
      for (const payload of payloads) {
        expect(check(payload), `${type} ${canonicalize(payload)}`).toBe(true);
        expectSoundOn(definition.payload, check, payload);
      }
    }
  });

  it('never accepts a changed payload that zod would refuse or change', () => {
    for (const [type, payloads] of byType) {
      const definition = registry.list().find((candidate) => candidate.type === type)!;
      const check = compileFastCheck(definition.payload);
      if (check === undefined) continue;
      fc.assert(
        fc.property(fc.constantFrom(...payloads.slice(0, 20)).chain(mutated), (value) => {
          expectSoundOn(definition.payload, check, value);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('gives the same verdict as the registry’s own parse through acceptOwnedPayload', () => {
    const [payload] = byType.get('md.tick')!;
    expect(registry.acceptOwnedPayload('md.tick', 1, payload)).toBe(payload);
    expect(registry.parsePayload('md.tick', 1, payload)).not.toBe(payload);
    const bad = { ...payload, bid_px: 1.5 };
    expectErrorCode(() => registry.acceptOwnedPayload('md.tick', 1, bad), 'INPUT_SCHEMA_VIOLATION');
  });
});

describe('compileFastCheck on each construct', () => {
  const schemas: Record<string, z.ZodType> = {
    name: z
      .string()
      .min(1)
      .max(8)
      .regex(/^[^\p{Cc}]+$/u),
    exact: z.string().length(3),
    globalPattern: z.string().regex(/a/g),
    int: z.number().int().min(-3).max(3),
    topLevelInt: z.int().max(5),
    surrogates: z.string().min(2).max(3),
    positive: z.number().int().positive(),
    nonnegative: z.number().nonnegative(),
    exclusive: z.number().gt(-1).lt(1),
    number: z.number(),
    boolean: z.boolean(),
    nullValue: z.null(),
    unknownValue: z.unknown(),
    enumValue: z.enum(['buy', 'sell']),
    literal: z.literal(['x', 1, null]),
    optional: z.string().optional(),
    nullable: z.number().nullable(),
    strict: z.strictObject({ a: z.string(), b: z.number().int().optional(), c: z.unknown() }),
    stripping: z.object({ a: z.string() }),
    loose: z.looseObject({ a: z.string() }),
    record: z.record(z.string().min(1), z.union([z.string(), z.number().int(), z.boolean()])),
    array: z.array(z.number().int()).min(1).max(3),
    tuple: z.tuple([z.string(), z.number()]),
    union: z.union([z.string(), z.number().int(), z.null(), z.unknown()]),
    discriminated: z.discriminatedUnion('k', [
      z.strictObject({ k: z.literal('a'), n: z.number() }),
      z.strictObject({ k: z.literal('b'), s: z.string() }),
    ]),
    nested: z.strictObject({
      rows: z.array(z.strictObject({ venue: z.string(), qty: z.number().int() })),
      meta: z.strictObject({ n: z.number() }).optional(),
    }),
  };

  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name}: accepts only what zod accepts unchanged`, () => {
      const check = compileFastCheck(schema);
      expect(check).toBeDefined();
      fc.assert(
        fc.property(anyValue, (value) => {
          expectSoundOn(schema, check!, value);
        }),
        { numRuns: 500 },
      );
    });
  }

  it('accepts typical valid values (the check is worth having)', () => {
    const accepts = (schema: z.ZodType, value: unknown) => compileFastCheck(schema)!(value);
    expect(accepts(schemas['name']!, 'XBTUSD')).toBe(true);
    expect(accepts(schemas['int']!, -3)).toBe(true);
    expect(accepts(schemas['strict']!, { a: 'x', c: undefined })).toBe(true);
    expect(accepts(schemas['loose']!, { a: 'x', extra: [1] })).toBe(true);
    expect(accepts(schemas['record']!, { k: 1, j: 'v' })).toBe(true);
    expect(accepts(schemas['discriminated']!, { k: 'b', s: '' })).toBe(true);
    expect(accepts(schemas['nested']!, { rows: [{ venue: 'A', qty: 2 }] })).toBe(true);
  });

  it('declines what zod would strip, fill in or refuse', () => {
    const check = (schema: z.ZodType) => compileFastCheck(schema)!;
    // Stripped by zod: the output would lack the key.
    expect(check(schemas['stripping']!)({ a: 'x', b: 1 })).toBe(false);
    expect(check(schemas['loose']!)(JSON.parse('{"a":"x","__proto__":1}'))).toBe(false);
    expect(check(schemas['strict']!)(JSON.parse('{"a":"x","c":1,"__proto__":1}'))).toBe(false);
    // Not plain: zod's output is a plain copy.
    expect(
      check(schemas['strict']!)(Object.assign(Object.create({ z: 1 }), { a: 'x', c: 1 })),
    ).toBe(false);
    expect(check(schemas['strict']!)(Object.assign(Object.create(null), { a: 'x', c: 1 }))).toBe(
      false,
    );
    expect(check(schemas['strict']!)({ a: 'x' })).toBe(false);
    expect(check(schemas['int']!)(2 ** 53)).toBe(false);
    expect(check(schemas['number']!)(Infinity)).toBe(false);
    expect(check(schemas['name']!)('a\u0007')).toBe(false);
    // zod measures strings in code points: two units, one code point.
    expect(check(schemas['surrogates']!)('\ud83d\ude00')).toBe(false);
    expect(check(schemas['surrogates']!)('a\ud83d\ude00')).toBe(true);
    expect(check(schemas['exact']!)('a\ud83d\ude00')).toBe(false);
    expect(check(schemas['record']!)({ '': 1 })).toBe(false);
    expect(check(schemas['record']!)({ [Symbol('s')]: 1, a: 1 })).toBe(false);
  });

  it('does not compile what it does not model', () => {
    const unmodelled: z.ZodType[] = [
      z.string().refine((value) => value !== 'x'),
      z.string().transform((value) => value.length),
      z.string().default('x'),
      z.strictObject({ a: z.string().default('x') }),
      z.strictObject({ a: z.string().catch('x') }),
      z.coerce.number(),
      z.int32(),
      z.email(),
      z.uuid(),
      z.string().pipe(z.string()),
      z.lazy(() => z.string()),
      z.intersection(z.strictObject({ a: z.string() }), z.strictObject({ b: z.string() })),
      z.strictObject({ a: z.string() }).readonly(),
      z.record(z.enum(['a', 'b']), z.number()),
      z.looseRecord(z.string(), z.number()),
      z.tuple([z.string()], z.number()),
      z.tuple([z.string(), z.number().optional()]),
      z.bigint(),
      z.date(),
      z.strictObject({ a: z.string() }).catchall(z.number()),
      // zod would take the first option, stripping b, where a check of the second accepts as is.
      z.union([z.object({ a: z.string() }), z.strictObject({ a: z.string(), b: z.number() })]),
      // The value 'a' picks neither option unambiguously.
      z.discriminatedUnion('k', [
        z.strictObject({ k: z.literal('a') }),
        z.strictObject({ k: z.enum(['a', 'b']), n: z.number() }),
      ]),
      z.discriminatedUnion('k', [z.strictObject({ k: z.literal('a') })], { unionFallback: true }),
      // Exactly one option may match.
      z.xor([z.string(), z.number()]),
      // Present, undefined is refused.
      z.strictObject({ a: z.string().exactOptional() }),
      // Read through the prototype by zod, and copied into its output as the object's own.
      z.strictObject({ toString: z.unknown() }),
    ];
    for (const schema of unmodelled) expect(compileFastCheck(schema)).toBeUndefined();
  });
});
