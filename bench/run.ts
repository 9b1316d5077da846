/**
 * Benchmarks. `npm run bench -- ledger --events N [--backend sqlite|jsonl] [--batch B] [--json]`
 * prints one JSON object on stdout, saves it under bench/baselines/ and, on stderr, compares it
 * with the previous baseline of the same configuration. They run the built JavaScript in dist/
 * (what users run), so `npm run bench` builds first.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runLedgerBench } from './ledger-bench.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  if (name !== 'ledger') {
    process.stderr.write(
      'usage: npm run bench -- ledger --events N [--backend sqlite|jsonl] [--batch B] [--json]\n',
    );
    process.exitCode = 2;
    return;
  }
  const events = Number(option(args, 'events') ?? '100000');
  const backend = (option(args, 'backend') ?? 'sqlite') as 'sqlite' | 'jsonl';
  const batch = Number(option(args, 'batch') ?? '1000');
  const result = await runLedgerBench({ events, backend, batch });
  const baselineDir = path.join(benchDir, 'baselines');
  mkdirSync(baselineDir, { recursive: true });
  const baselineFile = path.join(baselineDir, `ledger-${backend}-${events}.json`);
  if (existsSync(baselineFile)) {
    const previous = JSON.parse(readFileSync(baselineFile, 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(result)) {
      const before = previous[key];
      if (typeof value === 'number' && typeof before === 'number' && before !== 0) {
        process.stderr.write(
          `${key}: ${before} -> ${value} (${(((value - before) / before) * 100).toFixed(1)}%)\n`,
        );
      }
    }
  }
  writeFileSync(baselineFile, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `${JSON.stringify(result, null, args.includes('--json') ? undefined : 2)}\n`,
  );
}

await main();
