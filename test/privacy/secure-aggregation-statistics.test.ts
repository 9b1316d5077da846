/**
 * What the coordinator sees of one participant's input, over many rounds with fixed keys and
 * varying real values: the masked values must look uniform in Z/2^64 and carry no trace of the
 * input. Each statistic is also computed on the unmasked inputs, where it must fail, so the
 * tests are shown to have the power to detect a leak. Seeds are fixed, so the outcome is too.
 */
import { describe, expect, it } from 'vitest';

import { SeededRng } from '../../src/core/index.js';
import { MAX_AGGREGATION_INPUT } from '../../src/privacy/index.js';
import { aggregate, venues } from './aggregation-helpers.js';

const ROUNDS = 4000;
/** χ² critical value with 15 degrees of freedom at α = 0.001. */
const CHI2_15_DOF_P001 = 37.697;

/** Pearson χ² of counts against equal expectations. */
function chiSquareUniform(counts: readonly number[]): number {
  const total = counts.reduce((s, c) => s + c, 0);
  const expected = total / counts.length;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

/** Pearson χ² of independence of a 2 × k contingency table. */
function chiSquareIndependence(table: readonly (readonly number[])[]): number {
  const rows = table.map((row) => row.reduce((s, c) => s + c, 0));
  const columns = table[0]!.map((_, j) => table.reduce((s, row) => s + row[j]!, 0));
  const total = rows.reduce((s, r) => s + r, 0);
  let chi2 = 0;
  table.forEach((row, i) =>
    row.forEach((observed, j) => {
      const expected = (rows[i]! * columns[j]!) / total;
      if (expected > 0) chi2 += (observed - expected) ** 2 / expected;
    }),
  );
  return chi2;
}

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** High and low nibble of a 64-bit value: 16 bins each. */
const highNibble = (value: bigint): number => Number(value >> 60n);
const lowNibble = (value: bigint): number => Number(value & 15n);

interface Observation {
  readonly input: bigint;
  readonly masked: bigint;
}

/** Venue XSIM1's input and what the coordinator received from it, one per round. */
function observe(inputOf: (round: number) => bigint): Observation[] {
  const parties = venues(3);
  const observations: Observation[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const input = inputOf(round);
    const values = [input, 1000n + BigInt(round), 77n];
    const { total, masked } = aggregate(`stat-${round}`, parties, values);
    expect(total).toBe(values.reduce((s, v) => s + v, 0n));
    observations.push({ input, masked: masked[0]! });
  }
  return observations;
}

function histogram(values: readonly bigint[], bin: (value: bigint) => number): number[] {
  const counts = Array.from({ length: 16 }, () => 0);
  for (const value of values) counts[bin(value)]!++;
  return counts;
}

describe('secure aggregation, statistically', () => {
  // Two very different real values, alternating: 0 and 2^53 − 1 (all low bits set).
  const twoClass = observe((round) => (round % 2 === 0 ? 0n : MAX_AGGREGATION_INPUT));

  it('sends masked values uniform over Z/2^64 (χ², 16 bins of the high and low nibble)', () => {
    const masked = twoClass.map((o) => o.masked);
    expect(chiSquareUniform(histogram(masked, highNibble))).toBeLessThan(CHI2_15_DOF_P001);
    expect(chiSquareUniform(histogram(masked, lowNibble))).toBeLessThan(CHI2_15_DOF_P001);
    // The same statistic on the unmasked inputs: all in one high bin, two low bins.
    const inputs = twoClass.map((o) => o.input);
    expect(chiSquareUniform(histogram(inputs, highNibble))).toBeGreaterThan(CHI2_15_DOF_P001);
    expect(chiSquareUniform(histogram(inputs, lowNibble))).toBeGreaterThan(CHI2_15_DOF_P001);
  });

  it('sends masked values independent of the input (χ² of a 2 × 16 contingency table)', () => {
    for (const bin of [highNibble, lowNibble]) {
      const table = [0, 1].map((cls) =>
        histogram(
          twoClass.filter((_, round) => round % 2 === cls).map((o) => o.masked),
          bin,
        ),
      );
      expect(chiSquareIndependence(table)).toBeLessThan(CHI2_15_DOF_P001);
    }
    const leaky = [0, 1].map((cls) =>
      histogram(
        twoClass.filter((_, round) => round % 2 === cls).map((o) => o.input),
        lowNibble,
      ),
    );
    expect(chiSquareIndependence(leaky)).toBeGreaterThan(CHI2_15_DOF_P001);
  });

  it('sends masked values uncorrelated with the input (|r| < 4/√n)', () => {
    const rng = new SeededRng(99);
    const spread = observe(() => BigInt(Math.floor(rng.next() * 2 ** 52)));
    const inputs = spread.map((o) => Number(o.input));
    const masked = spread.map((o) => Number(o.masked) / 2 ** 64);
    const bound = 4 / Math.sqrt(ROUNDS);
    expect(Math.abs(correlation(inputs, masked))).toBeLessThan(bound);
    // A mask confined to the low 32 bits would leave the input visible: strongly correlated.
    const weak = spread.map((o) => Number(o.input + (o.masked & 0xffffffffn)));
    expect(correlation(inputs, weak)).toBeGreaterThan(0.99);
  });
});
