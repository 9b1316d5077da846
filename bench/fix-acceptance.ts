/**
 * The QuickFIX FIX 4.4 acceptance scripts against our acceptor, all at once, each on its own
 * port.
 *   npm run fix:acceptance [-- --strict] [--only NAME_PREFIX]
 * One line per script on stderr; a JSON summary on stdout; exit status 1 when a script fails.
 */
import path from 'node:path';

import { formatResult, listScripts, runScript } from '../test/adapters/fix/acceptance/runner.js';
import { vectorsPath } from '../test/helpers/vectors.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mode = args.includes('--strict') ? 'strict' : 'lenient';
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  const dir = vectorsPath('quickfix', 'test', 'definitions', 'server', 'fix44');
  if (dir === undefined) {
    process.exitCode = 2;
    return;
  }
  const files = listScripts(dir).filter(
    (file) => only === undefined || path.basename(file).startsWith(only),
  );
  const started = Date.now();
  const results = await Promise.all(
    files.map(async (file) => {
      const result = await runScript(file, { mode });
      process.stderr.write(`${formatResult(result)}\n`);
      return result;
    }),
  );
  const passed = results.filter((result) => result.passed).length;
  process.stderr.write(`${passed}/${results.length} scripts passed (${mode} mode)\n`);
  process.stdout.write(
    `${JSON.stringify({
      mode,
      scripts: results.length,
      passed,
      failed: results.length - passed,
      wall_ms: Date.now() - started,
      results: [...results].sort((a, b) => (a.name < b.name ? -1 : 1)),
    })}\n`,
  );
  if (passed !== results.length) process.exitCode = 1;
}

await main();
