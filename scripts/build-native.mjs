// Builds the native modules at install, the way better-sqlite3 builds its own, with the node-gyp
// that npm brings and npm's header settings: native/sha256 (the ledger's SHA-256) and
// native/entry-scan (the replay's reading of entry texts). Each has a JavaScript fallback that
// gives the same results more slowly, so a build that fails leaves that fallback in use: the
// install goes on, with a notice on stderr. DELTATRACE_REQUIRE_NATIVE=1 (CI) makes a failed build
// fail the install.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'native');
/** Each module, and what is used when it is not built. */
const MODULES = [
  { dir: 'sha256', what: 'native SHA-256', fallback: 'hashing with node:crypto' },
  { dir: 'entry-scan', what: 'native entry scan', fallback: 'replay reads entries in JavaScript' },
];
const required = process.env.DELTATRACE_REQUIRE_NATIVE === '1';

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

let failed = false;

function fail(module, reason) {
  process.stderr.write(`deltatrace: ${module.what} not built (${reason}); ${module.fallback}\n`);
  failed = true;
}

const gyp = nodeGyp();
for (const module of MODULES) {
  if (gyp === undefined) {
    fail(module, 'node-gyp not found');
    continue;
  }
  const moduleDir = path.join(nativeDir, module.dir);
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
    fail(module, `node-gyp exited with ${built.status ?? built.signal}`);
  }
}
if (failed && required) process.exit(1);
