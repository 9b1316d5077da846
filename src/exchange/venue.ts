/**
 * @module
 * The sandbox venue: one order book per instrument behind a single sequencer, with maker/taker
 * fees, seeded processing latency and incremental depth. Every command the venue processes, by
 * {@link Venue.apply} or {@link Venue.submit}, yields one {@link VenueReport} to every listener,
 * so feeds that publish from the reports never diverge from the books. Pure: time comes from the
 * injected Scheduler, randomness from the injected Rng.
 */
import { InputError, type Rng, type Scheduler } from '../core/index.js';
import type { Command } from './commands.js';
import type { ExchangeEvent, FillEvent, LevelChange } from './events.js';
import { assertFeeSchedule, feeForFill, type FeeSchedule, ZERO_FEES } from './fees.js';
import {
  assertLatencyModel,
  drawLatencyNs,
  FifoReleaseClock,
  type LatencyModel,
  ZERO_LATENCY,
} from './latency.js';
import { type BookDepth, OrderBook } from './order-book.js';

/** MIC-like: an upper-case letter, then 2–11 upper-case letters or digits (`XSIM1`). */
const MIC_RE = /^[A-Z][A-Z0-9]{2,11}$/;
const INSTRUMENT_RE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

/** An execution report: the engine's fill plus the fee it costs (negative: a rebate). */
export interface VenueFillEvent extends FillEvent {
  readonly feeCentiTicks: bigint;
}

export type VenueEvent = Exclude<ExchangeEvent, FillEvent> | VenueFillEvent;

/** What one processed command did. */
export interface VenueReport {
  readonly venue: string;
  readonly instrument: string;
  /** 1-based, one per processed command, across all instruments of the venue. */
  readonly seq: number;
  /** The scheduler's monotonic nanoseconds when the venue processed the command. */
  readonly processedAtNs: bigint;
  readonly command: Command;
  /** The engine's events in order, fills carrying their fee. */
  readonly events: readonly VenueEvent[];
  /** Price levels the command changed, bids best first then asks best first (0 lots: gone). */
  readonly levels: readonly LevelChange[];
}

export type VenueReportListener = (report: VenueReport) => void;

export interface VenueOptions {
  /** MIC-like venue id, e.g. `XSIM1`. */
  readonly mic: string;
  /** Human-readable name; defaults to the MIC. */
  readonly name?: string;
  readonly instruments: readonly string[];
  readonly scheduler: Scheduler;
  readonly fees?: FeeSchedule;
  /** Delay between a submitted command's arrival and its processing; default none. */
  readonly processingLatency?: LatencyModel;
  /** Seeded source of the processing-latency jitter; required when that jitter is not zero. */
  readonly rng?: Rng;
}

function invalid(message: string, details: Record<string, string>): InputError {
  return new InputError('VENUE_INVALID_CONFIG', message, { details });
}

export class Venue {
  readonly mic: string;
  readonly name: string;
  /** Instrument symbols, sorted. */
  readonly instruments: readonly string[];
  readonly fees: FeeSchedule;
  readonly #books = new Map<string, OrderBook>();
  readonly #scheduler: Scheduler;
  readonly #latency: LatencyModel;
  readonly #rng: Rng | undefined;
  readonly #release = new FifoReleaseClock();
  readonly #listeners = new Set<VenueReportListener>();
  #seq = 0;

  /** @throws InputError `VENUE_INVALID_CONFIG` for a bad MIC, instrument list, fee or latency. */
  constructor(options: VenueOptions) {
    if (!MIC_RE.test(options.mic)) throw invalid('venue id is not MIC-like', { mic: options.mic });
    if (options.instruments.length === 0) throw invalid('a venue lists instruments', {});
    for (const instrument of options.instruments) {
      if (!INSTRUMENT_RE.test(instrument)) throw invalid('bad instrument symbol', { instrument });
      if (this.#books.has(instrument)) throw invalid('duplicate instrument', { instrument });
      this.#books.set(instrument, new OrderBook({ instrument, trackLevels: true }));
    }
    const fees = options.fees ?? ZERO_FEES;
    assertFeeSchedule(fees);
    const latency = options.processingLatency ?? ZERO_LATENCY;
    assertLatencyModel(latency, 'VENUE_INVALID_CONFIG');
    if (latency.jitterNs > 0n && options.rng === undefined) {
      throw invalid('a processing-latency jitter needs a seeded rng', {});
    }
    this.mic = options.mic;
    this.name = options.name ?? options.mic;
    this.instruments = [...this.#books.keys()].sort();
    this.fees = fees;
    this.#scheduler = options.scheduler;
    this.#latency = latency;
    this.#rng = options.rng;
  }

  /** Registers a listener for every report; returns its removal. */
  onReport(listener: VenueReportListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Processes a parsed command now, bypassing the processing latency, and returns its report
   * (which listeners also receive).
   * @throws InputError `VENUE_UNKNOWN_INSTRUMENT`.
   */
  apply(instrument: string, command: Command): VenueReport {
    const book = this.#book(instrument);
    const events = book.apply(command);
    const report: VenueReport = {
      venue: this.mic,
      instrument,
      seq: ++this.#seq,
      processedAtNs: this.#scheduler.clock.monoNs(),
      command,
      events: events.map((event) => this.#withFee(event)),
      levels: book.levelChanges(),
    };
    for (const listener of [...this.#listeners]) listener(report);
    return report;
  }

  /**
   * Queues a command as if it had just arrived: it is processed after the seeded processing
   * latency, and never before a command submitted ahead of it. Returns when (monotonic ns).
   * @throws InputError `VENUE_UNKNOWN_INSTRUMENT`, at once rather than at processing time.
   */
  submit(instrument: string, command: Command): bigint {
    this.#book(instrument);
    const nowNs = this.#scheduler.clock.monoNs();
    const delayNs =
      this.#rng === undefined ? this.#latency.baseNs : drawLatencyNs(this.#latency, this.#rng);
    const atNs = this.#release.next(nowNs + delayNs);
    this.#scheduler.setTimer(atNs - nowNs, () => {
      this.apply(instrument, command);
    });
    return atNs;
  }

  /**
   * The instrument's aggregated book, at most `levels` per side, best first.
   * @throws InputError `VENUE_UNKNOWN_INSTRUMENT`; `INPUT_INVALID_ARGUMENT` for bad `levels`.
   */
  depth(instrument: string, levels?: number): BookDepth {
    return this.#book(instrument).depth(levels);
  }

  #book(instrument: string): OrderBook {
    const book = this.#books.get(instrument);
    if (book === undefined) {
      throw new InputError(
        'VENUE_UNKNOWN_INSTRUMENT',
        `venue ${this.mic} does not list this instrument`,
        {
          details: { venue: this.mic, instrument },
        },
      );
    }
    return book;
  }

  #withFee(event: ExchangeEvent): VenueEvent {
    if (event.type !== 'fill') return event;
    // The fee first: a member added after a spread costs a new hidden class each time (V8).
    return { feeCentiTicks: feeForFill(this.fees, event.liquidity, event.qtyLots), ...event };
  }
}
