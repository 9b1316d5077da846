/**
 * @module
 * The capture pipeline: every input is recorded, folded into the market and order state, and
 * handed to the strategy; its decisions become signals, PlanDeltas from the router, risk checks
 * and orders, each recorded with the events it derives from as causes
 * (md.tick → signal → plan.delta → risk.check → order.new → order.ack / fill). Pure: the clock,
 * random source, capture sink, order sending and timers come in through the environment.
 */
import { type Clock, InputError, type Rng, SeededRng, type Source } from '../core/index.js';
import type { CaptureSink, EventRef } from './capture.js';
import { HybridStamper } from './capture.js';
import { DecisionFlow } from './decision-flow.js';
import { inputEvent, InputSources } from './input-events.js';
import type { OutboundCommand, PipelineInput, RecordedInput } from './inputs.js';
import { MarketState } from './market-state.js';
import { OrderManager } from './order-manager.js';
import {
  checkedVenues,
  type PipelineConfig,
  type PipelineVenue,
  runStartPayload,
} from './pipeline-config.js';
import {
  applyInput,
  type InputFolds,
  type PipelineParts,
  type PipelineStats,
  restorePipeline,
  snapshotPipeline,
} from './pipeline-parts.js';
import {
  PIPELINE_STATE_FORMAT,
  type PipelineState,
  type StateSnapshotPayload,
} from './pipeline-state.js';
import { PlanBook } from './plan-book.js';
import { RiskEngine } from './risk.js';
import type { RouteContext, Router } from './router.js';
import type { Strategy, StrategyContext } from './strategy.js';
import { recordedTick } from './tick-events.js';

export type { PipelineConfig, PipelineVenue } from './pipeline-config.js';
export type { PipelineStats } from './pipeline-parts.js';

export interface PipelineEnvironment {
  /** Stamps captured events: the real clock live, the virtual one in simulation. */
  readonly clock: Clock;
  readonly rng: Rng;
  readonly capture: CaptureSink;
  send(command: OutboundCommand): void;
  /** Deliver a `timer` input named `name` after `delayNs`. Replay feeds recorded firings instead. */
  setTimer(name: string, delayNs: bigint): void;
}

/**
 * XORed into the run's seed for the router's stream, so that the noise the router draws (privacy
 * shares) and the strategy's draws never shift each other.
 */
const ROUTER_STREAM = 0x726f75746572n;

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
  readonly #flow: DecisionFlow;
  readonly #folds: InputFolds;
  readonly #stamper: HybridStamper;
  readonly #timerFirings = new Map<string, number>();
  #startMonoNs = 0n;
  /** Capture time of the input being handled (of run.start before any). */
  #nowMonoNs = 0n;
  readonly #sources: InputSources;
  #started = false;
  #halted = false;
  #stopped = false;

  /** @throws PIPELINE_INVALID_CONFIG for a configuration {@link checkedVenues} refuses */
  constructor(
    config: PipelineConfig,
    strategy: Strategy,
    router: Router,
    env: PipelineEnvironment,
  ) {
    this.#venues = checkedVenues(config, strategy, router, env.rng);
    this.config = config;
    this.#sources = new InputSources(config.node);
    this.#strategy = strategy;
    this.#router = router;
    this.#routeContext = { rng: new SeededRng(config.seed ^ ROUTER_STREAM) };
    this.#env = env;
    this.#risk = new RiskEngine(config.risk);
    this.#stamper = new HybridStamper();
    this.#flow = new DecisionFlow({
      node: config.node,
      orderIdPrefix: config.orderIdPrefix,
      venues: this.#venues,
      market: this.market,
      orders: this.orders,
      plans: this.plans,
      risk: this.#risk,
      router,
      routeContext: this.#routeContext,
      counts: this.stats,
      record: (type, source, causes, payload) => this.#record(type, source, causes, payload),
      send: (command) => env.send(command),
      setTimer: (name, delayNs) => env.setTimer(name, delayNs),
    });
    this.#folds = { market: this.market, orders: this.orders, flow: this.#flow };
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
    const runStart = runStartPayload(this.config, this.#venues, strategy, this.#router);
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
    this.#flow.decide(strategy.onStart(this.#context(monoNs, wallNs)), ref, monoNs);
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
    applyInput(this.#folds, input, ref, monoNs);
    if (this.#halted) return ref;
    // The handle and stamps first: V8 (Node 20) copies `{ ...input }` fast, but each member added
    // after a spread then costs a new hidden class, ≈ 1 µs an input here (no input has these).
    // A plain quote, most inputs, is written out in one literal (./tick-events.ts).
    const recorded =
      input.kind === 'tick'
        ? recordedTick(input, ref, monoNs, wallNs)
        : ({ ref, monoNs, wallNs, ...input } as RecordedInput);
    this.#flow.decide(this.#strategy.onEvent(recorded, this.#context(monoNs, wallNs)), ref, monoNs);
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
    return snapshotPipeline(
      this.#parts(rng),
      { nowMonoNs: this.#nowMonoNs, startMonoNs: this.#startMonoNs, halted: this.#halted },
      strategy,
      router,
    );
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
    const times = restorePipeline(this.#parts(rng), state);
    this.#nowMonoNs = times.nowMonoNs;
    this.#startMonoNs = times.startMonoNs;
  }

  #parts(rng: SeededRng): PipelineParts {
    return {
      flow: this.#flow,
      timerFirings: this.#timerFirings,
      stats: this.stats,
      stamper: this.#stamper,
      rng,
      routerRng: this.#routeContext.rng as SeededRng,
      market: this.market,
      orders: this.orders,
      plans: this.plans,
      risk: this.#risk,
    };
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
      this.#flow.cancel({ kind: 'cancel', orderId: order.orderId, reason: 'halt', basis: [] }, [
        ref,
      ]);
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
      lastRiskFailureMonoNs: this.#flow.lastRiskFailureMonoNs,
      lastSignal: this.#flow.lastSignal,
    };
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
