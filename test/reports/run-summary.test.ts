import { describe, expect, it } from 'vitest';

import { toWireTimestamp } from '../../src/core/index.js';
import { summarizeRun, type SummaryEntry } from '../../src/reports/index.js';
import { expectErrorCode } from '../helpers/errors.js';
import { runSimulation } from '../pipeline/simulation.js';

function entriesOf(run: ReturnType<typeof runSimulation>): SummaryEntry[] {
  return run.capture.bodies.map((body, i) => ({
    id: run.capture.ids[i]!,
    type: body.type,
    run: body.run,
    ts: toWireTimestamp(body.ts),
    causes: body.causes,
    payload: body.payload as Record<string, unknown>,
  }));
}

describe('summarizeRun', () => {
  const run = runSimulation();
  const summary = summarizeRun(entriesOf(run));

  it('counts events, orders and fills as the pipeline saw them', () => {
    expect(summary.events).toBe(run.capture.bodies.length);
    expect(summary.orders).toBe(run.pipeline.stats.ordersSent);
    expect(summary.filled_lots).toBe(2000);
    expect(summary.events_by_type['order.new']).toBe(summary.orders);
    expect(Object.keys(summary.events_by_type)).toEqual(Object.keys(summary.events_by_type).sort());
    expect(Number(summary.fill_ratio)).toBeGreaterThan(0);
    expect(Number(summary.fill_ratio)).toBeLessThanOrEqual(1);
  });

  it('measures each hop on the capture clock', () => {
    // The simulation answers orders after 50 µs of virtual time and decides in zero time.
    const ack = summary.latency.order_to_ack;
    expect(ack.count).toBe(run.capture.bodies.filter((b) => b.type === 'order.ack').length);
    expect(Math.abs(ack.p50_ns - 50_000)).toBeLessThanOrEqual(50);
    expect(Math.abs(ack.max_ns - 50_000)).toBeLessThanOrEqual(50);
    expect(summary.latency.tick_to_signal.count).toBeGreaterThan(0);
    // Decisions taken on a tick take no virtual time; on a timer or fill, the ticks they used are older.
    expect(summary.latency.tick_to_signal.p50_ns).toBe(0);
    expect(summary.latency.tick_to_order.count).toBe(summary.orders);
    expect(summary.latency.ack_to_fill.count).toBeGreaterThan(0);
  });

  it('reports INPUT_SCHEMA_VIOLATION for a timestamp that is not integer nanoseconds', () => {
    const [first] = entriesOf(run);
    expectErrorCode(
      () => summarizeRun([{ ...first!, ts: { mono_ns: 'soon' } }]),
      'INPUT_SCHEMA_VIOLATION',
    );
  });
});
