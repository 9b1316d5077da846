/**
 * @module
 * `deltatrace <command>`: the command-line composition root. Builds the ports, wires the parts,
 * maps every error to the JSON error envelope and an exit status (0 ok, 2 bad input, 3 integrity,
 * 1 anything else).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { EXIT_CODE, InputError } from '../core/errors.js';
import { formatVerifierKey } from '../core/signing/index.js';
import { SQLITE_WRITERS, type SqliteWriter } from '../storage/index.js';
import { appendCommand } from './append-command.js';
import { backtestCommand } from './backtest-command.js';
import { generateKey, loadLocalVerifiers, resolveHome } from './context.js';
import { registerContractsCommands } from './contracts/contracts-commands.js';
import { DEMO_SNAPSHOT_EVERY_INPUTS } from './demo/demo-session.js';
import { runLedgerDemo } from './demo/ledger-demo.js';
import { runTradingDemo } from './demo/trading-demo.js';
import { registerFixReplayCommand } from './fix-replay-command.js';
import { checkpointCommand, initCommand, logCommand } from './ledger-commands.js';
import { createOutput, type Output, type OutputOptions, reportError } from './output.js';
import { parityCommand } from './parity-command.js';
import { replayCommand } from './replay-command.js';
import { registerRouteCommands } from './route-commands.js';
import { exportCommand, importCommand } from './transfer-commands.js';
import {
  consistencyCommand,
  proveCommand,
  verifyCommand,
  verifyProofCommand,
} from './verify-commands.js';

interface GlobalOptions {
  readonly home?: string;
  readonly pretty?: boolean;
  readonly debug?: boolean;
}

function parseNonNegativeInt(value: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(value)) {
    throw new InvalidArgumentError('expected a non-negative integer');
  }
  return Number(value);
}

function parsePositiveInt(value: string): number {
  const parsed = parseNonNegativeInt(value);
  if (parsed === 0) throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Where a SQLite store's writes run while a bulk command appends (SqliteWriterOptions). */
function writerOption(): Option {
  return new Option(
    '--writer <where>',
    'SQLite: write on this thread, or in a writer process that overlaps the next batch (ignored for JSONL)',
  )
    .choices([...SQLITE_WRITERS])
    .default('inline');
}

function buildProgram(
  run: (work: (home: string, out: Output) => Promise<void> | void) => Promise<void>,
): Command {
  const program = new Command('deltatrace')
    .description('A tamper-evident, replayable event log for trading pipelines.')
    .version('0.1.0')
    .option('--home <dir>', 'ledger home (default $DELTATRACE_HOME or ./.deltatrace)')
    .option('--pretty', 'indent JSON output for people')
    .option('--debug', 'print stack traces of errors on stderr')
    .showHelpAfterError(false)
    .exitOverride()
    // Commander's own error lines become our JSON error envelope; help still reaches people.
    .configureOutput({
      writeErr: (text) => {
        if (!text.startsWith('error:')) process.stderr.write(text);
      },
    });

  program
    .command('init')
    .description('create a ledger (and a signing key if there is none)')
    .addOption(
      new Option('--backend <name>', 'storage backend')
        .choices(['sqlite', 'jsonl'])
        .default('sqlite'),
    )
    .option('--origin <name>', 'log origin line for checkpoints (default: random)')
    .option('--key-name <name>', 'name of the signing key to create', 'deltatrace')
    .option('--no-key', 'do not create a signing key')
    .action(
      (options: { backend: 'sqlite' | 'jsonl'; origin?: string; keyName: string; key: boolean }) =>
        run((home, out) => initCommand(home, options, out)),
    );

  const keys = program.command('keys').description('signing keys');
  keys
    .command('generate')
    .description('create an Ed25519 signing key (stored 0600; never printed)')
    .option('--name <name>', 'key name', 'deltatrace')
    .action((options: { name: string }) =>
      run((home, out) => {
        const verifier = generateKey(home, options.name);
        out.ok({ name: verifier.name, verifier_key: formatVerifierKey(verifier) });
      }),
    );
  keys
    .command('list')
    .description('list the public verifier keys (NDJSON)')
    .action(() =>
      run((home, out) => {
        for (const verifier of loadLocalVerifiers(home)) {
          out.record({
            name: verifier.name,
            key_id: verifier.keyId.toString(16).padStart(8, '0'),
            verifier_key: formatVerifierKey(verifier),
          });
        }
      }),
    );

  program
    .command('append')
    .description('append NDJSON event inputs from FILE or stdin (-); all or nothing on bad input')
    .argument('[file]', 'NDJSON file, or - for stdin', '-')
    .option('--batch-size <n>', 'events per atomic batch', parsePositiveInt, 1000)
    .addOption(
      new Option('--durability <mode>', 'fsync per batch or per event')
        .choices(['batch', 'event'])
        .default('batch'),
    )
    .addOption(writerOption())
    .action(
      (
        file: string,
        options: { batchSize: number; durability: 'batch' | 'event'; writer: SqliteWriter },
      ) => run((home, out) => appendCommand(home, file, options, out)),
    );

  program
    .command('log')
    .description('print entries as NDJSON')
    .option('--type <type>', 'only this event type')
    .option('--run <run>', 'only this run')
    .option('--from <seq>', 'first seq (inclusive)', parseNonNegativeInt)
    .option('--to <seq>', 'last seq (inclusive)', parseNonNegativeInt)
    .option('--limit <n>', 'at most n entries', parseNonNegativeInt)
    .action(
      (options: { type?: string; run?: string; from?: number; to?: number; limit?: number }) =>
        run((home, out) => logCommand(home, options, out)),
    );

  program
    .command('checkpoint')
    .description('sign a checkpoint of the current tree')
    .option('--key-name <name>', 'signing key (default: the only one)')
    .option('--out <file>', 'also write the signed note to a file (keep it to detect rewrites)')
    .action((options: { keyName?: string; out?: string }) =>
      run((home, out) => checkpointCommand(home, options, out)),
    );

  program
    .command('verify')
    .description(
      're-hash every entry and check chain, tree and signed checkpoints; exit 3 on damage',
    )
    .option('--checkpoint <file>', 'also check a checkpoint you kept (repeatable)', collect, [])
    .option(
      '--key <vkey>',
      'verifier key or file (repeatable; default: the home keys)',
      collect,
      [],
    )
    .action((options: { checkpoint: string[]; key: string[] }) =>
      run((home, out) =>
        verifyCommand(home, { checkpoints: options.checkpoint, keys: options.key }, out),
      ),
    );

  program
    .command('prove')
    .description('inclusion proof of the entry at SEQ against the latest checkpoint')
    .argument('<seq>', 'entry seq', parseNonNegativeInt)
    .action((seq: number) => run((home, out) => proveCommand(home, seq, out)));

  program
    .command('verify-proof')
    .description('check an inclusion proof offline (no store needed)')
    .argument('<proof>', 'proof JSON file')
    .requiredOption('--checkpoint <file>', 'signed checkpoint note')
    .requiredOption('--key <vkey>', 'verifier key or file')
    .action((proof: string, options: { checkpoint: string; key: string }) =>
      run((_home, out) => verifyProofCommand(proof, options, out)),
    );

  program
    .command('consistency')
    .description('prove the log only grew since an older checkpoint you kept')
    .argument('<old-checkpoint>', 'signed checkpoint note file')
    .option(
      '--key <vkey>',
      'verifier key or file (repeatable; default: the home keys)',
      collect,
      [],
    )
    .action((old: string, options: { key: string[] }) =>
      run((home, out) => consistencyCommand(home, old, { keys: options.key }, out)),
    );

  program
    .command('export')
    .description('export the log: jsonl (exchange format) or audit (integrity report + events)')
    .addOption(
      new Option('--format <format>', 'export format')
        .choices(['jsonl', 'audit'])
        .makeOptionMandatory(),
    )
    .option('--output <file>', 'write to a file instead of stdout')
    .option('--key <vkey>', 'verifier key for the audit integrity check (repeatable)', collect, [])
    .action((options: { format: 'jsonl' | 'audit'; output?: string; key: string[] }) =>
      run((home, out) => {
        const exportOptions = { format: options.format, keys: options.key };
        return exportCommand(
          home,
          options.output === undefined
            ? exportOptions
            : { ...exportOptions, output: options.output },
          out,
        );
      }),
    );

  program
    .command('import')
    .description('import an exported JSONL log verbatim (same ids, hashes and root)')
    .argument('<file>', 'JSONL file of entries')
    .option('--batch-size <n>', 'entries per atomic batch', parsePositiveInt, 5000)
    .addOption(writerOption())
    .action((file: string, options: { batchSize: number; writer: SqliteWriter }) =>
      run((home, out) => importCommand(home, file, options, out)),
    );

  program
    .command('replay')
    .description('re-run a recorded run and compare every output by content id')
    .requiredOption('--run <run>', 'the run to replay')
    .option(
      '--from <seq>',
      'start from the latest state snapshot at or before this seq',
      parseNonNegativeInt,
    )
    .option('--to <seq>', 'stop after this seq', parseNonNegativeInt)
    .option('--set <key=value>', 'what-if: change a strategy parameter (repeatable)', collect, [])
    .option('--strategy-module <file>', 'a module whose `strategies` export adds strategies')
    .option('--no-determinism-check', 'do not re-run an unexplained divergence in other processes')
    .action(
      (options: {
        run: string;
        from?: number;
        to?: number;
        set: string[];
        strategyModule?: string;
        determinismCheck: boolean;
      }) => run((home, out) => replayCommand(home, options, out)),
    );

  program
    .command('backtest')
    .description('historical ticks through a strategy against the sandbox matching engine')
    .requiredOption('--data <file>', 'CSV or NDJSON of ticks, or a JSONL export of a ledger')
    .option('--strategy <name>', 'strategy to run', 'vwap-schedule')
    .option('--set <key=value>', 'a strategy parameter (repeatable)', collect, [])
    .option('--seed <n>', 'seed of the strategy', parseNonNegativeInt, 1)
    .action((options: { data: string; strategy: string; set: string[]; seed: number }) =>
      run((home, out) => backtestCommand(home, options, out)),
    );

  program
    .command('parity')
    .description('paper run with every intent refused by a disabled live executor; parity report')
    .requiredOption('--scenario <file>', 'scenario JSON: {name?, seed?, ticks?, params?}')
    .requiredOption('--output <dir>', 'where the report (JSON, Markdown) and the ledger go')
    .action((options: { scenario: string; output: string }) =>
      run((_home, out) => parityCommand(options, out)),
    );

  const demo = program.command('demo').description('self-checking demonstrations');
  demo
    .command('trading', { isDefault: true })
    .description(
      'the end-to-end run: two sandbox venues over FIX 4.4 and WebSocket, the VWAP strategy, live capture, checkpoint, verify, summary',
    )
    .option(
      '--seed <n>',
      'seed of the markets, the network and the strategy',
      parseNonNegativeInt,
      7,
    )
    .addOption(
      new Option(
        '--clock <kind>',
        'simulated: byte-identical runs for a seed; system: real latencies',
      )
        .choices(['simulated', 'system'])
        .default('system'),
    )
    .option('--ticks <n>', 'ticks the pipeline sees before the run ends', parsePositiveInt, 10_000)
    .option(
      '--snapshot-every <inputs>',
      'record a state snapshot every this many inputs (0: none)',
      parseNonNegativeInt,
      DEMO_SNAPSHOT_EVERY_INPUTS,
    )
    .action(
      (options: {
        seed: number;
        clock: 'simulated' | 'system';
        ticks: number;
        snapshotEvery: number;
      }) =>
        run(async (home, out) => {
          out.ok(await runTradingDemo({ home, ...options }, out));
        }),
    );
  demo
    .command('ledger')
    .description('record, checkpoint, verify, prove, tamper and locate, on a generated session')
    .option('--events <n>', 'approximate number of events', parsePositiveInt, 20_000)
    .option('--seed <n>', 'session seed', parseNonNegativeInt, 7)
    .addOption(
      new Option('--backend <name>', 'storage backend')
        .choices(['sqlite', 'jsonl'])
        .default('sqlite'),
    )
    .action((options: { events: number; seed: number; backend: 'sqlite' | 'jsonl' }) =>
      run(async (home, out) => {
        out.ok(await runLedgerDemo({ home, ...options }, out));
      }),
    );

  registerRouteCommands(program, run);
  registerContractsCommands(program, run);
  registerFixReplayCommand(program, run);

  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const outputOptions: { pretty: boolean; debug: boolean } = {
    pretty: argv.includes('--pretty'),
    debug: argv.includes('--debug'),
  };
  let exitCode: number = EXIT_CODE.ok;
  const run = async (work: (home: string, out: Output) => Promise<void> | void): Promise<void> => {
    const globals = program.opts<GlobalOptions>();
    const options: OutputOptions = {
      pretty: globals.pretty === true,
      debug: globals.debug === true,
    };
    await work(resolveHome(globals.home), createOutput(options));
  };
  const program = buildProgram(run);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return EXIT_CODE.ok;
      }
      exitCode = reportError(
        new InputError('INPUT_INVALID_ARGUMENT', error.message.replace(/^error: /, ''), {
          details: { reason: error.code },
        }),
        outputOptions,
      );
    } else {
      exitCode = reportError(error, outputOptions);
    }
  }
  return exitCode;
}
