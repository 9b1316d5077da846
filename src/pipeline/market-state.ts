/**
 * @module
 * The pipeline's view of the market: the latest quote per venue and instrument, each remembering
 * the md.tick event it came from, so a decision can name the ticks it used as its causes. Lists
 * are sorted by venue id: no result depends on the order venues were registered or heard from.
 */
import type { EventRef } from './capture.js';
import type { TickInput } from './inputs.js';
import type { PipelineState } from './pipeline-state.js';

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

  /** Every quote, by instrument then venue. */
  snapshot(): PipelineState['market'] {
    const rows: PipelineState['market'] = [];
    for (const instrument of [...this.#quotes.keys()].sort()) {
      for (const q of this.quotes(instrument)) {
        rows.push([
          q.instrument,
          q.venue,
          q.bidPx ?? null,
          q.bidQty,
          q.askPx ?? null,
          q.askQty,
          q.lastPx ?? null,
          q.ref,
          q.monoNs.toString(),
        ]);
      }
    }
    return rows;
  }

  restore(rows: PipelineState['market']): void {
    this.#quotes.clear();
    for (const [instrument, venue, bidPx, bidQty, askPx, askQty, lastPx, ref, monoNs] of rows) {
      let byInstrument = this.#quotes.get(instrument);
      if (byInstrument === undefined) {
        byInstrument = new Map();
        this.#quotes.set(instrument, byInstrument);
      }
      byInstrument.set(venue, {
        venue,
        instrument,
        bidPx: bidPx ?? undefined,
        bidQty,
        askPx: askPx ?? undefined,
        askQty,
        lastPx: lastPx ?? undefined,
        ref,
        monoNs: BigInt(monoNs),
      });
    }
  }
}
