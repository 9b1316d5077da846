/**
 * The pipeline's view of the market: the latest quote per venue and instrument, the best bid and
 * offer across venues (ties to the lower venue id), and a state that snapshots and restores.
 */
import { describe, expect, it } from 'vitest';

import { MarketState, type TickInput } from '../../src/pipeline/index.js';

function tick(venue: string, instrument: string, bidPx: number, askPx: number): TickInput {
  return { kind: 'tick', venue, instrument, adapter: 'direct', bidPx, bidQty: 5, askPx, askQty: 5 };
}

describe('MarketState', () => {
  it('keeps the latest quote of each venue and instrument, and the best across venues', () => {
    const market = new MarketState();
    market.apply(tick('V2', 'A', 100, 103), 1, 10n);
    market.apply(tick('V1', 'A', 100, 102), 2, 11n);
    market.apply(tick('V1', 'B', 50, 51), 3, 12n);
    market.apply(tick('V2', 'A', 101, 104), 4, 13n);
    expect(market.quote('V2', 'A')).toMatchObject({ bidPx: 101, askPx: 104, ref: 4 });
    expect(market.quotes('A').map((q) => q.venue)).toEqual(['V1', 'V2']);
    expect(market.nbbo('A')).toMatchObject({ bid: { venue: 'V2' }, ask: { venue: 'V1' } });
    expect(market.nbbo('B')).toMatchObject({ bid: { bidPx: 50 }, ask: { askPx: 51 } });
    expect(market.nbbo('C')).toEqual({ bid: undefined, ask: undefined });
    expect(market.quote('V1', 'C')).toBeUndefined();
  });

  it('forgets what it knew when it restores a state without it', () => {
    const market = new MarketState();
    const empty = market.snapshot();
    market.apply(tick('V1', 'A', 100, 102), 1, 10n);
    expect(market.quote('V1', 'A')).toBeDefined();
    market.restore(empty);
    expect(market.quote('V1', 'A')).toBeUndefined();
    expect(market.quotes('A')).toEqual([]);
    market.apply(tick('V1', 'B', 50, 51), 1, 10n);
    const withoutA = market.snapshot();
    market.apply(tick('V1', 'A', 100, 102), 2, 11n);
    expect(market.quote('V1', 'A')).toBeDefined();
    // The instrument asked about last is not in the restored state.
    market.restore(withoutA);
    expect(market.quote('V1', 'A')).toBeUndefined();
    expect(market.nbbo('A')).toEqual({ bid: undefined, ask: undefined });
    expect(market.quote('V1', 'B')).toMatchObject({ bidPx: 50 });
    market.apply(tick('V1', 'A', 99, 101), 3, 12n);
    expect(market.quotes('A')).toHaveLength(1);
    expect(market.snapshot()).toHaveLength(2);
  });
});
