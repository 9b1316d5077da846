/**
 * @module
 * The router port of the pipeline: it turns "work Q lots of plan P now" into per-venue quantities,
 * with the solver's metadata for the plan.delta it becomes and the privacy-budget spends it made to
 * learn what it solved on. The water-filling router solves each request exactly and shares
 * nothing; the cost of a venue is its fee plus how much worse its touch is than the best, plus an
 * impact term that grows as its displayed size shrinks.
 */
import { InputError, type JsonValue, numberToDecimal, type Rng, type Side } from '../core/index.js';
import type { PrivacyBudgetPayload, PrivacySpendPayload } from '../privacy/index.js';
import { roundAllocation, solveAllocationExact } from '../routing/index.js';

export interface VenueRouteInput {
  readonly venue: string;
  /** Fee per lot, in ticks (taker fee for an order that crosses, maker fee otherwise). */
  readonly feePerLotTicks: number;
  /** Best price on the side the order would take from (the ask for a buy); undefined when empty. */
  readonly touchPx: number | undefined;
  readonly touchQty: number;
}

export interface RouteRequest {
  /** The parent order's plan: a router may warm-start from its previous solve. */
  readonly planId: string;
  readonly instrument: string;
  readonly side: Side;
  readonly qtyLots: number;
  readonly limitPx: number;
  /** Sorted by venue id. */
  readonly venues: readonly VenueRouteInput[];
}

export interface SolverReport {
  readonly algorithm: string;
  readonly iterations: number;
  readonly primalResidual: number;
  readonly dualResidual: number;
  readonly objective: number;
}

export interface RouteAllocation {
  /** Venues with a positive quantity, sorted by venue id. */
  readonly legs: readonly { readonly venue: string; readonly qtyLots: number }[];
  readonly solver: SolverReport;
  /** Shares (and refusals) of privacy-budgeted signals this solve made, in the order made. */
  readonly disclosures?: readonly PrivacySpendPayload[];
}

export interface RouteContext {
  /** The router's own seeded stream (not the strategy's): noise a replay draws again. */
  readonly rng: Rng;
}

export interface Router {
  /** Recorded in run.start with `params`: a replay rebuilds the same router from them. */
  readonly name: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** The privacy budgets the router opens, recorded once after run.start. */
  budgets?(venues: readonly string[], context: RouteContext): readonly PrivacyBudgetPayload[];
  route(request: RouteRequest, context: RouteContext): RouteAllocation;
  /** The router's state for a state snapshot (null when it keeps none); without it, no snapshots. */
  snapshot?(): JsonValue;
  /** Puts back what {@link snapshot} returned; `context` is the resumed run's. */
  restore?(state: JsonValue, context: RouteContext): void;
}

export interface WaterFillingRouterOptions {
  /** Impact coefficient scale: kᵢ = impactScale / max(1, displayed size at the touch). */
  readonly impactScale?: number;
}

export const WATER_FILLING_ROUTER = 'water-filling';

export class WaterFillingRouter implements Router {
  readonly name = WATER_FILLING_ROUTER;
  readonly params: Readonly<Record<string, string>>;
  readonly #impactScale: number;

  /** @throws PIPELINE_INVALID_CONFIG for an impact scale that is not a positive number. */
  constructor(options: WaterFillingRouterOptions = {}) {
    const impactScale = options.impactScale ?? 1;
    if (!Number.isFinite(impactScale) || impactScale <= 0) {
      throw new InputError('PIPELINE_INVALID_CONFIG', 'the impact scale must be a positive number');
    }
    this.#impactScale = impactScale;
    this.params = { impact_scale: numberToDecimal(impactScale, 12) };
  }

  /** The router a run.start's `router.params` describe. */
  static fromParams(
    params: Readonly<Record<string, string | number | boolean>>,
  ): WaterFillingRouter {
    const scale = params['impact_scale'];
    return new WaterFillingRouter({ impactScale: typeof scale === 'string' ? Number(scale) : 1 });
  }

  /** Stateless: every request is solved on its own. */
  snapshot(): null {
    return null;
  }

  restore(): void {
    // Nothing to put back.
  }

  route(request: RouteRequest): RouteAllocation {
    const quoted = request.venues.filter((v) => v.touchPx !== undefined);
    const candidates = quoted.length > 0 ? quoted : request.venues;
    const best =
      request.side === 'buy'
        ? Math.min(...candidates.map((v) => v.touchPx ?? Number.POSITIVE_INFINITY))
        : Math.max(...candidates.map((v) => v.touchPx ?? Number.NEGATIVE_INFINITY));
    const venues = candidates.map((v) => {
      const worseBy =
        v.touchPx === undefined || !Number.isFinite(best) ? 0 : Math.abs(v.touchPx - best);
      return {
        id: v.venue,
        feePerLot: v.feePerLotTicks + worseBy,
        impact: this.#impactScale / Math.max(1, v.touchQty),
        // Any venue can take the whole request: what it cannot fill at once rests at the limit.
        capacity: request.qtyLots,
      };
    });
    const problem = { totalQty: request.qtyLots, venues };
    const exact = solveAllocationExact(problem);
    const lots = roundAllocation(
      exact.quantities,
      request.qtyLots,
      venues.map((v) => v.capacity),
    );
    const residual = Math.abs(exact.quantities.reduce((a, b) => a + b, 0) - request.qtyLots);
    return {
      legs: venues
        .map((v, i) => ({ venue: v.id, qtyLots: lots[i]! }))
        .filter((leg) => leg.qtyLots > 0),
      solver: {
        algorithm: 'water-filling',
        iterations: 1,
        primalResidual: residual,
        dualResidual: 0,
        objective: exact.objective,
      },
    };
  }
}
