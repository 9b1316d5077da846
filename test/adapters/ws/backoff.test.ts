import { describe, expect, it } from 'vitest';

import {
  backoffDelayNs,
  type BackoffPolicy,
  DEFAULT_BACKOFF,
  MarketDataClient,
} from '../../../src/adapters/ws/index.js';
import { SeededRng, VirtualScheduler } from '../../../src/core/index.js';
import { expectErrorCode } from '../../helpers/errors.js';

const POLICY: BackoffPolicy = { initialDelayNs: 1_000n, maxDelayNs: 16_000n, multiplier: 2 };

describe('backoffDelayNs', () => {
  it('grows by the multiplier to the cap, each delay in [d/2, d]', () => {
    const rng = new SeededRng(3);
    for (let round = 0; round < 200; round++) {
      for (const [attempt, capNs] of [
        [1, 1_000n],
        [2, 2_000n],
        [3, 4_000n],
        [5, 16_000n],
        [40, 16_000n],
      ] as const) {
        const delayNs = backoffDelayNs(POLICY, attempt, rng);
        expect(delayNs).toBeGreaterThanOrEqual(capNs / 2n);
        expect(delayNs).toBeLessThanOrEqual(capNs);
      }
    }
  });

  it('draws the same delays from the same seed, and jitters them', () => {
    const draw = (seed: number): bigint[] => {
      const rng = new SeededRng(seed);
      return Array.from({ length: 20 }, () => backoffDelayNs(DEFAULT_BACKOFF, 4, rng));
    };
    expect(draw(8)).toEqual(draw(8));
    expect(new Set(draw(8)).size).toBeGreaterThan(10);
  });
});

describe('MarketDataClient options', () => {
  const base = {
    url: 'ws://127.0.0.1:9',
    scheduler: new VirtualScheduler({ wallOriginNs: 0n }),
    rng: new SeededRng(1),
  };

  it.each<[string, BackoffPolicy]>([
    ['a zero initial delay', { ...POLICY, initialDelayNs: 0n }],
    ['a cap below the initial delay', { ...POLICY, maxDelayNs: 10n }],
    ['a fractional multiplier', { ...POLICY, multiplier: 1.5 }],
  ])('throws INPUT_INVALID_ARGUMENT for %s', (_, backoff) => {
    expectErrorCode(() => new MarketDataClient({ ...base, backoff }), 'INPUT_INVALID_ARGUMENT');
  });

  it('throws INPUT_INVALID_ARGUMENT for a zero update buffer', () => {
    expectErrorCode(
      () => new MarketDataClient({ ...base, maxBufferedUpdates: 0 }),
      'INPUT_INVALID_ARGUMENT',
    );
  });
});
