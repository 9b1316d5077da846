/**
 * @module
 * How a simulated market behaves: the random walk of its mid price, its liquidity providers'
 * quote ladders and its noise traders' order flow. Probabilities are integer percentages and
 * sizes integer lots, so a profile is exact data that can be recorded with a run.
 */
import { InputError, type Rng } from '../core/index.js';
import { drawUniformNs } from './latency.js';

export interface MarketProfile {
  readonly initialMidTicks: number;
  /** The mid never walks below this. */
  readonly minMidTicks: number;
  /** One random-walk step of the mid every this many nanoseconds. */
  readonly midStepNs: bigint;
  /** Each step moves the mid by a uniform integer in `[-midMaxStepTicks, midMaxStepTicks]`. */
  readonly midMaxStepTicks: number;
  readonly liquidityProviders: number;
  /** Quotes per side per liquidity provider. */
  readonly levelsPerSide: number;
  /** Best quote's distance from the mid. */
  readonly halfSpreadTicks: number;
  readonly levelSpacingTicks: number;
  readonly quoteMinLots: number;
  readonly quoteMaxLots: number;
  /** Mean time between a provider's quote refreshes (uniform in [½, 1½] of it). */
  readonly quoteRefreshNs: bigint;
  readonly noiseTraders: number;
  /** Mean time between one noise trader's orders (uniform in [½, 1½] of it). */
  readonly noiseIntervalNs: bigint;
  readonly noiseMaxLots: number;
  /** Share of noise orders that take liquidity (IOC through the touch), in percent. */
  readonly aggressivePercent: number;
  /** Mean life of a passive noise order before its owner cancels it. */
  readonly passiveLifetimeNs: bigint;
}

export const DEFAULT_MARKET_PROFILE: MarketProfile = {
  initialMidTicks: 10_000,
  minMidTicks: 100,
  midStepNs: 50_000_000n,
  midMaxStepTicks: 1,
  liquidityProviders: 3,
  levelsPerSide: 5,
  halfSpreadTicks: 1,
  levelSpacingTicks: 1,
  quoteMinLots: 5,
  quoteMaxLots: 50,
  quoteRefreshNs: 40_000_000n,
  noiseTraders: 4,
  noiseIntervalNs: 30_000_000n,
  noiseMaxLots: 20,
  aggressivePercent: 55,
  passiveLifetimeNs: 200_000_000n,
};

const POSITIVE_INTS = [
  'initialMidTicks',
  'minMidTicks',
  'levelsPerSide',
  'halfSpreadTicks',
  'levelSpacingTicks',
  'quoteMinLots',
  'quoteMaxLots',
  'noiseMaxLots',
] as const;
const NON_NEGATIVE_INTS = [
  'midMaxStepTicks',
  'liquidityProviders',
  'noiseTraders',
  'aggressivePercent',
] as const;
const POSITIVE_NS = [
  'midStepNs',
  'quoteRefreshNs',
  'noiseIntervalNs',
  'passiveLifetimeNs',
] as const;

function invalid(field: string, value: string): InputError {
  return new InputError('VENUE_INVALID_CONFIG', `market profile field ${field} is out of range`, {
    details: { field, value },
  });
}

/**
 * The default profile overridden by `overrides`, checked.
 * @throws InputError `VENUE_INVALID_CONFIG` for a value out of range.
 */
export function resolveMarketProfile(overrides: Partial<MarketProfile> = {}): MarketProfile {
  const profile: MarketProfile = { ...DEFAULT_MARKET_PROFILE, ...overrides };
  for (const field of POSITIVE_INTS) {
    const value = profile[field];
    if (!Number.isSafeInteger(value) || value <= 0) throw invalid(field, String(value));
  }
  for (const field of NON_NEGATIVE_INTS) {
    const value = profile[field];
    if (!Number.isSafeInteger(value) || value < 0) throw invalid(field, String(value));
  }
  for (const field of POSITIVE_NS) {
    if (profile[field] <= 0n) throw invalid(field, profile[field].toString());
  }
  if (profile.aggressivePercent > 100) {
    throw invalid('aggressivePercent', String(profile.aggressivePercent));
  }
  if (profile.quoteMaxLots < profile.quoteMinLots) {
    throw invalid('quoteMaxLots', String(profile.quoteMaxLots));
  }
  if (profile.initialMidTicks < profile.minMidTicks) {
    throw invalid('initialMidTicks', String(profile.initialMidTicks));
  }
  // The deepest bid must stay a positive price however low the mid walks.
  const deepestTicks =
    profile.halfSpreadTicks + (profile.levelsPerSide - 1) * profile.levelSpacingTicks + 2;
  if (profile.minMidTicks <= deepestTicks)
    throw invalid('minMidTicks', String(profile.minMidTicks));
  return profile;
}

/** A uniform integer in `[min, max]`. */
export function drawInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.next() * (max - min + 1));
}

/** A delay uniform in `[meanNs / 2, 3 * meanNs / 2]`: mean `meanNs`, never zero for meanNs ≥ 2. */
export function drawIntervalNs(rng: Rng, meanNs: bigint): bigint {
  const lowNs = meanNs / 2n;
  return drawUniformNs(rng, lowNs, lowNs + meanNs);
}
