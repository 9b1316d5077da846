import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';

import {
  FIX44_FIELDS,
  FIX44_HEADER_TAGS,
  FIX44_MESSAGES,
  FIX44_TRAILER_TAGS,
  fix44Field,
  fix44Message,
} from '../../../src/adapters/fix/index.js';
import { vectorsPath } from '../../helpers/vectors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TABLES = path.join(root, 'src/adapters/fix/fix44-tables.ts');

describe('generated FIX 4.4 tables', () => {
  it('knows the 93 messages and 912 fields of FIX44.xml', () => {
    expect(FIX44_MESSAGES).toHaveLength(93);
    expect(FIX44_FIELDS).toHaveLength(912);
    expect(new Set(FIX44_MESSAGES.map((m) => m.msgType)).size).toBe(93);
  });

  it('describes fields, messages, header and trailer', () => {
    expect(fix44Field(54)?.slice(0, 3)).toEqual([54, 'Side', 'CHAR']);
    expect(fix44Field(54)?.[3]).toContain('1');
    expect(fix44Message('D')).toMatchObject({ name: 'NewOrderSingle', category: 'app' });
    expect(fix44Message('A')).toMatchObject({ name: 'Logon', category: 'admin' });
    expect(fix44Message('W')?.groups?.find((g) => g.countTag === 268)?.memberTags[0]).toBe(269);
    expect(FIX44_HEADER_TAGS.slice(0, 3)).toEqual([8, 9, 35]);
    expect(FIX44_TRAILER_TAGS).toEqual([93, 89, 10]);
  });

  const xml = vectorsPath('quickfix', 'spec', 'FIX44.xml');
  it.skipIf(xml === undefined)('matches a fresh run of the generator', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fix44-'));
    try {
      const out = path.join(dir, 'fix44-tables.ts');
      execFileSync(process.execPath, [
        path.join(root, 'scripts/generate-fix44-tables.mjs'),
        xml ?? '',
        out,
      ]);
      const config = (await resolveConfig(TABLES)) ?? {};
      const fresh = await format(readFileSync(out, 'utf8'), { ...config, filepath: TABLES });
      expect(fresh).toBe(readFileSync(TABLES, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
