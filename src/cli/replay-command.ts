/**
 * `deltatrace replay`: re-runs a recorded run from the ledger and compares every output by content
 * id. A replay that diverges without a cause it can name is run twice more, each in a process of
 * its own: if those two disagree with each other, the strategy reads something that is not its
 * inputs (a wall clock, an unseeded random source) — nondeterminism, not a changed input.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { InputError, IntegrityError, type JsonObject } from '../core/index.js';
import {
  BUILT_IN_CATALOG,
  type ParamValue,
  RunStartPayloadSchema,
  type StrategyCatalog,
  type StrategyFactory,
} from '../pipeline/index.js';
import {
  createRecordedEventParser,
  readRecordedEvents,
  type RecordedEvent,
  type ReplayReport,
  replayRun,
  ticksOfRun,
  whatIf,
  type WhatIfReport,
} from '../replay/index.js';
import { FileIdSpill } from './id-spill-file.js';
import type { Output } from './output.js';
import { cliEventRegistry, withStore } from './session.js';

export interface ReplayCommandOptions {
  readonly run: string;
  /** Start from the latest state snapshot at or before this seq. */
  readonly from?: number;
  readonly to?: number;
  readonly set: readonly string[];
  /** A module whose `strategies` export adds strategy factories by name. */
  readonly strategyModule?: string;
  /** Re-run in separate processes to tell nondeterminism from other causes (default true). */
  readonly determinismCheck: boolean;
}

/** `key=value`: numbers and booleans as such, anything else as a string. */
export function parseSetting(text: string): [string, ParamValue] {
  const at = text.indexOf('=');
  if (at <= 0) {
    throw new InputError(
      'INPUT_INVALID_ARGUMENT',
      `--set wants key=value, got ${JSON.stringify(text)}`,
    );
  }
  const key = text.slice(0, at);
  const raw = text.slice(at + 1);
  const value: ParamValue =
    raw === 'true'
      ? true
      : raw === 'false'
        ? false
        : /^-?(0|[1-9][0-9]*)$/.test(raw) && Number.isSafeInteger(Number(raw))
          ? Number(raw)
          : raw;
  return [key, value];
}

async function catalogWith(moduleFile: string | undefined): Promise<StrategyCatalog> {
  if (moduleFile === undefined) return BUILT_IN_CATALOG;
  let loaded: { strategies?: Record<string, StrategyFactory> };
  try {
    loaded = (await import(pathToFileURL(path.resolve(moduleFile)).href)) as typeof loaded;
  } catch (error) {
    throw new InputError(
      'REPLAY_STRATEGY_MODULE',
      `cannot load the strategy module ${moduleFile}`,
      {
        details: {
          file: moduleFile,
          reason: error instanceof Error ? error.message : String(error),
        },
      },
    );
  }
  if (typeof loaded.strategies !== 'object' || loaded.strategies === null) {
    throw new InputError('REPLAY_STRATEGY_MODULE', 'a strategy module exports `strategies`', {
      details: { file: moduleFile },
    });
  }
  return {
    ...BUILT_IN_CATALOG,
    strategies: { ...BUILT_IN_CATALOG.strategies, ...loaded.strategies },
  };
}

async function replayFromStore(home: string, options: ReplayCommandOptions): Promise<ReplayReport> {
  if (options.from !== undefined && options.to !== undefined && options.to < options.from) {
    throw new InputError('INPUT_INVALID_ARGUMENT', '--to comes before --from', {
      details: { from: options.from, to: options.to },
    });
  }
  const registry = cliEventRegistry();
  const catalog = await catalogWith(options.strategyModule);
  const set = Object.fromEntries(options.set.map(parseSetting));
  return withStore(home, { readonly: true }, async (store) => {
    const to = options.to;
    const chunks = (fromSeq?: number): AsyncIterable<readonly RecordedEvent[]> =>
      readRecordedEvents(store, {
        run: options.run,
        ...(fromSeq === undefined ? {} : { fromSeq }),
        ...(to === undefined ? {} : { toSeq: to }),
      });
    const first = store.query({ run: options.run }, 1)[Symbol.asyncIterator]();
    const head = await first.next();
    await first.return?.();
    if (head.done === true || head.value.length === 0) {
      throw new InputError('REPLAY_RUN_NOT_FOUND', `the log has no run ${options.run}`, {
        details: { run: options.run },
      });
    }
    return replayRun(chunks, {
      catalog,
      registry,
      set,
      idSpill: () => FileIdSpill.create(),
      ...(options.from === undefined ? {} : { fromSeq: options.from }),
    });
  });
}

/** The same replay in a process of its own: what a second run of the code on the inputs gives. */
function replayElsewhere(
  home: string,
  options: ReplayCommandOptions,
): { seq: number; id: string | null } | null {
  const args = [
    ...process.execArgv,
    process.argv[1]!,
    '--home',
    home,
    'replay',
    '--run',
    options.run,
    '--no-determinism-check',
    ...(options.from === undefined ? [] : ['--from', String(options.from)]),
    ...(options.to === undefined ? [] : ['--to', String(options.to)]),
    ...(options.strategyModule === undefined ? [] : ['--strategy-module', options.strategyModule]),
    ...options.set.flatMap((s) => ['--set', s]),
  ];
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const parsed = JSON.parse(child.stdout) as {
    ok: boolean;
    data?: ReplayReport;
    error?: { details?: { report?: ReplayReport } };
  };
  const report = parsed.data ?? parsed.error?.details?.report;
  const divergence = report?.divergence;
  return divergence === undefined || divergence === null
    ? null
    : { seq: divergence.seq, id: divergence.actual?.id ?? null };
}

/** The run's market data traded again with and without the changed parameters. */
async function whatIfFromStore(home: string, options: ReplayCommandOptions): Promise<WhatIfReport> {
  const catalog = await catalogWith(options.strategyModule);
  const set = Object.fromEntries(options.set.map(parseSetting));
  return withStore(home, { readonly: true }, async (store) => {
    const events: RecordedEvent[] = [];
    const parse = createRecordedEventParser();
    for await (const lines of store.query({ run: options.run })) {
      for (const line of lines) {
        const event = parse(line);
        if (event.type === 'md.tick' || event.type === 'run.start') events.push(event);
      }
    }
    const config = RunStartPayloadSchema.parse(events[0]?.payload);
    return whatIf(config, ticksOfRun(events), set, catalog);
  });
}

export async function replayCommand(
  home: string,
  options: ReplayCommandOptions,
  out: Output,
): Promise<void> {
  let report = await replayFromStore(home, options);
  const divergence = report.divergence;
  if (divergence !== null && divergence.cause === 'unexplained' && options.determinismCheck) {
    out.info(
      'the replay diverged without a changed input or configuration: replaying twice more, in separate processes',
    );
    // Three replays of the same code on the same inputs: this one and two in other processes.
    // A noise source with few values can make two of them agree by chance; three rarely do.
    const here = JSON.stringify({ seq: divergence.seq, id: divergence.actual?.id ?? null });
    const agree = [replayElsewhere(home, options), replayElsewhere(home, options)].every(
      (other) => JSON.stringify(other) === here,
    );
    report = {
      ...report,
      divergence: { ...divergence, cause: agree ? 'unexplained' : 'nondeterminism' },
    };
  }
  if (report.resumedFrom !== null) {
    const { snapshot } = report.resumedFrom;
    out.info(
      `started from the state snapshot at seq ${snapshot.seq} (after ${snapshot.inputs} inputs)`,
    );
  }
  out.info(
    report.identical
      ? `replayed ${report.events} events of ${report.run}: identical (${report.outputs} outputs compared)`
      : report.divergence === null
        ? `replayed ${report.events} events of ${report.run}: outputs identical, ${report.changedInputs.length} input(s) changed`
        : `replayed ${report.run}: first divergence at seq ${report.divergence.seq} (${report.divergence.kind} ${report.divergence.expected?.type ?? report.divergence.actual?.type ?? ''}), cause: ${report.divergence.cause}`,
  );
  // A what-if is asked to differ; a plain replay that differs is an integrity finding.
  if (report.divergence !== null && options.set.length === 0) {
    throw new IntegrityError(
      'REPLAY_DIVERGED',
      `the replay of ${report.run} diverged at seq ${report.divergence.seq}`,
      {
        details: {
          report: JSON.parse(
            JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
          ) as JsonObject,
        },
      },
    );
  }
  if (options.set.length > 0) {
    const what = await whatIfFromStore(home, options);
    out.info(
      `what-if ${options.set.join(' ')}: ${what.orders_added_count} order(s) added, ${what.orders_removed_count} removed; filled ${what.baseline.filled_lots} → ${what.changed.filled_lots} lots, slippage ${what.baseline.slippage_ticks ?? '-'} → ${what.changed.slippage_ticks ?? '-'} ticks`,
    );
    out.ok({ ...report, what_if: what });
    return;
  }
  out.ok(report);
}
