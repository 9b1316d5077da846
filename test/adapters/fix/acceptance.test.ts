/**
 * The QuickFIX FIX 4.4 acceptance suite (../shared/vectors/quickfix/test/definitions/server/fix44)
 * against our acceptor over real TCP, in lenient and in strict comparison mode. Every script of
 * both modes starts at once, each against its own acceptor on its own port, so the suite takes as
 * long as its slowest script (6_SendTestRequest waits on heartbeat timers for about 34 s); each
 * test then awaits its own script.
 */
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { vectorsPath } from '../../helpers/vectors.js';
import type { CompareMode } from './acceptance/compare.js';
import { formatResult, listScripts, runScript, type ScriptResult } from './acceptance/runner.js';

const dir = vectorsPath('quickfix', 'test', 'definitions', 'server', 'fix44');
const scripts = dir === undefined ? [] : listScripts(dir);
const MODES: readonly CompareMode[] = ['lenient', 'strict'];

const runs = new Map<string, Promise<ScriptResult>>();
for (const mode of MODES) {
  for (const file of scripts) runs.set(`${mode} ${file}`, runScript(file, { mode }));
}

describe.skipIf(dir === undefined)('QuickFIX FIX 4.4 acceptance scripts', () => {
  it('finds the 59 scripts', () => {
    expect(scripts).toHaveLength(59);
  });

  for (const mode of MODES) {
    describe(`${mode} mode`, () => {
      for (const file of scripts) {
        it(path.basename(file, '.def'), async () => {
          const result = await runs.get(`${mode} ${file}`)!;
          expect(result.passed, formatResult(result)).toBe(true);
        });
      }
    });
  }
});
