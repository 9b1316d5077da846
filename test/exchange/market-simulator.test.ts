import { describe, expect, it } from 'vitest';

import { SeededRng, VirtualScheduler } from '../../src/core/index.js';
import {
  type MarketProfile,
  MarketSimulator,
  Venue,
  type VenueReport,
} from '../../src/exchange/index.js';
import { expectErrorCode } from '../helpers/errors.js';

const MS = 1_000_000n;

interface Market {
  readonly scheduler: VirtualScheduler;
  readonly venue: Venue;
  readonly simulator: MarketSimulator;
  readonly reports: VenueReport[];
}

function market(seed: number, profile: Partial<MarketProfile> = {}): Market {
  const scheduler = new VirtualScheduler({ wallOriginNs: 1_700_000_000_000_000_000n });
  const venue = new Venue({
    mic: 'XSIM1',
    instruments: ['ACME', 'BOLT'],
    scheduler,
    fees: { makerCentiTicksPerLot: -1, takerCentiTicksPerLot: 2 },
    processingLatency: { baseNs: 20_000n, jitterNs: 30_000n },
    rng: new SeededRng(seed + 1_000),
  });
  const simulator = new MarketSimulator({
    venue,
    scheduler,
    rng: new SeededRng(seed),
    instruments: [
      { instrument: 'ACME', profile },
      { instrument: 'BOLT', profile: { ...profile, initialMidTicks: 500, liquidityProviders: 2 } },
    ],
  });
  const reports: VenueReport[] = [];
  venue.onReport((report) => reports.push(report));
  return { scheduler, venue, simulator, reports };
}

describe('MarketSimulator', () => {
  it('produces the same commands and reports for the same seed, others for another', () => {
    const run = (seed: number): VenueReport[] => {
      const m = market(seed);
      m.simulator.start();
      m.scheduler.advanceTo(2_000n * MS);
      return m.reports;
    };
    const first = run(5);
    expect(first.length).toBeGreaterThan(500);
    expect(run(5)).toEqual(first);
    expect(run(6)).not.toEqual(first);
  });

  it('keeps a two-sided, moving book with trades on every instrument', () => {
    const m = market(11);
    m.simulator.start();
    m.scheduler.advanceTo(500n * MS);
    const stats = new Map<string, { twoSided: number; spreads: number[]; mids: Set<number> }>();
    for (let sample = 0; sample < 1_000; sample++) {
      m.scheduler.advanceBy(10n * MS);
      for (const instrument of m.venue.instruments) {
        const row = stats.get(instrument) ?? { twoSided: 0, spreads: [], mids: new Set() };
        stats.set(instrument, row);
        const { bids, asks } = m.venue.depth(instrument);
        const bid = bids[0];
        const ask = asks[0];
        if (bid !== undefined && ask !== undefined && bids.length >= 3 && asks.length >= 3) {
          row.twoSided++;
          row.spreads.push(ask[0] - bid[0]);
          expect(bid[0]).toBeLessThan(ask[0]);
        }
        row.mids.add(m.simulator.midTicks(instrument) ?? 0);
      }
    }
    for (const instrument of ['ACME', 'BOLT']) {
      const row = stats.get(instrument)!;
      expect(row.twoSided).toBeGreaterThanOrEqual(990);
      const spreads = [...row.spreads].sort((a, b) => a - b);
      expect(spreads[spreads.length >> 1]).toBeLessThanOrEqual(4);
      expect(row.mids.size).toBeGreaterThan(5);
      const trades = m.reports.filter(
        (r) => r.instrument === instrument && r.events.some((e) => e.type === 'trade'),
      );
      expect(trades.length).toBeGreaterThan(100);
    }
    const fills = m.reports.flatMap((r) => r.events.filter((e) => e.type === 'fill'));
    expect(fills.some((f) => f.type === 'fill' && f.feeCentiTicks < 0n)).toBe(true);
    expect(fills.some((f) => f.type === 'fill' && f.feeCentiTicks > 0n)).toBe(true);
  });

  it('sends nothing once stopped, and lets the submitted commands finish', () => {
    const m = market(3);
    m.simulator.start();
    m.scheduler.advanceTo(300n * MS);
    m.simulator.stop();
    const stoppedAtNs = m.scheduler.nowNs;
    m.scheduler.advanceTo(2_000n * MS);
    const late = m.reports.filter((r) => r.processedAtNs > stoppedAtNs + 1n * MS);
    expect(late).toEqual([]);
    expect(m.scheduler.pending).toBe(0);
    const count = m.reports.length;
    m.simulator.start();
    m.scheduler.advanceTo(3_000n * MS);
    expect(m.reports.length).toBe(count);
    expect(m.simulator.running).toBe(false);
  });

  describe('when an instrument is not on the venue', () => {
    it('throws VENUE_UNKNOWN_INSTRUMENT', () => {
      const m = market(1);
      expectErrorCode(
        () =>
          new MarketSimulator({
            venue: m.venue,
            scheduler: m.scheduler,
            rng: new SeededRng(1),
            instruments: [{ instrument: 'NOPE' }],
          }),
        'VENUE_UNKNOWN_INSTRUMENT',
      );
    });
  });

  describe('when the configuration is wrong', () => {
    it.each<[string, Partial<MarketProfile>]>([
      ['a zero spread', { halfSpreadTicks: 0 }],
      ['a fractional size', { quoteMinLots: 1.5 }],
      ['sizes upside down', { quoteMinLots: 10, quoteMaxLots: 5 }],
      ['more than 100 percent', { aggressivePercent: 101 }],
      ['a zero interval', { noiseIntervalNs: 0n }],
      ['a mid floor that lets bids go non-positive', { minMidTicks: 3, initialMidTicks: 50 }],
      ['a mid below its floor', { initialMidTicks: 50, minMidTicks: 100 }],
    ])('throws VENUE_INVALID_CONFIG for %s', (_, profile) => {
      expectErrorCode(() => market(1, profile), 'VENUE_INVALID_CONFIG');
    });

    it('throws VENUE_INVALID_CONFIG for an instrument simulated twice', () => {
      const m = market(1);
      expectErrorCode(
        () =>
          new MarketSimulator({
            venue: m.venue,
            scheduler: m.scheduler,
            rng: new SeededRng(1),
            instruments: [{ instrument: 'ACME' }, { instrument: 'ACME' }],
          }),
        'VENUE_INVALID_CONFIG',
      );
    });
  });
});
