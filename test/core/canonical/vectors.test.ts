/**
 * RFC 8785's conformance vectors (json-canonicalization testdata): each input, parsed and
 * canonicalised, must equal output/<name> byte for byte and outhex/<name>.txt in hex. The vectors
 * include 1e30, beyond 2^53, so they run with allowUnsafeIntegers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { toHex } from '../../../src/core/bytes.js';
import { canonicalBytes, canonicalize } from '../../../src/core/canonical/index.js';
import { vectorsPath } from '../../helpers/vectors.js';

const dir = vectorsPath('jcs', 'testdata');
const names = dir === undefined ? [] : readdirSync(path.join(dir, 'input')).sort();

describe.skipIf(dir === undefined)('canonicalize on the RFC 8785 vectors', () => {
  const root = dir ?? '';

  it('finds all six vector pairs', () => {
    expect(names).toEqual([
      'arrays.json',
      'french.json',
      'structures.json',
      'unicode.json',
      'values.json',
      'weird.json',
    ]);
  });

  describe.each(names)('%s', (name) => {
    const input: unknown = JSON.parse(readFileSync(path.join(root, 'input', name), 'utf8'));
    const expected = new Uint8Array(readFileSync(path.join(root, 'output', name)));
    const hexName = name.replace(/\.json$/, '.txt');
    const expectedHex = readFileSync(path.join(root, 'outhex', hexName), 'utf8').replace(
      /\s+/g,
      '',
    );

    it('produces the expected bytes', () => {
      const bytes = canonicalBytes(input, { allowUnsafeIntegers: true });
      expect(bytes).toEqual(expected);
      expect(toHex(bytes)).toBe(expectedHex);
    });

    it('is a fixed point when its own output is parsed again', () => {
      const text = canonicalize(input, { allowUnsafeIntegers: true });
      expect(canonicalize(JSON.parse(text), { allowUnsafeIntegers: true })).toBe(text);
    });
  });
});
