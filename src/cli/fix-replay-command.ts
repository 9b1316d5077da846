/**
 * @module
 * `deltatrace replay-fix --log FILE`: replays a FIX session log into a fresh session on the
 * recorded instants and compares every outbound message byte for byte. Exit 0 when identical;
 * 3 (FIX_SESSION_REPLAY_DIVERGED, the report in `details.report`) when not, or when the log is
 * damaged before its end (FIX_SESSION_LOG_CORRUPT); 2 for a file that cannot be read or is not a
 * session log (INPUT_INVALID_ARGUMENT, FIX_SESSION_LOG_MALFORMED). No store is needed; the home
 * is ignored.
 *
 * @example
 *   deltatrace replay-fix --log .deltatrace/demo/fix/XSIM1-DTCLIENT.log --pretty
 */
import { readFileSync } from 'node:fs';

import type { Command } from 'commander';

import {
  decodeSessionLog,
  replaySessionLog,
  type SessionReplayReport,
} from '../adapters/fix/index.js';
import { InputError, IntegrityError, type JsonObject } from '../core/index.js';
import { createOutput, type Output } from './output.js';

/** How main.ts runs a command: with the resolved home and the output for its flags. */
export type FixReplayRunner = (
  work: (home: string, out: Output) => Promise<void> | void,
) => Promise<void>;

function readLog(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError('INPUT_INVALID_ARGUMENT', `cannot read session log ${file}`, {
      details: { file, reason: error instanceof Error ? error.message : String(error) },
      cause: error,
    });
  }
}

function summarize(file: string, report: SessionReplayReport, out: Output): void {
  const who = `${report.role} ${report.sender_comp_id}->${report.target_comp_id}`;
  const torn =
    report.torn_tail_bytes > 0
      ? ` (a torn last record of ${report.torn_tail_bytes} B cut off)`
      : '';
  out.info(
    `replayed ${file}: ${who}, ${report.steps} steps, ${report.recorded_outbound} recorded / ${report.replayed_outbound} replayed outbound messages${torn}`,
  );
  const divergence = report.first_divergence;
  if (divergence === null) {
    const { callbacks, timers, entries } = report.unmatched;
    out.info(
      report.identical
        ? 'identical: every outbound byte reproduced'
        : `outbound identical, but ${callbacks} callback(s), ${timers} timer(s) and ${entries} other entr(ies) had no occasion in the replay`,
    );
    return;
  }
  const where = divergence.recorded_step ?? divergence.replayed_step;
  out.info(
    `first divergent outbound message #${divergence.index}${where === null ? '' : ` (step ${where.step}, ${where.input})`}:`,
  );
  out.info(`  recorded: ${divergence.recorded ?? '(none)'}`);
  out.info(`  replayed: ${divergence.replayed ?? '(none)'}`);
  for (const field of divergence.fields) {
    out.info(
      `  tag ${field.tag}: ${field.recorded ?? '(absent)'} → ${field.replayed ?? '(absent)'}`,
    );
  }
}

/**
 * Replays the log at `file` and prints the report.
 * @throws INPUT_INVALID_ARGUMENT (unreadable file), FIX_SESSION_LOG_MALFORMED,
 *   FIX_SESSION_LOG_CORRUPT, FIX_SESSION_REPLAY_DIVERGED (with the report in `details.report`).
 */
export function fixReplayCommand(options: { readonly log: string }, out: Output): void {
  const report = replaySessionLog(decodeSessionLog(readLog(options.log)));
  summarize(options.log, report, out);
  if (!report.identical) {
    const at = report.first_divergence;
    throw new IntegrityError(
      'FIX_SESSION_REPLAY_DIVERGED',
      at === null
        ? `the replay of ${options.log} did not meet every recorded entry`
        : `the replay of ${options.log} diverged at outbound message ${at.index}`,
      { details: { file: options.log, report: JSON.parse(JSON.stringify(report)) as JsonObject } },
    );
  }
  out.ok(report);
}

/**
 * Adds `replay-fix` to the program. `run` is main.ts's runner, as for the other command groups;
 * without one, the command writes with the root program's `--pretty` and leaves errors to the
 * caller of `parseAsync` (main.ts maps them to the envelope and exit status either way).
 */
export function registerFixReplayCommand(program: Command, run?: FixReplayRunner): void {
  const runner: FixReplayRunner =
    run ??
    (async (work) => {
      const globals = program.opts<{ pretty?: boolean; debug?: boolean }>();
      await work(
        '',
        createOutput({ pretty: globals.pretty === true, debug: globals.debug === true }),
      );
    });
  program
    .command('replay-fix')
    .description(
      'replay a FIX session log on its recorded instants; exit 3 at the first outbound message that differs',
    )
    .requiredOption('--log <file>', 'session log (e.g. <home>/demo/fix/XSIM1-DTCLIENT.log)')
    .action((options: { log: string }) => runner((_home, out) => fixReplayCommand(options, out)));
}
