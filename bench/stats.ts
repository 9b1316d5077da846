/** Summary statistics the benchmarks share. */
import type { SeededRng } from '../dist/core/rng.js';

/** The middle value (the upper one of an even count); `values` is left as it was. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * A 95% percentile-bootstrap interval of the median: the median of `resamples` draws with
 * replacement, their 2.5th and 97.5th percentiles. Seeded, so the same values give the same
 * interval. It says how far a run's median could be from the one a much longer run would give.
 */
export function medianInterval95(
  values: readonly number[],
  rng: SeededRng,
  resamples = 4000,
): [number, number] {
  const medians: number[] = [];
  const draw = new Array<number>(values.length);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < values.length; i++) draw[i] = values[rng.int(0, values.length - 1)]!;
    medians.push(median(draw));
  }
  medians.sort((a, b) => a - b);
  return [
    medians[Math.floor(0.025 * resamples)]!,
    medians[Math.min(resamples - 1, Math.floor(0.975 * resamples))]!,
  ];
}
