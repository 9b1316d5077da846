/**
 * `replay-fix` on a commander program of its own, with the global flags and the error mapping of
 * src/cli/main.ts (JSON envelope on stdout, exit status by error code, a stack only with --debug),
 * so tests can run the command in-process or, through replay-fix-cli-entry.ts, as a process.
 */
import { Command, CommanderError } from 'commander';

import { registerFixReplayCommand } from '../../../src/cli/fix-replay-command.js';
import { createOutput, type Output, reportError } from '../../../src/cli/output.js';
import { EXIT_CODE, InputError } from '../../../src/core/index.js';

export async function runReplayFixCli(
  argv: readonly string[],
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const flags = { pretty: argv.includes('--pretty'), debug: argv.includes('--debug') };
  const program = new Command('deltatrace')
    .option('--home <dir>')
    .option('--pretty')
    .option('--debug')
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  const run = async (work: (home: string, out: Output) => Promise<void> | void): Promise<void> => {
    await work('.', createOutput(flags, stdout, stderr));
  };
  registerFixReplayCommand(program, run);
  try {
    await program.parseAsync(argv);
    return EXIT_CODE.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return reportError(
        new InputError('INPUT_INVALID_ARGUMENT', error.message.replace(/^error: /, ''), {
          details: { reason: error.code },
        }),
        flags,
        stdout,
        stderr,
      );
    }
    return reportError(error, flags, stdout, stderr);
  }
}
