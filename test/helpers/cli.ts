/**
 * Runs the real CLI in a child process (through tsx, on the TypeScript sources), as a user would:
 * real argv, stdin, stdout, stderr and exit status.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = path.join(root, 'test', 'helpers', 'cli-entry.ts');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as one JSON document (undefined when it is not one). */
  readonly json: {
    ok: boolean;
    data?: unknown;
    error?: { code: string; message: string; details: Record<string, unknown> };
  };
}

export function runCli(
  args: readonly string[],
  options: { home?: string; input?: string; cwd?: string } = {},
): CliResult {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      entry,
      ...(options.home === undefined ? [] : ['--home', options.home]),
      ...args,
    ],
    {
      encoding: 'utf8',
      input: options.input ?? '',
      cwd: options.cwd ?? root,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  let json: CliResult['json'];
  try {
    json = JSON.parse(result.stdout) as CliResult['json'];
  } catch {
    json = undefined as unknown as CliResult['json'];
  }
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, json };
}
