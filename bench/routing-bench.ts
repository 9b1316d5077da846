/**
 * The routing benchmark: sharing ADMM on seeded allocation problems of 50 and 1 000 venues (time to
 * integer lots, iterations, objective gap to the exact water-filling optimum), the multi-venue
 * Almgren–Chriss schedule of 60 periods × 10 venues (gap to the closed form with 1/η̃ = Σ 1/η̃ᵥ),
 * and a warm-started re-plan after a fill (iterations, time, PlanDelta size). The convergence
 * curves (primal and dual residual per iteration) go into the result and into a self-contained
 * log-scale SVG chart beside the baseline, `bench/baselines/routing-convergence.svg`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SeededRng } from '../dist/core/index.js';
import {
  applyPlanDelta,
  type ConvergenceHistory,
  diffPlan,
  type LocalProblem,
  measurePlanDelta,
  planAllocation,
  solveAllocationExact,
  solveScheduleAdmm,
  solveScheduleClosedForm,
  toAllocationProblem,
} from '../dist/routing/index.js';

export interface RoutingBenchOptions {
  /** Seeded instances per size. */
  readonly instances: number;
  /** Timed solves per instance (after one untimed). */
  readonly repeats: number;
}

const benchDir = path.dirname(fileURLToPath(import.meta.url));

function venues(rng: SeededRng, count: number): LocalProblem[] {
  return Array.from({ length: count }, (_, i) => ({
    venue: `V${String(i).padStart(4, '0')}`,
    instrument: 'ACME',
    fee_per_lot: rng.next() * 2,
    impact: Math.exp(Math.log(1e-3) + rng.next() * Math.log(100)),
    capacity_lots: rng.int(200, 2200),
    latency_ns: String(rng.int(1_000, 100_000)),
  }));
}

function shared(totalLots: number, version = 0) {
  const side = 'buy' as const;
  const periods = 1;
  return {
    version,
    instrument: 'ACME',
    side,
    total_lots: totalLots,
    periods,
    period_totals: [totalLots],
    signals: [],
  };
}

/** `node --expose-gc` (as `npm run bench` starts it) lets a collection run outside the timing. */
const collect = (globalThis as { gc?: () => void }).gc;

function timed<T>(run: () => T, repeats: number): { value: T; ms: number[] } {
  let value = run();
  collect?.();
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    value = run();
    ms.push(performance.now() - start);
  }
  return { value, ms };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const round = (x: number, digits = 4): number => Number(x.toPrecision(digits));

function allocationCase(size: number, options: RoutingBenchOptions, seed: number) {
  const rng = new SeededRng(seed);
  const ms: number[] = [];
  const iterations: number[] = [];
  const warmIterations: number[] = [];
  const coldAfterFillIterations: number[] = [];
  const warmMs: number[] = [];
  let worstGap = 0;
  let deltaVenues = 0;
  let deltaBytes = 0;
  let fullBytes = 0;
  let curves: Record<string, ConvergenceHistory> = {};
  for (let t = 0; t < options.instances; t++) {
    const problems = venues(rng, size);
    const capacity = problems.reduce((a, p) => a + p.capacity_lots, 0);
    const total = Math.floor(capacity * (0.1 + 0.6 * rng.next()));
    const request = { problems, shared: shared(total) };
    const cold = timed(() => planAllocation(request), options.repeats);
    const exact = solveAllocationExact(toAllocationProblem(problems, request.shared));
    worstGap = Math.max(
      worstGap,
      Math.abs(cold.value.solver.objective - exact.objective) / exact.objective,
    );
    ms.push(...cold.ms);
    iterations.push(cold.value.solver.iterations);

    // A fill of a fifth of the largest venue below its capacity: re-plan what is left.
    const plan = cold.value;
    const meta = { planId: 'P', instrument: 'ACME', side: 'buy' as const, causes: [] };
    const targets = plan.venues.map((venue, i) => ({ venue, lots: plan.lots[i]! }));
    const initial = diffPlan(undefined, targets, meta)!;
    const inside = plan.lots.map((l, i) => (l < problems[i]!.capacity_lots ? l : -1));
    const at = inside.indexOf(Math.max(...inside));
    const filled = Math.max(1, Math.floor(plan.lots[at]! / 5));
    const after = problems.map((p, i) =>
      i === at ? { ...p, capacity_lots: p.capacity_lots - filled } : p,
    );
    const quantities = new Map(plan.warm.quantities);
    quantities.set(plan.venues[at]!, quantities.get(plan.venues[at]!)! - filled);
    const next = shared(total - filled, 1);
    const warm = timed(
      () =>
        planAllocation({
          problems: after,
          shared: next,
          warm: { quantities, duals: plan.warm.duals },
        }),
      options.repeats,
    );
    warmMs.push(...warm.ms);
    warmIterations.push(warm.value.solver.iterations);
    coldAfterFillIterations.push(
      planAllocation({ problems: after, shared: next }).solver.iterations,
    );
    const state = applyPlanDelta(undefined, initial);
    const filledState = {
      ...state,
      venues: state.venues.map((v, i) => (i === at ? { ...v, lots: v.lots - filled } : v)),
    };
    const delta = diffPlan(
      filledState,
      warm.value.venues.map((venue, i) => ({ venue, lots: warm.value.lots[i]! })),
      { ...meta, solver: warm.value.solver },
    );
    const deltaSize =
      delta === undefined ? { changedVenues: 0, canonicalBytes: 0 } : measurePlanDelta(delta);
    deltaVenues += deltaSize.changedVenues;
    deltaBytes += deltaSize.canonicalBytes;
    fullBytes += measurePlanDelta(initial).canonicalBytes;
    if (t === 0)
      curves = { [`alloc${size}_cold`]: plan.history, [`alloc${size}_warm`]: warm.value.history };
  }
  const n = options.instances;
  return {
    summary: {
      [`alloc${size}_p50_ms`]: round(quantile(ms, 0.5)),
      [`alloc${size}_p99_ms`]: round(quantile(ms, 0.99)),
      [`alloc${size}_iterations_p50`]: quantile(iterations, 0.5),
      [`alloc${size}_iterations_max`]: Math.max(...iterations),
      [`alloc${size}_worst_gap`]: worstGap,
      [`replan${size}_p50_ms`]: round(quantile(warmMs, 0.5)),
      [`replan${size}_iterations_p50`]: quantile(warmIterations, 0.5),
      [`replan${size}_iterations_mean`]: round(warmIterations.reduce((a, b) => a + b, 0) / n),
      [`replan${size}_cold_iterations_mean`]: round(
        coldAfterFillIterations.reduce((a, b) => a + b, 0) / n,
      ),
      [`replan${size}_delta_venues_mean`]: round(deltaVenues / n),
      [`replan${size}_delta_bytes_mean`]: round(deltaBytes / n),
      [`plan${size}_full_delta_bytes_mean`]: round(fullBytes / n),
    },
    curves,
  };
}

function scheduleCase(options: RoutingBenchOptions) {
  const params = {
    totalQty: 1e6,
    periods: 60,
    tau: 1 / 60,
    sigma: 0.95,
    gamma: 2.5e-7,
    lambda: 2e-6,
  };
  const etas = Array.from({ length: 10 }, (_, i) => 2.5e-6 * (1 + i));
  const schedule = {
    ...params,
    venues: etas.map((eta, i) => ({ id: `V${i}`, eta, epsilon: 0.0625, capacityPerPeriod: 1e6 })),
  };
  const run = timed(() => solveScheduleAdmm(schedule), options.repeats * 4);
  const etaTilde = 1 / etas.reduce((a, e) => a + 1 / (e - (params.gamma * params.tau) / 2), 0);
  const exact = solveScheduleClosedForm({
    ...params,
    eta: etaTilde + (params.gamma * params.tau) / 2,
    epsilon: 0.0625,
  });
  return {
    summary: {
      schedule60x10_p50_ms: round(quantile(run.ms, 0.5)),
      schedule60x10_p99_ms: round(quantile(run.ms, 0.99)),
      schedule60x10_iterations: run.value.iterations,
      schedule60x10_utility_gap: Math.abs(run.value.utility - exact.utility) / exact.utility,
    },
    curves: { schedule60x10: run.value.history },
  };
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];

/** A log-scale line chart of every curve's primal (solid) and dual (dashed) residuals. */
function convergenceSvg(curves: Record<string, ConvergenceHistory>): string {
  const [width, height, left, right, top, bottom] = [860, 480, 70, 200, 30, 50];
  const names = Object.keys(curves);
  const values = names
    .flatMap((k) => [...curves[k]!.primal, ...curves[k]!.dual])
    .filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  const maxX = Math.max(...names.map((k) => curves[k]!.primal.length));
  const x = (i: number): string =>
    (left + ((width - left - right) * i) / Math.max(1, maxX - 1)).toFixed(1);
  const y = (v: number): string =>
    (
      top +
      ((height - top - bottom) * (hi - Math.log10(Math.max(v, 10 ** lo)))) / Math.max(1, hi - lo)
    ).toFixed(1);
  const parts: string[] = [];
  for (let d = lo; d <= hi; d++) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(10 ** d)}" y2="${y(10 ** d)}" stroke="#ddd"/>`,
    );
    parts.push(
      `<text x="${left - 6}" y="${Number(y(10 ** d)) + 4}" text-anchor="end">1e${d}</text>`,
    );
  }
  for (let i = 0; i <= 4; i++) {
    const it = Math.round(((maxX - 1) * i) / 4);
    parts.push(
      `<text x="${x(it)}" y="${height - bottom + 18}" text-anchor="middle">${it + 1}</text>`,
    );
  }
  names.forEach((name, n) => {
    const color = COLORS[n % COLORS.length]!;
    for (const [kind, dash] of [
      ['primal', ''],
      ['dual', ' stroke-dasharray="5,3"'],
    ] as const) {
      const points = curves[name]![kind].map((v, i) => `${x(i)},${y(v)}`);
      parts.push(`<polyline fill="none" stroke="${color}"${dash} points="${points.join(' ')}"/>`);
    }
    parts.push(
      `<text x="${width - right + 10}" y="${top + 16 * n + 10}" fill="${color}">${name}</text>`,
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="${left}" y="18" font-size="13">ADMM residuals per iteration (solid: primal, dashed: dual; log scale)</text>`,
    `<rect x="${left}" y="${top}" width="${width - left - right}" height="${height - top - bottom}" fill="none" stroke="#888"/>`,
    ...parts,
    `<text x="${(left + width - right) / 2}" y="${height - 10}" text-anchor="middle">iteration</text>`,
    '</svg>',
    '',
  ].join('\n');
}

export function runRoutingBench(options: RoutingBenchOptions): Record<string, unknown> {
  const small = allocationCase(50, options, 50);
  const large = allocationCase(
    1000,
    { ...options, instances: Math.max(1, Math.floor(options.instances / 4)) },
    1000,
  );
  const schedule = scheduleCase(options);
  const curves = { ...small.curves, ...large.curves, ...schedule.curves };
  const baselines = path.join(benchDir, 'baselines');
  mkdirSync(baselines, { recursive: true });
  const chart = path.join(baselines, 'routing-convergence.svg');
  writeFileSync(chart, convergenceSvg(curves));
  return {
    ...small.summary,
    ...large.summary,
    ...schedule.summary,
    instances: options.instances,
    repeats: options.repeats,
    chart: path.relative(path.dirname(benchDir), chart),
    convergence: Object.fromEntries(
      Object.entries(curves).map(([name, h]) => [
        name,
        { primal: h.primal, dual: h.dual, rho: h.rho },
      ]),
    ),
  };
}
