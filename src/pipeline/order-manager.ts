/**
 * @module
 * Order state across venues: what was sent, what each venue answered, the fills, and the position
 * they add up to. Answers that do not fit an order's state (a fill for an unknown order, more
 * filled than was open) are kept as anomalies rather than thrown: they come from outside.
 */
import type { Side } from '../core/index.js';
import type { EventRef } from './capture.js';
import type { CancelledInput, FillInput, RejectInput } from './inputs.js';
import { type OrderBookState, sortedEntries } from './pipeline-state.js';

export type OrderState =
  'pending-new' | 'new' | 'partially-filled' | 'filled' | 'cancelled' | 'rejected';

export interface ManagedOrder {
  readonly orderId: string;
  readonly venue: string;
  readonly instrument: string;
  readonly side: Side;
  readonly qtyLots: number;
  readonly limitPx: number | undefined;
  readonly parentId: string | undefined;
  /** The order.new event. */
  readonly ref: EventRef;
  readonly sentMonoNs: bigint;
  state: OrderState;
  venueOrderId: string | undefined;
  cumQtyLots: number;
  leavesLots: number;
  /** Σ price × qty of the fills, in ticks × lots. */
  notionalTicks: number;
  cancelRequested: boolean;
}

export interface OrderAnomaly {
  readonly orderId: string;
  readonly venue: string;
  readonly problem: string;
}

export interface OrderView {
  get(orderId: string): ManagedOrder | undefined;
  /** Open orders (not filled, cancelled or rejected), sorted by order id. */
  working(instrument?: string): readonly ManagedOrder[];
  /** Signed filled position in lots (buys positive). */
  position(instrument: string): number;
  /** Open quantity on one side, in lots. */
  workingLots(instrument: string, side: Side): number;
  /** Filled lots of a parent order. */
  parentFilledLots(parentId: string): number;
  /** Monotonic time of the last reject of one of this run's orders; −1 when none. */
  lastRejectMonoNs(): bigint;
  /**
   * The fill events of a parent recorded after `afterRef` (all when undefined), in order: a
   * decision that reads the parent's filled quantity names the fills it has not yet accounted
   * for, so the causal graph carries the state the decision rests on.
   */
  parentFillsAfter(parentId: string, afterRef: EventRef | undefined): readonly EventRef[];
}

const DONE: ReadonlySet<OrderState> = new Set(['filled', 'cancelled', 'rejected']);

export function isDone(order: ManagedOrder): boolean {
  return DONE.has(order.state);
}

function byOrderId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The orders not yet done, kept sorted by order id: `working` is asked on every tick and sorts
 * nothing. A handful are open at a time, so insertion and removal are cheap.
 */
class OpenOrders {
  readonly sorted: ManagedOrder[] = [];

  /** Where `orderId` is, or where it would go. */
  #find(orderId: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byOrderId(this.sorted[mid]!.orderId, orderId) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  put(order: ManagedOrder): void {
    const at = this.#find(order.orderId);
    if (this.sorted[at]?.orderId === order.orderId) this.sorted[at] = order;
    else this.sorted.splice(at, 0, order);
  }

  remove(orderId: string): void {
    const at = this.#find(orderId);
    if (this.sorted[at]?.orderId === orderId) this.sorted.splice(at, 1);
  }

  clear(): void {
    this.sorted.length = 0;
  }
}

export class OrderManager implements OrderView {
  readonly #orders = new Map<string, ManagedOrder>();
  /** Orders not yet done: what `working` and `workingLots` scan. */
  readonly #open = new OpenOrders();
  readonly #positions = new Map<string, number>();
  readonly #parentFilled = new Map<string, number>();
  readonly #parentFills = new Map<string, EventRef[]>();
  readonly anomalies: OrderAnomaly[] = [];
  #lastRejectMonoNs = -1n;

  add(
    order: Omit<
      ManagedOrder,
      'state' | 'venueOrderId' | 'cumQtyLots' | 'leavesLots' | 'notionalTicks' | 'cancelRequested'
    >,
  ): ManagedOrder {
    // Member by member rather than spread: one shape for every order.
    const managed: ManagedOrder = {
      orderId: order.orderId,
      venue: order.venue,
      instrument: order.instrument,
      side: order.side,
      qtyLots: order.qtyLots,
      limitPx: order.limitPx,
      parentId: order.parentId,
      ref: order.ref,
      sentMonoNs: order.sentMonoNs,
      state: 'pending-new',
      venueOrderId: undefined,
      cumQtyLots: 0,
      leavesLots: order.qtyLots,
      notionalTicks: 0,
      cancelRequested: false,
    };
    this.#orders.set(order.orderId, managed);
    this.#open.put(managed);
    return managed;
  }

  get(orderId: string): ManagedOrder | undefined {
    return this.#orders.get(orderId);
  }

  #known(orderId: string, venue: string): ManagedOrder | undefined {
    const order = this.#orders.get(orderId);
    if (order === undefined || order.venue !== venue) {
      this.anomalies.push({ orderId, venue, problem: 'unknown order' });
      return undefined;
    }
    return order;
  }

  onAck(orderId: string, venue: string, venueOrderId: string): ManagedOrder | undefined {
    const order = this.#known(orderId, venue);
    if (order === undefined) return undefined;
    order.venueOrderId = venueOrderId;
    if (order.state === 'pending-new') order.state = 'new';
    return order;
  }

  onReject(input: RejectInput, atMonoNs: bigint): ManagedOrder | undefined {
    this.#lastRejectMonoNs = atMonoNs;
    const order = this.#known(input.orderId, input.venue);
    if (order === undefined) return undefined;
    // A venue rejects an order before accepting it; a reject of an order it already acknowledged
    // or filled cannot end that order, and is kept as an anomaly.
    if (order.state !== 'pending-new') {
      this.anomalies.push({
        orderId: order.orderId,
        venue: order.venue,
        problem: `reject after ${order.state}`,
      });
      return order;
    }
    order.state = 'rejected';
    order.leavesLots = 0;
    this.#open.remove(order.orderId);
    return order;
  }

  onFill(input: FillInput, ref: EventRef): ManagedOrder | undefined {
    const order = this.#known(input.orderId, input.venue);
    if (order === undefined) return undefined;
    if (input.qtyLots > order.leavesLots || isDone(order)) {
      this.anomalies.push({
        orderId: order.orderId,
        venue: order.venue,
        problem: 'fill beyond open quantity',
      });
    }
    const qty = Math.min(input.qtyLots, order.leavesLots);
    order.cumQtyLots += qty;
    order.notionalTicks += qty * input.priceTicks;
    order.leavesLots = Math.max(0, Math.min(order.leavesLots - qty, input.leavesLots));
    order.state = order.leavesLots === 0 ? 'filled' : 'partially-filled';
    if (order.state === 'filled') this.#open.remove(order.orderId);
    const signed = order.side === 'buy' ? qty : -qty;
    this.#positions.set(order.instrument, (this.#positions.get(order.instrument) ?? 0) + signed);
    if (order.parentId !== undefined) {
      this.#parentFilled.set(order.parentId, (this.#parentFilled.get(order.parentId) ?? 0) + qty);
      let fills = this.#parentFills.get(order.parentId);
      if (fills === undefined) {
        fills = [];
        this.#parentFills.set(order.parentId, fills);
      }
      fills.push(ref);
    }
    return order;
  }

  onCancelled(input: CancelledInput): ManagedOrder | undefined {
    const order = this.#known(input.orderId, input.venue);
    if (order === undefined) return undefined;
    if (isDone(order)) return order;
    order.state = 'cancelled';
    order.leavesLots = 0;
    this.#open.remove(order.orderId);
    return order;
  }

  working(instrument?: string): readonly ManagedOrder[] {
    const open: ManagedOrder[] = [];
    for (const order of this.#open.sorted) {
      if (instrument === undefined || order.instrument === instrument) open.push(order);
    }
    return open;
  }

  all(): readonly ManagedOrder[] {
    return [...this.#orders.values()].sort((a, b) =>
      a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0,
    );
  }

  position(instrument: string): number {
    return this.#positions.get(instrument) ?? 0;
  }

  workingLots(instrument: string, side: Side): number {
    let lots = 0;
    for (const order of this.#open.sorted) {
      if (order.instrument === instrument && order.side === side) lots += order.leavesLots;
    }
    return lots;
  }

  parentFillsAfter(parentId: string, afterRef: EventRef | undefined): readonly EventRef[] {
    const fills = this.#parentFills.get(parentId) ?? [];
    if (afterRef === undefined) return fills;
    let from = fills.length;
    while (from > 0 && fills[from - 1]! > afterRef) from--;
    return fills.slice(from);
  }

  lastRejectMonoNs(): bigint {
    return this.#lastRejectMonoNs;
  }

  parentFilledLots(parentId: string): number {
    return this.#parentFilled.get(parentId) ?? 0;
  }

  snapshot(): OrderBookState {
    return {
      orders: this.all().map((o) => ({
        order_id: o.orderId,
        venue: o.venue,
        instrument: o.instrument,
        side: o.side,
        qty_lots: o.qtyLots,
        limit_px: o.limitPx ?? null,
        parent_id: o.parentId ?? null,
        ref: o.ref,
        sent_mono_ns: o.sentMonoNs.toString(),
        state: o.state,
        venue_order_id: o.venueOrderId ?? null,
        cum_qty_lots: o.cumQtyLots,
        leaves_lots: o.leavesLots,
        notional_ticks: o.notionalTicks,
        cancel_requested: o.cancelRequested,
      })),
      positions: sortedEntries(this.#positions),
      parent_filled: sortedEntries(this.#parentFilled),
      parent_fills: sortedEntries(this.#parentFills).map(([p, refs]) => [p, [...refs]]),
      last_reject_mono_ns: this.#lastRejectMonoNs.toString(),
      anomalies: this.anomalies.map((a) => ({
        order_id: a.orderId,
        venue: a.venue,
        problem: a.problem,
      })),
    };
  }

  restore(state: OrderBookState): void {
    this.#orders.clear();
    this.#open.clear();
    for (const o of state.orders) {
      const order: ManagedOrder = {
        orderId: o.order_id,
        venue: o.venue,
        instrument: o.instrument,
        side: o.side,
        qtyLots: o.qty_lots,
        limitPx: o.limit_px ?? undefined,
        parentId: o.parent_id ?? undefined,
        ref: o.ref,
        sentMonoNs: BigInt(o.sent_mono_ns),
        state: o.state,
        venueOrderId: o.venue_order_id ?? undefined,
        cumQtyLots: o.cum_qty_lots,
        leavesLots: o.leaves_lots,
        notionalTicks: o.notional_ticks,
        cancelRequested: o.cancel_requested,
      };
      this.#orders.set(order.orderId, order);
      if (!isDone(order)) this.#open.put(order);
    }
    this.#positions.clear();
    for (const [instrument, lots] of state.positions) this.#positions.set(instrument, lots);
    this.#parentFilled.clear();
    for (const [parent, lots] of state.parent_filled) this.#parentFilled.set(parent, lots);
    this.#parentFills.clear();
    for (const [parent, refs] of state.parent_fills) this.#parentFills.set(parent, [...refs]);
    this.#lastRejectMonoNs = BigInt(state.last_reject_mono_ns);
    this.anomalies.length = 0;
    for (const a of state.anomalies) {
      this.anomalies.push({ orderId: a.order_id, venue: a.venue, problem: a.problem });
    }
  }
}
