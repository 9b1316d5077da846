import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createCoreRegistry, type EventId, type PlanDeltaPayload } from '../../src/core/index.js';
import {
  applyPlanDelta,
  diffPlan,
  type PlanDelta,
  type PlanState,
  type PlanTarget,
  rebuildPlan,
  rebuildPlans,
  toPlanDeltaPayload,
} from '../../src/routing/index.js';
import { expectErrorCode } from '../helpers/errors.js';

const CAUSE = `sha256:${'ab'.repeat(32)}` as EventId;
const META = { planId: 'P-1', instrument: 'ACME', side: 'buy' as const, causes: [CAUSE] };

function delta(
  base: number,
  changes: PlanDeltaPayload['changes'],
  overrides: Partial<PlanDeltaPayload> = {},
): PlanDeltaPayload {
  return {
    plan_id: 'P-1',
    base_version: base,
    version: base + 1,
    instrument: 'ACME',
    side: 'buy',
    changes,
    ...overrides,
  };
}

const D0 = delta(0, [
  { venue: 'A', qty_delta_lots: 10, limit_px: 100 },
  { venue: 'B', qty_delta_lots: 5 },
]);
const D1 = delta(1, [{ venue: 'A', qty_delta_lots: -4, not_before_ns: '1767225600000000000' }]);
const D2 = delta(2, [{ venue: 'C', qty_delta_lots: 7, limit_px: 101 }]);

/** A plan's observable content: everything but the digests. */
function content(plan: PlanState | undefined) {
  return plan === undefined ? undefined : { ...plan, deltaDigests: plan.deltaDigests.length };
}

describe('rebuildPlan', () => {
  it('folds the deltas in order into the plan, keeping limit prices and timing', () => {
    const plan = rebuildPlan([D0, D1, D2])!;
    expect(plan.version).toBe(3);
    expect(plan.venues).toEqual([
      { venue: 'A', lots: 6, limitPx: 100, notBeforeNs: '1767225600000000000' },
      { venue: 'B', lots: 5 },
      { venue: 'C', lots: 7, limitPx: 101 },
    ]);
    expect(rebuildPlan([D2], rebuildPlan([D0, D1]))).toEqual(plan);
  });

  it('accepts exactly the ledger payloads (validated by the core registry)', () => {
    const registry = createCoreRegistry();
    const parsed = [D0, D1, D2].map(
      (d) => registry.parsePayload('plan.delta', 1, d) as PlanDeltaPayload,
    );
    expect(rebuildPlan(parsed)).toEqual(rebuildPlan([D0, D1, D2]));
  });

  it('rebuilds what diffPlan produced, for any sequence of targets', () => {
    const targetsArb = fc.array(
      fc.uniqueArray(
        fc.record({
          venue: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
          lots: fc.nat(1000),
          limitPx: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        }),
        { selector: (t) => t.venue, maxLength: 5 },
      ),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(targetsArb, (steps) => {
        let live: PlanState | undefined;
        const recorded: PlanDelta[] = [];
        for (const step of steps) {
          const targets = step.map((t): PlanTarget =>
            t.limitPx === undefined
              ? { venue: t.venue, lots: t.lots }
              : { venue: t.venue, lots: t.lots, limitPx: t.limitPx },
          );
          const next = diffPlan(live, targets, META);
          if (next === undefined) continue;
          recorded.push(next);
          live = applyPlanDelta(live, next);
          const held = new Map(live.venues.map((v) => [v.venue, v.lots]));
          for (const t of targets) expect(held.get(t.venue) ?? 0).toBe(t.lots);
          for (const [venue, lots] of held) {
            if (!targets.some((t) => t.venue === venue)) expect(lots).toBe(0);
          }
        }
        expect(rebuildPlan(recorded)).toEqual(live);
        expect(rebuildPlan(recorded.map(toPlanDeltaPayload))).toEqual(live);
      }),
      { numRuns: 300 },
    );
  });

  describe('when the recorded deltas are damaged', () => {
    it('reports a replayed delta as ROUTE_DELTA_DUPLICATE', () => {
      expectErrorCode(() => rebuildPlan([D0, D1, D1]), 'ROUTE_DELTA_DUPLICATE');
      expectErrorCode(() => rebuildPlan([D0, D1, D2, D0]), 'ROUTE_DELTA_DUPLICATE');
    });

    it('reports a gap as ROUTE_DELTA_MISSING, naming the versions', () => {
      const error = expectErrorCode(() => rebuildPlan([D0, D2]), 'ROUTE_DELTA_MISSING');
      expect(error.details).toMatchObject({ base_version: 2, current: 1 });
      expectErrorCode(() => rebuildPlan([D1]), 'ROUTE_DELTA_MISSING');
      expect(error.exitCode).toBe(3);
    });

    it('reports a swap as ROUTE_DELTA_OUT_OF_ORDER', () => {
      expectErrorCode(() => rebuildPlan([D0, D2, D1]), 'ROUTE_DELTA_OUT_OF_ORDER');
      expectErrorCode(() => rebuildPlan([D1, D0]), 'ROUTE_DELTA_OUT_OF_ORDER');
    });

    it('reports a different delta at an applied version as ROUTE_DELTA_CONFLICT', () => {
      const fork = delta(1, [{ venue: 'B', qty_delta_lots: 1 }]);
      expectErrorCode(() => rebuildPlan([D0, D1, fork]), 'ROUTE_DELTA_CONFLICT');
    });

    it('reports a delta that cannot apply as ROUTE_DELTA_INVALID', () => {
      const cases: PlanDeltaPayload[][] = [
        [delta(0, [{ venue: 'A', qty_delta_lots: 1 }], { version: 2 })],
        [D0, delta(1, [{ venue: 'A', qty_delta_lots: 1 }], { plan_id: 'P-2' })],
        [D0, delta(1, [{ venue: 'A', qty_delta_lots: 1 }], { side: 'sell' })],
        [D0, delta(1, [{ venue: 'A', qty_delta_lots: 1 }], { instrument: 'OTHER' })],
        [
          delta(0, [
            { venue: 'A', qty_delta_lots: 1 },
            { venue: 'A', qty_delta_lots: 2 },
          ]),
        ],
        [D0, delta(1, [{ venue: 'B', qty_delta_lots: -6 }])],
      ];
      for (const deltas of cases) expectErrorCode(() => rebuildPlan(deltas), 'ROUTE_DELTA_INVALID');
    });
  });
});

describe('rebuildPlans', () => {
  it('rebuilds interleaved plans, sorted by plan id', () => {
    const other = (base: number, lots: number): PlanDeltaPayload =>
      delta(base, [{ venue: 'Z', qty_delta_lots: lots }], { plan_id: 'P-0' });
    const plans = rebuildPlans([D0, other(0, 3), D1, other(1, 2), D2]);
    expect(plans.map((p) => [p.planId, p.version])).toEqual([
      ['P-0', 2],
      ['P-1', 3],
    ]);
    expect(content(plans[1])).toEqual(content(rebuildPlan([D0, D1, D2])));
  });
});

describe('diffPlan', () => {
  it('names only the venues that change, and returns undefined when none does', () => {
    const plan = rebuildPlan([D0])!;
    const next = diffPlan(
      plan,
      [
        { venue: 'A', lots: 10, limitPx: 100 },
        { venue: 'B', lots: 8 },
      ],
      META,
    )!;
    expect(next.changes).toEqual([{ venue: 'B', qty_delta_lots: 3 }]);
    expect([next.base_version, next.version]).toEqual([1, 2]);
    expect(next.causes).toEqual([CAUSE]);
    expect(
      diffPlan(
        plan,
        [
          { venue: 'A', lots: 10 },
          { venue: 'B', lots: 5 },
        ],
        META,
      ),
    ).toBe(undefined);
  });

  it('writes the solver metadata as decimal strings', () => {
    const next = diffPlan(undefined, [{ venue: 'A', lots: 1 }], {
      ...META,
      solver: {
        algorithm: 'admm-sharing',
        iterations: 12,
        primalResidual: 1.5e-10,
        dualResidual: 0,
        objective: 1234.5678901234,
      },
    })!;
    expect(next.solver).toEqual({
      algorithm: 'admm-sharing',
      iterations: 12,
      primal_residual: '0.00000000015',
      dual_residual: '0',
      objective: '1234.567890123',
    });
    expect(() =>
      createCoreRegistry().parsePayload('plan.delta', 1, toPlanDeltaPayload(next)),
    ).not.toThrow();
  });
});
