/**
 * @module
 * A data contract: a name, a `major.minor` version and the zod schema of the data, with the JSON
 * Schema generated from it for anyone outside TypeScript. Minor versions of a contract only add
 * optional fields; anything else is a new major version.
 */
import { z } from 'zod';

import { InputError, type JsonObject } from '../core/index.js';

/** Dotted lowercase words, dashes allowed: `fix.new-order-single`, `deltatrace.event`. */
export const ContractNameSchema = z
  .string()
  .max(96)
  .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'expected a dotted lowercase contract name');

/** `major.minor`, no leading zeros. */
export const ContractVersionSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$/, 'expected a major.minor version');

/** zod types without a JSON Schema form (besides bigint, which maps to an integer). */
const UNREPRESENTABLE_TYPES: ReadonlySet<string> = new Set([
  'custom',
  'date',
  'function',
  'map',
  'nan',
  'promise',
  'set',
  'symbol',
  'transform',
  'undefined',
  'void',
]);

export interface ContractVersion {
  readonly major: number;
  readonly minor: number;
}

/**
 * Which side of a codec schema the JSON Schema describes: `input` is the wire form (JSON
 * contracts), `output` the decoded value (contracts whose wire is not JSON, such as FIX).
 */
export type JsonSchemaSide = 'input' | 'output';

export interface DataContractSpec {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly schema: z.ZodType;
  /** Default `input`. */
  readonly jsonSchemaSide?: JsonSchemaSide;
}

export interface DataContract {
  readonly name: string;
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  /** `name@version`. */
  readonly key: string;
  readonly description: string;
  readonly schema: z.ZodType;
  readonly jsonSchemaSide: JsonSchemaSide;
  /** JSON Schema (draft 2020-12) generated from `schema`. */
  readonly jsonSchema: JsonObject;
}

export function contractKey(name: string, version: string): string {
  return `${name}@${version}`;
}

/** @throws CONTRACT_INVALID for a malformed version. */
export function parseContractVersion(text: string): ContractVersion {
  if (!ContractVersionSchema.safeParse(text).success) {
    throw new InputError('CONTRACT_INVALID', 'a contract version is major.minor', {
      details: { version: text.slice(0, 32) },
    });
  }
  const [major, minor] = text.split('.').map(Number);
  return { major: major!, minor: minor! };
}

/**
 * The JSON Schema of a zod schema. bigint values (nanosecond times of decoded FIX messages) are
 * JSON Schema integers; refinements that JSON Schema cannot say are left out, which is why data
 * is validated with the zod schema and the JSON Schema is published alongside.
 * @throws CONTRACT_INVALID for a schema JSON Schema cannot represent (a transform, a function).
 */
export function toContractJsonSchema(schema: z.ZodType, side: JsonSchemaSide): JsonObject {
  const unrepresentable = new Set<string>();
  let generated: unknown;
  try {
    generated = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: side,
      // bigint is mapped below; anything else JSON cannot carry is collected and refused.
      unrepresentable: 'any',
      override: (ctx) => {
        const type = ctx.zodSchema._zod.def.type;
        if (type === 'bigint') ctx.jsonSchema.type = 'integer';
        else if (UNREPRESENTABLE_TYPES.has(type)) unrepresentable.add(type);
      },
    });
  } catch (error) {
    unrepresentable.add(error instanceof Error ? error.message.slice(0, 200) : 'unknown');
  }
  if (unrepresentable.size > 0) {
    throw new InputError('CONTRACT_INVALID', 'the schema has no JSON Schema form', {
      details: { unrepresentable: [...unrepresentable].sort() },
    });
  }
  // The generator builds plain JSON objects; a round trip drops nothing and types it as such.
  return JSON.parse(JSON.stringify(generated)) as JsonObject;
}

/** @throws CONTRACT_INVALID for a bad name or version, or a schema without JSON Schema form. */
export function defineContract(spec: DataContractSpec): DataContract {
  if (!ContractNameSchema.safeParse(spec.name).success) {
    throw new InputError('CONTRACT_INVALID', 'a contract name is dotted lowercase words', {
      details: { name: spec.name.slice(0, 96) },
    });
  }
  const { major, minor } = parseContractVersion(spec.version);
  const side = spec.jsonSchemaSide ?? 'input';
  return {
    name: spec.name,
    version: spec.version,
    major,
    minor,
    key: contractKey(spec.name, spec.version),
    description: spec.description,
    schema: spec.schema,
    jsonSchemaSide: side,
    jsonSchema: toContractJsonSchema(spec.schema, side),
  };
}

/** Orders contracts by name, then major, then minor (numerically). */
export function compareContracts(a: DataContract, b: DataContract): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.major - b.major || a.minor - b.minor;
}
