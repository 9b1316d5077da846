/**
 * Seeded random routing instances for the oracle tests: the same seed gives the same problems on
 * every machine.
 */
import { SeededRng } from '../../src/core/index.js';
import type { AllocationProblem, LocalProblem } from '../../src/routing/index.js';

/** Impact coefficients over four decades, fees in [0, 5), capacities up to 5 000 lots. */
export function randomAllocationProblems(seed: number, count: number): AllocationProblem[] {
  const rng = new SeededRng(seed);
  const problems: AllocationProblem[] = [];
  for (let t = 0; t < count; t++) {
    const size = rng.int(1, 40);
    const venues = Array.from({ length: size }, (_, i) => ({
      id: `V${String(i).padStart(2, '0')}`,
      feePerLot: rng.next() * 5,
      impact: Math.exp(Math.log(1e-4) + rng.next() * Math.log(2e4)),
      capacity: rng.int(0, 5000),
    }));
    const capacity = venues.reduce((a, v) => a + v.capacity, 0);
    problems.push({ totalQty: rng.int(0, capacity), venues });
  }
  return problems;
}

/** `count` local problems for one instrument, venues `V000`…, sorted. */
export function randomLocalProblems(seed: number, count: number): LocalProblem[] {
  const rng = new SeededRng(seed);
  return Array.from({ length: count }, (_, i) => ({
    venue: `V${String(i).padStart(3, '0')}`,
    instrument: 'ACME',
    fee_per_lot: rng.next() * 2,
    impact: 0.001 + rng.next() * 0.05,
    capacity_lots: rng.int(200, 2200),
    latency_ns: String(rng.int(1_000, 100_000)),
  }));
}

export function sharedFor(totalLots: number, version = 0) {
  return {
    version,
    instrument: 'ACME',
    side: 'buy' as const,
    total_lots: totalLots,
    periods: 1,
    period_totals: [totalLots],
    signals: [],
  };
}
