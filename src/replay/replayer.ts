/**
 * @module
 * Deterministic replay of a recorded run: the run's recorded inputs (ticks, acks, fills, timer
 * firings, feed and session states), with their recorded timestamps, drive the same strategy,
 * router and risk code — built again from what run.start recorded — and every output the pipeline
 * records is compared with the recorded one by content id. Identical ids all the way mean the run
 * is reproduced byte for byte; otherwise the report names the first output that differs. Pure over
 * its inputs: the events come in as a stream, nothing is read or written here.
 */
import {
  type Clock,
  computeEventId,
  type EventTypeRegistry,
  InputError,
  SeededRng,
} from '../core/index.js';
import {
  buildRouter,
  buildStrategy,
  type CaptureRecord,
  type CaptureSink,
  type EventRef,
  INPUT_EVENT_TYPES,
  inputOfEvent,
  type ParamValue,
  Pipeline,
  type PipelineInput,
  type RunStartPayload,
  RunStartPayloadSchema,
  type StrategyCatalog,
  toEventBody,
} from '../pipeline/index.js';
import { diffJson, type JsonDifference } from './json-diff.js';
import type { RecordedEvent } from './recorded-event.js';
import { type EventSummary, ReplayLog } from './replay-log.js';

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
}

/**
 * Why a replay diverged, where it can be told: its configuration or an input was changed, or (found
 * by the composition root, which replays in separate processes) the code reads something that is
 * not its inputs.
 */
export type DivergenceCause = 'config-changed' | 'input-changed' | 'nondeterminism' | 'unexplained';

export interface ReplayedEvent {
  readonly seq?: number;
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
}

export interface ReplayDivergence {
  /** `mismatch`: the output differs; `missing`: the replay did not produce a recorded output;
   * `extra`: it produced one the recording does not have. */
  readonly kind: 'mismatch' | 'missing' | 'extra';
  /** The seq of the recorded event where the replay stopped agreeing. */
  readonly seq: number;
  readonly expected: ReplayedEvent | null;
  readonly actual: ReplayedEvent | null;
  readonly diff: readonly JsonDifference[];
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
  readonly divergence: ReplayDivergence | null;
}

/** Events the replay gives rather than regenerates: compared, but a difference is noted, not fatal. */
const GIVEN = new Set([...INPUT_EVENT_TYPES, 'run.start', 'run.end', 'governance.trigger']);

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

/** Compares what the replayed pipeline records with the recording, in order. */
class ComparingCapture implements CaptureSink {
  readonly #log: ReplayLog;
  readonly #run: string;
  readonly #registry: EventTypeRegistry;
  /** Content ids by ref: the recorded id for given events, the replayed one for outputs. */
  readonly #ids: string[] = [];
  readonly changed: { seq: number; type: string; id: string }[] = [];
  /** Causes of the outputs the replay made, by id: the ancestry of an output the recording lacks. */
  readonly replayedCauses = new Map<string, readonly string[]>();
  outputs = 0;
  consumed = 0;
  divergence: Omit<ReplayDivergence, 'ancestry' | 'changedInputs' | 'cause'> | undefined;

  constructor(log: ReplayLog, run: string, registry: EventTypeRegistry) {
    this.#log = log;
    this.#run = run;
    this.#registry = registry;
  }

  record(record: CaptureRecord): EventRef {
    const ref = this.#ids.length;
    const body = toEventBody(
      record,
      this.#run,
      this.#registry.latestVersion(record.type),
      (r) => this.#ids[r],
    );
    const id = computeEventId(body);
    if (!GIVEN.has(record.type)) this.replayedCauses.set(id, body.causes);
    if (this.divergence !== undefined) {
      this.#ids.push(id);
      return ref;
    }
    const expected = this.#log.take();
    if (expected !== undefined) this.consumed++;
    if (expected === undefined) {
      this.divergence = {
        kind: 'extra',
        seq: this.#log.last?.seq ?? -1,
        expected: null,
        actual: { id, type: record.type, payload: body.payload },
        diff: [],
      };
      this.#ids.push(id);
      return ref;
    }
    if (GIVEN.has(expected.type) && expected.type === record.type) {
      if (expected.id !== id)
        this.changed.push({ seq: expected.seq, type: expected.type, id: expected.id });
      this.#ids.push(expected.id);
      return ref;
    }
    this.outputs++;
    if (expected.id !== id) {
      this.divergence = {
        // An output where the recording has an input: the replay decided more; an input where it
        // has an output: the replay decided less.
        kind: GIVEN.has(expected.type) ? 'extra' : GIVEN.has(record.type) ? 'missing' : 'mismatch',
        seq: expected.seq,
        expected: {
          seq: expected.seq,
          id: expected.id,
          type: expected.type,
          payload: expected.payload,
        },
        actual: { id, type: record.type, payload: body.payload },
        diff: diffJson(
          { type: expected.type, causes: expected.causes, payload: expected.payload },
          { type: record.type, causes: body.causes, payload: body.payload },
        ),
      };
    }
    this.#ids.push(id);
    return ref;
  }
}

/** The recorded stamps, handed back one event at a time: the replay's clock. */
function replayClock(log: ReplayLog): Clock {
  const next = (): RecordedEvent | undefined => log.peek() ?? log.last;
  return {
    wallNs: () => next()?.wallNs ?? 0n,
    monoNs: () => next()?.monoNs ?? 0n,
  };
}

/** Reads ahead until the events after the head reach the next given event (or the end). */
async function readThroughOutputs(log: ReplayLog): Promise<void> {
  for (;;) {
    for (let i = 1; i < log.buffered; i++) {
      if (GIVEN.has(log.peek(i)!.type)) return;
    }
    if (!(await log.readMore())) return;
  }
}

/**
 * Replays one run. `chunks` are the run's entries in seq order, starting with its run.start.
 * @throws INPUT_SCHEMA_VIOLATION when the first event is not a valid run.start;
 *   PIPELINE_INVALID_CONFIG when its strategy or router is not in the catalog.
 */
export async function replayRun(
  chunks: AsyncIterable<readonly RecordedEvent[]>,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const log = new ReplayLog(chunks);
  await log.readMore();
  const first = log.peek();
  const config = configOf(first);
  const run = first!.run;
  const params = { ...config.params, ...(options.set ?? {}) };
  const changedParams = Object.keys(options.set ?? {})
    .filter((key) => config.params[key] !== options.set?.[key])
    .sort();
  const strategy = buildStrategy(options.catalog, config.strategy, params);
  const capture = new ComparingCapture(log, run, options.registry);
  const pipeline = new Pipeline(
    {
      node: first!.source.node,
      seed: BigInt(config.seed),
      clock: config.clock,
      venues: (options.reverseVenues === true ? [...config.venues].reverse() : config.venues).map(
        (v) => ({
          id: v.id,
          makerFeeCentiTicksPerLot: v.maker_fee_centiticks_per_lot,
          takerFeeCentiTicksPerLot: v.taker_fee_centiticks_per_lot,
        }),
      ),
      instruments: config.instruments,
      risk: {
        maxOrderLots: Number(config.risk_limits['max_order_lots']),
        maxPositionLots: Number(config.risk_limits['max_position_lots']),
        priceCollarTicks: Number(config.risk_limits['price_collar_ticks']),
        maxOrdersPerSecond: Number(config.risk_limits['max_orders_per_second']),
      },
      orderIdPrefix: config.order_id_prefix,
    },
    strategy,
    buildRouter(options.catalog, config.router.name, config.router.params),
    {
      clock: replayClock(log),
      rng: new SeededRng(BigInt(config.seed)),
      capture,
      // Commands and timers went out in the recorded run; their answers and firings are inputs.
      send: () => undefined,
      setTimer: () => undefined,
    },
  );
  await readThroughOutputs(log);
  pipeline.start();
  let inputs = 0;
  while (capture.divergence === undefined) {
    if (log.buffered === 0 && !(await log.readMore())) break;
    await readThroughOutputs(log);
    const event = log.peek()!;
    const input = INPUT_EVENT_TYPES.has(event.type)
      ? inputOfEvent(event.type, event.source, event.payload)
      : undefined;
    if (input !== undefined) {
      inputs++;
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
  return report({
    log,
    capture,
    run,
    config,
    strategy: { name: strategy.name, version: strategy.version },
    changedParams,
    inputs,
  });
}

/** The recorded events an output of the replay derives from, through outputs of the replay. */
function replayedAncestry(
  log: ReplayLog,
  replayedCauses: ReadonlyMap<string, readonly string[]>,
  id: string,
): EventSummary[] {
  const found = new Map<string, EventSummary>();
  const stack = [...(replayedCauses.get(id) ?? [])];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const cause = stack.pop()!;
    if (seen.has(cause)) continue;
    seen.add(cause);
    const recorded = log.graph.get(cause);
    if (recorded !== undefined) {
      found.set(cause, recorded);
      for (const ancestor of log.ancestry(cause)) found.set(ancestor.id, ancestor);
    } else {
      stack.push(...(replayedCauses.get(cause) ?? []));
    }
  }
  return [...found.values()].sort((a, b) => a.seq - b.seq);
}

function report(parts: {
  log: ReplayLog;
  capture: ComparingCapture;
  run: string;
  config: RunStartPayload;
  strategy: { name: string; version: string };
  changedParams: string[];
  inputs: number;
}): ReplayReport {
  const { log, capture, config } = parts;
  const changedInputs = capture.changed.map(({ seq, type }) => ({ seq, type }));
  let divergence: ReplayDivergence | null = null;
  if (capture.divergence !== undefined) {
    const { expected, actual, kind } = capture.divergence;
    // An output the recording lacks has no recorded ancestry: follow the replay's own causes.
    const ancestry =
      kind === 'extra' && actual !== null
        ? replayedAncestry(log, capture.replayedCauses, actual.id)
        : expected === null
          ? []
          : log.ancestry(expected.id);
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
    divergence,
  };
}
