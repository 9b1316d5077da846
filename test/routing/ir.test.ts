import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { canonicalize, type EventId } from '../../src/core/index.js';
import {
  applyPlanDelta,
  diffPlan,
  fromRoutingIr,
  type LocalProblem,
  type PlanDelta,
  type PlanState,
  type RoutingModel,
  toRoutingIr,
} from '../../src/routing/index.js';
import { expectErrorCode } from '../helpers/errors.js';

/** JSON has no −0: a double that survives the text as itself. */
const LIMIT = 2 ** 53 - 1;
const finite = fc.double({ min: -LIMIT, max: LIMIT, noNaN: true }).map((x) => (x === 0 ? 0 : x));
const positive = fc.double({ min: 1e-300, max: LIMIT, noNaN: true });
const name = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/\p{Cc}/u.test(s));
const eventId = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => `sha256:${Buffer.from(b).toString('hex')}` as EventId);

const modelArb: fc.Arbitrary<RoutingModel> = fc
  .record({
    instrument: name,
    side: fc.constantFrom('buy' as const, 'sell' as const),
    venues: fc.uniqueArray(name, { minLength: 1, maxLength: 6 }),
    coefficients: fc.array(
      fc.tuple(finite, positive, fc.nat(), fc.bigInt({ min: 0n, max: 10n ** 19n })),
      {
        minLength: 6,
        maxLength: 6,
      },
    ),
    shared: fc.record({
      version: fc.nat(),
      total_lots: fc.nat(),
      period_totals: fc.array(finite, { minLength: 1, maxLength: 4 }),
      signals: fc.uniqueArray(fc.record({ name, value: finite }), { selector: (s) => s.name }),
    }),
    duals: fc.option(
      fc.record({
        version: fc.nat(),
        rho: positive,
        multipliers: fc.array(finite, { minLength: 1 }),
      }),
      { nil: undefined },
    ),
    steps: fc.array(fc.array(fc.tuple(fc.nat(5), fc.nat(500)), { maxLength: 4 }), { maxLength: 5 }),
    causes: fc.array(eventId, { maxLength: 2 }),
  })
  .map((r) => {
    const venues = [...r.venues].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const localProblems: LocalProblem[] = venues.map((venue, i) => {
      const [fee, impact, capacity, latency] = r.coefficients[i]!;
      return {
        venue,
        instrument: r.instrument,
        fee_per_lot: fee,
        impact,
        capacity_lots: capacity,
        latency_ns: latency.toString(),
      };
    });
    let plan: PlanState | undefined;
    const planDeltas: PlanDelta[] = [];
    for (const step of r.steps) {
      const targets = [...new Map(step.map(([v, lots]) => [venues[v % venues.length]!, lots]))];
      const delta = diffPlan(
        plan,
        targets.map(([venue, lots]) => ({ venue, lots })),
        { planId: 'P', instrument: r.instrument, side: r.side, causes: r.causes },
      );
      if (delta === undefined) continue;
      plan = applyPlanDelta(plan, delta);
      planDeltas.push(delta);
    }
    const signals = [...r.shared.signals].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    return {
      localProblems,
      shared: {
        ...r.shared,
        signals,
        instrument: r.instrument,
        side: r.side,
        periods: r.shared.period_totals.length,
      },
      ...(r.duals === undefined ? {} : { duals: r.duals }),
      planDeltas,
    };
  });

function throughText(value: unknown): unknown {
  return JSON.parse(canonicalize(value)) as unknown;
}

describe('the routing IR', () => {
  it('round-trips a model through its canonical JSON text unchanged', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const ir = toRoutingIr(model);
        expect(fromRoutingIr(throughText(ir))).toEqual(model);
        expect(toRoutingIr(fromRoutingIr(throughText(ir)))).toEqual(ir);
      }),
      { numRuns: 300 },
    );
  });

  it('maps local problems to objects and shared and dual variables to morphisms over them', () => {
    const model = fc.sample(modelArb, { seed: 3, numRuns: 1 })[0]!;
    const ir = toRoutingIr({ ...model, duals: { version: 0, rho: 1, multipliers: [2] } });
    expect(ir.objects.map((o) => o.id)).toEqual(model.localProblems.map((p) => p.venue));
    expect(ir.morphisms.map((m) => [m.type, m.domain])).toEqual([
      ['shared_variables', ir.objects.map((o) => o.id)],
      ['dual_variables', ir.objects.map((o) => o.id)],
    ]);
  });

  describe('when a document is malformed', () => {
    const model = fc.sample(modelArb, { seed: 9, numRuns: 1 })[0]!;
    const ir = toRoutingIr(model);

    it('reports INPUT_SCHEMA_VIOLATION for a bad shape or an unknown member', () => {
      expectErrorCode(() => fromRoutingIr({ ...ir, v: 2 }), 'INPUT_SCHEMA_VIOLATION');
      expectErrorCode(() => fromRoutingIr({ ...ir, extra: 1 }), 'INPUT_SCHEMA_VIOLATION');
      expectErrorCode(() => fromRoutingIr('not an object'), 'INPUT_SCHEMA_VIOLATION');
    });

    it('reports ROUTE_IR_INVALID for a morphism over an unknown object', () => {
      const morphisms = ir.morphisms.map((m) => ({ ...m, domain: [...m.domain, '\u{10FFFF}'] }));
      expectErrorCode(() => fromRoutingIr({ ...ir, morphisms }), 'ROUTE_IR_INVALID');
    });

    it('reports ROUTE_IR_INVALID without a shared morphism or for a misnamed object', () => {
      expectErrorCode(() => fromRoutingIr({ ...ir, morphisms: [] }), 'ROUTE_IR_INVALID');
      const objects = ir.objects.map((o, i) => (i === 0 ? { ...o, id: `${o.id}x` } : o));
      expectErrorCode(() => fromRoutingIr({ ...ir, objects }), 'ROUTE_IR_INVALID');
      expectErrorCode(
        () =>
          toRoutingIr({
            ...model,
            localProblems: [...model.localProblems, ...model.localProblems],
          }),
        'ROUTE_IR_INVALID',
      );
    });

    it('reports the ROUTE_DELTA_* code of deltas that do not fold', () => {
      const delta: PlanDelta = {
        plan_id: 'P',
        base_version: 3,
        version: 4,
        instrument: model.shared.instrument,
        side: model.shared.side,
        changes: [{ venue: 'A', qty_delta_lots: 1 }],
        causes: [],
      };
      expectErrorCode(() => fromRoutingIr({ ...ir, plan_deltas: [delta] }), 'ROUTE_DELTA_MISSING');
    });
  });
});
