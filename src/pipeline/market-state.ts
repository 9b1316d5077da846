/**
 * @module
 * The pipeline's view of the market: the latest quote per venue and instrument, each remembering
 * the md.tick event it came from, so a decision can name the ticks it used as its causes. Lists
 * are sorted by venue id: no result depends on the order venues were registered or heard from.
 */
import type { EventRef } from './capture.js';
import type { TickInput } from './inputs.js';

export interface Quote {
  readonly venue: string;
  readonly instrument: string;
  readonly bidPx: number | undefined;
  readonly bidQty: number;
  readonly askPx: number | undefined;
  readonly askQty: number;
  readonly lastPx: number | undefined;
  /** The md.tick event that set this quote. */
  readonly ref: EventRef;
  readonly monoNs: bigint;
}

/** Best bid and offer across venues; ties go to the lower venue id. */
export interface Nbbo {
  readonly bid: Quote | undefined;
  readonly ask: Quote | undefined;
}

export interface MarketView {
  quote(venue: string, instrument: string): Quote | undefined;
  /** Quotes of every venue for `instrument`, sorted by venue id. */
  quotes(instrument: string): readonly Quote[];
  nbbo(instrument: string): Nbbo;
}

function byVenue(a: Quote, b: Quote): number {
  return a.venue < b.venue ? -1 : a.venue > b.venue ? 1 : 0;
}

export class MarketState implements MarketView {
  readonly #quotes = new Map<string, Map<string, Quote>>();

  /** Applies a tick; fields a tick leaves out keep their previous values. */
  apply(tick: TickInput, ref: EventRef, monoNs: bigint): Quote {
    let byInstrument = this.#quotes.get(tick.instrument);
    if (byInstrument === undefined) {
      byInstrument = new Map();
      this.#quotes.set(tick.instrument, byInstrument);
    }
    const previous = byInstrument.get(tick.venue);
    const quote: Quote = {
      venue: tick.venue,
      instrument: tick.instrument,
      bidPx: tick.bidPx ?? previous?.bidPx,
      bidQty: tick.bidQty ?? previous?.bidQty ?? 0,
      askPx: tick.askPx ?? previous?.askPx,
      askQty: tick.askQty ?? previous?.askQty ?? 0,
      lastPx: tick.lastPx ?? previous?.lastPx,
      ref,
      monoNs,
    };
    byInstrument.set(tick.venue, quote);
    return quote;
  }

  quote(venue: string, instrument: string): Quote | undefined {
    return this.#quotes.get(instrument)?.get(venue);
  }

  quotes(instrument: string): readonly Quote[] {
    return [...(this.#quotes.get(instrument)?.values() ?? [])].sort(byVenue);
  }

  nbbo(instrument: string): Nbbo {
    let bid: Quote | undefined;
    let ask: Quote | undefined;
    for (const quote of this.quotes(instrument)) {
      if (quote.bidPx !== undefined && quote.bidQty > 0) {
        if (bid?.bidPx === undefined || quote.bidPx > bid.bidPx) bid = quote;
      }
      if (quote.askPx !== undefined && quote.askQty > 0) {
        if (ask?.askPx === undefined || quote.askPx < ask.askPx) ask = quote;
      }
    }
    return { bid, ask };
  }
}
