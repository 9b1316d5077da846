/**
 * @module
 * The capture pipeline: every input is recorded, folded into the market and order state, and
 * handed to the strategy; its decisions become signals, PlanDeltas from the router, risk checks
 * and orders, each recorded with the events it derives from as causes
 * (md.tick → signal → plan.delta → risk.check → order.new → order.ack / fill). Pure: the clock,
 * random source, capture sink, order sending and timers come in through the environment.
 */
import {
  type Clock,
  InputError,
  numberToDecimal,
  type Rng,
  SeededRng,
  type Side,
  type Source,
} from '../core/index.js';
import type { CaptureSink, EventRef } from './capture.js';
import { HybridStamper } from './capture.js';
import { inputEvent, InputSources } from './input-events.js';
import type { OutboundCommand, PipelineInput, RecordedInput } from './inputs.js';
import { MarketState } from './market-state.js';
import { isDone, type ManagedOrder, OrderManager } from './order-manager.js';
import {
  PIPELINE_STATE_FORMAT,
  type PipelineState,
  sortedEntries,
  type StateSnapshotPayload,
} from './pipeline-state.js';
import { PlanBook, type PlanChange } from './plan-book.js';
import { RiskEngine, type RiskLimits } from './risk.js';
import type { RouteContext, Router } from './router.js';
import type {
  CancelDecision,
  Decision,
  ExecuteDecision,
  Strategy,
  StrategyContext,
} from './strategy.js';

export interface PipelineVenue {
  readonly id: string;
  /** Fees in hundredths of a tick per lot (negative: a rebate), as the venue charges them. */
  readonly makerFeeCentiTicksPerLot: number;
  readonly takerFeeCentiTicksPerLot: number;
}

export interface PipelineConfig {
  readonly node: string;
  readonly seed: bigint;
  readonly clock: 'system' | 'simulated';
  readonly venues: readonly PipelineVenue[];
  readonly instruments: readonly string[];
  readonly risk: RiskLimits;
  /** Prefix of the client order ids this run assigns (`<prefix><n>`). */
  readonly orderIdPrefix: string;
  /**
   * Record a `state.snapshot` after every this many inputs (0 or absent: never). Needs a seeded
   * random source and a strategy and router that can snapshot themselves.
   */
  readonly snapshotEveryInputs?: number;
}

export interface PipelineEnvironment {
  /** Stamps captured events: the real clock live, the virtual one in simulation. */
  readonly clock: Clock;
  readonly rng: Rng;
  readonly capture: CaptureSink;
  send(command: OutboundCommand): void;
  /** Deliver a `timer` input named `name` after `delayNs`. Replay feeds recorded firings instead. */
  setTimer(name: string, delayNs: bigint): void;
}

export interface PipelineStats {
  inputs: number;
  signals: number;
  planDeltas: number;
  riskChecks: number;
  riskFailures: number;
  ordersSent: number;
  cancelsSent: number;
}

/**
 * XORed into the run's seed for the router's stream, so that the noise the router draws (privacy
 * shares) and the strategy's draws never shift each other.
 */
const ROUTER_STREAM = 0x726f75746572n;

function bySortedId<T extends { readonly id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export class Pipeline {
  readonly config: PipelineConfig;
  readonly market = new MarketState();
  readonly orders = new OrderManager();
  readonly plans = new PlanBook();
  readonly stats: PipelineStats = {
    inputs: 0,
    signals: 0,
    planDeltas: 0,
    riskChecks: 0,
    riskFailures: 0,
    ordersSent: 0,
    cancelsSent: 0,
  };
  readonly #strategy: Strategy;
  readonly #router: Router;
  readonly #routeContext: RouteContext;
  readonly #env: PipelineEnvironment;
  readonly #risk: RiskEngine;
  readonly #venues: readonly PipelineVenue[];
  readonly #stamper: HybridStamper;
  readonly #timerFirings = new Map<string, number>();
  #startMonoNs = 0n;
  /** Capture time of the input being handled (of run.start before any). */
  #nowMonoNs = 0n;
  #lastRiskFailureMonoNs: bigint | undefined;
  readonly #lastSignals = new Map<string, EventRef>();
  readonly #lastSignal = (name: string): EventRef | undefined => this.#lastSignals.get(name);
  readonly #sources: InputSources;
  #nextOrder = 1;
  #started = false;
  #halted = false;
  #stopped = false;

  /** @throws PIPELINE_INVALID_CONFIG for no venues or instruments, or a duplicate venue. */
  constructor(
    config: PipelineConfig,
    strategy: Strategy,
    router: Router,
    env: PipelineEnvironment,
  ) {
    if (config.venues.length === 0 || config.instruments.length === 0) {
      throw new InputError('PIPELINE_INVALID_CONFIG', 'a pipeline needs venues and instruments');
    }
    this.#venues = bySortedId(config.venues);
    if (new Set(this.#venues.map((v) => v.id)).size !== this.#venues.length) {
      throw new InputError('PIPELINE_INVALID_CONFIG', 'venue ids must be unique');
    }
    const every = config.snapshotEveryInputs ?? 0;
    if (!Number.isSafeInteger(every) || every < 0) {
      throw new InputError('PIPELINE_INVALID_CONFIG', 'snapshotEveryInputs is a whole number');
    }
    if (
      every > 0 &&
      (!(env.rng instanceof SeededRng) ||
        strategy.snapshot === undefined ||
        router.snapshot === undefined)
    ) {
      throw new InputError(
        'PIPELINE_INVALID_CONFIG',
        'state snapshots need a seeded random source and a strategy and router that snapshot',
        { details: { strategy: strategy.name, router: router.name } },
      );
    }
    this.config = config;
    this.#sources = new InputSources(config.node);
    this.#strategy = strategy;
    this.#router = router;
    this.#routeContext = { rng: new SeededRng(config.seed ^ ROUTER_STREAM) };
    this.#env = env;
    this.#risk = new RiskEngine(config.risk);
    this.#stamper = new HybridStamper();
  }

  /** Records run.start (the configuration a replay must match) and starts the strategy. */
  start(): EventRef {
    if (this.#started)
      throw new InputError('PIPELINE_INVALID_CONFIG', 'the pipeline already started');
    this.#started = true;
    const { strategy } = this;
    // The clock is read only to stamp records; the run's logic runs on the stamps, so a replay
    // that gives back the recorded stamps makes the same decisions.
    const wallNs = this.#env.clock.wallNs();
    const monoNs = this.#env.clock.monoNs();
    const runStart = {
      strategy: strategy.name,
      strategy_version: strategy.version,
      params: { ...strategy.params },
      seed: this.config.seed.toString(),
      clock: this.config.clock,
      venues: this.#venues.map((v) => ({
        id: v.id,
        maker_fee_centiticks_per_lot: v.makerFeeCentiTicksPerLot,
        taker_fee_centiticks_per_lot: v.takerFeeCentiTicksPerLot,
      })),
      instruments: [...this.config.instruments].sort(),
      risk_limits: {
        max_order_lots: String(this.config.risk.maxOrderLots),
        max_orders_per_second: String(this.config.risk.maxOrdersPerSecond),
        max_position_lots: String(this.config.risk.maxPositionLots),
        price_collar_ticks: String(this.config.risk.priceCollarTicks),
      },
      order_id_prefix: this.config.orderIdPrefix,
      router: { name: this.#router.name, params: { ...this.#router.params } },
      ...((this.config.snapshotEveryInputs ?? 0) > 0
        ? { snapshot_every_inputs: this.config.snapshotEveryInputs }
        : {}),
    };
    const source = { node: this.config.node, adapter: 'pipeline' };
    const ref = this.#recordAt('run.start', source, [], runStart, wallNs, monoNs);
    const budgets = this.#router.budgets?.(
      this.#venues.map((v) => v.id),
      this.#routeContext,
    );
    for (const budget of budgets ?? []) {
      this.#recordAt(
        'privacy.budget',
        { node: this.config.node, adapter: 'router' },
        [ref],
        budget,
        wallNs,
        monoNs,
      );
    }
    this.#startMonoNs = monoNs;
    this.#nowMonoNs = monoNs;
    this.#decide(strategy.onStart(this.#context(monoNs, wallNs)), ref);
    return ref;
  }

  get strategy(): Strategy {
    return this.#strategy;
  }

  /** Records one input, updates state, and acts on the strategy's decisions. */
  onInput(input: PipelineInput): EventRef {
    if (!this.#started || this.#stopped) {
      throw new InputError('PIPELINE_INVALID_CONFIG', 'the pipeline is not running');
    }
    const wallNs = this.#env.clock.wallNs();
    const monoNs = this.#env.clock.monoNs();
    const order = 'orderId' in input ? this.orders.get(input.orderId) : undefined;
    const firing = input.kind === 'timer' ? (this.#timerFirings.get(input.name) ?? 0) + 1 : 0;
    if (input.kind === 'timer') this.#timerFirings.set(input.name, firing);
    this.#nowMonoNs = monoNs;
    const event = inputEvent(input, this.#sources, order?.ref, firing);
    const ref = this.#recordAt(
      event.type,
      event.source,
      event.causes,
      event.payload,
      wallNs,
      monoNs,
    );
    this.stats.inputs++;
    this.#apply(input, ref, monoNs);
    if (this.#halted) return ref;
    // The handle and stamps first: V8 (Node 20) copies `{ ...input }` fast, but each member added
    // after a spread then costs a new hidden class, ≈ 1 µs an input here (no input has these).
    const recorded = { ref, monoNs, wallNs, ...input } as RecordedInput;
    this.#decide(this.#strategy.onEvent(recorded, this.#context(monoNs, wallNs)), ref);
    const every = this.config.snapshotEveryInputs ?? 0;
    if (every > 0 && this.stats.inputs % every === 0) this.#recordSnapshot(ref);
    return ref;
  }

  /**
   * Everything a run resumed from here needs (see pipeline-state.ts).
   * @throws PIPELINE_INVALID_CONFIG when the random source, strategy or router cannot snapshot.
   */
  snapshot(): PipelineState {
    const rng = this.#env.rng;
    const strategy = this.#strategy.snapshot?.();
    const router = this.#router.snapshot?.();
    if (!(rng instanceof SeededRng) || strategy === undefined || router === undefined) {
      throw new InputError('PIPELINE_INVALID_CONFIG', 'this pipeline cannot be snapshotted');
    }
    return {
      now_mono_ns: this.#nowMonoNs.toString(),
      start_mono_ns: this.#startMonoNs.toString(),
      next_order: this.#nextOrder,
      halted: this.#halted,
      last_risk_failure_mono_ns: this.#lastRiskFailureMonoNs?.toString() ?? null,
      timer_firings: sortedEntries(this.#timerFirings),
      last_signals: sortedEntries(this.#lastSignals),
      stats: {
        inputs: this.stats.inputs,
        signals: this.stats.signals,
        plan_deltas: this.stats.planDeltas,
        risk_checks: this.stats.riskChecks,
        risk_failures: this.stats.riskFailures,
        orders_sent: this.stats.ordersSent,
        cancels_sent: this.stats.cancelsSent,
      },
      stamper: this.#stamper.snapshot(),
      rng: rng.state(),
      router_rng: (this.#routeContext.rng as SeededRng).state(),
      market: this.market.snapshot(),
      orders: this.orders.snapshot(),
      plans: this.plans.snapshot(),
      risk_sent_mono_ns: this.#risk.snapshot(),
      strategy,
      router,
    };
  }

  /**
   * A pipeline in the state a snapshot describes, as if it had handled every input up to it: it
   * does not record run.start again, and its capture sink must go on from the handles the run
   * had reached.
   * @throws PIPELINE_INVALID_CONFIG as the constructor, or when the environment's random source
   *   is not seeded or the strategy or router cannot restore; REPLAY_SNAPSHOT_INVALID for a
   *   router state it did not write.
   */
  static resume(
    config: PipelineConfig,
    strategy: Strategy,
    router: Router,
    env: PipelineEnvironment,
    state: PipelineState,
  ): Pipeline {
    const pipeline = new Pipeline(config, strategy, router, env);
    const restoreStrategy = strategy.restore?.bind(strategy);
    const restoreRouter = router.restore?.bind(router);
    if (
      !(env.rng instanceof SeededRng) ||
      restoreStrategy === undefined ||
      restoreRouter === undefined
    ) {
      throw new InputError(
        'PIPELINE_INVALID_CONFIG',
        'resuming needs a seeded random source and a strategy and router that restore',
        { details: { strategy: strategy.name, router: router.name } },
      );
    }
    pipeline.#restore(state, env.rng);
    restoreStrategy(state.strategy);
    restoreRouter(state.router, pipeline.#routeContext);
    return pipeline;
  }

  #restore(state: PipelineState, rng: SeededRng): void {
    this.#started = true;
    this.#nowMonoNs = BigInt(state.now_mono_ns);
    this.#startMonoNs = BigInt(state.start_mono_ns);
    this.#nextOrder = state.next_order;
    this.#halted = state.halted;
    this.#lastRiskFailureMonoNs =
      state.last_risk_failure_mono_ns === null
        ? undefined
        : BigInt(state.last_risk_failure_mono_ns);
    this.#timerFirings.clear();
    for (const [name, n] of state.timer_firings) this.#timerFirings.set(name, n);
    this.#lastSignals.clear();
    for (const [name, ref] of state.last_signals) this.#lastSignals.set(name, ref);
    this.stats.inputs = state.stats.inputs;
    this.stats.signals = state.stats.signals;
    this.stats.planDeltas = state.stats.plan_deltas;
    this.stats.riskChecks = state.stats.risk_checks;
    this.stats.riskFailures = state.stats.risk_failures;
    this.stats.ordersSent = state.stats.orders_sent;
    this.stats.cancelsSent = state.stats.cancels_sent;
    this.#stamper.restore(state.stamper);
    rng.restore(state.rng);
    (this.#routeContext.rng as SeededRng).restore(state.router_rng);
    this.market.restore(state.market);
    this.orders.restore(state.orders);
    this.plans.restore(state.plans);
    this.#risk.restore(state.risk_sent_mono_ns);
  }

  #recordSnapshot(after: EventRef): void {
    const wallNs = this.#env.clock.wallNs();
    const monoNs = this.#env.clock.monoNs();
    // Stamped before the state is taken: the state a run resumes from includes the snapshot's
    // own stamp, so the next event gets the counter it got in the recorded run.
    const hlcCounter = this.#stamper.next(wallNs);
    const payload: StateSnapshotPayload = {
      format: PIPELINE_STATE_FORMAT,
      inputs: this.stats.inputs,
      state: this.snapshot(),
    };
    this.#env.capture.record({
      type: 'state.snapshot',
      wallNs,
      monoNs,
      hlcCounter,
      source: { node: this.config.node, adapter: 'pipeline' },
      causes: [after],
      payload,
    });
  }

  /**
   * Stops trading: records a `governance.trigger` (halt), cancels every working order, and from
   * then on records and applies inputs without asking the strategy. A replay sees the trigger in
   * the log and halts at the same point.
   */
  halt(detail: string): EventRef {
    const ref = this.#record(
      'governance.trigger',
      { node: this.config.node, adapter: 'pipeline' },
      [],
      {
        trigger: 'halt',
        severity: 'info',
        detail,
      },
    );
    this.#halted = true;
    for (const order of this.orders.working()) {
      this.#cancel({ kind: 'cancel', orderId: order.orderId, reason: 'halt', basis: [] }, [ref]);
    }
    return ref;
  }

  get halted(): boolean {
    return this.#halted;
  }

  /** Records run.end; later inputs are refused. */
  stop(reason: 'completed' | 'stopped' | 'failed', detail?: string): EventRef {
    this.#stopped = true;
    return this.#record('run.end', { node: this.config.node, adapter: 'pipeline' }, [], {
      reason,
      inputs: this.stats.inputs,
      decisions:
        this.stats.signals + this.stats.planDeltas + this.stats.ordersSent + this.stats.cancelsSent,
      ...(detail === undefined ? {} : { detail }),
    });
  }

  #context(nowMonoNs: bigint, nowWallNs: bigint): StrategyContext {
    return {
      nowMonoNs,
      nowWallNs,
      startMonoNs: this.#startMonoNs,
      rng: this.#env.rng,
      market: this.market,
      orders: this.orders,
      params: this.#strategy.params,
      lastRiskFailureMonoNs: this.#lastRiskFailureMonoNs,
      lastSignal: this.#lastSignal,
    };
  }

  #apply(input: PipelineInput, ref: EventRef, monoNs: bigint): void {
    switch (input.kind) {
      case 'tick':
        this.market.apply(input, ref, monoNs);
        return;
      case 'ack':
        this.orders.onAck(input.orderId, input.venue, input.venueOrderId);
        return;
      case 'fill':
        this.orders.onFill(input, ref);
        return;
      case 'reject':
        this.#release(
          this.orders.get(input.orderId),
          () => this.orders.onReject(input, monoNs),
          ref,
        );
        return;
      case 'cancelled':
        this.#release(this.orders.get(input.orderId), () => this.orders.onCancelled(input), ref);
        return;
      case 'timer':
      case 'feed-status':
      case 'session-status':
        return;
      default: {
        const unreachable: never = input;
        throw new InputError('PIPELINE_INVALID_CONFIG', `unknown input ${String(unreachable)}`);
      }
    }
  }

  /** An order leaving with lots unfilled gives them back to its plan. */
  #release(order: ManagedOrder | undefined, transition: () => void, cause: EventRef): void {
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

  #decide(decisions: readonly Decision[], trigger: EventRef): void {
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
          const ref = this.#record(
            'signal',
            { node: this.config.node, adapter: 'strategy' },
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
          this.stats.signals++;
          break;
        }
        case 'execute':
          this.#execute(decision, basisOf(decision.basis));
          break;
        case 'cancel':
          this.#cancel(decision, basisOf(decision.basis));
          break;
        case 'timer':
          this.#env.setTimer(decision.name, decision.delayNs);
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

  #execute(decision: ExecuteDecision, causes: readonly EventRef[]): void {
    if (decision.qtyLots <= 0) return;
    const crossing = (px: number | undefined): boolean =>
      px !== undefined &&
      (decision.side === 'buy' ? decision.limitPx >= px : decision.limitPx <= px);
    const venues = this.#venues.map((venue) => {
      const quote = this.market.quote(venue.id, decision.instrument);
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
    const allocation = this.#router.route(
      {
        planId: decision.parentId,
        instrument: decision.instrument,
        side: decision.side,
        qtyLots: decision.qtyLots,
        limitPx: decision.limitPx,
        venues,
      },
      this.#routeContext,
    );
    // What the router learned under a privacy budget is recorded before the plan built on it.
    const disclosed = (allocation.disclosures ?? []).map((spend) =>
      this.#record('privacy.spend', { node: this.config.node, adapter: 'router' }, causes, spend),
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
    for (const leg of allocation.legs) this.#sendChild(decision, leg.venue, leg.qtyLots, planRef);
  }

  #sendChild(decision: ExecuteDecision, venue: string, qtyLots: number, planRef: EventRef): void {
    const orderId = `${this.config.orderIdPrefix}${this.#nextOrder++}`;
    // The decision's time is its input's capture time, not a fresh clock read (see start()).
    const nowMonoNs = this.#nowMonoNs;
    const nbbo = this.market.nbbo(decision.instrument);
    const opposite = decision.side === 'buy' ? nbbo.ask?.askPx : nbbo.bid?.bidPx;
    const same = decision.side === 'buy' ? nbbo.bid?.bidPx : nbbo.ask?.askPx;
    const verdict = this.#risk.check(
      { side: decision.side, qtyLots, limitPx: decision.limitPx },
      {
        positionLots: this.orders.position(decision.instrument),
        workingSameSideLots: this.orders.workingLots(decision.instrument, decision.side),
        referencePx: opposite ?? same,
        nowMonoNs,
      },
    );
    const riskRef = this.#record(
      'risk.check',
      { node: this.config.node, adapter: 'risk' },
      [planRef],
      {
        subject: orderId,
        outcome: verdict.outcome,
        rules: verdict.rules.map((r) => ({
          rule: r.rule,
          passed: r.passed,
          limit: r.limit,
          observed: r.observed,
        })),
      },
    );
    this.stats.riskChecks++;
    if (verdict.outcome === 'fail') {
      this.stats.riskFailures++;
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
    const orderRef = this.#record(
      'order.new',
      { node: this.config.node, adapter: 'oms', venue },
      [planRef, riskRef],
      {
        order_id: orderId,
        venue,
        instrument: decision.instrument,
        side: decision.side,
        qty_lots: qtyLots,
        order_type: 'limit',
        limit_px: decision.limitPx,
        tif: decision.tif,
        parent_id: decision.parentId,
      },
    );
    this.orders.add({
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
    this.#risk.noteSent(nowMonoNs);
    this.stats.ordersSent++;
    this.#env.send({
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

  #cancel(decision: CancelDecision, causes: readonly EventRef[]): void {
    const order = this.orders.get(decision.orderId);
    if (order === undefined || isDone(order) || order.cancelRequested) return;
    order.cancelRequested = true;
    const ref = this.#record(
      'order.cancel',
      { node: this.config.node, adapter: 'oms', venue: order.venue },
      [order.ref, ...causes],
      {
        order_id: order.orderId,
        venue: order.venue,
        reason: decision.reason,
      },
    );
    this.stats.cancelsSent++;
    this.#env.send({
      kind: 'cancel-order',
      venue: order.venue,
      orderId: order.orderId,
      instrument: order.instrument,
      side: order.side,
      ref,
    });
  }

  #recordPlanDelta(
    planId: string,
    instrument: string,
    side: Side,
    changes: readonly PlanChange[],
    solver:
      | {
          algorithm: string;
          iterations: number;
          primalResidual: number;
          dualResidual: number;
          objective: number;
        }
      | undefined,
    causes: readonly EventRef[],
  ): EventRef {
    const { baseVersion, version } = this.plans.apply(planId, changes);
    this.stats.planDeltas++;
    return this.#record('plan.delta', { node: this.config.node, adapter: 'router' }, causes, {
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

  #record(
    type: string,
    source: Source,
    causes: readonly EventRef[],
    payload: Record<string, unknown>,
  ): EventRef {
    return this.#recordAt(
      type,
      source,
      causes,
      payload,
      this.#env.clock.wallNs(),
      this.#env.clock.monoNs(),
    );
  }

  #recordAt(
    type: string,
    source: Source,
    causes: readonly EventRef[],
    payload: Readonly<Record<string, unknown>>,
    wallNs: bigint,
    monoNs: bigint,
  ): EventRef {
    return this.#env.capture.record({
      type,
      wallNs,
      monoNs,
      hlcCounter: this.#stamper.next(wallNs),
      source,
      causes,
      payload,
    });
  }
}
