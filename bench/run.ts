/**
 * Benchmarks.
 *   npm run bench -- ledger --events N [--backend sqlite|jsonl] [--batch B] [--writer process|inline]
 *     [--json]
 *   npm run bench -- exchange [--commands N] [--json]
 *   npm run bench -- capture [--seconds S] [--rounds R] [--json]
 *   npm run bench -- capture-writer [--seconds S] [--rounds R] [--json]
 *   npm run bench -- pipeline [--ticks N] [--rounds R (31)] [--writer-cpu last|any] [--json]
 *   npm run bench -- replay [--events N[,N…]] [--json]
 *   npm run bench -- routing [--instances N] [--repeats R] [--json]
 *   npm run bench -- fix [--orders N] [--window W] [--warmup N] [--store memory|file] [--capture]
 *     [--sync always|never] [--observe] [--json]
 * Each prints one JSON object on stdout, saves it under bench/baselines/ and, on stderr, compares
 * it with the previous baseline of the same configuration. They run the built JavaScript in dist/
 * (what users run), so `npm run bench` builds first.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runCaptureBench } from './capture-bench.js';
import { runCaptureWriterBench } from './capture-writer-bench.js';
import { runExchangeBench } from './exchange-bench.js';
import { runFixBench } from './fix-bench.js';
import { runLedgerBench } from './ledger-bench.js';
import { runPipelineBench } from './pipeline-bench.js';
import { runReplayBench } from './replay-bench.js';
import { runRoutingBench } from './routing-bench.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

/** Prints the result, compares it with the saved baseline of `name`, and saves it. */
function report(name: string, result: Record<string, unknown>, args: readonly string[]): void {
  const baselineDir = path.join(benchDir, 'baselines');
  mkdirSync(baselineDir, { recursive: true });
  const baselineFile = path.join(baselineDir, `${name}.json`);
  if (existsSync(baselineFile)) {
    const previous = JSON.parse(readFileSync(baselineFile, 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(result)) {
      const before = previous[key];
      if (typeof value === 'number' && typeof before === 'number' && before !== 0) {
        const change = (((value - before) / before) * 100).toFixed(1);
        process.stderr.write(`${key}: ${before} -> ${value} (${change}%)\n`);
      }
    }
  }
  writeFileSync(baselineFile, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `${JSON.stringify(result, null, args.includes('--json') ? undefined : 2)}\n`,
  );
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  if (name === 'ledger') {
    const events = Number(option(args, 'events') ?? '100000');
    const backend = (option(args, 'backend') ?? 'sqlite') as 'sqlite' | 'jsonl';
    const batch = Number(option(args, 'batch') ?? '1000');
    const writer = (option(args, 'writer') ?? 'process') as 'inline' | 'process';
    const variant = backend === 'sqlite' && writer === 'inline' ? '-inline' : '';
    report(
      `ledger-${backend}${variant}-${events}`,
      await runLedgerBench({ events, backend, batch, writer }),
      args,
    );
  } else if (name === 'exchange') {
    const commands = Number(option(args, 'commands') ?? '2000000');
    report(`exchange-${commands}`, runExchangeBench({ commands }), args);
  } else if (name === 'capture') {
    const seconds = Number(option(args, 'seconds') ?? '60');
    const rounds = Number(option(args, 'rounds') ?? '3');
    report(`capture-${seconds}s`, await runCaptureBench({ seconds, rounds }), args);
  } else if (name === 'capture-writer') {
    const seconds = Number(option(args, 'seconds') ?? '60');
    const rounds = Number(option(args, 'rounds') ?? '3');
    report(`capture-writer-${seconds}s`, await runCaptureWriterBench({ seconds, rounds }), args);
  } else if (name === 'pipeline') {
    const ticks = Number(option(args, 'ticks') ?? '20000');
    const rounds = Number(option(args, 'rounds') ?? '31');
    const writerCpu = (option(args, 'writer-cpu') ?? 'last') as 'last' | 'any';
    report(
      `pipeline-${ticks}${writerCpu === 'any' ? '-any-cpu' : ''}`,
      await runPipelineBench({ ticks, rounds, writerCpu }),
      args,
    );
  } else if (name === 'routing') {
    const instances = Number(option(args, 'instances') ?? '40');
    const repeats = Number(option(args, 'repeats') ?? '10');
    report('routing', runRoutingBench({ instances, repeats }), args);
  } else if (name === 'replay') {
    const sizes = (option(args, 'events') ?? '100000,1000000').split(',').map(Number);
    report(`replay-${sizes.join('-')}`, await runReplayBench({ sizes }), args);
  } else if (name === 'fix') {
    const orders = Number(option(args, 'orders') ?? '200000');
    const window = Number(option(args, 'window') ?? '64');
    const warmup = Number(option(args, 'warmup') ?? '20000');
    const store = (option(args, 'store') ?? 'memory') as 'memory' | 'file';
    const sync = (option(args, 'sync') ?? 'always') as 'always' | 'never';
    const observe = args.includes('--observe');
    const capture = args.includes('--capture');
    const result = await runFixBench({ orders, window, warmup, store, sync, observe, capture });
    const variant = `${store === 'file' ? `file-${sync}` : store}${observe ? '-observed' : ''}${capture ? '-captured' : ''}`;
    report(`fix-${variant}-${orders}-w${window}`, result, args);
  } else {
    process.stderr.write(
      'usage: npm run bench -- ledger|exchange|capture|capture-writer|pipeline|replay|fix|routing [options] (see bench/run.ts)\n',
    );
    process.exitCode = 2;
  }
}

await main();
