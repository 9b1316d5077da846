/**
 * @module
 * The backtest harness: historical market data (the ticks of a recorded run, or a file of ticks)
 * replayed at their own timestamps through a strategy, with the orders matched by the sandbox
 * matching engine. Each venue's book is moved to every recorded top of book (the market's
 * liquidity at the recorded bid and ask, consumed by the strategy's orders until the next tick
 * restores it), and the strategy trades through the same pipeline, router and risk checks as live,
 * captured like a live run — so the result ledger verifies and replays like any other. Pure: the
 * ticks, the capture sink and the clock origin come in.
 */
import { InputError, type Rng, SeededRng, VirtualScheduler } from '../core/index.js';
import { type Command, Venue } from '../exchange/index.js';
import {
  type CaptureSink,
  DirectVenueLink,
  Pipeline,
  type PipelineInput,
  type PipelineVenue,
  type RiskLimits,
  type Router,
  type Strategy,
} from '../pipeline/index.js';
import { type BacktestMetrics, MetricsCollector } from './backtest-metrics.js';

export interface BacktestTick {
  /** Wall-clock epoch nanoseconds of the tick. */
  readonly tsNs: bigint;
  readonly venue: string;
  readonly instrument: string;
  readonly bidPx?: number;
  readonly bidQty?: number;
  readonly askPx?: number;
  readonly askQty?: number;
  readonly lastPx?: number;
  readonly lastQty?: number;
}

export interface BacktestOptions {
  readonly ticks: Iterable<BacktestTick>;
  readonly strategy: Strategy;
  readonly router: Router;
  readonly capture: CaptureSink;
  readonly seed: bigint;
  readonly risk: RiskLimits;
  /** Venue fees (hundredths of a tick per lot); venues not listed trade without fees. */
  readonly fees?: Readonly<Record<string, { maker: number; taker: number }>>;
  /** Time from an order leaving to the venue processing it (default 100 µs). */
  readonly orderLatencyNs?: bigint;
  readonly node?: string;
}

export interface BacktestResult {
  readonly pipeline: Pipeline;
  readonly ticks: number;
  readonly metrics: BacktestMetrics;
}

const MARKET_OWNER = 'market';

/** The market's resting liquidity at one venue, moved to each recorded top of book. */
class RecordedLiquidity {
  readonly #venue: Venue;
  readonly #live = new Map<string, string>();
  #next = 0;

  constructor(venue: Venue) {
    this.#venue = venue;
  }

  moveTo(tick: BacktestTick): void {
    for (const [key, orderId] of [...this.#live.entries()].sort()) {
      this.#venue.apply(tick.instrument, { type: 'cancel', orderId });
      this.#live.delete(key);
    }
    const place = (side: 'buy' | 'sell', px: number | undefined, qty: number | undefined): void => {
      if (px === undefined || qty === undefined || qty <= 0) return;
      const orderId = `${MARKET_OWNER}-${++this.#next}`;
      const command: Command = {
        type: 'new',
        orderId,
        side,
        orderType: 'limit',
        tif: 'day',
        qtyLots: qty,
        priceTicks: px,
        ownerId: MARKET_OWNER,
      };
      this.#venue.apply(tick.instrument, command);
      this.#live.set(`${tick.instrument}/${side}`, orderId);
    };
    place('buy', tick.bidPx, tick.bidQty);
    place('sell', tick.askPx, tick.askQty);
  }
}

/**
 * Runs the strategy over the ticks, in time order.
 * @throws INPUT_INVALID_ARGUMENT for no ticks or ticks out of time order.
 */
export function runBacktest(options: BacktestOptions): BacktestResult {
  const ticks = [...options.ticks];
  const first = ticks[0];
  if (first === undefined) throw new InputError('INPUT_INVALID_ARGUMENT', 'a backtest needs ticks');
  for (let i = 1; i < ticks.length; i++) {
    if (ticks[i]!.tsNs < ticks[i - 1]!.tsNs) {
      throw new InputError('INPUT_INVALID_ARGUMENT', 'backtest ticks must be in time order', {
        details: { index: i },
      });
    }
  }
  const scheduler = new VirtualScheduler({ wallOriginNs: first.tsNs });
  const venueIds = [...new Set(ticks.map((t) => t.venue))].sort();
  const instruments = [...new Set(ticks.map((t) => t.instrument))].sort();
  const metrics = new MetricsCollector(instruments[0]!);
  const deliver = (input: PipelineInput): void => {
    metrics.observe(input);
    pipeline.onInput(input);
  };
  const latencyNs = options.orderLatencyNs ?? 100_000n;
  const links = new Map<string, DirectVenueLink>();
  const liquidity = new Map<string, RecordedLiquidity>();
  for (const [index, id] of venueIds.entries()) {
    const fees = options.fees?.[id];
    const venue = new Venue({
      // The data names venues as it likes; the sandbox engine behind each has a MIC of its own.
      mic: `XBT${index + 1}`,
      instruments,
      scheduler,
      fees: { makerCentiTicksPerLot: fees?.maker ?? 0, takerCentiTicksPerLot: fees?.taker ?? 0 },
      processingLatency: { baseNs: latencyNs, jitterNs: 0n },
    });
    links.set(
      id,
      new DirectVenueLink({ venue, deliver, marketData: false, adapter: 'backtest', venueId: id }),
    );
    liquidity.set(id, new RecordedLiquidity(venue));
  }
  const venues: PipelineVenue[] = venueIds.map((id) => ({
    id,
    makerFeeCentiTicksPerLot: options.fees?.[id]?.maker ?? 0,
    takerFeeCentiTicksPerLot: options.fees?.[id]?.taker ?? 0,
  }));
  const rng: Rng = new SeededRng(options.seed);
  const pipeline: Pipeline = new Pipeline(
    {
      node: options.node ?? 'backtest',
      seed: options.seed,
      clock: 'simulated',
      venues,
      instruments,
      risk: options.risk,
      orderIdPrefix: 'BT',
    },
    options.strategy,
    options.router,
    {
      clock: scheduler.clock,
      rng,
      capture: options.capture,
      send: (command) => {
        metrics.sent(command);
        links.get(command.venue)!.send(command);
      },
      setTimer: (name, delayNs) =>
        scheduler.setTimer(delayNs, () => deliver({ kind: 'timer', name })),
    },
  );
  pipeline.start();
  for (const tick of ticks) {
    scheduler.setTimer(tick.tsNs - first.tsNs, () => {
      liquidity.get(tick.venue)!.moveTo(tick);
      deliver({
        kind: 'tick',
        venue: tick.venue,
        instrument: tick.instrument,
        adapter: 'backtest',
        ...(tick.bidPx === undefined ? {} : { bidPx: tick.bidPx }),
        ...(tick.bidQty === undefined ? {} : { bidQty: tick.bidQty }),
        ...(tick.askPx === undefined ? {} : { askPx: tick.askPx }),
        ...(tick.askQty === undefined ? {} : { askQty: tick.askQty }),
        ...(tick.lastPx === undefined ? {} : { lastPx: tick.lastPx }),
        ...(tick.lastQty === undefined ? {} : { lastQty: tick.lastQty }),
      });
    });
  }
  const last = ticks[ticks.length - 1]!;
  scheduler.advanceTo(last.tsNs - first.tsNs);
  pipeline.halt('the market data ended');
  // Let the halt's cancels be answered.
  scheduler.advanceTo(last.tsNs - first.tsNs + 10n * latencyNs);
  pipeline.stop('completed');
  return { pipeline, ticks: ticks.length, metrics: metrics.result(pipeline) };
}
