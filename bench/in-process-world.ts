/**
 * The benchmarks' trading world: the VWAP strategy, router, risk checks and order manager trading
 * two in-process sandbox venues with seeded markets (following one reference price), on virtual
 * time, for `seconds` simulated seconds. `onInput` wraps each delivery (to time the pipeline).
 */
import { SeededRng, VirtualScheduler } from '../dist/core/index.js';
import { MarketSimulator, ReferencePrice, Venue } from '../dist/exchange/index.js';
import {
  type CaptureSink,
  DirectVenueLink,
  Pipeline,
  type PipelineInput,
  VwapStrategy,
  WaterFillingRouter,
} from '../dist/pipeline/index.js';

const MS = 1_000_000n;
const SECOND = 1_000n * MS;
const VENUES = ['XSIM1', 'XSIM2'] as const;

export interface InProcessWorldOptions {
  readonly seconds: number;
  readonly capture: CaptureSink;
  /** Delivers an input to the pipeline; by default straight through. */
  readonly onInput?: (input: PipelineInput, deliver: (input: PipelineInput) => void) => void;
}

export interface InProcessWorldResult {
  readonly pipeline: Pipeline;
  readonly ticks: number;
  readonly loopSeconds: number;
}

export function runInProcessWorld(options: InProcessWorldOptions): InProcessWorldResult {
  const scheduler = new VirtualScheduler({ wallOriginNs: 1_767_225_600_000_000_000n });
  const durationNs = BigInt(options.seconds) * SECOND;
  let ticks = 0;
  const straight = (input: PipelineInput): void => {
    pipeline.onInput(input);
  };
  const deliver = (input: PipelineInput): void => {
    if (input.kind === 'tick') ticks++;
    if (options.onInput === undefined) straight(input);
    else options.onInput(input, straight);
  };
  const links = new Map<string, DirectVenueLink>();
  const simulators: MarketSimulator[] = [];
  const reference = new ReferencePrice({
    rng: new SeededRng(99),
    initialMidTicks: 10_000,
    stepNs: 5n * MS,
    maxStepTicks: 1,
    minMidTicks: 100,
  });
  for (const [i, mic] of VENUES.entries()) {
    const venue = new Venue({
      mic,
      instruments: ['ACME'],
      scheduler,
      fees: { makerCentiTicksPerLot: -10, takerCentiTicksPerLot: 30 },
      processingLatency: { baseNs: 20_000n, jitterNs: 0n },
    });
    links.set(mic, new DirectVenueLink({ venue, deliver }));
    simulators.push(
      new MarketSimulator({
        venue,
        scheduler,
        rng: new SeededRng(100 + i),
        instruments: [
          {
            instrument: 'ACME',
            reference,
            profile: { midStepNs: 5n * MS, quoteRefreshNs: 4n * MS, noiseIntervalNs: 3n * MS },
          },
        ],
      }),
    );
  }
  const pipeline: Pipeline = new Pipeline(
    {
      node: 'bench',
      seed: 1n,
      clock: 'simulated',
      venues: VENUES.map((id) => ({
        id,
        makerFeeCentiTicksPerLot: -10,
        takerFeeCentiTicksPerLot: 30,
      })),
      instruments: ['ACME'],
      risk: {
        maxOrderLots: 1000,
        maxPositionLots: 10_000_000,
        priceCollarTicks: 50,
        maxOrdersPerSecond: 1000,
      },
      orderIdPrefix: 'B',
    },
    new VwapStrategy({
      parentId: 'P1',
      instrument: 'ACME',
      side: 'buy',
      totalLots: 2_000 * options.seconds,
      horizonNs: durationNs,
      profile: [14, 10, 8, 7, 6, 6, 7, 9, 12, 21],
      minSliceLots: 50,
      maxSliceLots: 200,
      aggressiveBehindLots: 300,
      checkIntervalNs: 20n * MS,
      repriceAfterNs: 50n * MS,
      jitterPct: 20,
    }),
    new WaterFillingRouter(),
    {
      clock: scheduler.clock,
      rng: new SeededRng(1),
      capture: options.capture,
      send: (command) => links.get(command.venue)!.send(command),
      setTimer: (name, delayNs) =>
        scheduler.setTimer(delayNs, () => deliver({ kind: 'timer', name })),
    },
  );
  pipeline.start();
  for (const simulator of simulators) simulator.start();
  const loopStart = process.hrtime.bigint();
  scheduler.advanceTo(durationNs);
  const loopSeconds = Number(process.hrtime.bigint() - loopStart) / 1e9;
  for (const simulator of simulators) simulator.stop();
  pipeline.stop('completed');
  return { pipeline, ticks, loopSeconds };
}
