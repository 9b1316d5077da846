/**
 * @module
 * The routing plans of the run: per parent order, the lots planned at each venue and the plan's
 * version. The plan is the fold of its PlanDeltas — each delta names the version it applies to —
 * so replaying the recorded deltas in order rebuilds it exactly.
 */
import { InternalError } from '../core/index.js';

export interface PlanChange {
  readonly venue: string;
  readonly qtyDeltaLots: number;
  readonly limitPx?: number;
}

export interface Plan {
  readonly planId: string;
  readonly version: number;
  /** Planned lots per venue, sorted by venue id. */
  readonly lots: readonly (readonly [venue: string, lots: number])[];
}

export class PlanBook {
  readonly #plans = new Map<string, { version: number; lots: Map<string, number> }>();

  /** Applies a delta and returns the base and new version. */
  apply(planId: string, changes: readonly PlanChange[]): { baseVersion: number; version: number } {
    let plan = this.#plans.get(planId);
    if (plan === undefined) {
      plan = { version: 0, lots: new Map() };
      this.#plans.set(planId, plan);
    }
    for (const change of changes) {
      const next = (plan.lots.get(change.venue) ?? 0) + change.qtyDeltaLots;
      if (next < 0) {
        throw new InternalError(
          'INTERNAL',
          `plan ${planId} would go below zero at ${change.venue}`,
        );
      }
      plan.lots.set(change.venue, next);
    }
    const baseVersion = plan.version;
    plan.version++;
    return { baseVersion, version: plan.version };
  }

  get(planId: string): Plan | undefined {
    const plan = this.#plans.get(planId);
    if (plan === undefined) return undefined;
    const lots = [...plan.lots.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { planId, version: plan.version, lots };
  }

  /** Every plan: id, version, lots per venue (sorted). */
  snapshot(): [string, number, [string, number][]][] {
    return [...this.#plans.keys()].sort().map((planId) => {
      const plan = this.get(planId)!;
      return [
        planId,
        plan.version,
        plan.lots.map(([venue, lots]): [string, number] => [venue, lots]),
      ];
    });
  }

  restore(
    plans: readonly (readonly [string, number, readonly (readonly [string, number])[]])[],
  ): void {
    this.#plans.clear();
    for (const [planId, version, lots] of plans) {
      this.#plans.set(planId, { version, lots: new Map(lots.map(([v, n]) => [v, n])) });
    }
  }
}
