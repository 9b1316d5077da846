/**
 * Replays one run of a store in a process of its own and reports time and peak RSS as JSON, read
 * as `deltatrace replay` reads it (the store's default chunks, one parser for the whole read).
 * Usage: replay-child.ts <store-dir> <run> [floor|text]
 *
 * `text` replays with the entry texts read in JavaScript rather than by the native scan
 * (native/entry-scan), to show what the scan saves.
 *
 * `floor` times, instead, what a replay cannot do without, each alone and in µs per event of the
 * run: reading the store's texts, reading them into events as the replay does, and the pipeline
 * (strategy, router, risk checks, order manager) fed the decoded inputs while capturing nothing.
 * What the replay takes beyond the events and the pipeline is its own: comparing, hashing the
 * outputs, keeping the ids.
 */
import { FileIdSpill } from '../dist/cli/id-spill-file.js';
import { createCoreRegistry, SeededRng } from '../dist/core/index.js';
import {
  buildRouter,
  buildStrategy,
  BUILT_IN_CATALOG,
  INPUT_EVENT_TYPES,
  inputOfEvent,
  NullCapture,
  Pipeline,
  type PipelineInput,
  registerPipelineEventTypes,
  RunStartPayloadSchema,
} from '../dist/pipeline/index.js';
import {
  pipelineConfigOf,
  readRecordedEvents,
  type RecordedEvent,
  replayRun,
} from '../dist/replay/index.js';
import { openStore } from '../dist/storage/index.js';
import { peakRssMb } from './peak-rss.js';

const [dir, run, mode] = process.argv.slice(2);
const store = await openStore(dir!, { readonly: true });
const registry = registerPipelineEventTypes(createCoreRegistry());

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

async function replay(): Promise<Record<string, unknown>> {
  let read = 0;
  const chunks = (): AsyncIterable<readonly RecordedEvent[]> =>
    readRecordedEvents(
      store,
      { run: run! },
      {
        scanner: mode === 'text' ? 'text' : 'native',
        onChunk: (count) => {
          read += count;
          if (read % 200_000 < count) process.stderr.write(`replayed ${read}\n`);
        },
      },
    );
  const start = process.hrtime.bigint();
  const report = await replayRun(chunks, {
    catalog: BUILT_IN_CATALOG,
    registry,
    idSpill: () => FileIdSpill.create(),
  });
  return {
    identical: report.identical,
    events: report.events,
    outputs: report.outputs,
    seconds: seconds(start),
    rss_mb_peak: peakRssMb(),
  };
}

/** Times `step` over every event of the run; µs per event. */
async function perEvent(step: (line: string) => void): Promise<number> {
  let events = 0;
  const start = process.hrtime.bigint();
  for await (const lines of store.query({ run: run! })) {
    for (const line of lines) step(line);
    events += lines.length;
  }
  return (seconds(start) * 1e6) / events;
}

/** Reading the run as the replay reads it, into events, and nothing else; µs per event. */
async function readEventsAlone(): Promise<number> {
  let events = 0;
  const start = process.hrtime.bigint();
  for await (const chunk of readRecordedEvents(store, { run: run! })) events += chunk.length;
  return (seconds(start) * 1e6) / events;
}

/**
 * The pipeline alone, fed the run's inputs a chunk at a time as the replay decodes them, with
 * nothing captured; only the pipeline is timed, in µs per event of the run. Decoding a chunk
 * before timing it keeps the rest of the run out of memory, so the collector's work is the
 * pipeline's own.
 */
async function pipelineAlone(): Promise<number> {
  let pipeline: Pipeline | undefined;
  let now = { wallNs: 0n, monoNs: 0n };
  let timed = 0n;
  let events = 0;
  for await (const chunk of readRecordedEvents(store, { run: run! })) {
    events += chunk.length;
    const inputs: { readonly input: PipelineInput; readonly at: RecordedEvent }[] = [];
    for (const event of chunk) {
      if (pipeline === undefined) {
        const config = RunStartPayloadSchema.parse(event.payload);
        pipeline = new Pipeline(
          pipelineConfigOf(event.source.node, config, false),
          buildStrategy(BUILT_IN_CATALOG, config.strategy, config.params),
          buildRouter(BUILT_IN_CATALOG, config.router.name, config.router.params),
          {
            clock: { wallNs: () => now.wallNs, monoNs: () => now.monoNs },
            rng: new SeededRng(BigInt(config.seed)),
            capture: new NullCapture(),
            send: () => undefined,
            setTimer: () => undefined,
          },
        );
        now = event;
        pipeline.start();
        continue;
      }
      const input = INPUT_EVENT_TYPES.has(event.type)
        ? inputOfEvent(event.type, event.source, event.payload)
        : undefined;
      if (input !== undefined) inputs.push({ input, at: event });
    }
    const start = process.hrtime.bigint();
    for (const { input, at } of inputs) {
      now = at;
      pipeline!.onInput(input);
    }
    timed += process.hrtime.bigint() - start;
  }
  return Number(timed) / 1e3 / events;
}

async function floor(): Promise<Record<string, unknown>> {
  const round = (us: number): number => Math.round(us * 1000) / 1000;
  // The first read warms the page cache; the second is the one timed.
  await perEvent(() => undefined);
  return {
    store_read_us: round(await perEvent(() => undefined)),
    read_events_us: round(await readEventsAlone()),
    pipeline_us: round(await pipelineAlone()),
  };
}

const result = mode === 'floor' ? await floor() : await replay();
await store.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
