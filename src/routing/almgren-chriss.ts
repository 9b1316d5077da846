/**
 * @module
 * The discrete mean-variance execution schedule of Almgren & Chriss, "Optimal execution of
 * portfolio transactions" (J. Risk, 2000): trade X lots in N periods of length τ, holdings
 * x₀ = X … x_N = 0, trades nₖ = xₖ₋₁ − xₖ, with
 *
 *   E = ½γX² + εΣ|nₖ| + (η̃/τ)Σnₖ²,   V = σ²Σₖ τ·xₖ²,   η̃ = η − γτ/2,
 *
 * and the trajectory minimising E + λV (§3, eq. 18): xⱼ = sinh(κ(T − tⱼ))/sinh(κT)·X with
 * 2(cosh κτ − 1)/τ² = λσ²/η̃. λ = 0 gives κ = 0 and the straight line (TWAP). Units: quantities in
 * lots, prices in ticks, τ and σ² in one time unit of the caller's choice. Pure.
 */
import { InputError } from '../core/index.js';

export interface ScheduleParams {
  /** X: lots to trade, ≥ 0. */
  readonly totalQty: number;
  /** N: number of periods, a positive integer. */
  readonly periods: number;
  /** τ: period length (> 0). */
  readonly tau: number;
  /** σ: volatility of the price, ticks per √time unit (≥ 0). */
  readonly sigma: number;
  /** η: temporary impact, ticks per (lot per time unit). */
  readonly eta: number;
  /** γ: permanent impact, ticks per lot (≥ 0). */
  readonly gamma: number;
  /** ε: fixed cost per lot traded, ticks (≥ 0). */
  readonly epsilon: number;
  /** λ: risk aversion, per tick (≥ 0). */
  readonly lambda: number;
}

export interface ScheduleResult {
  /** n₁ … n_N. */
  readonly trades: readonly number[];
  /** x₀ = X … x_N = 0. */
  readonly holdings: readonly number[];
  readonly expectedCost: number;
  readonly variance: number;
  /** E + λV. */
  readonly utility: number;
}

export interface ClosedFormSchedule extends ScheduleResult {
  /** κ of the discrete solution, per time unit. */
  readonly kappa: number;
}

function invalid(message: string, details: Record<string, string | number>): never {
  throw new InputError('ROUTE_INVALID_PROBLEM', message, { details });
}

/** η̃ = η − γτ/2, the temporary impact net of the permanent impact's share within a period. */
export function effectiveEta(eta: number, gamma: number, tau: number): number {
  return eta - (gamma * tau) / 2;
}

/**
 * @throws ROUTE_INVALID_PROBLEM for a non-integer or non-positive N, a negative or non-finite
 *   parameter, τ ≤ 0, or η̃ = η − γτ/2 ≤ 0 (the problem then has no bounded optimum).
 */
export function assertScheduleParams(params: ScheduleParams): void {
  const { totalQty, periods, tau, sigma, eta, gamma, epsilon, lambda } = params;
  if (!Number.isSafeInteger(periods) || periods < 1) {
    invalid('periods must be a positive integer', { periods: String(periods) });
  }
  for (const [name, value] of Object.entries({ totalQty, sigma, gamma, epsilon, lambda })) {
    if (!Number.isFinite(value) || value < 0) {
      invalid(`${name} must be a finite number ≥ 0`, { [name]: String(value) });
    }
  }
  if (!Number.isFinite(tau) || tau <= 0) invalid('tau must be > 0', { tau: String(tau) });
  if (!Number.isFinite(eta) || effectiveEta(eta, gamma, tau) <= 0) {
    invalid('eta must exceed gamma·tau/2', { eta: String(eta), gamma, tau });
  }
}

/**
 * κ from 2(cosh κτ − 1)/τ² = κ̃², written as sinh(κτ/2) = κ̃τ/2 so that small λ loses no digits
 * (cosh − 1 would cancel).
 */
export function scheduleKappa(params: ScheduleParams): number {
  const etaTilde = effectiveEta(params.eta, params.gamma, params.tau);
  const kappaTilde = Math.sqrt((params.lambda * params.sigma * params.sigma) / etaTilde);
  return (2 / params.tau) * Math.asinh((kappaTilde * params.tau) / 2);
}

/** sinh(a)/sinh(b) for 0 ≤ a ≤ b, b > 0, without overflow when b is large. */
function sinhRatio(a: number, b: number): number {
  if (b < 20) return Math.sinh(a) / Math.sinh(b);
  return (Math.exp(a - b) * -Math.expm1(-2 * a)) / -Math.expm1(-2 * b);
}

/** E, V and E + λV of a single-venue trajectory (holdings default to X minus the trades so far). */
export function evaluateSchedule(
  params: ScheduleParams,
  trades: readonly number[],
  holdings: readonly number[] = holdingsOf(params.totalQty, trades),
): ScheduleResult {
  const etaTilde = effectiveEta(params.eta, params.gamma, params.tau);
  let linear = 0;
  let quadratic = 0;
  for (const n of trades) {
    linear += Math.abs(n);
    quadratic += n * n;
  }
  const expectedCost =
    0.5 * params.gamma * params.totalQty * params.totalQty +
    params.epsilon * linear +
    (etaTilde / params.tau) * quadratic;
  const variance = varianceOf(params, holdings);
  return {
    trades: [...trades],
    holdings: [...holdings],
    expectedCost,
    variance,
    utility: expectedCost + params.lambda * variance,
  };
}

/** x₀ = X, xₖ = xₖ₋₁ − nₖ. */
export function holdingsOf(totalQty: number, trades: readonly number[]): number[] {
  const holdings = [totalQty];
  let x = totalQty;
  for (const n of trades) {
    x -= n;
    holdings.push(x);
  }
  return holdings;
}

/** V = σ²Σₖ₌₁..N τ·xₖ². */
export function varianceOf(
  params: Pick<ScheduleParams, 'sigma' | 'tau'>,
  holdings: readonly number[],
): number {
  let sum = 0;
  for (let k = 1; k < holdings.length; k++) sum += holdings[k]! * holdings[k]!;
  return params.sigma * params.sigma * params.tau * sum;
}

/**
 * The optimal single-venue trajectory in closed form.
 * @throws ROUTE_INVALID_PROBLEM as {@link assertScheduleParams}.
 * @example solveScheduleClosedForm({ totalQty: 1e6, periods: 5, tau: 1, sigma: 0.95, eta: 2.5e-6,
 *   gamma: 2.5e-7, epsilon: 0.0625, lambda: 2e-6 }).holdings
 */
export function solveScheduleClosedForm(params: ScheduleParams): ClosedFormSchedule {
  assertScheduleParams(params);
  const { totalQty, periods, tau } = params;
  const kappa = scheduleKappa(params);
  const horizon = periods * tau;
  const holdings: number[] = [];
  for (let j = 0; j <= periods; j++) {
    const remaining = horizon - j * tau;
    const share =
      j === periods
        ? 0
        : kappa * horizon < 1e-12
          ? remaining / horizon
          : sinhRatio(kappa * remaining, kappa * horizon);
    holdings.push(totalQty * share);
  }
  const trades = holdings.slice(1).map((x, k) => holdings[k]! - x);
  return { ...evaluateSchedule(params, trades, holdings), kappa };
}
