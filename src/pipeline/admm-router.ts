/**
 * @module
 * The planner as the pipeline's router. Every venue is a LocalProblem (its fee and how much worse
 * its touch is than the best, as the linear cost; an impact that grows as its displayed liquidity
 * shrinks); the sharing ADMM coordinates them through the shared total and one dual, warm-started
 * from the plan's previous solve, so each re-plan of a parent order starts where the last ended.
 *
 * With a privacy budget, a venue's liquidity is not read by the coordinator directly: each solve
 * the venue shares it as the signal `liquidity.<venue>` through the Laplace mechanism, spending ε
 * of the signal's PrivacyBudget. Once the budget is spent the share is refused — recorded like a
 * share — and the coordinator keeps using the last value released, which costs no further privacy
 * (post-processing). The noise comes from the router's own seeded stream, so a replay draws it
 * again exactly.
 */
import { InputError, InternalError, type JsonValue, numberToDecimal } from '../core/index.js';
import {
  PrivacyAccountant,
  type PrivacyBudgetPayload,
  type PrivacySpendPayload,
} from '../privacy/index.js';
import {
  type AllocationWarm,
  type LocalProblem,
  planAllocation,
  type SharedVariables,
} from '../routing/index.js';
import { admmRouterStateJson, parseAdmmRouterState, type PlanState } from './admm-router-state.js';
import type {
  RouteAllocation,
  RouteContext,
  Router,
  RouteRequest,
  VenueRouteInput,
} from './router.js';

export const ADMM_ROUTER = 'admm';

export interface AdmmRouterPrivacy {
  /** ε each share of a venue's liquidity spends, a decimal string (≤ 9 decimals). */
  readonly epsilonPerShare: string;
  /** ε each venue's liquidity signal may spend in the run. */
  readonly epsilonTotal: string;
  /** Δ of the liquidity signal, lots: how far one participant can move a venue's displayed size. */
  readonly sensitivityLots: string;
}

export interface AdmmRouterOptions {
  /** Impact coefficient scale: kᵢ = impactScale / max(1, liquidity). Default 1. */
  readonly impactScale?: number;
  /** Relative tolerance of the ADMM stopping rule. Default 1e-9. */
  readonly tolerance?: number;
  readonly privacy?: AdmmRouterPrivacy;
}

/** How one plan's solves went: what the demo and the run report show of the plan converging. */
export interface PlanConvergence {
  readonly planId: string;
  readonly solves: number;
  /** Iterations of the first (cold) solve, and of every later (warm-started) one together. */
  readonly coldIterations: number;
  readonly warmIterations: number;
  readonly unconverged: number;
  /** The largest final primal residual of any solve, lots. */
  readonly maxPrimalResidual: number;
  /** Primal residual per iteration of the first solve and of the latest. */
  readonly firstHistory: readonly number[];
  readonly lastHistory: readonly number[];
}

/**
 * Where a re-plan starts: the previous solve's split scaled to this request's size (each execution
 * of a plan is a new slice, so what carries over is the proportions, not the lots), with the
 * multiplier and penalty that fit it under this request's costs — the venues' costs move between
 * solves (touch, shared liquidity), and the old ones started the solver further off than a cold
 * start in the demo's runs.
 */
function warmStart(
  previous: PlanState,
  totalLots: number,
  problems: readonly LocalProblem[],
): AllocationWarm {
  const factor = previous.totalLots > 0 ? totalLots / previous.totalLots : 1;
  const quantities = new Map(
    [...previous.warm.quantities].map(([venue, q]) => [venue, q * factor]),
  );
  let marginal = 0;
  let logCurvature = 0;
  for (const p of problems) {
    marginal += p.fee_per_lot + 2 * p.impact * (quantities.get(p.venue) ?? 0);
    logCurvature += Math.log(2 * p.impact);
  }
  const n = Math.max(1, problems.length);
  return {
    quantities,
    // ρ as a cold start picks it: the geometric mean of the local curvatures.
    duals: {
      version: previous.warm.duals.version,
      rho: Math.exp(logCurvature / n),
      multipliers: [marginal / n],
    },
  };
}

const liquiditySignal = (venue: string): string => `liquidity.${venue}`;

function positiveNumber(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InputError('PIPELINE_INVALID_CONFIG', `the ${what} must be a positive number`);
  }
  return value;
}

export class AdmmRouter implements Router {
  readonly name = ADMM_ROUTER;
  readonly params: Readonly<Record<string, string>>;
  readonly #impactScale: number;
  readonly #tolerance: number;
  readonly #privacy: AdmmRouterPrivacy | undefined;
  readonly #plans = new Map<string, PlanState>();
  /** Last released liquidity per venue: what a refused share falls back on. */
  readonly #released = new Map<string, number>();
  #accountant: PrivacyAccountant | undefined;

  /** @throws PIPELINE_INVALID_CONFIG for a scale or tolerance that is not a positive number. */
  constructor(options: AdmmRouterOptions = {}) {
    this.#impactScale = positiveNumber(options.impactScale ?? 1, 'impact scale');
    this.#tolerance = positiveNumber(options.tolerance ?? 1e-9, 'tolerance');
    this.#privacy = options.privacy;
    this.params = {
      impact_scale: numberToDecimal(this.#impactScale, 12),
      tolerance: numberToDecimal(this.#tolerance, 15),
      ...(options.privacy === undefined
        ? {}
        : {
            privacy_epsilon_per_share: options.privacy.epsilonPerShare,
            privacy_epsilon_total: options.privacy.epsilonTotal,
            privacy_sensitivity_lots: options.privacy.sensitivityLots,
          }),
    };
  }

  /** The router a run.start's `router.params` describe. */
  static fromParams(params: Readonly<Record<string, string | number | boolean>>): AdmmRouter {
    const text = (key: string): string | undefined => {
      const value = params[key];
      return value === undefined ? undefined : String(value);
    };
    const perShare = text('privacy_epsilon_per_share');
    const total = text('privacy_epsilon_total');
    const sensitivity = text('privacy_sensitivity_lots');
    const privacy =
      perShare !== undefined && total !== undefined && sensitivity !== undefined
        ? { epsilonPerShare: perShare, epsilonTotal: total, sensitivityLots: sensitivity }
        : undefined;
    if (privacy === undefined && (perShare ?? total ?? sensitivity) !== undefined) {
      throw new InputError(
        'PIPELINE_INVALID_CONFIG',
        'a privacy budget needs privacy_epsilon_per_share, privacy_epsilon_total and privacy_sensitivity_lots',
      );
    }
    const scale = text('impact_scale');
    const tolerance = text('tolerance');
    return new AdmmRouter({
      ...(scale === undefined ? {} : { impactScale: Number(scale) }),
      ...(tolerance === undefined ? {} : { tolerance: Number(tolerance) }),
      ...(privacy === undefined ? {} : { privacy }),
    });
  }

  /**
   * Opens one liquidity budget per venue when the router has a privacy budget.
   * @throws PRIVACY_INVALID_ARGUMENT for a bad ε or sensitivity.
   */
  budgets(venues: readonly string[], context: RouteContext): readonly PrivacyBudgetPayload[] {
    if (this.#privacy === undefined) return [];
    const accountant = new PrivacyAccountant({ rng: context.rng });
    const opened = [...venues].sort().map((venue) =>
      accountant.openBudget({
        signal: liquiditySignal(venue),
        epsilonTotal: this.#privacy!.epsilonTotal,
        sensitivity: this.#privacy!.sensitivityLots,
      }),
    );
    this.#accountant = accountant;
    return opened;
  }

  /** Each plan's solves so far, by plan id. */
  convergence(): readonly PlanConvergence[] {
    return [...this.#plans.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([planId, state]) => ({ planId, ...state.convergence }));
  }

  /** Every plan's warm start and convergence record, the released liquidity, the budgets. */
  snapshot(): JsonValue {
    return admmRouterStateJson(this.#plans, this.#released, this.#accountant?.snapshot() ?? null);
  }

  /** @throws REPLAY_SNAPSHOT_INVALID for a state this router did not write. */
  restore(state: JsonValue, context: RouteContext): void {
    const parsed = parseAdmmRouterState(state);
    this.#plans.clear();
    for (const [planId, plan] of parsed.plans) this.#plans.set(planId, plan);
    this.#released.clear();
    for (const [venue, value] of parsed.released) this.#released.set(venue, value);
    if (parsed.accountant === null) {
      this.#accountant = undefined;
    } else {
      const accountant = new PrivacyAccountant({ rng: context.rng });
      accountant.restore(parsed.accountant);
      this.#accountant = accountant;
    }
  }

  route(request: RouteRequest): RouteAllocation {
    const quoted = request.venues.filter((v) => v.touchPx !== undefined);
    const candidates = quoted.length > 0 ? quoted : request.venues;
    const best =
      request.side === 'buy'
        ? Math.min(...candidates.map((v) => v.touchPx ?? Number.POSITIVE_INFINITY))
        : Math.max(...candidates.map((v) => v.touchPx ?? Number.NEGATIVE_INFINITY));
    const disclosures: PrivacySpendPayload[] = [];
    const problems: LocalProblem[] = candidates.map((v) => {
      const worseBy =
        v.touchPx === undefined || !Number.isFinite(best) ? 0 : Math.abs(v.touchPx - best);
      return {
        venue: v.venue,
        instrument: request.instrument,
        fee_per_lot: v.feePerLotTicks + worseBy,
        impact: this.#impactScale / Math.max(1, this.#liquidity(v, disclosures)),
        // Any venue can take the whole request: what it cannot fill at once rests at the limit.
        capacity_lots: request.qtyLots,
        latency_ns: '0',
      };
    });
    const previous = this.#plans.get(request.planId);
    const shared: SharedVariables = {
      version: (previous?.version ?? 0) + 1,
      instrument: request.instrument,
      side: request.side,
      total_lots: request.qtyLots,
      periods: 1,
      period_totals: [request.qtyLots],
      signals: [],
    };
    const plan = planAllocation({
      problems,
      shared,
      ...(previous === undefined ? {} : { warm: warmStart(previous, request.qtyLots, problems) }),
      options: { relTolerance: this.#tolerance, absTolerance: this.#tolerance },
    });
    this.#remember(
      request.planId,
      plan.warm,
      request.qtyLots,
      shared.version,
      plan.solver,
      plan.history.primal,
    );
    return {
      legs: plan.venues
        .map((venue, i) => ({ venue, qtyLots: plan.lots[i]! }))
        .filter((leg) => leg.qtyLots > 0),
      solver: plan.solver,
      ...(disclosures.length === 0 ? {} : { disclosures }),
    };
  }

  /** The liquidity the coordinator may use for a venue: shared under the budget, if there is one. */
  #liquidity(venue: VenueRouteInput, disclosures: PrivacySpendPayload[]): number {
    if (this.#privacy === undefined) return venue.touchQty;
    if (this.#accountant === undefined) {
      throw new InternalError('INTERNAL', 'the router shared a signal before opening its budgets');
    }
    const offer = this.#accountant.offer({
      signal: liquiditySignal(venue.venue),
      value: String(venue.touchQty),
      epsilon: this.#privacy.epsilonPerShare,
    });
    disclosures.push(offer.event);
    if (offer.outcome === 'shared') {
      const released = Number(offer.releasedValue);
      this.#released.set(venue.venue, released);
      return released;
    }
    return this.#released.get(venue.venue) ?? 1;
  }

  #remember(
    planId: string,
    warm: AllocationWarm,
    totalLots: number,
    version: number,
    solver: { iterations: number; primalResidual: number; converged: boolean },
    history: readonly number[],
  ): void {
    const state = this.#plans.get(planId);
    if (state === undefined) {
      this.#plans.set(planId, {
        warm,
        totalLots,
        version,
        convergence: {
          solves: 1,
          coldIterations: solver.iterations,
          warmIterations: 0,
          unconverged: solver.converged ? 0 : 1,
          maxPrimalResidual: solver.primalResidual,
          firstHistory: history,
          lastHistory: history,
        },
      });
      return;
    }
    state.warm = warm;
    state.totalLots = totalLots;
    state.version = version;
    const c = state.convergence;
    c.solves++;
    c.warmIterations += solver.iterations;
    if (!solver.converged) c.unconverged++;
    c.maxPrimalResidual = Math.max(c.maxPrimalResidual, solver.primalResidual);
    c.lastHistory = history;
  }
}
