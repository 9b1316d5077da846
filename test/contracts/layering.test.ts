/**
 * Pins the layering of the two pure domains added with the contract graph: `src/contracts` and
 * `src/privacy` import only zod, node:crypto, core and (for contracts) themselves, and never an
 * adapter, storage or composition root; no wall clock or unseeded randomness either.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const ALLOWED_PACKAGES = new Set(['zod', 'node:crypto']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1]!,
  );
}

describe.each(['contracts', 'privacy'])('src/%s', (folder) => {
  const root = path.join(src, folder);

  it('imports only zod, node:crypto, core (through its index) and its own files', () => {
    const offenders: string[] = [];
    for (const file of filesUnder(root)) {
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.')) {
          if (!ALLOWED_PACKAGES.has(specifier)) offenders.push(`${file}: ${specifier}`);
          continue;
        }
        const target = path.resolve(path.dirname(file), specifier);
        const own = target.startsWith(root + path.sep);
        const core = target === path.join(src, 'core', 'index.js');
        if (!own && !core) offenders.push(`${file}: ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('reads no wall clock, randomness or environment', () => {
    const offenders = filesUnder(root).filter((file) =>
      /Date\.now\(|Math\.random\(|new Date\(\)|performance\.now\(|process\.hrtime|process\.env/.test(
        readFileSync(file, 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
