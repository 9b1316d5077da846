/**
 * Locates the external reference data in ../shared/vectors (or $DELTATRACE_VECTORS). Suites that
 * need it skip with a visible notice where it is absent; CI sets DELTATRACE_REQUIRE_VECTORS=1 so a
 * missing folder fails instead of skipping.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const VECTORS_DIR: string =
  process.env['DELTATRACE_VECTORS'] ?? path.resolve(projectRoot, '..', 'shared', 'vectors');

/** Absolute path of a vectors sub-folder, or undefined (with a notice) when it is absent. */
export function vectorsPath(...parts: string[]): string | undefined {
  const full = path.join(VECTORS_DIR, ...parts);
  if (existsSync(full)) return full;
  if (process.env['DELTATRACE_REQUIRE_VECTORS'] === '1') {
    throw new Error(`reference vectors required but missing: ${full}`);
  }
  process.stderr.write(`NOTICE: reference vectors not found at ${full}; suite skipped\n`);
  return undefined;
}
