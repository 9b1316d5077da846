/**
 * A deterministic generator of realistic, valid event inputs for tests and benchmarks: market
 * ticks, signals drawn from them, routing plan deltas, risk checks, orders with acks, rejects,
 * cancels and fills, each naming the earlier events it derives from in `causes`. The same seed
 * and start give the same events, byte for byte; factories with different `start` values never
 * produce the same event, so a process can continue a log another one began.
 *
 * Inputs are in wire form (nanoseconds as decimal strings), ready for `Ledger#parseInputs`, and
 * carry `type_v` and `ts`, so the id given here is the id the ledger assigns. Append them in the
 * order generated: a cause must be in the log, or earlier in the same batch, before its effect.
 */
import { computeEventId } from '../../src/core/chain/entry-codec.js';
import type { EventBody } from '../../src/core/events/envelope.js';
import { type EventId, toTsNs } from '../../src/core/events/primitives.js';
import { SeededRng } from '../../src/core/rng.js';

/** 2026-01-01T00:00:00Z: generated time does not depend on today. */
const WALL_START_NS = 1_767_225_600_000_000_000n;
/** Generated events are this far apart in time; the start index offsets the clock. */
const STEP_NS = 250_000n;
const INSTRUMENTS = ['ACME', 'GLOBEX', 'INITECH'] as const;
const VENUES = ['XNAS-SIM', 'XLON-SIM'] as const;

export interface EventInputWire {
  readonly type: string;
  readonly type_v: number;
  readonly run: string;
  readonly ts: { readonly wall_ns: string; readonly mono_ns: string };
  readonly source: { readonly node: string; readonly adapter?: string; readonly venue?: string };
  readonly causes: readonly string[];
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface GeneratedEvent {
  readonly input: EventInputWire;
  /** The content id the ledger will give this event. */
  readonly id: string;
}

export interface EventFactoryOptions {
  readonly seed: number;
  readonly run?: string;
  readonly node?: string;
  /** Index of the first event generated (default 0). */
  readonly start?: number;
}

type Payload = Record<string, unknown>;

export class EventFactory {
  readonly #rng: SeededRng;
  readonly #run: string;
  readonly #node: string;
  readonly #tag: string;
  #index: number;
  readonly #ready: GeneratedEvent[] = [];
  readonly #mid = new Map<string, number>(INSTRUMENTS.map((name, i) => [name, 10_000 + 2_500 * i]));
  readonly #lastTick = new Map<string, string>();
  #orders = 0;

  constructor(options: EventFactoryOptions) {
    this.#rng = new SeededRng(options.seed);
    this.#run = options.run ?? 'test-run';
    this.#node = options.node ?? 'node-1';
    this.#index = options.start ?? 0;
    this.#tag = `${options.seed}-${this.#index}`;
  }

  next(): GeneratedEvent {
    while (this.#ready.length === 0) this.#cycle();
    return this.#ready.shift()!;
  }

  take(count: number): GeneratedEvent[] {
    return Array.from({ length: count }, () => this.next());
  }

  /** `count` raw inputs, as a producer would send them. */
  inputs(count: number): EventInputWire[] {
    return this.take(count).map((event) => event.input);
  }

  /** One trading cycle: ticks, then usually a signal and the plan, risk and order flow it causes. */
  #cycle(): void {
    const rng = this.#rng;
    const instrument = INSTRUMENTS[rng.int(0, INSTRUMENTS.length - 1)]!;
    for (let i = rng.int(1, 4); i > 0; i--) this.#tick(instrument);
    if (rng.next() < 0.25) return;
    const tick = this.#lastTick.get(instrument)!;
    const signal = this.#emit('signal', [tick], undefined, {
      name: 'momentum',
      instrument,
      value: decimal(rng.int(-5_000, 5_000), 3),
      horizon_ns: String(rng.int(1, 60) * 1_000_000_000),
      params: { lookback: rng.int(5, 50), fast: true },
    });
    const side = rng.next() < 0.5 ? 'buy' : 'sell';
    const venue = VENUES[rng.int(0, VENUES.length - 1)]!;
    const qty = rng.int(1, 20) * 10;
    const px = this.#mid.get(instrument)! + (side === 'buy' ? -1 : 1);
    const planId = `plan-${this.#tag}-${this.#orders}`;
    const plan = this.#emit('plan.delta', [signal], undefined, {
      plan_id: planId,
      base_version: 0,
      version: 1,
      instrument,
      side,
      changes: [{ venue, qty_delta_lots: qty, limit_px: px }],
      solver: {
        algorithm: 'admm',
        iterations: rng.int(3, 40),
        primal_residual: decimal(rng.int(1, 999), 6),
        dual_residual: decimal(rng.int(1, 999), 6),
        objective: decimal(rng.int(-100_000, 100_000), 2),
      },
    });
    const passed = rng.next() < 0.9;
    const risk = this.#emit('risk.check', [plan], undefined, {
      subject: planId,
      outcome: passed ? 'pass' : 'fail',
      rules: [
        { rule: 'max_order_qty', passed: true, limit: '500', observed: String(qty) },
        { rule: 'price_band', passed, limit: '0.05', observed: decimal(rng.int(0, 80), 3) },
      ],
    });
    if (!passed) return;
    this.#order(instrument, venue, side, qty, px, [risk, plan]);
  }

  #order(
    instrument: string,
    venue: string,
    side: string,
    qty: number,
    px: number,
    causes: string[],
  ): void {
    const rng = this.#rng;
    const orderId = `ord-${this.#tag}-${this.#orders++}`;
    const order = this.#emit('order.new', causes, venue, {
      order_id: orderId,
      venue,
      instrument,
      side,
      qty_lots: qty,
      order_type: 'limit',
      limit_px: px,
      tif: 'day',
    });
    if (rng.next() < 0.1) {
      this.#emit('order.reject', [order], venue, {
        order_id: orderId,
        venue,
        reason: 'price outside collar',
        code: 'PX_COLLAR',
      });
      return;
    }
    const ack = this.#emit('order.ack', [order], venue, {
      order_id: orderId,
      venue,
      venue_order_id: `V${rng.int(100_000, 999_999)}`,
    });
    const parts = rng.int(1, 3);
    const complete = rng.next() < 0.8;
    let leaves = qty;
    for (let n = 0; n < parts && leaves > 0; n++) {
      const filled = n === parts - 1 && complete ? leaves : Math.max(1, Math.floor(leaves / 2));
      leaves -= filled;
      this.#emit('fill', [ack], venue, {
        order_id: orderId,
        venue,
        fill_id: `${orderId}-f${n}`,
        qty_lots: filled,
        px,
        leaves_lots: leaves,
        liquidity: rng.next() < 0.5 ? 'maker' : 'taker',
        fee: decimal(filled * 3, 4),
      });
    }
    if (leaves > 0) {
      this.#emit('order.cancel', [ack], venue, { order_id: orderId, venue, reason: 'end of plan' });
    }
  }

  #tick(instrument: string): void {
    const rng = this.#rng;
    const mid = Math.max(100, this.#mid.get(instrument)! + rng.int(-3, 3));
    this.#mid.set(instrument, mid);
    const venue = VENUES[rng.int(0, VENUES.length - 1)]!;
    const id = this.#emit('md.tick', [], venue, {
      instrument,
      venue,
      bid_px: mid - 1,
      bid_qty: rng.int(1, 50) * 100,
      ask_px: mid + 1,
      ask_qty: rng.int(1, 50) * 100,
      last_px: mid + rng.int(-1, 1),
      last_qty: rng.int(1, 10) * 100,
      feed_seq: this.#index,
    });
    this.#lastTick.set(instrument, id);
  }

  #emit(type: string, causes: string[], venue: string | undefined, payload: Payload): string {
    const monoNs = BigInt(this.#index) * STEP_NS + BigInt(this.#rng.int(0, 1000));
    this.#index++;
    const wallNs = WALL_START_NS + monoNs;
    const source =
      venue === undefined
        ? { node: this.#node, adapter: 'sim' }
        : { node: this.#node, adapter: 'sim', venue };
    const body: EventBody = {
      type,
      type_v: 1,
      run: this.#run,
      ts: { wall_ns: toTsNs(wallNs), mono_ns: toTsNs(monoNs) },
      source,
      causes: causes.map((cause) => cause as EventId),
      payload,
    };
    const id = computeEventId(body);
    this.#ready.push({
      id,
      input: {
        type,
        type_v: 1,
        run: this.#run,
        ts: { wall_ns: wallNs.toString(), mono_ns: monoNs.toString() },
        source,
        causes,
        payload,
      },
    });
    return id;
  }
}

/** `units / 10^scale` as a decimal string with exactly `scale` fraction digits. */
function decimal(units: number, scale: number): string {
  const sign = units < 0 ? '-' : '';
  const digits = String(Math.abs(units)).padStart(scale + 1, '0');
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
