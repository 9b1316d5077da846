/**
 * @module
 * A client-side book of price levels that reports its top only when the top changed: market-data
 * feeds update deep levels far more often than the best bid and offer move.
 */
import type { Side } from '../../core/index.js';

export interface TopOfBook {
  readonly bidPx?: number;
  readonly bidQty?: number;
  readonly askPx?: number;
  readonly askQty?: number;
  readonly feedSeq: number;
}

export class TopOfBookTracker {
  readonly #levels: Record<Side, Map<number, number>> = { buy: new Map(), sell: new Map() };
  #last = '';
  #updates = 0;

  reset(): void {
    this.#levels.buy.clear();
    this.#levels.sell.clear();
    this.#last = '';
  }

  /** Sets a level's size; 0 removes it. */
  set(side: Side, priceTicks: number, qtyLots: number): void {
    this.#updates++;
    if (qtyLots <= 0) this.#levels[side].delete(priceTicks);
    else this.#levels[side].set(priceTicks, qtyLots);
  }

  /** Replaces the book by the given levels. */
  load(
    bids: readonly (readonly [number, number])[],
    asks: readonly (readonly [number, number])[],
  ): void {
    this.reset();
    for (const [px, qty] of bids) this.set('buy', px, qty);
    for (const [px, qty] of asks) this.set('sell', px, qty);
  }

  /** The top, if it differs from the one last taken. `feedSeq` counts level updates. */
  takeChange(): TopOfBook | undefined {
    const bid = this.#best('buy');
    const ask = this.#best('sell');
    const key = `${bid?.[0]}:${bid?.[1]}:${ask?.[0]}:${ask?.[1]}`;
    if (key === this.#last) return undefined;
    this.#last = key;
    return {
      ...(bid === undefined ? {} : { bidPx: bid[0], bidQty: bid[1] }),
      ...(ask === undefined ? {} : { askPx: ask[0], askQty: ask[1] }),
      feedSeq: this.#updates,
    };
  }

  #best(side: Side): [number, number] | undefined {
    let best: [number, number] | undefined;
    for (const [px, qty] of this.#levels[side]) {
      if (best === undefined || (side === 'buy' ? px > best[0] : px < best[0])) best = [px, qty];
    }
    return best;
  }
}
