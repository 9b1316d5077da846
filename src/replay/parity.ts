/**
 * @module
 * The production-parity report: a paper run whose every intent was also offered to a live
 * executor that is disabled and fails closed, judged from its ledger. Named checks (phase order,
 * cycle counts, shadow refusals, no live orders, ledger integrity, snapshot consistency, shared
 * idempotency keys), execution-quality feedback (rejections by reason and instrument, fill ratio,
 * slippage against arrival), an explicit claim boundary, and a parity hash over the canonical
 * report. It proves the production shape of the pipeline, not live trading.
 */
import { canonicalize, numberToDecimal, ratioToDecimal, sha256Hex } from '../core/index.js';
import { INPUT_EVENT_TYPES } from '../pipeline/index.js';
import type { RecordedEvent } from './recorded-event.js';

export const PARITY_REPORT_FORMAT = 'deltatrace.parity.v1';

export const CLAIM_BOUNDARY =
  'This report proves the production shape of the pipeline — the same phases, decisions, risk ' +
  'checks, capture and ledger as a live deployment, with every intent refused by a disabled live ' +
  'executor — against sandbox venues. It does not prove live trading: no order reached a real ' +
  'venue, and real venues, latencies and fills may differ.';

/** What the disabled live executor saw: every intent, every one refused. */
export interface ShadowLog {
  readonly intents: number;
  readonly refused: readonly { readonly kind: string; readonly key: string }[];
  /** Orders that reached any live adapter (must be zero). */
  readonly liveOrders: number;
}

export interface ParityCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ParityFeedback {
  readonly orders: number;
  readonly rejections: number;
  /** Rejections per `reason` / instrument, with the rate among that instrument's orders. */
  readonly rejections_by: readonly {
    reason: string;
    instrument: string;
    count: number;
    rate: string;
  }[];
  readonly ordered_lots: number;
  readonly filled_lots: number;
  readonly fill_ratio: string;
  readonly arrival_px: string | null;
  readonly avg_fill_px: string | null;
  readonly slippage_ticks: string | null;
}

export interface ParityReport {
  readonly format: typeof PARITY_REPORT_FORMAT;
  readonly scenario: Readonly<Record<string, unknown>>;
  readonly run: string;
  readonly ok: boolean;
  readonly checks: readonly ParityCheck[];
  readonly feedback: ParityFeedback;
  readonly claim_boundary: string;
  /** SHA-256 of the canonical report without this member. */
  readonly parity_hash: string;
}

export interface ParityEvidence {
  readonly scenario: Readonly<Record<string, unknown>>;
  readonly events: readonly RecordedEvent[];
  readonly shadow: ShadowLog;
  readonly integrity: {
    readonly ok: boolean;
    readonly findings: number;
    readonly root: string;
    readonly size: number;
  };
  /** What the store's own snapshot says (the acknowledged size and root). */
  readonly snapshot: { readonly size: number; readonly root: string };
}

/** The phase of a decision event: observe (inputs) → orient → decide → act. */
const PHASE: Readonly<Record<string, number>> = {
  signal: 1,
  'plan.delta': 2,
  'risk.check': 3,
  'order.new': 4,
  'order.cancel': 4,
};

function phaseOrder(events: readonly RecordedEvent[]): ParityCheck {
  const byId = new Map(events.map((e) => [e.id, e]));
  const problems: string[] = [];
  for (const event of events) {
    const phase = PHASE[event.type];
    if (phase === undefined) continue;
    for (const cause of event.causes) {
      const before = byId.get(cause);
      if (before === undefined) continue;
      const causePhase = INPUT_EVENT_TYPES.has(before.type) ? 0 : (PHASE[before.type] ?? 0);
      // A plan gives lots back on a refusal: a risk.check may precede a plan.delta.
      const giveBack = event.type === 'plan.delta' && before.type === 'risk.check';
      if (before.seq >= event.seq || (causePhase > phase && !giveBack)) {
        problems.push(`${event.type}@${event.seq} after ${before.type}@${before.seq}`);
      }
    }
    if (event.type === 'order.new') {
      const risk = event.causes.map((c) => byId.get(c)).find((c) => c?.type === 'risk.check');
      if (risk === undefined || risk.payload['outcome'] !== 'pass')
        problems.push(`order.new@${event.seq} without a passed risk check`);
    }
  }
  return {
    name: 'phase_order',
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? 'every decision follows observe → orient → decide → act'
        : problems.slice(0, 5).join('; '),
  };
}

function cycleCounts(events: readonly RecordedEvent[]): ParityCheck {
  const inputs = events.filter((e) => INPUT_EVENT_TYPES.has(e.type)).length;
  const decisions = events.filter(
    (e) => PHASE[e.type] !== undefined && e.type !== 'risk.check',
  ).length;
  const end = events.find((e) => e.type === 'run.end');
  const recorded =
    end === undefined
      ? undefined
      : { inputs: end.payload['inputs'], decisions: end.payload['decisions'] };
  const ok =
    recorded !== undefined && recorded.inputs === inputs && recorded.decisions === decisions;
  return {
    name: 'cycle_counts',
    ok,
    detail: `${inputs} cycles, ${decisions} decisions; run.end says ${recorded === undefined ? 'nothing' : `${String(recorded.inputs)} and ${String(recorded.decisions)}`}`,
  };
}

function feedback(events: readonly RecordedEvent[]): ParityFeedback {
  const orders = events.filter((e) => e.type === 'order.new');
  const instrumentOf = new Map(
    orders.map((o) => [String(o.payload['order_id']), String(o.payload['instrument'])]),
  );
  const rejects = events.filter((e) => e.type === 'order.reject');
  const groups = new Map<string, number>();
  for (const reject of rejects) {
    const key = `${String(reject.payload['reason'])}\u0000${instrumentOf.get(String(reject.payload['order_id'])) ?? '?'}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const ordersPer = new Map<string, number>();
  for (const instrument of instrumentOf.values())
    ordersPer.set(instrument, (ordersPer.get(instrument) ?? 0) + 1);
  const fills = events.filter((e) => e.type === 'fill');
  const orderedLots = orders.reduce((sum, o) => sum + Number(o.payload['qty_lots']), 0);
  const filledLots = fills.reduce((sum, f) => sum + Number(f.payload['qty_lots']), 0);
  const notional = fills.reduce(
    (sum, f) => sum + Number(f.payload['qty_lots']) * Number(f.payload['px']),
    0,
  );
  // Arrival: the mid of the signal the first order rests on.
  const firstOrder = orders[0];
  const mids = events.filter((e) => e.type === 'signal' && e.payload['name'] === 'nbbo.mid');
  const arrival =
    firstOrder === undefined ? undefined : mids.filter((m) => m.seq < firstOrder.seq).at(-1);
  const arrivalPx = arrival === undefined ? undefined : Number(arrival.payload['value']);
  const sign = firstOrder?.payload['side'] === 'sell' ? -1 : 1;
  const avg = filledLots === 0 ? undefined : notional / filledLots;
  return {
    orders: orders.length,
    rejections: rejects.length,
    rejections_by: [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, count]) => {
        const [reason, instrument] = key.split('\u0000') as [string, string];
        return {
          reason,
          instrument,
          count,
          rate: ratioToDecimal(count, Math.max(1, ordersPer.get(instrument) ?? 0), 4),
        };
      }),
    ordered_lots: orderedLots,
    filled_lots: filledLots,
    fill_ratio: orderedLots === 0 ? '0' : ratioToDecimal(filledLots, orderedLots, 4),
    arrival_px: arrivalPx === undefined ? null : numberToDecimal(arrivalPx, 6),
    avg_fill_px: filledLots === 0 ? null : ratioToDecimal(notional, filledLots, 6),
    slippage_ticks:
      avg === undefined || arrivalPx === undefined
        ? null
        : numberToDecimal(sign * (avg - arrivalPx), 6),
  };
}

export function buildParityReport(evidence: ParityEvidence): ParityReport {
  const { events, shadow, integrity, snapshot } = evidence;
  const orderKeys = events
    .filter((e) => e.type === 'order.new')
    .map((e) => String(e.payload['order_id']))
    .sort();
  const refusedKeys = shadow.refused
    .filter((r) => r.kind === 'new-order')
    .map((r) => r.key)
    .sort();
  const checks: ParityCheck[] = [
    phaseOrder(events),
    cycleCounts(events),
    {
      name: 'shadow_refused',
      ok: shadow.intents > 0 && shadow.refused.length === shadow.intents,
      detail: `${shadow.refused.length} of ${shadow.intents} intents refused by the disabled live executor`,
    },
    {
      name: 'no_live_orders',
      ok: shadow.liveOrders === 0,
      detail: `${shadow.liveOrders} orders reached a live adapter`,
    },
    {
      name: 'ledger_integrity',
      ok: integrity.ok,
      detail: `${integrity.size} entries verified, ${integrity.findings} findings`,
    },
    {
      name: 'snapshot_consistency',
      ok: snapshot.size === integrity.size && snapshot.root === integrity.root,
      detail: `store snapshot ${snapshot.size} entries, root ${snapshot.root.slice(0, 16)}…; rebuilt ${integrity.size}, ${integrity.root.slice(0, 16)}…`,
    },
    {
      name: 'shared_idempotency_keys',
      ok: orderKeys.length > 0 && canonicalize(orderKeys) === canonicalize(refusedKeys),
      detail: `${orderKeys.length} paper orders, ${refusedKeys.length} shadow refusals, same client order ids: ${canonicalize(orderKeys) === canonicalize(refusedKeys)}`,
    },
  ];
  const body = {
    format: PARITY_REPORT_FORMAT,
    scenario: evidence.scenario,
    run: events[0]?.run ?? '',
    ok: checks.every((c) => c.ok),
    checks,
    feedback: feedback(events),
    claim_boundary: CLAIM_BOUNDARY,
  } as const;
  return { ...body, parity_hash: sha256Hex(canonicalize(body)) };
}

/** The report for people. */
export function parityMarkdown(report: ParityReport): string {
  const lines = [
    `# Production-parity report — ${report.run}`,
    '',
    `**${report.ok ? 'OK' : 'NOT OK'}** · parity hash \`${report.parity_hash}\``,
    '',
    '| check | result | detail |',
    '| --- | --- | --- |',
    ...report.checks.map(
      (c) => `| ${c.name} | ${c.ok ? 'pass' : '**fail**'} | ${c.detail.replaceAll('|', '\\|')} |`,
    ),
    '',
    '## Feedback',
    '',
    `- orders: ${report.feedback.orders}, rejections: ${report.feedback.rejections}`,
    ...report.feedback.rejections_by.map(
      (r) => `  - ${r.reason} on ${r.instrument}: ${r.count} (rate ${r.rate})`,
    ),
    `- fill ratio: ${report.feedback.fill_ratio} (${report.feedback.filled_lots} of ${report.feedback.ordered_lots} lots)`,
    `- arrival ${report.feedback.arrival_px ?? '-'}, average fill ${report.feedback.avg_fill_px ?? '-'}, slippage ${report.feedback.slippage_ticks ?? '-'} ticks`,
    '',
    '## Claim boundary',
    '',
    report.claim_boundary,
    '',
  ];
  return lines.join('\n');
}
