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

/** The quotes of one instrument, kept sorted by venue id so reading them sorts nothing. */
interface InstrumentQuotes {
  /** The latest quote of each venue, by venue id. */
  readonly sorted: Quote[];
  /** Each venue's position in `sorted`. */
  readonly at: Map<string, number>;
}

export class MarketState implements MarketView {
  readonly #quotes = new Map<string, InstrumentQuotes>();

  /** Applies a tick; fields a tick leaves out keep their previous values. */
  apply(tick: TickInput, ref: EventRef, monoNs: bigint): Quote {
    const book = this.#book(tick.instrument);
    const at = book.at.get(tick.venue);
    const previous = at === undefined ? undefined : book.sorted[at];
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
    this.#put(book, quote, at);
    return quote;
  }

  #book(instrument: string): InstrumentQuotes {
    let book = this.#quotes.get(instrument);
    if (book === undefined) {
      book = { sorted: [], at: new Map() };
      this.#quotes.set(instrument, book);
    }
    return book;
  }

  /** Sets a venue's quote; a venue heard from for the first time takes its place by id. */
  #put(book: InstrumentQuotes, quote: Quote, at: number | undefined): void {
    if (at !== undefined) {
      book.sorted[at] = quote;
      return;
    }
    book.sorted.push(quote);
    book.sorted.sort(byVenue);
    book.at.clear();
    for (const [i, q] of book.sorted.entries()) book.at.set(q.venue, i);
  }

  quote(venue: string, instrument: string): Quote | undefined {
    const book = this.#quotes.get(instrument);
    const at = book?.at.get(venue);
    return at === undefined ? undefined : book!.sorted[at];
  }

  quotes(instrument: string): readonly Quote[] {
    return this.#quotes.get(instrument)?.sorted.slice() ?? [];
  }

  nbbo(instrument: string): Nbbo {
    let bid: Quote | undefined;
    let ask: Quote | undefined;
    for (const quote of this.#quotes.get(instrument)?.sorted ?? []) {
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
      const book = this.#book(instrument);
      this.#put(
        book,
        {
          venue,
          instrument,
          bidPx: bidPx ?? undefined,
          bidQty,
          askPx: askPx ?? undefined,
          askQty,
          lastPx: lastPx ?? undefined,
          ref,
          monoNs: BigInt(monoNs),
        },
        book.at.get(venue),
      );
    }
  }
}
