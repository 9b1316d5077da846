/**
 * A deterministic pipeline run for tests: in-process venues stepping every millisecond of virtual
 * time, orders reaching them after a fixed latency, timers on the same virtual scheduler.
 */
import { SeededRng, VirtualScheduler } from '../../src/core/index.js';
import {
  type CaptureSink,
  InMemoryCapture,
  Pipeline,
  type PipelineInput,
  type RiskLimits,
  type Router,
  type Strategy,
  type VwapParams,
  VwapStrategy,
  WaterFillingRouter,
} from '../../src/pipeline/index.js';
import { InProcessVenue } from '../helpers/in-process-venues.js';

export const WALL_ORIGIN_NS = 1_767_225_600_000_000_000n;
const MS = 1_000_000n;

export const DEFAULT_RISK: RiskLimits = {
  maxOrderLots: 500,
  maxPositionLots: 10_000,
  priceCollarTicks: 20,
  maxOrdersPerSecond: 200,
};

export function vwapParams(overrides: Partial<VwapParams> = {}): VwapParams {
  return {
    parentId: 'P1',
    instrument: 'ACME',
    side: 'buy',
    totalLots: 2000,
    horizonNs: 400n * MS,
    profile: [14, 10, 8, 7, 6, 6, 7, 9, 12, 21],
    minSliceLots: 40,
    maxSliceLots: 150,
    aggressiveBehindLots: 200,
    checkIntervalNs: 10n * MS,
    repriceAfterNs: 20n * MS,
    jitterPct: 20,
    ...overrides,
  };
}

export interface SimulationOptions {
  readonly seed?: number;
  readonly venueIds?: readonly string[];
  readonly steps?: number;
  readonly params?: Partial<VwapParams>;
  readonly risk?: Partial<RiskLimits>;
  /** Changes one input before the pipeline sees it (to test replay divergence and the like). */
  /** The strategy (default: VWAP with {@link vwapParams}). */
  readonly strategy?: (params: VwapParams) => Strategy;
  /** Where events go besides memory. */
  readonly capture?: CaptureSink;
  readonly alterInput?: (input: PipelineInput, index: number) => PipelineInput;
  /** The router (default: water-filling). */
  readonly router?: () => Router;
  readonly snapshotEveryInputs?: number;
}

export function runSimulation(options: SimulationOptions = {}) {
  const seed = options.seed ?? 7;
  const venueIds = options.venueIds ?? ['XSIM-A', 'XSIM-B'];
  const scheduler = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
  const capture = new InMemoryCapture(`sim-${seed}`);
  const also = options.capture;
  const sink: CaptureSink =
    also === undefined
      ? capture
      : {
          record: (record) => {
            also.record(record);
            return capture.record(record);
          },
        };
  // Each venue's flow is seeded from its id, so the order they are listed in changes nothing.
  const venues = new Map(
    venueIds.map((id) => [
      id,
      new InProcessVenue(id, 'ACME', 10_000, seed * 1000 + id.charCodeAt(id.length - 1)),
    ]),
  );
  const sorted = [...venues.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  let inputNo = 0;
  const deliver = (inputs: readonly PipelineInput[]): void => {
    for (const input of inputs) {
      pipeline.onInput(
        options.alterInput === undefined ? input : options.alterInput(input, inputNo),
      );
      inputNo++;
    }
  };
  const pipeline: Pipeline = new Pipeline(
    {
      node: 'sim-node',
      seed: BigInt(seed),
      clock: 'simulated',
      venues: venueIds.map((id) => ({
        id,
        makerFeeCentiTicksPerLot: 10,
        takerFeeCentiTicksPerLot: 30,
      })),
      instruments: ['ACME'],
      risk: { ...DEFAULT_RISK, ...options.risk },
      orderIdPrefix: 'C',
      ...(options.snapshotEveryInputs === undefined
        ? {}
        : { snapshotEveryInputs: options.snapshotEveryInputs }),
    },
    (options.strategy ?? ((p: VwapParams) => new VwapStrategy(p)))(vwapParams(options.params)),
    options.router?.() ?? new WaterFillingRouter(),
    {
      clock: scheduler.clock,
      rng: new SeededRng(seed),
      capture: sink,
      send: (command) => {
        scheduler.setTimer(50_000n, () => deliver(venues.get(command.venue)!.handle(command)));
      },
      setTimer: (name, delayNs) => {
        scheduler.setTimer(delayNs, () => deliver([{ kind: 'timer', name }]));
      },
    },
  );
  pipeline.start();
  for (const venue of sorted) deliver([venue.tick()]);
  const steps = options.steps ?? 450;
  for (let step = 1; step <= steps; step++) {
    scheduler.setTimer(BigInt(step) * MS, () => {
      for (const venue of sorted) deliver(venue.step());
    });
  }
  scheduler.advanceTo(BigInt(steps) * MS + MS);
  pipeline.stop('completed');
  return { pipeline, capture, scheduler };
}
