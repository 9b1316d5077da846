/**
 * A generated trading session for the ledger demo: two venues' ticks, signals drawn from them,
 * routing plan deltas, risk checks, orders with their acks, rejects, cancels, replaces and fills,
 * and governance triggers with signed approvals, each caused by the events it derives from.
 * Deterministic for a seed: a simulated clock and a seeded RNG.
 */
import { toBase64 } from '../../core/bytes.js';
import { computeEventId } from '../../core/chain/entry-codec.js';
import type { EventBody } from '../../core/events/envelope.js';
import type { Ledger } from '../../core/ledger.js';
import { SeededRng } from '../../core/rng.js';
import { ed25519Sign, formatVerifierKey, type NoteSigner } from '../../core/signing/index.js';

const VENUES = ['XNAS-SIM', 'XLON-SIM'] as const;
const INSTRUMENT = 'ACME';
/** 2026-01-01T00:00:00Z: simulated sessions start here so their ids do not depend on today. */
const SESSION_START_NS = 1_767_225_600_000_000_000n;

export interface SessionOptions {
  readonly seed: number;
  readonly events: number;
  readonly run: string;
  /** Signs governance approvals. */
  readonly approver: NoteSigner;
}

/** Yields batches of validated event bodies until about `events` have been produced. */
export function* generateSession(
  ledger: Ledger,
  options: SessionOptions,
  batchSize = 1000,
): Generator<EventBody[]> {
  const rng = new SeededRng(options.seed);
  let mono = 1_000_000_000n;
  let produced = 0;
  let batch: EventBody[] = [];
  const mid = new Map<string, number>(VENUES.map((venue) => [venue, 10_000]));
  const recentTicks: string[] = [];
  let orderNo = 0;
  let planVersion = 0;

  const emit = (
    type: string,
    payload: Record<string, unknown>,
    causes: string[],
    venue?: string,
  ): string => {
    mono += BigInt(rng.int(2_000, 250_000));
    const source: Record<string, string> = { node: 'demo-node', adapter: 'demo' };
    if (venue !== undefined) source['venue'] = venue;
    const [body] = ledger.parseInputs([
      {
        type,
        run: options.run,
        ts: { wall_ns: (SESSION_START_NS + mono).toString(), mono_ns: mono.toString() },
        source,
        causes,
        payload,
      },
    ]);
    batch.push(body!);
    produced++;
    return computeEventId(body!);
  };

  while (produced < options.events) {
    const venue = VENUES[rng.int(0, 1)]!;
    const price = Math.max(100, mid.get(venue)! + rng.int(-3, 3));
    mid.set(venue, price);
    const tick = emit(
      'md.tick',
      {
        instrument: INSTRUMENT,
        venue,
        bid_px: price - 1,
        bid_qty: rng.int(1, 50) * 100,
        ask_px: price + 1,
        ask_qty: rng.int(1, 50) * 100,
        feed_seq: produced,
      },
      [],
      venue,
    );
    recentTicks.push(tick);
    if (recentTicks.length > 2) recentTicks.shift();

    if (rng.next() < 0.25) {
      const signal = emit(
        'signal',
        {
          name: 'microprice-imbalance',
          instrument: INSTRUMENT,
          value: (rng.int(-1000, 1000) / 1000).toFixed(3),
        },
        [...recentTicks],
      );
      if (rng.next() < 0.5) tradeOn(signal);
    }
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;

  function tradeOn(signal: string): void {
    const venue = VENUES[rng.int(0, 1)]!;
    const side = rng.next() < 0.5 ? 'buy' : 'sell';
    const qty = rng.int(1, 20) * 10;
    const px = mid.get(venue)! + (side === 'buy' ? 1 : -1);
    planVersion++;
    const plan = emit(
      'plan.delta',
      {
        plan_id: `plan-${options.seed}`,
        base_version: planVersion - 1,
        version: planVersion,
        instrument: INSTRUMENT,
        side,
        changes: [{ venue, qty_delta_lots: qty, limit_px: px }],
      },
      [signal],
    );
    const passed = rng.next() > 0.05;
    const risk = emit(
      'risk.check',
      {
        subject: `plan-${options.seed}@${planVersion}`,
        outcome: passed ? 'pass' : 'fail',
        rules: [
          { rule: 'max-order-lots', passed: qty <= 190, limit: '190', observed: String(qty) },
          { rule: 'price-collar', passed, limit: '50', observed: passed ? '1' : '75' },
        ],
      },
      [plan],
    );
    if (!passed) {
      const trigger = emit(
        'governance.trigger',
        {
          trigger: 'risk-breach',
          severity: 'warn',
          detail: 'price collar breached; order held for approval',
          subject: risk,
          required_approvals: 1,
        },
        [risk],
      );
      const signature = ed25519Sign(options.approver.seed, new TextEncoder().encode(trigger));
      emit(
        'approval',
        {
          subject: trigger,
          approver: options.approver.name,
          key: formatVerifierKey(options.approver),
          decision: 'reject',
          signature: toBase64(signature),
          reason: 'collar breach confirmed',
        },
        [trigger],
      );
      return;
    }
    orderNo++;
    const orderId = `O-${options.seed}-${orderNo}`;
    const order = emit(
      'order.new',
      {
        order_id: orderId,
        venue,
        instrument: INSTRUMENT,
        side,
        qty_lots: qty,
        order_type: 'limit',
        limit_px: px,
        tif: 'day',
      },
      [plan, risk],
      venue,
    );
    if (rng.next() < 0.04) {
      emit(
        'order.reject',
        { order_id: orderId, venue, reason: 'venue throttled', code: 'THROTTLE' },
        [order],
        venue,
      );
      return;
    }
    const ack = emit(
      'order.ack',
      { order_id: orderId, venue, venue_order_id: `${venue}-${orderNo}` },
      [order],
      venue,
    );
    let leaves = qty;
    let fillNo = 0;
    while (leaves > 0 && rng.next() < 0.8) {
      const fillQty = Math.min(leaves, rng.int(1, 3) * 10);
      leaves -= fillQty;
      fillNo++;
      emit(
        'fill',
        {
          order_id: orderId,
          venue,
          fill_id: `F-${orderId}-${fillNo}`,
          qty_lots: fillQty,
          px,
          leaves_lots: leaves,
          liquidity: rng.next() < 0.6 ? 'taker' : 'maker',
          fee: (fillQty * 0.0002).toFixed(4),
        },
        [order, ack],
        venue,
      );
    }
    if (leaves > 0) {
      if (rng.next() < 0.5) {
        emit(
          'order.cancel',
          { order_id: orderId, venue, reason: 'schedule slice ended' },
          [order],
          venue,
        );
      } else {
        emit(
          'order.replace',
          {
            order_id: orderId,
            new_order_id: `${orderId}-R`,
            venue,
            qty_lots: leaves,
            limit_px: px,
          },
          [order],
          venue,
        );
      }
    }
  }
}
