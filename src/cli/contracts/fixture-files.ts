/**
 * @module
 * The recorded-fixture directory on disk: `*.ndjson` files of fixtures, and `schemas/` with the
 * published JSON Schema of every contract (`<name>@<version>.json`). Files are read in sorted
 * order, so reports do not depend on the directory's listing order.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { type LocatedFixture, parseFixtureLines } from '../../contracts/index.js';
import { InputError, type JsonValue, StorageError } from '../../core/index.js';

export const SCHEMAS_DIR = 'schemas';
export const SCHEMA_SUFFIX = '.json';

/** The fixtures recorded in this repository (test/fixtures/contracts). */
export function defaultFixturesDir(): string {
  return path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    '..',
    'test',
    'fixtures',
    'contracts',
  );
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new StorageError('STORE_IO', `cannot read ${file}`, {
      cause: error,
      details: { file },
    });
  }
}

function sortedNames(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort();
}

export interface FixtureSet {
  readonly fixtures: readonly LocatedFixture[];
  readonly publishedSchemas: ReadonlyMap<string, JsonValue>;
}

/**
 * Reads a fixture directory.
 * @throws INPUT_INVALID_ARGUMENT when it does not exist; CONTRACT_FIXTURE_INVALID for a bad
 *   fixture line or schema file; STORE_IO when a file cannot be read.
 */
export function readFixtureSet(dir: string): FixtureSet {
  if (!existsSync(dir)) {
    throw new InputError('INPUT_INVALID_ARGUMENT', `no fixture directory at ${dir}`, {
      details: { dir },
    });
  }
  const fixtures = sortedNames(dir, '.ndjson').flatMap((name) =>
    parseFixtureLines(readText(path.join(dir, name)), name),
  );
  const publishedSchemas = new Map<string, JsonValue>();
  const schemasDir = path.join(dir, SCHEMAS_DIR);
  if (existsSync(schemasDir)) {
    for (const name of sortedNames(schemasDir, SCHEMA_SUFFIX)) {
      const file = path.join(schemasDir, name);
      // JSON.parse throws a bare SyntaxError; a damaged schema file must carry our code.
      try {
        publishedSchemas.set(
          name.slice(0, -SCHEMA_SUFFIX.length),
          JSON.parse(readText(file)) as JsonValue,
        );
      } catch (error) {
        if (error instanceof StorageError) throw error;
        throw new InputError('CONTRACT_FIXTURE_INVALID', `${SCHEMAS_DIR}/${name} is not JSON`, {
          cause: error,
          details: { location: `${SCHEMAS_DIR}/${name}` },
        });
      }
    }
  }
  return { fixtures, publishedSchemas };
}
