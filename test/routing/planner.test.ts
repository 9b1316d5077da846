import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  createCoreRegistry,
  type EventBody,
  type EventId,
  type EventStore,
  Ledger,
  type PlanDeltaPayload,
  toTsNs,
} from '../../src/core/index.js';
import {
  applyPlanDelta,
  arrivalTimes,
  diffPlan,
  measurePlanDelta,
  planAllocation,
  type PlanDelta,
  type PlanState,
  rebuildPlans,
  solveAllocationExact,
  toAllocationProblem,
  toPlanDeltaPayload,
} from '../../src/routing/index.js';
import { createStore } from '../../src/storage/index.js';
import { expectErrorCode } from '../helpers/errors.js';
import { randomLocalProblems, sharedFor } from './instances.js';

const PROBLEMS = randomLocalProblems(42, 50);
const CAPACITY = PROBLEMS.reduce((a, p) => a + p.capacity_lots, 0);
const META = { planId: 'P-7', instrument: 'ACME', side: 'buy' as const, causes: [] };

function targetsOf(plan: ReturnType<typeof planAllocation>) {
  return plan.venues.map((venue, i) => ({ venue, lots: plan.lots[i]! }));
}

describe('planAllocation', () => {
  it('allocates integer lots summing to total_lots, near the exact optimum', () => {
    const total = Math.floor(CAPACITY / 3);
    const plan = planAllocation({ problems: [...PROBLEMS].reverse(), shared: sharedFor(total) });
    expect(plan.venues).toEqual(PROBLEMS.map((p) => p.venue));
    expect(plan.lots.reduce((a, b) => a + b, 0)).toBe(total);
    const exact = solveAllocationExact(toAllocationProblem(PROBLEMS, sharedFor(total)));
    expect(Math.abs(plan.solver.objective - exact.objective) / exact.objective).toBeLessThan(1e-9);
    expect(plan.duals.multipliers[0]).toBeCloseTo(exact.multiplier, 6);
    expect(plan.duals.rho).toBeGreaterThan(0);
    expect(plan.shared.period_totals).toEqual([total]);
    expect(plan.solver).toMatchObject({ algorithm: 'admm-sharing', converged: true });
    expect(plan.history.primal).toHaveLength(plan.solver.iterations);
    expect(plan.lotsObjective).toBeGreaterThanOrEqual(plan.solver.objective - 1e-9);
  });

  it('re-plans after a fill from its warm start in few iterations, with a small PlanDelta', () => {
    const total = Math.floor(CAPACITY / 3);
    const first = planAllocation({ problems: PROBLEMS, shared: sharedFor(total) });
    const initial = diffPlan(undefined, targetsOf(first), META)!;
    const state = applyPlanDelta(undefined, initial);
    // A fill of 30 lots at the largest venue below its capacity (a venue at its capacity keeps
    // it, and nothing else moves): that much less to plan there and in total.
    const inside = first.lots.map((l, i) => (l < PROBLEMS[i]!.capacity_lots ? l : -1));
    const venue = first.venues[inside.indexOf(Math.max(...inside))]!;
    const filled = 30;
    const problems = PROBLEMS.map((p) =>
      p.venue === venue ? { ...p, capacity_lots: p.capacity_lots - filled } : p,
    );
    const quantities = new Map(first.warm.quantities);
    quantities.set(venue, quantities.get(venue)! - filled);
    const shared = sharedFor(total - filled, 1);
    const warm = planAllocation({ problems, shared, warm: { ...first.warm, quantities } });
    const cold = planAllocation({ problems, shared });
    expect(warm.solver.iterations).toBeLessThan(cold.solver.iterations);
    expect(warm.lots).toEqual(cold.lots);
    const afterFill = {
      ...state,
      venues: state.venues.map((v) => (v.venue === venue ? { ...v, lots: v.lots - filled } : v)),
    };
    const next = diffPlan(afterFill, targetsOf(warm), META)!;
    expect(next.changes.length).toBeLessThan(PROBLEMS.length);
    expect(next.changes.reduce((a, c) => a + Math.abs(c.qty_delta_lots), 0)).toBeLessThanOrEqual(
      2 * filled,
    );
    const size = measurePlanDelta(next);
    expect(size.changedVenues).toBe(next.changes.length);
    expect(size.canonicalBytes).toBeLessThan(measurePlanDelta(initial).canonicalBytes);
  });

  it('reports ROUTE_INFEASIBLE when the capacities are short of total_lots', () => {
    expectErrorCode(
      () => planAllocation({ problems: PROBLEMS, shared: sharedFor(CAPACITY + 1) }),
      'ROUTE_INFEASIBLE',
    );
  });

  it('reports ROUTE_INVALID_PROBLEM for another instrument, several periods or no venues', () => {
    expectErrorCode(
      () =>
        planAllocation({
          problems: [{ ...PROBLEMS[0]!, instrument: 'OTHER' }],
          shared: sharedFor(1),
        }),
      'ROUTE_INVALID_PROBLEM',
    );
    expectErrorCode(
      () =>
        planAllocation({
          problems: PROBLEMS,
          shared: { ...sharedFor(1), periods: 2, period_totals: [1, 0] },
        }),
      'ROUTE_INVALID_PROBLEM',
    );
    expectErrorCode(
      () => planAllocation({ problems: [], shared: sharedFor(0) }),
      'ROUTE_INVALID_PROBLEM',
    );
  });
});

describe('arrivalTimes', () => {
  it('sends to the slowest venue first so that every venue sees the order at once', () => {
    const times = arrivalTimes(
      [
        { ...PROBLEMS[1]!, venue: 'B', latency_ns: '300' },
        { ...PROBLEMS[0]!, venue: 'A', latency_ns: '1000' },
      ],
      5_000n,
    );
    expect(times).toEqual([
      { venue: 'A', notBeforeNs: '5000' },
      { venue: 'B', notBeforeNs: '5700' },
    ]);
  });
});

describe('a plan recorded in the ledger', () => {
  let dir: string;
  let store: EventStore;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-routing-'));
    store = await createStore(dir, { backend: 'jsonl', origin: 'test/routing' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is rebuilt exactly from its plan.delta events', async () => {
    const ledger = await Ledger.open(store, {
      registry: createCoreRegistry(),
      clock: { wallNs: () => 1n, monoNs: () => 1n },
    });
    const body = (payload: PlanDeltaPayload, causes: readonly EventId[], i: number): EventBody => ({
      type: 'plan.delta',
      type_v: 1,
      run: 'routing-test',
      ts: { wall_ns: toTsNs(1_767_225_600_000_000_000n + BigInt(i)), mono_ns: toTsNs(BigInt(i)) },
      source: { node: 'router' },
      causes: [...causes],
      payload,
    });
    let live: PlanState | undefined;
    let warm: ReturnType<typeof planAllocation>['warm'] | undefined;
    const recorded: PlanDelta[] = [];
    let previous: readonly EventId[] = [];
    for (const [i, total] of [6000, 5400, 5000, 5000, 3000].entries()) {
      const plan = planAllocation({
        problems: PROBLEMS,
        shared: sharedFor(total, i),
        ...(warm === undefined ? {} : { warm }),
      });
      warm = plan.warm;
      const next = diffPlan(live, targetsOf(plan), {
        ...META,
        causes: previous,
        solver: plan.solver,
      });
      if (next === undefined) continue;
      const { ids } = await ledger.append([body(toPlanDeltaPayload(next), next.causes, i)]);
      previous = ids as EventId[];
      recorded.push(next);
      live = applyPlanDelta(live, next);
    }
    const payloads: PlanDeltaPayload[] = [];
    for await (const chunk of store.query({ type: 'plan.delta' })) {
      for (const text of chunk)
        payloads.push((JSON.parse(text) as { payload: PlanDeltaPayload }).payload);
    }
    expect(payloads).toHaveLength(recorded.length);
    expect(rebuildPlans(payloads)).toEqual([live]);
  });
});
