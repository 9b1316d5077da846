/**
 * State snapshots: taken every N inputs as `state.snapshot` events that pass the event registry,
 * holding the whole pipeline state — a pipeline resumed from one is in exactly that state — and
 * refused where the strategy, router or random source cannot be snapshotted.
 */
import { describe, expect, it } from 'vitest';

import { createCoreRegistry, type Rng, SeededRng, VirtualScheduler } from '../../src/core/index.js';
import {
  AdmmRouter,
  InMemoryCapture,
  parseStateSnapshot,
  Pipeline,
  type PipelineEnvironment,
  type PipelineState,
  registerPipelineEventTypes,
  type Strategy,
  VwapStrategy,
} from '../../src/pipeline/index.js';
import { expectErrorCode } from '../helpers/errors.js';
import { runSimulation, vwapParams, WALL_ORIGIN_NS } from './simulation.js';

const registry = registerPipelineEventTypes(createCoreRegistry());
const privacy = { epsilonPerShare: '0.5', epsilonTotal: '3', sensitivityLots: '1' };

function env(rng: Rng = new SeededRng(7)): PipelineEnvironment {
  const scheduler = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
  return {
    clock: scheduler.clock,
    rng,
    capture: new InMemoryCapture('resumed'),
    send: () => undefined,
    setTimer: () => undefined,
  };
}

const config = (every?: number) => ({
  node: 'sim-node',
  seed: 7n,
  clock: 'simulated' as const,
  venues: ['XSIM-A', 'XSIM-B'].map((id) => ({
    id,
    makerFeeCentiTicksPerLot: 10,
    takerFeeCentiTicksPerLot: 30,
  })),
  instruments: ['ACME'],
  risk: {
    maxOrderLots: 500,
    maxPositionLots: 10_000,
    priceCollarTicks: 20,
    maxOrdersPerSecond: 200,
  },
  orderIdPrefix: 'C',
  ...(every === undefined ? {} : { snapshotEveryInputs: every }),
});

describe('state snapshots', () => {
  const run = runSimulation({
    snapshotEveryInputs: 250,
    router: () => new AdmmRouter({ privacy }),
  });
  const bodies = run.capture.bodies;
  const snapshots = bodies.filter((b) => b.type === 'state.snapshot');

  it('are recorded every N inputs, after the input, and pass the registry', () => {
    expect(snapshots.length).toBe(Math.floor(run.pipeline.stats.inputs / 250));
    const runStart = bodies[0]!.payload as { snapshot_every_inputs?: number };
    expect(runStart.snapshot_every_inputs).toBe(250);
    for (const [i, body] of snapshots.entries()) {
      expect(registry.parsePayload(body.type, body.type_v, body.payload)).toEqual(body.payload);
      const snapshot = parseStateSnapshot(body.payload);
      expect(snapshot.inputs).toBe(250 * (i + 1));
      const cause = run.capture.ids.indexOf(body.causes[0]!);
      expect(bodies[cause]!.type).not.toBe('state.snapshot');
    }
    // The run did trade and share under its budgets between snapshots.
    const last = parseStateSnapshot(snapshots.at(-1)!.payload).state;
    expect(last.orders.orders.length).toBeGreaterThan(3);
    expect((last.router as { accountant: unknown[] }).accountant).toHaveLength(2);
  });

  it('hold the whole state: a pipeline resumed from one snapshots back to the same', () => {
    for (const body of snapshots) {
      const { state } = parseStateSnapshot(body.payload);
      const resumed = Pipeline.resume(
        config(250),
        new VwapStrategy(vwapParams()),
        new AdmmRouter({ privacy }),
        env(),
        state,
      );
      expect(resumed.snapshot()).toEqual(state);
    }
  });

  it('resume the random streams where they were', () => {
    const { state } = parseStateSnapshot(snapshots[0]!.payload);
    const rng = new SeededRng(99);
    Pipeline.resume(config(), new VwapStrategy(vwapParams()), new AdmmRouter(), env(rng), state);
    const again = new SeededRng(1);
    again.restore(state.rng);
    expect(rng.next()).toBe(again.next());
  });

  it('need a strategy, a router and a random source that can be snapshotted', () => {
    const stateless: Strategy = {
      name: 'plain',
      version: '1',
      params: {},
      onStart: () => [],
      onEvent: () => [],
    };
    const unseeded: Rng = { next: () => 0.5, fill: (b) => b };
    expectErrorCode(
      () => new Pipeline(config(10), stateless, new AdmmRouter(), env()),
      'PIPELINE_INVALID_CONFIG',
    );
    expectErrorCode(
      () =>
        new Pipeline(config(10), new VwapStrategy(vwapParams()), new AdmmRouter(), env(unseeded)),
      'PIPELINE_INVALID_CONFIG',
    );
    const { state } = parseStateSnapshot(snapshots[0]!.payload);
    expectErrorCode(
      () => Pipeline.resume(config(), stateless, new AdmmRouter(), env(), state),
      'PIPELINE_INVALID_CONFIG',
    );
  });

  it('refuse a damaged snapshot with REPLAY_SNAPSHOT_INVALID', () => {
    const payload = snapshots[0]!.payload as { state: PipelineState };
    expectErrorCode(
      () => parseStateSnapshot({ ...payload, state: { ...payload.state, next_order: 0 } }),
      'REPLAY_SNAPSHOT_INVALID',
    );
    expectErrorCode(
      () =>
        Pipeline.resume(config(), new VwapStrategy(vwapParams()), new AdmmRouter(), env(), {
          ...payload.state,
          router: { plans: 'none' },
        }),
      'REPLAY_SNAPSHOT_INVALID',
    );
  });
});
