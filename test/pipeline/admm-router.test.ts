/**
 * The planner as the pipeline's router: the same allocation as the exact water-filling solution,
 * rebuilt from its run.start parameters, privacy-budgeted liquidity shares recorded as ledger
 * events (refused once spent, with the last released value kept), and a run through it that
 * replays byte for byte.
 */
import { describe, expect, it } from 'vitest';

import { createCoreRegistry, SeededRng, toWireTimestamp } from '../../src/core/index.js';
import {
  AdmmRouter,
  buildRouter,
  BUILT_IN_CATALOG,
  registerPipelineEventTypes,
  type RouteRequest,
  WaterFillingRouter,
} from '../../src/pipeline/index.js';
import { PrivacyBudgetPayloadSchema } from '../../src/privacy/index.js';
import { replayRun } from '../../src/replay/index.js';
import { summarizeRun } from '../../src/reports/index.js';
import { expectErrorCode } from '../helpers/errors.js';
import { recordedEvents } from '../helpers/recorded-events.js';
import { runSimulation } from './simulation.js';

const registry = registerPipelineEventTypes(createCoreRegistry());
const privacy = { epsilonPerShare: '0.5', epsilonTotal: '2', sensitivityLots: '1' };

function randomRequest(rng: SeededRng, planId = 'P1'): RouteRequest {
  const venues = Array.from({ length: rng.int(1, 6) }, (_, i) => ({
    venue: `V${i}`,
    feePerLotTicks: rng.int(-5, 30) / 100,
    touchPx: rng.next() < 0.1 ? undefined : 10_000 + rng.int(0, 3),
    touchQty: rng.int(0, 2000),
  }));
  return {
    planId,
    instrument: 'ACME',
    side: rng.next() < 0.5 ? 'buy' : 'sell',
    qtyLots: rng.int(1, 800),
    limitPx: 10_002,
    venues,
  };
}

describe('AdmmRouter', () => {
  it('plans what the exact water-filling router plans, to within one lot per venue', () => {
    const rng = new SeededRng(11);
    const exact = new WaterFillingRouter();
    for (let i = 0; i < 300; i++) {
      const request = randomRequest(rng, `P${i % 7}`);
      const admm = new AdmmRouter().route(request);
      const reference = exact.route(request);
      expect(admm.solver.algorithm).toBe('admm-sharing');
      expect(Math.abs(admm.solver.objective - reference.solver.objective)).toBeLessThanOrEqual(
        1e-6 * Math.max(1, Math.abs(reference.solver.objective)),
      );
      const lots = (legs: typeof admm.legs): Map<string, number> =>
        new Map(legs.map((leg) => [leg.venue, leg.qtyLots]));
      const a = lots(admm.legs);
      const b = lots(reference.legs);
      expect([...a.values()].reduce((x, y) => x + y, 0)).toBe(request.qtyLots);
      for (const venue of new Set([...a.keys(), ...b.keys()])) {
        expect(Math.abs((a.get(venue) ?? 0) - (b.get(venue) ?? 0))).toBeLessThanOrEqual(1);
      }
    }
  });

  it('warm-starts each re-plan of a plan from its previous solve', () => {
    const router = new AdmmRouter();
    const rng = new SeededRng(3);
    const first = randomRequest(rng);
    router.route(first);
    router.route({ ...first, qtyLots: Math.max(1, first.qtyLots - 10) });
    router.route({ ...first, planId: 'P2' });
    const [p1, p2] = router.convergence();
    expect(p1).toMatchObject({ planId: 'P1', solves: 2, unconverged: 0 });
    expect(p1!.firstHistory.length).toBe(p1!.coldIterations);
    expect(p1!.lastHistory.length).toBe(p1!.warmIterations);
    expect(p2).toMatchObject({ planId: 'P2', solves: 1, warmIterations: 0 });
  });

  it('is rebuilt from the parameters run.start records', () => {
    const router = new AdmmRouter({ impactScale: 2.5, tolerance: 1e-8, privacy });
    const rebuilt = buildRouter(BUILT_IN_CATALOG, router.name, router.params);
    expect(rebuilt.params).toEqual(router.params);
    expect(router.params).toMatchObject({
      impact_scale: '2.5',
      privacy_epsilon_total: '2',
      privacy_epsilon_per_share: '0.5',
    });
  });

  it('refuses bad parameters with PIPELINE_INVALID_CONFIG', () => {
    expectErrorCode(() => new AdmmRouter({ impactScale: 0 }), 'PIPELINE_INVALID_CONFIG');
    expectErrorCode(() => new AdmmRouter({ tolerance: Number.NaN }), 'PIPELINE_INVALID_CONFIG');
    expectErrorCode(
      () => AdmmRouter.fromParams({ privacy_epsilon_total: '1' }),
      'PIPELINE_INVALID_CONFIG',
    );
  });

  it('shares each venue’s liquidity under its budget, then falls back on what it released', () => {
    const router = new AdmmRouter({ privacy });
    const budgets = router.budgets(['V1', 'V0'], { rng: new SeededRng(5) });
    expect(budgets.map((b) => b.signal)).toEqual(['liquidity.V0', 'liquidity.V1']);
    for (const budget of budgets) expect(PrivacyBudgetPayloadSchema.parse(budget)).toEqual(budget);
    const request: RouteRequest = {
      planId: 'P1',
      instrument: 'ACME',
      side: 'buy',
      qtyLots: 300,
      limitPx: 10_001,
      venues: [
        { venue: 'V0', feePerLotTicks: 0.3, touchPx: 10_000, touchQty: 400 },
        { venue: 'V1', feePerLotTicks: 0.3, touchPx: 10_000, touchQty: 100 },
      ],
    };
    const solves = Array.from({ length: 6 }, () => router.route(request));
    const outcomes = solves.map((s) => s.disclosures!.map((d) => d.outcome));
    // ε 2 at 0.5 a share: four shares per venue, then refusals.
    expect(
      outcomes
        .slice(0, 4)
        .flat()
        .every((o) => o === 'shared'),
    ).toBe(true);
    expect(
      outcomes
        .slice(4)
        .flat()
        .every((o) => o === 'refused'),
    ).toBe(true);
    // Once refused, the coordinator plans on the last released values: the same plan again.
    expect(solves[5]!.legs).toEqual(solves[4]!.legs);
    expect(solves[4]!.legs).toEqual(solves[3]!.legs);
    // The larger venue gets the larger share despite the noise.
    const lotsAt = (venue: string): number =>
      solves[0]!.legs.find((leg) => leg.venue === venue)?.qtyLots ?? 0;
    expect(lotsAt('V0')).toBeGreaterThan(lotsAt('V1'));
  });

  it('refuses to share before its budgets are open', () => {
    const request = randomRequest(new SeededRng(1));
    expectErrorCode(() => new AdmmRouter({ privacy }).route(request), 'INTERNAL');
  });
});

describe('a pipeline routed by the planner under a privacy budget', () => {
  const run = runSimulation({ router: () => new AdmmRouter({ privacy }) });
  const bodies = run.capture.bodies;
  const ids = run.capture.ids;
  const typeOf = new Map(ids.map((id, i) => [id, bodies[i]!.type]));

  it('records valid privacy.budget and privacy.spend events, caused as the plan was', () => {
    const types = bodies.map((b) => b.type);
    expect(types.filter((t) => t === 'privacy.budget')).toHaveLength(2);
    const spends = bodies.filter((b) => b.type === 'privacy.spend');
    expect(spends.some((s) => (s.payload as { outcome: string }).outcome === 'refused')).toBe(true);
    for (const body of bodies.filter((b) => b.type.startsWith('privacy.'))) {
      expect(registry.parsePayload(body.type, body.type_v, body.payload)).toEqual(body.payload);
    }
    const solved = bodies.filter(
      (b) => b.type === 'plan.delta' && (b.payload as { solver?: unknown }).solver !== undefined,
    );
    expect(solved.length).toBeGreaterThan(3);
    for (const plan of solved) {
      const causeTypes = plan.causes.map((id) => typeOf.get(id));
      expect(causeTypes.filter((t) => t === 'privacy.spend')).toHaveLength(2);
      expect(causeTypes).toContain('signal');
    }
  });

  it('summarises the plan’s solves and the budgets’ spends', () => {
    const summary = summarizeRun(
      bodies.map((body, i) => ({
        id: ids[i]!,
        type: body.type,
        run: body.run,
        ts: toWireTimestamp(body.ts),
        causes: body.causes,
        payload: body.payload as Record<string, unknown>,
      })),
    );
    const [plan] = summary.plans;
    expect(plan).toMatchObject({ plan_id: 'P1', algorithm: 'admm-sharing' });
    expect(plan!.solves).toBe(run.pipeline.stats.planDeltas - releasesOf(bodies));
    expect(plan!.planned_lots).toBe(2000);
    expect(Number(plan!.delta_bytes_mean)).toBeGreaterThan(100);
    expect(plan!.delta_bytes_max).toBeGreaterThanOrEqual(Number(plan!.delta_bytes_mean));
    const spends = bodies.filter((b) => b.type === 'privacy.spend').length;
    expect(summary.privacy.reduce((n, s) => n + s.shares + s.refusals, 0)).toBe(spends);
    expect(summary.privacy.every((s) => s.epsilon_spent === '2' && s.shares === 4)).toBe(true);
  });

  it('replays byte for byte, noise included', async () => {
    const events = recordedEvents(run.capture);

    const report = await replayRun(
      async function* () {
        await Promise.resolve();
        yield events;
      },
      { catalog: BUILT_IN_CATALOG, registry },
    );
    expect(report.divergence).toBeNull();
    expect(report.identical).toBe(true);
  });

  it('draws the same noise for the same seed and other noise for another', () => {
    const released = (seed: number): string[] =>
      runSimulation({ seed, router: () => new AdmmRouter({ privacy }) })
        .capture.bodies.filter((b) => b.type === 'privacy.spend')
        .map((b) => String((b.payload as { released_value?: string }).released_value));
    expect(released(7)).toEqual(
      bodies
        .filter((b) => b.type === 'privacy.spend')
        .map((b) => String((b.payload as { released_value?: string }).released_value)),
    );
    expect(released(8)).not.toEqual(released(7));
  });
});

function releasesOf(bodies: readonly { type: string; payload: unknown }[]): number {
  return bodies.filter(
    (b) => b.type === 'plan.delta' && (b.payload as { solver?: unknown }).solver === undefined,
  ).length;
}
