/**
 * @module
 * Deterministic replay of a recorded run: the run's recorded inputs (ticks, acks, fills, timer
 * firings, feed and session states), with their recorded timestamps, drive the same strategy,
 * router and risk code — built again from what run.start recorded — and every output the pipeline
 * records is compared with the recorded one by content id. Identical ids all the way mean the run
 * is reproduced byte for byte; otherwise the report names the first output that differs. Pure over
 * its inputs: the events come in as a stream, nothing is read or written here.
 */
import { type Clock, type EventTypeRegistry, InputError, SeededRng } from '../core/index.js';
import {
  buildRouter,
  buildStrategy,
  INPUT_EVENT_TYPES,
  inputOfEvent,
  type ParamValue,
  Pipeline,
  type PipelineInput,
  type RunStartPayload,
  RunStartPayloadSchema,
  type StrategyCatalog,
} from '../pipeline/index.js';
import { CausalGraph, type EventSummary } from './causal-graph.js';
import {
  ComparingCapture,
  type FoundDivergence,
  GIVEN,
  type ReplayedEvent,
} from './comparing-capture.js';
import { type IdBlockSpill, IdTable } from './id-table.js';
import type { RecordedEvent } from './recorded-event.js';
import { ReplayLog } from './replay-log.js';
import { pipelineConfigOf, readToSnapshot, type Resumption } from './resume.js';
import { StoredEvent } from './stored-event.js';

export type { ReplayedEvent };

export const REPLAY_REPORT_FORMAT = 'deltatrace.replay.v1';

export interface ReplayOptions {
  readonly catalog: StrategyCatalog;
  /** Gives the payload schema version each type is recorded under now. */
  readonly registry: EventTypeRegistry;
  /** Strategy parameters to change (what-if); the run's recorded ones otherwise. */
  readonly set?: Readonly<Record<string, ParamValue>>;
  /** Changes an input before the pipeline sees it (what-if on inputs). */
  readonly alterInput?: (input: PipelineInput, event: RecordedEvent) => PipelineInput;
  /** Registers the venues in reverse (tests: no output may depend on registration order). */
  readonly reverseVenues?: boolean;
  /**
   * Starts from the latest state snapshot at or before this seq instead of from run.start: the
   * pipeline is rebuilt from the snapshot and the events after it are replayed and compared.
   */
  readonly fromSeq?: number;
  /**
   * Where the ids of events further back than the last few hundred thousand go, so that memory
   * stays flat however long the run (a file, in the CLI); in memory when absent.
   */
  readonly idSpill?: () => IdBlockSpill;
}

/** The state snapshot a replay started from. */
export interface ReplayStart {
  /** The seq asked for. */
  readonly requestedSeq: number;
  readonly snapshot: {
    readonly seq: number;
    readonly id: string;
    /** Inputs the recorded run had handled when it took the snapshot. */
    readonly inputs: number;
  };
}

/**
 * Why a replay diverged, where it can be told: its configuration or an input was changed, or (found
 * by the composition root, which replays in separate processes) the code reads something that is
 * not its inputs.
 */
export type DivergenceCause = 'config-changed' | 'input-changed' | 'nondeterminism' | 'unexplained';

export interface ReplayDivergence extends FoundDivergence {
  /** The recorded events the expected output derives from, by seq. */
  readonly ancestry: readonly EventSummary[];
  /** Inputs given differently from the recording, among the ancestry. */
  readonly changedInputs: readonly { readonly seq: number; readonly type: string }[];
  readonly cause: DivergenceCause;
}

export interface ReplayReport {
  readonly format: typeof REPLAY_REPORT_FORMAT;
  readonly run: string;
  /** Every recorded event was reproduced with the same content id. */
  readonly identical: boolean;
  /** Recorded events consumed. */
  readonly events: number;
  readonly inputs: number;
  /** Outputs (decisions) compared before the first divergence, or all of them. */
  readonly outputs: number;
  readonly strategy: {
    readonly name: string;
    readonly recordedVersion: string;
    readonly version: string;
    readonly changedParams: readonly string[];
  };
  /** Inputs and run.start given differently from the recording (what-if), by seq. */
  readonly changedInputs: readonly { readonly seq: number; readonly type: string }[];
  /** The snapshot the replay started from; null when it started from run.start. */
  readonly resumedFrom: ReplayStart | null;
  readonly divergence: ReplayDivergence | null;
}

function configOf(event: RecordedEvent | undefined): RunStartPayload {
  const parsed =
    event?.type === 'run.start' ? RunStartPayloadSchema.safeParse(event.payload) : undefined;
  if (parsed === undefined || !parsed.success) {
    throw new InputError(
      'INPUT_SCHEMA_VIOLATION',
      'a run to replay starts with a valid run.start',
      {
        details: { first: event?.type ?? 'nothing' },
      },
    );
  }
  return parsed.data;
}

/** The recorded stamps, handed back one event at a time: the replay's clock. */
function replayClock(log: ReplayLog): Clock {
  const next = (): RecordedEvent | undefined => log.peek() ?? log.last;
  return {
    wallNs: () => next()?.wallNs ?? 0n,
    monoNs: () => next()?.monoNs ?? 0n,
  };
}

/** Whether the events after the head are read up to the next given event (or the end). */
function outputsRead(log: ReplayLog): boolean {
  for (let i = 1; i < log.buffered; i++) if (GIVEN.has(log.peek(i)!.type)) return true;
  return log.ended;
}

/** Reads ahead until {@link outputsRead}. */
async function readThroughOutputs(log: ReplayLog): Promise<void> {
  while (!outputsRead(log) && (await log.readMore()));
}

/**
 * Replays one run. `open` gives the run's entries in seq order from `fromSeq` (from its run.start
 * when absent); it is called once for the replay, once more from the snapshot when the replay
 * starts from one, and, when it diverges, once more to read the causal ancestry.
 * @throws INPUT_SCHEMA_VIOLATION when the first event is not a valid run.start;
 *   PIPELINE_INVALID_CONFIG when its strategy or router is not in the catalog;
 *   REPLAY_SNAPSHOT_NOT_FOUND, REPLAY_SNAPSHOT_INVALID when starting from a snapshot.
 */
export async function replayRun(
  open: (fromSeq?: number) => AsyncIterable<readonly RecordedEvent[]>,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const ids = new IdTable(options.idSpill === undefined ? {} : { spill: options.idSpill() });
  try {
    return await replayWith(ids, open, options);
  } finally {
    ids.close();
  }
}

async function replayWith(
  ids: IdTable,
  open: (fromSeq?: number) => AsyncIterable<readonly RecordedEvent[]>,
  options: ReplayOptions,
): Promise<ReplayReport> {
  let log = new ReplayLog(open());
  await log.readMore();
  const first = log.peek();
  const config = configOf(first);
  const run = first!.run;
  let resumption: Resumption | undefined;
  if (options.fromSeq !== undefined) {
    resumption = await readToSnapshot(log, options.fromSeq, config, ids);
    log = new ReplayLog(open(resumption.snapshot.seq + 1));
    await log.readMore();
  }
  const params = { ...config.params, ...(options.set ?? {}) };
  const changedParams = Object.keys(options.set ?? {})
    .filter((key) => config.params[key] !== options.set?.[key])
    .sort();
  const strategy = buildStrategy(options.catalog, config.strategy, params);
  const capture = new ComparingCapture(
    log,
    run,
    options.registry,
    options.alterInput !== undefined,
    ids,
  );
  const pipelineConfig = pipelineConfigOf(
    first!.source.node,
    config,
    options.reverseVenues === true,
  );
  const router = buildRouter(options.catalog, config.router.name, config.router.params);
  const env = {
    clock: replayClock(log),
    rng: new SeededRng(BigInt(config.seed)),
    capture,
    // Commands and timers went out in the recorded run; their answers and firings are inputs.
    send: () => undefined,
    setTimer: () => undefined,
  };
  const pipeline =
    resumption === undefined
      ? new Pipeline(pipelineConfig, strategy, router, env)
      : Pipeline.resume(pipelineConfig, strategy, router, env, resumption.state);
  await readThroughOutputs(log);
  if (resumption === undefined) pipeline.start();
  let inputs = 0;
  while (capture.divergence === undefined) {
    if (log.buffered === 0 && !(await log.readMore())) break;
    // Awaited only when a chunk must be read: an await per input costs a microtask turn.
    if (!outputsRead(log)) await readThroughOutputs(log);
    const event = log.peek()!;
    // A tick is read from its entry text when it can be: most of a run's events are ticks.
    const tick = event instanceof StoredEvent ? event.tick() : undefined;
    const input =
      tick !== undefined
        ? tick
        : INPUT_EVENT_TYPES.has(event.type)
          ? inputOfEvent(event.type, event.source, event.payload)
          : undefined;
    if (input !== undefined) {
      inputs++;
      capture.newCycle();
      pipeline.onInput(options.alterInput === undefined ? input : options.alterInput(input, event));
    } else if (event.type === 'governance.trigger' && event.payload['trigger'] === 'halt') {
      pipeline.halt(typeof event.payload['detail'] === 'string' ? event.payload['detail'] : 'halt');
    } else if (event.type === 'run.end') {
      const reason = event.payload['reason'];
      const detail = event.payload['detail'];
      pipeline.stop(
        reason === 'stopped' || reason === 'failed' ? reason : 'completed',
        typeof detail === 'string' ? detail : undefined,
      );
    } else {
      capture.divergence = {
        kind: 'missing',
        seq: event.seq,
        expected: { seq: event.seq, id: event.id, type: event.type, payload: event.payload },
        actual: null,
        diff: [],
      };
    }
  }
  await log.close();
  const graph =
    capture.divergence === undefined
      ? undefined
      : await CausalGraph.read(open(), capture.divergence.seq);
  return report({
    graph,
    capture,
    run,
    config,
    strategy: { name: strategy.name, version: strategy.version },
    changedParams,
    inputs,
    resumedFrom:
      resumption === undefined
        ? null
        : {
            requestedSeq: options.fromSeq!,
            snapshot: {
              seq: resumption.snapshot.seq,
              id: resumption.snapshot.id,
              inputs: resumption.inputs,
            },
          },
  });
}

function report(parts: {
  graph: CausalGraph | undefined;
  capture: ComparingCapture;
  run: string;
  config: RunStartPayload;
  strategy: { name: string; version: string };
  changedParams: string[];
  inputs: number;
  resumedFrom: ReplayStart | null;
}): ReplayReport {
  const { graph, capture, config } = parts;
  const changedInputs = capture.changed.map(({ seq, type }) => ({ seq, type }));
  let divergence: ReplayDivergence | null = null;
  if (capture.divergence !== undefined && graph !== undefined) {
    const { expected, actual, kind } = capture.divergence;
    // An output the recording lacks has no recorded ancestry: follow the replay's own causes,
    // through its own outputs of the cycle, to the recorded events they rest on.
    const ancestry =
      kind === 'extra' && actual !== null
        ? graph.ancestry(
            capture.replayedCausesOf(actual.id) ?? [],
            (id) => capture.replayedCausesOf(id) ?? [],
          )
        : expected === null
          ? []
          : graph.ancestry(graph.get(expected.id)?.causes ?? []);
    const inAncestry = new Set(ancestry.map((a) => a.id));
    const changedHere = capture.changed
      .filter((c) => inAncestry.has(c.id))
      .map(({ seq, type }) => ({ seq, type }));
    const configChanged =
      parts.changedParams.length > 0 ||
      config.strategy_version !== parts.strategy.version ||
      config.strategy !== parts.strategy.name;
    divergence = {
      ...capture.divergence,
      ancestry,
      changedInputs: changedHere,
      cause: configChanged
        ? 'config-changed'
        : changedHere.length > 0
          ? 'input-changed'
          : 'unexplained',
    };
  }
  return {
    format: REPLAY_REPORT_FORMAT,
    run: parts.run,
    identical: divergence === null && changedInputs.length === 0,
    events: capture.consumed,
    inputs: parts.inputs,
    outputs: capture.outputs,
    strategy: {
      name: parts.strategy.name,
      recordedVersion: config.strategy_version,
      version: parts.strategy.version,
      changedParams: parts.changedParams,
    },
    changedInputs,
    resumedFrom: parts.resumedFrom,
    divergence,
  };
}
