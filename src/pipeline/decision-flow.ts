/**
 * @module
 * What a strategy's decisions become: signals; for an execute decision the router's allocation
 * recorded as a PlanDelta (after the privacy spends it rests on), a risk check per child order and
 * the orders themselves; cancels; timers; and the PlanDeltas that give a plan back the lots an
 * order leaves unfilled. Each is recorded with the events it derives from as causes
 * (signal → plan.delta → risk.check → order.new).
 */
import { InputError, numberToDecimal, type Side, type Source } from '../core/index.js';
import type { EventRef } from './capture.js';
import type { OutboundCommand } from './inputs.js';
import type { MarketState } from './market-state.js';
import { isDone, type ManagedOrder, type OrderManager } from './order-manager.js';
import type { PipelineVenue } from './pipeline-config.js';
import type { PlanBook, PlanChange } from './plan-book.js';
import type { RiskEngine } from './risk.js';
import type { RouteContext, Router } from './router.js';
import type { CancelDecision, Decision, ExecuteDecision } from './strategy.js';

/** The counters of what the decisions recorded and sent. */
export interface DecisionCounts {
  signals: number;
  planDeltas: number;
  riskChecks: number;
  riskFailures: number;
  ordersSent: number;
  cancelsSent: number;
}

/** Records an event stamped now; returns its handle. */
export type RecordEvent = (
  type: string,
  source: Source,
  causes: readonly EventRef[],
  payload: Readonly<Record<string, unknown>>,
) => EventRef;

export interface DecisionFlowParts {
  readonly node: string;
  readonly orderIdPrefix: string;
  /** Sorted by id. */
  readonly venues: readonly PipelineVenue[];
  readonly market: MarketState;
  readonly orders: OrderManager;
  readonly plans: PlanBook;
  readonly risk: RiskEngine;
  readonly router: Router;
  readonly routeContext: RouteContext;
  readonly counts: DecisionCounts;
  readonly record: RecordEvent;
  readonly send: (command: OutboundCommand) => void;
  readonly setTimer: (name: string, delayNs: bigint) => void;
}

interface SolverReport {
  algorithm: string;
  iterations: number;
  primalResidual: number;
  dualResidual: number;
  objective: number;
}

export class DecisionFlow {
  readonly #parts: DecisionFlowParts;
  readonly #sources: {
    readonly strategy: Source;
    readonly router: Source;
    readonly risk: Source;
    readonly oms: ReadonlyMap<string, Source>;
  };
  /** The latest signal of each name, which strategies may read back. */
  readonly #lastSignals = new Map<string, EventRef>();
  readonly lastSignal = (name: string): EventRef | undefined => this.#lastSignals.get(name);
  #nextOrder = 1;
  #lastRiskFailureMonoNs: bigint | undefined;

  constructor(parts: DecisionFlowParts) {
    this.#parts = parts;
    const { node } = parts;
    this.#sources = {
      strategy: Object.freeze({ node, adapter: 'strategy' }),
      router: Object.freeze({ node, adapter: 'router' }),
      risk: Object.freeze({ node, adapter: 'risk' }),
      oms: new Map(
        parts.venues.map((v) => [v.id, Object.freeze({ node, adapter: 'oms', venue: v.id })]),
      ),
    };
  }

  /** Capture time of the last failed risk check, which strategies may back off from. */
  get lastRiskFailureMonoNs(): bigint | undefined {
    return this.#lastRiskFailureMonoNs;
  }

  /** The number the next client order id gets. */
  get nextOrder(): number {
    return this.#nextOrder;
  }

  get lastSignals(): ReadonlyMap<string, EventRef> {
    return this.#lastSignals;
  }

  /** Goes on from a snapshot's order counter, latest signals and risk failure time. */
  restore(
    nextOrder: number,
    lastSignals: Iterable<readonly [string, EventRef]>,
    lastRiskFailureMonoNs: bigint | undefined,
  ): void {
    this.#nextOrder = nextOrder;
    this.#lastSignals.clear();
    for (const [name, ref] of lastSignals) this.#lastSignals.set(name, ref);
    this.#lastRiskFailureMonoNs = lastRiskFailureMonoNs;
  }

  /**
   * Acts on the decisions the strategy made on `trigger`, captured at `nowMonoNs` (the decisions'
   * time, not a fresh clock read). A decision's basis names the labels of signals made before it
   * in the same list; with none of them, its cause is the trigger.
   */
  decide(decisions: readonly Decision[], trigger: EventRef, nowMonoNs: bigint): void {
    // Most inputs decide nothing: no labels to keep for them.
    if (decisions.length === 0) return;
    const labels = new Map<string, EventRef>();
    const basisOf = (names: readonly string[]): EventRef[] => {
      const refs = names
        .map((name) => labels.get(name))
        .filter((r): r is EventRef => r !== undefined);
      return refs.length > 0 ? refs : [trigger];
    };
    for (const decision of decisions) {
      switch (decision.kind) {
        case 'signal': {
          const ref = this.#parts.record(
            'signal',
            this.#sources.strategy,
            decision.basis.length > 0 ? decision.basis : [trigger],
            {
              name: decision.name,
              instrument: decision.instrument,
              value: decision.value,
              ...(decision.horizonNs === undefined
                ? {}
                : { horizon_ns: decision.horizonNs.toString() }),
            },
          );
          labels.set(decision.label, ref);
          this.#lastSignals.set(decision.name, ref);
          this.#parts.counts.signals++;
          break;
        }
        case 'execute':
          this.#execute(decision, basisOf(decision.basis), nowMonoNs);
          break;
        case 'cancel':
          this.cancel(decision, basisOf(decision.basis));
          break;
        case 'timer':
          this.#parts.setTimer(decision.name, decision.delayNs);
          break;
        default: {
          const unreachable: never = decision;
          throw new InputError(
            'PIPELINE_INVALID_CONFIG',
            `unknown decision ${String(unreachable)}`,
          );
        }
      }
    }
  }

  /**
   * Routes an execute decision across the venues and sends its child orders. `nowMonoNs` is the
   * capture time of the input being handled: the decision's time, not a fresh clock read.
   */
  #execute(decision: ExecuteDecision, causes: readonly EventRef[], nowMonoNs: bigint): void {
    if (decision.qtyLots <= 0) return;
    const { market, router, routeContext } = this.#parts;
    const crossing = (px: number | undefined): boolean =>
      px !== undefined &&
      (decision.side === 'buy' ? decision.limitPx >= px : decision.limitPx <= px);
    const venues = this.#parts.venues.map((venue) => {
      const quote = market.quote(venue.id, decision.instrument);
      const touchPx = decision.side === 'buy' ? quote?.askPx : quote?.bidPx;
      const touchQty = (decision.side === 'buy' ? quote?.askQty : quote?.bidQty) ?? 0;
      return {
        venue: venue.id,
        feePerLotTicks:
          (crossing(touchPx) ? venue.takerFeeCentiTicksPerLot : venue.makerFeeCentiTicksPerLot) /
          100,
        touchPx,
        touchQty,
      };
    });
    const allocation = router.route(
      {
        planId: decision.parentId,
        instrument: decision.instrument,
        side: decision.side,
        qtyLots: decision.qtyLots,
        limitPx: decision.limitPx,
        venues,
      },
      routeContext,
    );
    // What the router learned under a privacy budget is recorded before the plan built on it.
    const disclosed = (allocation.disclosures ?? []).map((spend) =>
      this.#parts.record('privacy.spend', this.#sources.router, causes, spend),
    );
    if (allocation.legs.length === 0) return;
    const planRef = this.#recordPlanDelta(
      decision.parentId,
      decision.instrument,
      decision.side,
      allocation.legs.map((leg) => ({
        venue: leg.venue,
        qtyDeltaLots: leg.qtyLots,
        limitPx: decision.limitPx,
      })),
      allocation.solver,
      [...causes, ...disclosed],
    );
    for (const leg of allocation.legs) {
      this.#sendChild(decision, leg.venue, leg.qtyLots, planRef, nowMonoNs);
    }
  }

  /** Asks for an order to be cancelled, once: a done order or one already asked is left alone. */
  cancel(decision: CancelDecision, causes: readonly EventRef[]): void {
    const order = this.#parts.orders.get(decision.orderId);
    if (order === undefined || isDone(order) || order.cancelRequested) return;
    order.cancelRequested = true;
    const ref = this.#parts.record(
      'order.cancel',
      this.#omsSource(order.venue),
      [order.ref, ...causes],
      {
        order_id: order.orderId,
        venue: order.venue,
        reason: decision.reason,
      },
    );
    this.#parts.counts.cancelsSent++;
    this.#parts.send({
      kind: 'cancel-order',
      venue: order.venue,
      orderId: order.orderId,
      instrument: order.instrument,
      side: order.side,
      ref,
    });
  }

  /** Applies `transition` to an order; one leaving with lots unfilled gives them back to its plan. */
  release(order: ManagedOrder | undefined, transition: () => void, cause: EventRef): void {
    const open = order !== undefined && !isDone(order) ? order.leavesLots : 0;
    transition();
    if (order?.parentId !== undefined && open > 0 && isDone(order)) {
      this.#recordPlanDelta(
        order.parentId,
        order.instrument,
        order.side,
        [{ venue: order.venue, qtyDeltaLots: -open }],
        undefined,
        [cause],
      );
    }
  }

  #sendChild(
    decision: ExecuteDecision,
    venue: string,
    qtyLots: number,
    planRef: EventRef,
    nowMonoNs: bigint,
  ): void {
    const { market, orders, risk, counts } = this.#parts;
    const orderId = `${this.#parts.orderIdPrefix}${this.#nextOrder++}`;
    const nbbo = market.nbbo(decision.instrument);
    const opposite = decision.side === 'buy' ? nbbo.ask?.askPx : nbbo.bid?.bidPx;
    const same = decision.side === 'buy' ? nbbo.bid?.bidPx : nbbo.ask?.askPx;
    const verdict = risk.check(
      { side: decision.side, qtyLots, limitPx: decision.limitPx },
      {
        positionLots: orders.position(decision.instrument),
        workingSameSideLots: orders.workingLots(decision.instrument, decision.side),
        referencePx: opposite ?? same,
        nowMonoNs,
      },
    );
    const riskRef = this.#parts.record('risk.check', this.#sources.risk, [planRef], {
      subject: orderId,
      outcome: verdict.outcome,
      rules: verdict.rules.map((r) => ({
        rule: r.rule,
        passed: r.passed,
        limit: r.limit,
        observed: r.observed,
      })),
    });
    counts.riskChecks++;
    if (verdict.outcome === 'fail') {
      counts.riskFailures++;
      this.#lastRiskFailureMonoNs = nowMonoNs;
      this.#recordPlanDelta(
        decision.parentId,
        decision.instrument,
        decision.side,
        [{ venue, qtyDeltaLots: -qtyLots }],
        undefined,
        [riskRef],
      );
      return;
    }
    const orderRef = this.#parts.record('order.new', this.#omsSource(venue), [planRef, riskRef], {
      order_id: orderId,
      venue,
      instrument: decision.instrument,
      side: decision.side,
      qty_lots: qtyLots,
      order_type: 'limit',
      limit_px: decision.limitPx,
      tif: decision.tif,
      parent_id: decision.parentId,
    });
    orders.add({
      orderId,
      venue,
      instrument: decision.instrument,
      side: decision.side,
      qtyLots,
      limitPx: decision.limitPx,
      parentId: decision.parentId,
      ref: orderRef,
      sentMonoNs: nowMonoNs,
    });
    risk.noteSent(nowMonoNs);
    counts.ordersSent++;
    this.#parts.send({
      kind: 'new-order',
      venue,
      orderId,
      instrument: decision.instrument,
      side: decision.side,
      qtyLots,
      orderType: 'limit',
      limitPx: decision.limitPx,
      tif: decision.tif,
      ref: orderRef,
    });
  }

  #recordPlanDelta(
    planId: string,
    instrument: string,
    side: Side,
    changes: readonly PlanChange[],
    solver: SolverReport | undefined,
    causes: readonly EventRef[],
  ): EventRef {
    const { baseVersion, version } = this.#parts.plans.apply(planId, changes);
    this.#parts.counts.planDeltas++;
    return this.#parts.record('plan.delta', this.#sources.router, causes, {
      plan_id: planId,
      base_version: baseVersion,
      version,
      instrument,
      side,
      changes: changes.map((c) => ({
        venue: c.venue,
        qty_delta_lots: c.qtyDeltaLots,
        ...(c.limitPx === undefined ? {} : { limit_px: c.limitPx }),
      })),
      ...(solver === undefined
        ? {}
        : {
            solver: {
              algorithm: solver.algorithm,
              iterations: solver.iterations,
              primal_residual: numberToDecimal(solver.primalResidual),
              dual_residual: numberToDecimal(solver.dualResidual),
              objective: numberToDecimal(solver.objective),
            },
          }),
    });
  }

  /** The order manager's source at a venue (a venue the run was not set up with gets its own). */
  #omsSource(venue: string): Source {
    return this.#sources.oms.get(venue) ?? { node: this.#parts.node, adapter: 'oms', venue };
  }
}
