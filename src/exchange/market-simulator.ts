/**
 * @module
 * A seeded market around a venue: per instrument, a random-walk mid price, liquidity providers
 * quoting ladders around it and noise traders hitting and joining them, all driven by the
 * injected Scheduler and one seeded Rng. The same seed, scheduler and venue give the same
 * command sequence and so the same venue reports; nothing reads a clock or Math.random.
 */
import { InputError, type Rng, type Scheduler, type TimerHandle } from '../core/index.js';
import type { Command } from './commands.js';
import { LiquidityProvider } from './liquidity-provider.js';
import type { MarketContext, MarketParticipant } from './market-participant.js';
import { drawInt, type MarketProfile, resolveMarketProfile } from './market-profile.js';
import { NoiseTrader } from './noise-trader.js';
import type { ReferencePrice } from './reference-price.js';
import type { Venue, VenueReport } from './venue.js';

export interface SimulatedInstrument {
  readonly instrument: string;
  /** Overrides of {@link DEFAULT_MARKET_PROFILE}. */
  readonly profile?: Partial<MarketProfile>;
  /**
   * A price shared with other venues' markets: the mid follows it, a tick either way at most,
   * instead of walking on its own.
   */
  readonly reference?: ReferencePrice;
}

export interface MarketSimulatorOptions {
  readonly venue: Venue;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly instruments: readonly SimulatedInstrument[];
}

class SimulatedMarket implements MarketContext {
  readonly instrument: string;
  readonly profile: MarketProfile;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly participants: MarketParticipant[] = [];
  readonly #simulator: MarketSimulator;
  readonly #venue: Venue;
  readonly #owners: Map<string, MarketParticipant>;
  readonly #reference: ReferencePrice | undefined;
  #midTicks: number;

  constructor(
    simulator: MarketSimulator,
    options: MarketSimulatorOptions,
    spec: SimulatedInstrument,
    owners: Map<string, MarketParticipant>,
  ) {
    this.instrument = spec.instrument;
    this.profile = resolveMarketProfile(spec.profile);
    this.scheduler = options.scheduler;
    this.rng = options.rng;
    this.#simulator = simulator;
    this.#venue = options.venue;
    this.#owners = owners;
    this.#reference = spec.reference;
    this.#midTicks =
      spec.reference?.midTicksAt(options.scheduler.clock.monoNs()) ?? this.profile.initialMidTicks;
    for (let i = 0; i < this.profile.liquidityProviders; i++) {
      this.participants.push(new LiquidityProvider(this, i + 1));
    }
    for (let i = 0; i < this.profile.noiseTraders; i++) {
      this.participants.push(new NoiseTrader(this, i + 1));
    }
  }

  midTicks(): number {
    return this.#midTicks;
  }

  running(): boolean {
    return this.#simulator.running;
  }

  submit(command: Command, from: MarketParticipant): void {
    if (command.type === 'new') this.#owners.set(command.orderId, from);
    this.#venue.submit(this.instrument, command);
  }

  forget(orderId: string): void {
    this.#owners.delete(orderId);
  }

  stepMid(): void {
    const { midMaxStepTicks, minMidTicks } = this.profile;
    const next =
      this.#reference === undefined
        ? this.#midTicks + drawInt(this.rng, -midMaxStepTicks, midMaxStepTicks)
        : this.#reference.midTicksAt(this.scheduler.clock.monoNs()) + drawInt(this.rng, -1, 1);
    this.#midTicks = next < minMidTicks ? minMidTicks : next;
  }
}

export class MarketSimulator {
  readonly #options: MarketSimulatorOptions;
  readonly #markets = new Map<string, SimulatedMarket>();
  readonly #owners = new Map<string, MarketParticipant>();
  readonly #walkTimers = new Map<SimulatedMarket, TimerHandle>();
  #unsubscribe: (() => void) | undefined;
  #started = false;
  #running = false;

  /**
   * @throws InputError `VENUE_UNKNOWN_INSTRUMENT` for an instrument the venue does not list;
   * `VENUE_INVALID_CONFIG` for a bad profile or an instrument given twice.
   */
  constructor(options: MarketSimulatorOptions) {
    this.#options = options;
    for (const spec of options.instruments) {
      options.venue.depth(spec.instrument, 0);
      if (this.#markets.has(spec.instrument)) {
        throw new InputError('VENUE_INVALID_CONFIG', 'instrument simulated twice', {
          details: { instrument: spec.instrument },
        });
      }
      this.#markets.set(spec.instrument, new SimulatedMarket(this, options, spec, this.#owners));
    }
  }

  get running(): boolean {
    return this.#running;
  }

  /** The random-walk mid of a simulated instrument, or undefined if it is not simulated. */
  midTicks(instrument: string): number | undefined {
    return this.#markets.get(instrument)?.midTicks();
  }

  /** Starts every participant and mid walk. A simulator runs once: later calls do nothing. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#running = true;
    this.#unsubscribe = this.#options.venue.onReport((report) => this.#route(report));
    for (const market of this.#markets.values()) {
      this.#walk(market);
      for (const participant of market.participants) participant.start();
    }
  }

  /**
   * Stops sending: pending timers do nothing more. Orders already resting stay on the book;
   * commands already submitted are still processed by the venue.
   */
  stop(): void {
    this.#running = false;
    for (const timer of this.#walkTimers.values()) timer.cancel();
    this.#walkTimers.clear();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #walk(market: SimulatedMarket): void {
    const timer = this.#options.scheduler.setTimer(market.profile.midStepNs, () => {
      if (!this.#running) return;
      market.stepMid();
      this.#walk(market);
    });
    this.#walkTimers.set(market, timer);
  }

  #route(report: VenueReport): void {
    for (const event of report.events) {
      if (event.type === 'trade' || event.type === 'book') continue;
      this.#owners.get(event.orderId)?.onOrderEvent(event);
    }
  }
}
