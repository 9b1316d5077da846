/**
 * @module
 * ADMM for the sharing problem (Boyd et al., "Distributed Optimization and Statistical Learning
 * via ADMM", 2011, §7.3):
 *
 *   minimise Σᵥ fᵥ(nᵥ) + g(Σᵥ nᵥ),   fᵥ(n) = Σₖ cᵥ·nₖ + aᵥ·nₖ²  on the box 0 ≤ nₖ ≤ capᵥ
 *
 * over M local problems (venues), each with a vector of N periods. A local step is the closed-form
 * prox of fᵥ onto its own box and needs nothing but the local problem, the shared target zᵥ and the
 * scaled dual u; the coordinator sees only the sum W = Σᵥ(n̂ᵥ + u) and returns the period totals s
 * (its prox of g). Over-relaxation (§3.4.3), primal/dual residual stopping (§3.3.1) and residual
 * balancing of ρ (§3.4.1) are applied. Pure and deterministic: fixed loop order, no allocation
 * inside the loop.
 */
import { InputError } from '../core/index.js';

/** The coordinator's step: s = argmin g(s) + (ρ/2M)·‖s − W‖², written into `out`. */
export type SharingCoordinator = (w: Float64Array, rhoOverM: number, out: Float64Array) => void;

export interface SharingLocals {
  /** Linear cost per lot cᵥ, one per local problem. */
  readonly fee: Float64Array;
  /** Quadratic coefficient aᵥ > 0 (cost cᵥ·n + aᵥ·n² per period). */
  readonly curvature: Float64Array;
  /** Upper bound of every period's quantity, lots. */
  readonly capacity: Float64Array;
}

export interface AdmmOptions {
  /** Default 20 000. Hitting it is reported as `converged: false`, not thrown. */
  readonly maxIterations?: number;
  /** ε_abs of the stopping rule, in lots. Default 1e-9. */
  readonly absTolerance?: number;
  /** ε_rel of the stopping rule. Default 1e-9. */
  readonly relTolerance?: number;
  /** Over-relaxation α ∈ (0, 2). Default 1.6. */
  readonly relaxation?: number;
  /** Initial penalty ρ. Default: the geometric mean of the local curvatures 2aᵥ. */
  readonly rho?: number;
  /** Residual balancing (μ = 10, τ = 2). Default true. */
  readonly adaptiveRho?: boolean;
}

/** Where to start: a previous solution (lots per venue and period) and its scaled dual. */
export interface SharingStart {
  /** M×N, venue-major; clamped into the boxes. */
  readonly quantities: Float64Array;
  /** Scaled dual u per period; with `rho`, u = −multiplier/ρ. */
  readonly scaledDual: Float64Array;
  readonly rho: number;
}

/** Residuals per iteration: the convergence curve, as data. */
export interface ConvergenceHistory {
  readonly primal: readonly number[];
  readonly dual: readonly number[];
  readonly rho: readonly number[];
}

export interface SharingResult {
  /** M×N local solutions (each inside its box), venue-major. */
  readonly quantities: Float64Array;
  /** The coordinator's period totals (they satisfy the coupling constraint exactly). */
  readonly totals: Float64Array;
  readonly scaledDual: Float64Array;
  readonly rho: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly primalResidual: number;
  readonly dualResidual: number;
  readonly history: ConvergenceHistory;
}

const BALANCE_MU = 2;
const ADAPT_EVERY = 10;
const ADAPT_UNTIL = 2000;

function defaultRho(locals: SharingLocals): number {
  let logSum = 0;
  for (const a of locals.curvature) logSum += Math.log(2 * a);
  return Math.exp(logSum / locals.curvature.length);
}

/**
 * @throws ROUTE_INVALID_PROBLEM for fewer than one iteration, a negative tolerance, α outside
 *   (0, 2) or a ρ that is not positive.
 */
export function assertAdmmOptions(options: AdmmOptions): void {
  const { maxIterations, absTolerance, relTolerance, relaxation, rho } = options;
  const bad = (name: string, value: number): never => {
    throw new InputError('ROUTE_INVALID_PROBLEM', `invalid ADMM option ${name}`, {
      details: { [name]: String(value) },
    });
  };
  if (maxIterations !== undefined && (!Number.isSafeInteger(maxIterations) || maxIterations < 1))
    bad('maxIterations', maxIterations);
  if (absTolerance !== undefined && !(absTolerance >= 0)) bad('absTolerance', absTolerance);
  if (relTolerance !== undefined && !(relTolerance >= 0)) bad('relTolerance', relTolerance);
  if (relaxation !== undefined && !(relaxation > 0 && relaxation < 2))
    bad('relaxation', relaxation);
  if (rho !== undefined && !(rho > 0 && Number.isFinite(rho))) bad('rho', rho);
}

/**
 * Runs ADMM from `start` (or from an even split of `coldTotals` when there is none).
 * The problem is assumed valid (finite, aᵥ > 0, M, N ≥ 1): the callers check it.
 * @throws ROUTE_INVALID_PROBLEM for bad options, as {@link assertAdmmOptions}.
 */
export function runSharingAdmm(
  locals: SharingLocals,
  periods: number,
  coordinator: SharingCoordinator,
  coldTotals: Float64Array,
  start: SharingStart | undefined,
  options: AdmmOptions = {},
): SharingResult {
  assertAdmmOptions(options);
  const venues = locals.fee.length;
  const cells = venues * periods;
  const maxIterations = options.maxIterations ?? 20_000;
  const epsAbs = options.absTolerance ?? 1e-9;
  const epsRel = options.relTolerance ?? 1e-9;
  const alpha = options.relaxation ?? 1.6;
  const adaptive = options.adaptiveRho ?? true;
  let rho = start?.rho ?? options.rho ?? defaultRho(locals);

  const n = new Float64Array(cells);
  const z = new Float64Array(cells);
  const u = new Float64Array(periods);
  const w = new Float64Array(periods);
  const s = new Float64Array(periods);
  if (start === undefined) {
    for (let v = 0; v < venues; v++) {
      for (let k = 0; k < periods; k++) z[v * periods + k] = coldTotals[k]! / venues;
    }
  } else {
    for (let v = 0; v < venues; v++) {
      const cap = locals.capacity[v]!;
      for (let k = 0; k < periods; k++) {
        const i = v * periods + k;
        z[i] = Math.min(cap, Math.max(0, start.quantities[i] ?? 0));
      }
    }
    u.set(start.scaledDual.subarray(0, periods));
  }
  s.set(coldTotals);

  const primalHistory: number[] = [];
  const dualHistory: number[] = [];
  const rhoHistory: number[] = [];
  const sqrtCells = Math.sqrt(cells);
  let iterations = 0;
  let converged = false;
  let primalResidual = Number.POSITIVE_INFINITY;
  let dualResidual = Number.POSITIVE_INFINITY;

  while (iterations < maxIterations) {
    iterations++;
    // Local steps: each venue alone, argmin cn + an² + (ρ/2)(n − (z − u))² clamped to its box.
    w.fill(0);
    for (let v = 0; v < venues; v++) {
      const c = locals.fee[v]!;
      const denominator = 2 * locals.curvature[v]! + rho;
      const cap = locals.capacity[v]!;
      for (let k = 0; k < periods; k++) {
        const i = v * periods + k;
        const x = (rho * (z[i]! - u[k]!) - c) / denominator;
        const clamped = x < 0 ? 0 : x > cap ? cap : x;
        n[i] = clamped;
        w[k]! += alpha * clamped + (1 - alpha) * z[i]!;
      }
    }
    for (let k = 0; k < periods; k++) w[k]! += venues * u[k]!;
    coordinator(w, rho / venues, s);

    let primalSq = 0;
    let dualSq = 0;
    let nSq = 0;
    let zSq = 0;
    for (let v = 0; v < venues; v++) {
      for (let k = 0; k < periods; k++) {
        const i = v * periods + k;
        const relaxed = alpha * n[i]! + (1 - alpha) * z[i]!;
        const next = relaxed + u[k]! + (s[k]! - w[k]!) / venues;
        const dz = next - z[i]!;
        const r = n[i]! - next;
        dualSq += dz * dz;
        primalSq += r * r;
        nSq += n[i]! * n[i]!;
        zSq += next * next;
        z[i] = next;
      }
    }
    let uSq = 0;
    for (let k = 0; k < periods; k++) {
      u[k] = (w[k]! - s[k]!) / venues;
      uSq += u[k]! * u[k]!;
    }
    primalResidual = Math.sqrt(primalSq);
    dualResidual = rho * Math.sqrt(dualSq);
    primalHistory.push(primalResidual);
    dualHistory.push(dualResidual);
    rhoHistory.push(rho);

    const epsPrimal = sqrtCells * epsAbs + epsRel * Math.sqrt(Math.max(nSq, zSq));
    const epsDual = sqrtCells * epsAbs + epsRel * rho * Math.sqrt(uSq * venues);
    if (primalResidual <= epsPrimal && dualResidual <= epsDual) {
      converged = true;
      break;
    }
    if (adaptive && iterations % ADAPT_EVERY === 0 && iterations <= ADAPT_UNTIL) {
      // Balance the residuals relative to their own scales (the ε_rel terms of the stopping
      // rule), so ρ does not chase the units of lots against those of ticks. The scaled dual
      // u = y/ρ is rescaled with ρ so the multiplier y itself is unchanged.
      const primalScale = primalResidual / Math.max(Math.sqrt(Math.max(nSq, zSq)), 1e-300);
      const dualScale = dualResidual / Math.max(rho * Math.sqrt(uSq * venues), 1e-300);
      const ratio = Math.sqrt(primalScale / Math.max(dualScale, 1e-300));
      if (ratio > BALANCE_MU || ratio < 1 / BALANCE_MU) {
        const factor = Math.min(1e3, Math.max(1e-3, ratio));
        rho *= factor;
        for (let k = 0; k < periods; k++) u[k]! /= factor;
      }
    }
  }

  return {
    quantities: n,
    totals: s,
    scaledDual: u,
    rho,
    iterations,
    converged,
    primalResidual,
    dualResidual,
    history: { primal: primalHistory, dual: dualHistory, rho: rhoHistory },
  };
}
