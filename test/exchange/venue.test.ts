import { describe, expect, it } from 'vitest';

import { SeededRng, VirtualScheduler } from '../../src/core/index.js';
import {
  type Command,
  parseCommand,
  toFeeDecimal,
  Venue,
  type VenueOptions,
  type VenueReport,
} from '../../src/exchange/index.js';
import { expectErrorCode } from '../helpers/errors.js';

function scheduler(): VirtualScheduler {
  return new VirtualScheduler({ wallOriginNs: 1_700_000_000_000_000_000n });
}

function venue(overrides: Partial<VenueOptions> = {}): Venue {
  return new Venue({
    mic: 'XSIM1',
    instruments: ['ACME', 'BOLT'],
    scheduler: scheduler(),
    fees: { makerCentiTicksPerLot: -2, takerCentiTicksPerLot: 3 },
    ...overrides,
  });
}

function limit(
  orderId: string,
  side: 'buy' | 'sell',
  qtyLots: number,
  priceTicks: number,
  tif: 'day' | 'ioc' = 'day',
): Command {
  return parseCommand({
    type: 'new',
    orderId,
    side,
    orderType: 'limit',
    tif,
    qtyLots,
    priceTicks,
    ownerId: `owner-${orderId}`,
  });
}

describe('Venue', () => {
  it('charges makers and takers per lot, in exact centiticks', () => {
    const v = venue();
    v.apply('ACME', limit('s1', 'sell', 10, 101));
    const report = v.apply('ACME', limit('b1', 'buy', 4, 101));
    const fills = report.events.filter((e) => e.type === 'fill');
    expect(fills).toMatchObject([
      { orderId: 's1', liquidity: 'maker', qtyLots: 4, feeCentiTicks: -8n },
      { orderId: 'b1', liquidity: 'taker', qtyLots: 4, feeCentiTicks: 12n },
    ]);
    expect(fills.map((f) => (f.type === 'fill' ? toFeeDecimal(f.feeCentiTicks) : ''))).toEqual([
      '-0.08',
      '0.12',
    ]);
  });

  it('reports every command with a venue-wide seq, its levels, to every listener', () => {
    const v = venue();
    const seen: VenueReport[] = [];
    const stop = v.onReport((report) => seen.push(report));
    const first = v.apply('ACME', limit('b1', 'buy', 5, 99));
    const second = v.apply('BOLT', limit('s1', 'sell', 2, 50));
    stop();
    v.apply('BOLT', parseCommand({ type: 'cancel', orderId: 's1' }));
    expect(seen).toEqual([first, second]);
    expect(first).toMatchObject({
      venue: 'XSIM1',
      instrument: 'ACME',
      seq: 1,
      processedAtNs: 0n,
      levels: [{ side: 'buy', priceTicks: 99, qtyLots: 5 }],
    });
    expect(second).toMatchObject({ instrument: 'BOLT', seq: 2 });
    expect(v.depth('ACME')).toEqual({ bids: [[99, 5]], asks: [] });
    expect(v.depth('BOLT')).toEqual({ bids: [], asks: [] });
    expect(v.instruments).toEqual(['ACME', 'BOLT']);
  });

  it('processes submitted commands after the seeded latency, in arrival order', () => {
    const make = (): { v: Venue; s: VirtualScheduler } => {
      const s = scheduler();
      const v = new Venue({
        mic: 'XSIM1',
        instruments: ['ACME'],
        scheduler: s,
        processingLatency: { baseNs: 1_000n, jitterNs: 5_000n },
        rng: new SeededRng(9),
      });
      return { v, s };
    };
    const run = (): bigint[] => {
      const { v, s } = make();
      const times: bigint[] = [];
      v.onReport((report) => times.push(report.processedAtNs));
      const returned: bigint[] = [];
      for (let i = 0; i < 50; i++) {
        returned.push(v.submit('ACME', limit(`b${i}`, 'buy', 1, 90 + (i % 5))));
        s.advanceBy(100n);
      }
      s.advanceBy(10_000n);
      expect(times).toEqual(returned);
      return times;
    };
    const times = run();
    expect(run()).toEqual(times);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times[0]).toBeGreaterThanOrEqual(1_000n);
    expect(times[0]).toBeLessThanOrEqual(6_000n);
    expect(new Set(times).size).toBeGreaterThan(10);
  });

  it('uses the base latency alone when there is no jitter', () => {
    const s = scheduler();
    const v = new Venue({
      mic: 'XSIM1',
      instruments: ['ACME'],
      scheduler: s,
      processingLatency: { baseNs: 250n, jitterNs: 0n },
    });
    expect(v.submit('ACME', limit('b1', 'buy', 1, 90))).toBe(250n);
    expect(v.depth('ACME').bids).toEqual([]);
    s.advanceTo(250n);
    expect(v.depth('ACME').bids).toEqual([[90, 1]]);
  });

  describe('when asked about an instrument it does not list', () => {
    it('throws VENUE_UNKNOWN_INSTRUMENT from apply, submit and depth', () => {
      const v = venue();
      expectErrorCode(() => v.apply('NOPE', limit('b1', 'buy', 1, 1)), 'VENUE_UNKNOWN_INSTRUMENT');
      expectErrorCode(() => v.submit('NOPE', limit('b1', 'buy', 1, 1)), 'VENUE_UNKNOWN_INSTRUMENT');
      expectErrorCode(() => v.depth('NOPE'), 'VENUE_UNKNOWN_INSTRUMENT');
    });
  });

  describe('when its configuration is wrong', () => {
    it.each<[string, Partial<VenueOptions>]>([
      ['a MIC that is not MIC-like', { mic: 'xsim' }],
      ['no instruments', { instruments: [] }],
      ['an instrument twice', { instruments: ['ACME', 'ACME'] }],
      ['a blank instrument', { instruments: [' '] }],
      ['a fractional fee', { fees: { makerCentiTicksPerLot: 0.5, takerCentiTicksPerLot: 1 } }],
      ['a negative latency', { processingLatency: { baseNs: -1n, jitterNs: 0n } }],
      ['a jitter without an rng', { processingLatency: { baseNs: 0n, jitterNs: 10n } }],
    ])('throws VENUE_INVALID_CONFIG for %s', (_, overrides) => {
      expectErrorCode(() => venue(overrides), 'VENUE_INVALID_CONFIG');
    });
  });
});

describe('toFeeDecimal', () => {
  it.each([
    [0n, '0'],
    [3n, '0.03'],
    [30n, '0.3'],
    [100n, '1'],
    [-250n, '-2.5'],
    [-1n, '-0.01'],
    [123_456_789_012_345_678_901n, '1234567890123456789.01'],
  ])('writes %s centiticks as %s ticks', (fee, text) => {
    expect(toFeeDecimal(fee)).toBe(text);
  });
});
