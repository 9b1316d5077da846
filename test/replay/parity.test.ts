import { describe, expect, it } from 'vitest';

import { canonicalize, sha256Hex } from '../../src/core/index.js';
import { buildParityReport, parityMarkdown, type ShadowLog } from '../../src/replay/index.js';
import { recordedEvents } from '../helpers/recorded-events.js';
import { runSimulation } from '../pipeline/simulation.js';

const recorded = recordedEvents;

describe('buildParityReport', () => {
  const events = recorded(runSimulation().capture);
  const orders = events
    .filter((e) => e.type === 'order.new')
    .map((e) => String(e.payload['order_id']));
  const cancels = events
    .filter((e) => e.type === 'order.cancel')
    .map((e) => String(e.payload['order_id']));
  const shadow: ShadowLog = {
    intents: orders.length + cancels.length,
    refused: [
      ...orders.map((key) => ({ kind: 'new-order', key })),
      ...cancels.map((key) => ({ kind: 'cancel-order', key })),
    ],
    liveOrders: 0,
  };
  const integrity = { ok: true, findings: 0, root: 'ab'.repeat(32), size: events.length };
  const snapshot = { size: events.length, root: 'ab'.repeat(32) };
  const evidence = { scenario: { name: 'test' }, events, shadow, integrity, snapshot };

  it('passes every check on a paper run whose intents were all refused, with a hash over the canonical report', () => {
    const report = buildParityReport(evidence);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    const { parity_hash: hash, ...body } = report;
    expect(hash).toBe(sha256Hex(canonicalize(body)));
    expect(report.feedback.orders).toBe(orders.length);
    expect(Number(report.feedback.fill_ratio)).toBeGreaterThan(0);
    expect(parityMarkdown(report)).toContain('| no_live_orders | pass |');
    expect(report.claim_boundary).toMatch(/not prove live trading/);
  });

  it('fails closed: a live order, a missing refusal, a broken ledger or a stale snapshot each fail their check', () => {
    const failing = (name: string, patch: Partial<typeof evidence>): void => {
      const report = buildParityReport({ ...evidence, ...patch });
      expect(report.ok).toBe(false);
      expect(report.checks.find((c) => c.name === name)?.ok).toBe(false);
    };
    failing('no_live_orders', { shadow: { ...shadow, liveOrders: 1 } });
    failing('shadow_refused', { shadow: { ...shadow, refused: shadow.refused.slice(1) } });
    failing('shared_idempotency_keys', {
      shadow: {
        ...shadow,
        refused: [{ kind: 'new-order', key: 'other' }, ...shadow.refused.slice(1)],
      },
    });
    failing('ledger_integrity', { integrity: { ...integrity, ok: false, findings: 1 } });
    failing('snapshot_consistency', { snapshot: { ...snapshot, size: snapshot.size - 1 } });
    // An order whose risk check failed, or that comes before its plan: the phase order breaks.
    const order = events.find((e) => e.type === 'order.new')!;
    const reordered = events.map((e) => (e.id === order.id ? { ...e, seq: -1 } : e));
    failing('phase_order', { events: reordered });
    failing('cycle_counts', { events: events.filter((e) => e.type !== 'run.end') });
  });
});
