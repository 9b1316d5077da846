/**
 * The VWAP schedule's target: the profile's cumulative share of the parent quantity after a given
 * time, floored, in exact integer arithmetic — held to the formula written out directly, for any
 * profile, horizon, quantity and time (before the start and past the horizon included).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { scheduleTargetLots, type VwapParams } from '../../src/pipeline/index.js';

/** The target as the schedule defines it, summing the profile afresh. */
function referenceTarget(p: VwapParams, elapsedNs: bigint): number {
  if (elapsedNs >= p.horizonNs) return p.totalLots;
  if (elapsedNs <= 0n) return 0;
  const buckets = BigInt(p.profile.length);
  const total = BigInt(p.profile.reduce((a, b) => a + b, 0));
  const scaled = elapsedNs * buckets;
  const bucket = Number(scaled / p.horizonNs);
  const before = BigInt(p.profile.slice(0, bucket).reduce((a, b) => a + b, 0));
  const weight = BigInt(p.profile[bucket]!);
  const numerator = before * p.horizonNs + weight * (scaled - BigInt(bucket) * p.horizonNs);
  return Number((BigInt(p.totalLots) * numerator) / (total * p.horizonNs));
}

describe('scheduleTargetLots', () => {
  it('gives the profile’s cumulative share, floored, for any schedule and time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 24 }),
        fc.bigInt({ min: 1n, max: 10n ** 14n }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.bigInt({ min: -10n, max: 2n * 10n ** 14n }),
        (profile, horizonNs, totalLots, elapsedNs) => {
          const p = { profile, horizonNs, totalLots } as unknown as VwapParams;
          const target = scheduleTargetLots(p, elapsedNs);
          expect(target).toBe(referenceTarget(p, elapsedNs));
          expect(target).toBeGreaterThanOrEqual(0);
          expect(target).toBeLessThanOrEqual(totalLots);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
