/**
 * Pins the dependency direction of DESIGN.md §2 independently of the lint configuration: the core
 * imports nothing of ours outside itself and no I/O module; no file reads the wall clock or
 * unseeded randomness in the pure folders; nothing imports a composition root.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');

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

const PURE = [
  'core',
  'replay',
  'exchange',
  'pipeline',
  'routing',
  'governance',
  'privacy',
  'journal',
  'reports',
  'contracts',
];
const ALLOWED_PACKAGES = new Set(['zod', 'node:crypto']);
/**
 * Modules one core file may import beside those: the SHA-256 backends load the native hasher (a
 * faster node:crypto, built at install) with createRequire, and nothing else in the core may.
 */
const ALLOWED_IN_FILE: Readonly<Record<string, ReadonlySet<string>>> = {
  'sha256-backends.ts': new Set(['node:module']),
};

describe('architecture', () => {
  it('keeps the core pure: only zod, node:crypto and core files (and the native hasher)', () => {
    const offenders: string[] = [];
    for (const file of filesUnder(path.join(src, 'core'))) {
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('.')) {
          const target = path.resolve(path.dirname(file), specifier);
          if (!target.startsWith(path.join(src, 'core'))) offenders.push(`${file}: ${specifier}`);
        } else if (
          !ALLOWED_PACKAGES.has(specifier) &&
          ALLOWED_IN_FILE[path.relative(path.join(src, 'core'), file)]?.has(specifier) !== true
        ) {
          offenders.push(`${file}: ${specifier}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps wall clocks and unseeded randomness out of the pure folders', () => {
    const offenders: string[] = [];
    for (const folder of PURE) {
      let files: string[];
      try {
        files = filesUnder(path.join(src, folder));
      } catch {
        continue;
      }
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        if (
          /Date\.now\(|Math\.random\(|new Date\(\)|performance\.now\(|process\.hrtime|process\.env/.test(
            text,
          )
        ) {
          offenders.push(file);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('never imports a composition root from outside it', () => {
    const offenders: string[] = [];
    for (const file of filesUnder(src)) {
      if (file.startsWith(path.join(src, 'cli'))) continue;
      for (const specifier of importsOf(file)) {
        if (
          specifier.startsWith('.') &&
          path.resolve(path.dirname(file), specifier).startsWith(path.join(src, 'cli'))
        ) {
          offenders.push(`${file}: ${specifier}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
