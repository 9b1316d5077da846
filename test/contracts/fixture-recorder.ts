/**
 * Records every contract fixture of test/fixtures/contracts from real components: the FIX session
 * and venue (record-fix-session.ts), the WebSocket feed (record-ws-feed.ts), and the ledger's
 * entries and payloads from a real Ledger on a JSONL store, with a PlanDelta from the routing
 * code and a budget, a share and a refusal from the privacy accountant; and a routing problem,
 * planned and re-planned, as the canonical IR (record-routing). Returns file name →
 * NDJSON text; the published JSON Schemas are written from the contract graph.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  createComposedEventRegistry,
  ENTRY_CONTRACT,
  ENTRY_CONTRACT_VERSION,
  payloadContractVersion,
} from '../../src/cli/contracts/event-contracts.js';
import {
  ROUTING_CONTRACT_VERSION,
  ROUTING_IR_CONTRACT,
} from '../../src/cli/contracts/routing-contracts.js';
import { type ContractFixture, formatFixtureLine } from '../../src/contracts/index.js';
import {
  canonicalize,
  computeEventId,
  type EventBody,
  type EventId,
  Ledger,
  SeededRng,
  toTsNs,
} from '../../src/core/index.js';
import { PrivacyAccountant } from '../../src/privacy/index.js';
import {
  applyPlanDelta,
  diffPlan,
  type LocalProblem,
  planAllocation,
  type PlanDelta,
  type PlanState,
  type SharedVariables,
  toPlanDeltaPayload,
  toRoutingIr,
} from '../../src/routing/index.js';
import { JsonlEventStore } from '../../src/storage/index.js';
import { recordFixSession, WALL_ORIGIN_NS } from './record-fix-session.js';
import { recordWsFeed } from './record-ws-feed.js';

function body(type: string, index: number, payload: object, causes: readonly EventId[]): EventBody {
  return {
    type,
    type_v: 1,
    run: 'contracts-fixtures',
    ts: {
      wall_ns: toTsNs(WALL_ORIGIN_NS + BigInt(index) * 1_000_000n),
      mono_ns: toTsNs(BigInt(index) * 1_000_000n),
    },
    source: { node: 'fixtures', venue: 'XSIM' },
    causes,
    payload,
  };
}

/** The bodies of a short decision path: tick → signal → shared signal and a refusal → plan. */
function decisionPath(): EventBody[] {
  const bodies: EventBody[] = [];
  const add = (type: string, payload: object, causes: readonly EventId[] = []): EventId => {
    const b = body(type, bodies.length, payload, causes);
    bodies.push(b);
    return computeEventId(b);
  };
  const tick = add('md.tick', {
    instrument: 'ACME',
    venue: 'XSIM',
    bid_px: 9999,
    bid_qty: 68,
    ask_px: 10001,
    ask_qty: 40,
    feed_seq: 12,
  });
  const signal = add('signal', { name: 'imbalance', instrument: 'ACME', value: '0.259615' }, [
    tick,
  ]);
  const privacy = new PrivacyAccountant({ rng: new SeededRng(3) });
  add(
    'privacy.budget',
    privacy.openBudget({ signal: 'liquidity.XSIM', epsilonTotal: '1', sensitivity: '25' }),
  );
  const share = privacy.share({ signal: 'liquidity.XSIM', value: '108', epsilon: '0.75' });
  const spent = add('privacy.spend', share.event, [signal]);
  try {
    privacy.share({ signal: 'liquidity.XSIM', value: '108', epsilon: '0.5' });
  } catch (error) {
    const refusal = (error as { details?: { event?: object } }).details?.event;
    if (refusal === undefined) throw error;
    add('privacy.spend', refusal, [signal]);
  }
  const delta = diffPlan(
    undefined,
    [
      { venue: 'XSIM', lots: 60, limitPx: 10001 },
      { venue: 'XSIM2', lots: 40 },
    ],
    { planId: 'plan-1', instrument: 'ACME', side: 'buy', causes: [signal, spent] },
  );
  if (delta === undefined) throw new Error('a new plan has a first delta');
  add('plan.delta', toPlanDeltaPayload(delta), [signal, spent]);
  return bodies;
}

async function recordLedger(): Promise<ContractFixture[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-contract-fixtures-'));
  try {
    const store = await JsonlEventStore.create(dir, { origin: 'contracts-fixtures' });
    const registry = createComposedEventRegistry();
    const ledger = await Ledger.open(store, {
      registry,
      clock: { wallNs: () => WALL_ORIGIN_NS, monoNs: () => 0n },
    });
    await ledger.append(
      decisionPath().map((b) => ({ ...b, payload: registry.parsePayload(b.type, 1, b.payload) })),
    );
    const lines: string[] = [];
    for await (const chunk of store.scan()) lines.push(...chunk);
    await store.close();
    const fixtures: ContractFixture[] = [];
    for (const line of lines) {
      const entry = JSON.parse(line) as { type: string; type_v: number; payload: unknown };
      fixtures.push({
        v: 1,
        contract: ENTRY_CONTRACT,
        version: ENTRY_CONTRACT_VERSION,
        recorded_at: 'storage.jsonl:entry',
        encoding: 'json',
        data: line,
      });
      fixtures.push({
        v: 1,
        contract: entry.type,
        version: payloadContractVersion(entry.type_v),
        recorded_at: 'core.ledger:payload',
        encoding: 'json',
        data: canonicalize(entry.payload),
      });
    }
    return fixtures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A routing problem as the planner solves it — three local problems, a plan and its re-plan after
 * a fill as PlanDeltas — exported as a canonical IR document, and each primitive on its own.
 */
function recordRouting(): ContractFixture[] {
  const problems: LocalProblem[] = ['XSIM1', 'XSIM2', 'XSIM3'].map((venue, i) => ({
    venue,
    instrument: 'ACME',
    fee_per_lot: 0.2 + 0.05 * i,
    impact: 0.01 * (i + 1),
    capacity_lots: 400,
    latency_ns: String(250_000 * (i + 1)),
  }));
  const shared = (version: number, total: number): SharedVariables => ({
    version,
    instrument: 'ACME',
    side: 'buy',
    total_lots: total,
    periods: 1,
    period_totals: [total],
    signals: [{ name: 'volatility', value: 0.5 }],
  });
  const first = planAllocation({ problems, shared: shared(1, 600) });
  const cause = `sha256:${'ab'.repeat(32)}` as EventId;
  const deltas: PlanDelta[] = [];
  let plan: PlanState | undefined;
  const replanned = planAllocation({ problems, shared: shared(2, 450), warm: first.warm });
  for (const result of [first, replanned]) {
    const delta = diffPlan(
      plan,
      result.venues.map((venue, i) => ({ venue, lots: result.lots[i]!, limit_px: 10_001 })),
      { planId: 'PARENT-1', instrument: 'ACME', side: 'buy', causes: [cause] },
    );
    if (delta === undefined) continue;
    plan = applyPlanDelta(plan, delta);
    deltas.push(delta);
  }
  const ir = toRoutingIr({
    localProblems: problems,
    shared: replanned.shared,
    duals: replanned.duals,
    planDeltas: deltas,
  });
  const accountant = new PrivacyAccountant({ rng: new SeededRng(3) });
  accountant.openBudget({ signal: 'liquidity.XSIM1', epsilonTotal: '1', sensitivity: '1' });
  accountant.share({ signal: 'liquidity.XSIM1', value: '250', epsilon: '0.25' });
  const fixture = (contract: string, value: unknown): ContractFixture => ({
    v: 1,
    contract,
    version: ROUTING_CONTRACT_VERSION,
    recorded_at: 'routing:planner',
    encoding: 'json',
    data: canonicalize(value),
  });
  return [
    fixture(ROUTING_IR_CONTRACT, ir),
    ...problems.map((p) => fixture('routing.local-problem', p)),
    fixture('routing.shared-variables', replanned.shared),
    fixture('routing.dual-variables', replanned.duals),
    fixture('routing.privacy-budget', accountant.budget('liquidity.XSIM1')),
  ];
}

function ndjson(fixtures: readonly ContractFixture[]): string {
  return `${fixtures.map(formatFixtureLine).join('\n')}\n`;
}

/** Fixture file name → content. */
export async function recordContractFixtures(): Promise<ReadonlyMap<string, string>> {
  const session = recordFixSession();
  const ws = await recordWsFeed();
  const ledger = await recordLedger();
  return new Map([
    ['fix.ndjson', ndjson(session.fix)],
    ['ledger.ndjson', ndjson(ledger)],
    ['routing.ndjson', ndjson(recordRouting())],
    ['venue.ndjson', ndjson(session.venue)],
    ['ws.ndjson', ndjson(ws)],
  ]);
}
