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
import { CausalGraph, type EventSummary } from './causal-graph.js';
import { diffJson, type JsonDifference } from './json-diff.js';
import type { RecordedEvent } from './recorded-event.js';
import { ReplayLog } from './replay-log.js';

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

  /** Whether inputs must be hashed to be compared (what-if: an input may have been changed). */
  readonly #hashInputs: boolean;

  constructor(log: ReplayLog, run: string, registry: EventTypeRegistry, hashInputs: boolean) {
    this.#log = log;
    this.#run = run;
    this.#registry = registry;
    this.#hashInputs = hashInputs;
  }

  /** Outputs of the replay in the current cycle, by id: the ancestry of an output too many. */
  newCycle(): void {
    this.replayedCauses.clear();
  }

  record(record: CaptureRecord): EventRef {
    const ref = this.#ids.length;
    const body = toEventBody(
      record,
      this.#run,
      this.#registry.latestVersion(record.type),
      (r) => this.#ids[r],
    );
    const next = this.#log.peek();
    // An input the replay gave back as recorded: compared member by member, not hashed (a replay
    // feeds a million of them).
    if (
      !this.#hashInputs &&
      this.divergence === undefined &&
      next !== undefined &&
      INPUT_EVENT_TYPES.has(next.type) &&
      sameGivenBody(body, next)
    ) {
      this.#log.take();
      this.consumed++;
      this.#ids.push(next.id);
      return ref;
    }
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

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((key) => Object.hasOwn(y, key) && sameJson(x[key], y[key]));
}

/** Whether a replayed body is, member for member, the recorded event's. */
function sameGivenBody(body: ReturnType<typeof toEventBody>, event: RecordedEvent): boolean {
  return (
    body.type === event.type &&
    (event.typeV === undefined || body.type_v === event.typeV) &&
    body.ts.wall_ns === event.wallNs &&
    body.ts.mono_ns === event.monoNs &&
    body.ts.hlc === event.hlc &&
    sameJson(body.source, event.source) &&
    sameJson(body.causes, event.causes) &&
    sameJson(body.payload, event.payload)
  );
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
 * Replays one run. `open` gives the run's entries in seq order, starting with its run.start; it is
 * called once for the replay and, when it diverges, once more to read the causal ancestry.
 * @throws INPUT_SCHEMA_VIOLATION when the first event is not a valid run.start;
 *   PIPELINE_INVALID_CONFIG when its strategy or router is not in the catalog.
 */
export async function replayRun(
  open: () => AsyncIterable<readonly RecordedEvent[]>,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const log = new ReplayLog(open());
  await log.readMore();
  const first = log.peek();
  const config = configOf(first);
  const run = first!.run;
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
  );
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
            capture.replayedCauses.get(actual.id) ?? [],
            (id) => capture.replayedCauses.get(id) ?? [],
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
    divergence,
  };
}
