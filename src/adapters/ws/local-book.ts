/**
 * @module
 * The client's copy of one instrument's aggregated book, built from a snapshot and kept by
 * incremental level updates. Depth is read sorted, best first, in the venue's own shape.
 */
import type { BookDepth, Side } from '../../exchange/index.js';
import type { LevelUpdate } from './messages.js';

export class LocalBook {
  readonly #levels: Record<Side, Map<number, number>> = { buy: new Map(), sell: new Map() };

  /** Replaces the whole book. */
  reset(
    bids: readonly (readonly [number, number])[],
    asks: readonly (readonly [number, number])[],
  ): void {
    this.#levels.buy = new Map(bids.map(([p, q]) => [p, q]));
    this.#levels.sell = new Map(asks.map(([p, q]) => [p, q]));
  }

  /** Applies level updates in order; 0 lots removes the level. */
  apply(levels: readonly LevelUpdate[]): void {
    for (const { side, priceTicks, qtyLots } of levels) {
      if (qtyLots === 0) this.#levels[side].delete(priceTicks);
      else this.#levels[side].set(priceTicks, qtyLots);
    }
  }

  /** At most `levels` per side, best first. */
  depth(levels: number = Number.MAX_SAFE_INTEGER): BookDepth {
    const side = (which: Side): [number, number][] =>
      [...this.#levels[which].entries()]
        .sort((a, b) => (which === 'buy' ? b[0] - a[0] : a[0] - b[0]))
        .slice(0, levels);
    return { bids: side('buy'), asks: side('sell') };
  }
}
