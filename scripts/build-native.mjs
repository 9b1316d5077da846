// Builds the native SHA-256 module (native/sha256) at install, the way better-sqlite3 builds its
// own, with the node-gyp that npm brings and npm's header settings. A build that fails leaves the
// ledger on node:crypto, which gives the same digests more slowly: the install goes on, with a
// notice on stderr. DELTATRACE_REQUIRE_NATIVE_SHA256=1 (CI) makes a failed build fail the install.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'native', 'sha256');
const required = process.env.DELTATRACE_REQUIRE_NATIVE_SHA256 === '1';

/** npm's own node-gyp: npm names it in the lifecycle environment; next to npm otherwise. */
function nodeGyp() {
  const named = process.env.npm_config_node_gyp;
  if (named !== undefined && existsSync(named)) return named;
  const npmCli = process.env.npm_execpath;
  if (npmCli !== undefined) {
    const beside = path.join(
      path.dirname(npmCli),
      '..',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    );
    if (existsSync(beside)) return beside;
  }
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return undefined;
  }
}

function fail(reason) {
  process.stderr.write(
    `deltatrace: native SHA-256 not built (${reason}); hashing with node:crypto\n`,
  );
  process.exit(required ? 1 : 0);
}

const gyp = nodeGyp();
if (gyp === undefined) fail('node-gyp not found');
const built = spawnSync(process.execPath, [gyp, 'rebuild', '--release'], {
  cwd: moduleDir,
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});
if (built.status !== 0) {
  // Nothing half-built is left for the loader to pick up.
  rmSync(path.join(moduleDir, 'build'), { recursive: true, force: true });
  const lastLines = (built.stderr ?? String(built.error)).trim().split('\n').slice(-5).join('\n');
  process.stderr.write(`${lastLines}\n`);
  fail(`node-gyp exited with ${built.status ?? built.signal}`);
}
