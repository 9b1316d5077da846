/**
 * @module
 * One trading session of the demo world, with whatever capture it is given: the venues and their
 * markets, the client's FIX and WebSocket connections, and the pipeline running the VWAP strategy
 * for a number of ticks, then halted, logged out and shut down. The demo runs it into a ledger;
 * the pipeline benchmark runs it with capture on and off.
 */
import {
  type DeltaTraceError,
  InternalError,
  SeededRng,
  VirtualScheduler,
} from '../../core/index.js';
import { NetworkSimulator } from '../../exchange/index.js';
import {
  AdmmRouter,
  type CaptureSink,
  type OutboundCommand,
  type ParamValue,
  Pipeline,
  type PipelineInput,
  VwapStrategy,
} from '../../pipeline/index.js';
import { SystemScheduler } from '../../runtime/system-scheduler.js';
import { SystemClock } from '../context.js';
import { DemoClient } from './demo-client.js';
import { DEMO_INSTRUMENT, DEMO_VENUES, startVenues, stopVenues } from './demo-world.js';

export interface DemoSessionOptions {
  readonly seed: number;
  readonly clock: 'simulated' | 'system';
  /** The session ends once the pipeline has seen this many ticks. */
  readonly ticks: number;
  readonly capture: CaptureSink;
  readonly info?: (text: string) => void;
  readonly progress?: (ticks: number) => void;
  /** Strategy parameters to change (run.start names), e.g. from a parity scenario. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Sees every command before it goes to a venue (a shadow executor mirrors them). */
  readonly onCommand?: (command: OutboundCommand) => void;
  /** Where every FIX session, venue and client side, writes its session log. */
  readonly fixLogDir?: string;
  /** A state snapshot every this many inputs, for replays that start part-way (0: none). */
  readonly snapshotEveryInputs?: number;
}

/** About five snapshots in a default demo run: replay can start part-way through it. */
export const DEMO_SNAPSHOT_EVERY_INPUTS = 2000;

export interface DemoSessionResult {
  readonly pipeline: Pipeline;
  readonly router: AdmmRouter;
  readonly ticks: number;
  /** Monotonic time trading started and ended (virtual in simulated mode). */
  readonly startNs: bigint;
  readonly endNs: bigint;
  /** Real seconds from the first tick asked for to the halt. */
  readonly tradingSeconds: number;
}

export const PARENT_ORDER_ID = 'PARENT-1';
export const PARENT_LOTS = 5000;

/**
 * The demo's router: the ADMM planner, each venue sharing its displayed liquidity under a privacy
 * budget of ε = 40 spent 0.5 a share (Δ = 1 lot: Laplace noise of scale 2 lots), so a long run
 * spends its budgets and shows the refusals being recorded.
 */
export function demoRouter(): AdmmRouter {
  return new AdmmRouter({
    privacy: { epsilonPerShare: '0.5', epsilonTotal: '40', sensitivityLots: '1' },
  });
}

const MS = 1_000_000n;
/** 2026-01-02T14:30:00Z: where simulated wall time starts. */
const SIMULATED_WALL_ORIGIN_NS = 1_767_364_200_000_000_000n;
/** Simulated time allowed per tick asked for before the run gives up waiting for ticks. */
const MAX_NS_PER_TICK = 50n * MS;

function check(
  condition: boolean,
  message: string,
  details: Record<string, string | number> = {},
): void {
  if (!condition) {
    throw new InternalError('INTERNAL', `demo self-check failed: ${message}`, { details });
  }
}

/** The demo's VWAP strategy, its parameters changed by `params` (run.start names). */
function strategyWith(
  horizonNs: bigint,
  params: Readonly<Record<string, ParamValue>>,
): VwapStrategy {
  const base = new VwapStrategy({
    parentId: PARENT_ORDER_ID,
    instrument: DEMO_INSTRUMENT,
    side: 'buy',
    totalLots: PARENT_LOTS,
    horizonNs,
    profile: [14, 10, 8, 7, 6, 6, 7, 9, 12, 21],
    minSliceLots: 40,
    maxSliceLots: 200,
    aggressiveBehindLots: 300,
    checkIntervalNs: 100n * MS,
    repriceAfterNs: 250n * MS,
    jitterPct: 20,
  });
  return Object.keys(params).length === 0
    ? base
    : VwapStrategy.fromParams({ ...base.params, ...params });
}

/** @throws INTERNAL when a session cannot log on or an adapter reports an error. */
export async function runDemoSession(options: DemoSessionOptions): Promise<DemoSessionResult> {
  const out = {
    info: options.info ?? (() => undefined),
    progress: options.progress ?? (() => undefined),
  };
  const capture = options.capture;
  const simulated = options.clock === 'simulated';
  const virtual = simulated
    ? new VirtualScheduler({ wallOriginNs: SIMULATED_WALL_ORIGIN_NS })
    : undefined;
  const system = simulated ? undefined : new SystemScheduler(new SystemClock());
  const scheduler = virtual ?? system!;
  const network = simulated
    ? new NetworkSimulator({ scheduler, seed: BigInt(options.seed) })
    : undefined;
  const errors: DeltaTraceError[] = [];
  const onError = (error: DeltaTraceError): void => {
    errors.push(error);
  };

  out.info(
    `1/4 starting venues ${DEMO_VENUES.map((v) => v.mic).join(', ')} on loopback (${options.clock} clock, seed ${options.seed})`,
  );
  const venues = await startVenues({
    scheduler,
    seed: options.seed,
    network,
    onError,
    processingLatencyNs: simulated ? 30_000n : 0n,
    ...(options.fixLogDir === undefined ? {} : { fixLogDir: options.fixLogDir }),
  });
  let ticks = 0;
  let running = true;
  const deliver = (input: PipelineInput): void => {
    // What arrives after the run ended (a socket's last close) is not part of it.
    if (!running) return;
    if (input.kind === 'tick') ticks++;
    pipeline.onInput(input);
  };
  const client = new DemoClient({
    scheduler,
    seed: options.seed,
    venues,
    deliver,
    onError,
    ...(options.fixLogDir === undefined ? {} : { fixLogDir: options.fixLogDir }),
  });
  // A horizon the expected ticks fill, so the schedule finishes with the run: the two simulated
  // markets move the top of the book about 950 times a second between them.
  const horizonNs = (BigInt(options.ticks) * 1_050_000n * 95n) / 100n;
  const router = demoRouter();
  const pipeline: Pipeline = new Pipeline(
    {
      node: 'demo-trader',
      seed: BigInt(options.seed),
      clock: options.clock,
      venues: DEMO_VENUES.map((v) => ({
        id: v.mic,
        makerFeeCentiTicksPerLot: v.makerCentiTicksPerLot,
        takerFeeCentiTicksPerLot: v.takerCentiTicksPerLot,
      })),
      instruments: [DEMO_INSTRUMENT],
      risk: {
        maxOrderLots: 500,
        maxPositionLots: 50_000,
        priceCollarTicks: 25,
        maxOrdersPerSecond: 200,
      },
      orderIdPrefix: 'DT',
      ...((options.snapshotEveryInputs ?? DEMO_SNAPSHOT_EVERY_INPUTS) > 0
        ? { snapshotEveryInputs: options.snapshotEveryInputs ?? DEMO_SNAPSHOT_EVERY_INPUTS }
        : {}),
    },
    strategyWith(horizonNs, options.params ?? {}),
    router,
    {
      clock: scheduler.clock,
      rng: new SeededRng(options.seed),
      capture,
      send: (command) => {
        options.onCommand?.(command);
        client.send(command);
      },
      setTimer: (name, delayNs) =>
        scheduler.setTimer(delayNs, () => deliver({ kind: 'timer', name })),
    },
  );

  const settle = network === undefined ? undefined : (): Promise<void> => network.settled();
  const advance = async (byNs: bigint): Promise<void> => {
    if (virtual === undefined) {
      await new Promise((resolve) => setTimeout(resolve, Number(byNs / MS)));
      return;
    }
    const limitNs = virtual.nowNs + byNs;
    // Virtual time may move only when every frame on a socket has arrived: a delivery that came
    // due before its frame arrived would be released in the order the sockets happened to
    // deliver, not in the simulated order.
    for (;;) {
      await virtual.run({ limitNs, ...(settle === undefined ? {} : { settle }) });
      if (settle !== undefined) await settle();
      const next = virtual.nextDueNs();
      if (next === undefined || next > limitNs) break;
    }
    virtual.advanceTo(limitNs);
  };

  let startNs = scheduler.clock.monoNs();
  let endNs = startNs;
  let tradingSeconds = 0;
  try {
    pipeline.start();
    await client.connect();
    const logonDeadline = scheduler.clock.monoNs() + 5000n * MS;
    while (!client.loggedOn && scheduler.clock.monoNs() < logonDeadline) await advance(5n * MS);
    check(client.loggedOn, 'every FIX session must log on');
    for (const side of venues) side.simulator.start();

    out.info(
      `2/4 trading: VWAP schedule for ${PARENT_LOTS} lots of ${DEMO_INSTRUMENT} until ${options.ticks} ticks`,
    );
    startNs = scheduler.clock.monoNs();
    const tradingStart = process.hrtime.bigint();
    const limitNs = startNs + BigInt(options.ticks) * MAX_NS_PER_TICK;
    while (ticks < options.ticks && scheduler.clock.monoNs() < limitNs) {
      await advance(10n * MS);
      out.progress(Math.min(ticks, options.ticks));
    }
    endNs = scheduler.clock.monoNs();
    tradingSeconds = Number(process.hrtime.bigint() - tradingStart) / 1e9;
    pipeline.halt('the demo reached its tick count');
    // Let the cancels be answered before the markets stop and the sessions log out.
    await advance(200n * MS);
    for (const side of venues) side.simulator.stop();
    client.logout();
    const logoutDeadline = scheduler.clock.monoNs() + 2000n * MS;
    while (
      client.sessions.some((s) => s.state !== 'disconnected') &&
      scheduler.clock.monoNs() < logoutDeadline
    ) {
      await advance(5n * MS);
    }
    await client.close();
    running = false;
    pipeline.stop('completed');
  } finally {
    running = false;
    for (const side of venues) side.simulator.stop();
    await client.close();
    await stopVenues(venues);
    system?.cancelAll();
  }
  check(errors.length === 0, 'no adapter errors', { first: errors[0]?.code ?? '' });
  return { pipeline, router, ticks, startNs, endNs, tradingSeconds };
}
