/**
 * @module
 * A price-time priority matching engine for one instrument. Pure and deterministic: the events a
 * command yields depend only on the commands applied before it. No I/O, clock or randomness.
 */
import { InputError, InternalError } from '../core/index.js';
import { BookSide, crosses, opposite, type PriceLevel, RestingOrder } from './book-side.js';
import type { CancelCommand, Command, NewOrderCommand, ReplaceCommand, Side } from './commands.js';
import type {
  CancelReason,
  ExchangeEvent,
  LevelChange,
  RejectEvent,
  RejectReason,
} from './events.js';
import { netLevelChanges } from './level-changes.js';

export interface OrderBookOptions {
  readonly instrument: string;
  /** Record the price levels each command changes, for {@link OrderBook.levelChanges}. */
  readonly trackLevels?: boolean;
}

/** Aggregated levels as `[priceTicks, qtyLots]`, best first on each side. */
export interface BookDepth {
  readonly bids: readonly (readonly [number, number])[];
  readonly asks: readonly (readonly [number, number])[];
}

function isPositiveInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

export class OrderBook {
  readonly instrument: string;
  private readonly bids = new BookSide('buy');
  private readonly asks = new BookSide('sell');
  private readonly live = new Map<string, RestingOrder>();
  /** Every accepted order id, live or not: ids are unique for the life of the book. */
  private readonly usedIds = new Set<string>();
  private lastSeq = 0;
  private out: ExchangeEvent[] = [];
  private readonly trackLevels: boolean;
  /** Commands applied so far; tags the levels a command touches. */
  private commandNo = 0;
  private touched: PriceLevel[] = [];
  private lastChanges: readonly LevelChange[] = [];

  constructor(options: OrderBookOptions) {
    this.instrument = options.instrument;
    this.trackLevels = options.trackLevels === true;
  }

  /** Applies one parsed command and returns the events it caused, in order. */
  apply(command: Command): ExchangeEvent[] {
    const out: ExchangeEvent[] = [];
    this.out = out;
    this.commandNo++;
    const bid = this.bids.best();
    const ask = this.asks.best();
    const bidPrice = bid?.priceTicks ?? null;
    const bidQty = bid?.totalLots ?? 0;
    const askPrice = ask?.priceTicks ?? null;
    const askQty = ask?.totalLots ?? 0;
    switch (command.type) {
      case 'new':
        this.onNew(command);
        break;
      case 'cancel':
        this.onCancel(command);
        break;
      case 'replace':
        this.onReplace(command);
        break;
      default: {
        const unreachable: never = command;
        throw new InternalError('INTERNAL', `unknown command ${String(unreachable)}`);
      }
    }
    const nextBid = this.bids.best();
    const nextAsk = this.asks.best();
    const nextBidPrice = nextBid?.priceTicks ?? null;
    const nextBidQty = nextBid?.totalLots ?? 0;
    const nextAskPrice = nextAsk?.priceTicks ?? null;
    const nextAskQty = nextAsk?.totalLots ?? 0;
    if (
      nextBidPrice !== bidPrice ||
      nextBidQty !== bidQty ||
      nextAskPrice !== askPrice ||
      nextAskQty !== askQty
    ) {
      out.push({
        seq: ++this.lastSeq,
        type: 'book',
        bidPriceTicks: nextBidPrice,
        bidQtyLots: nextBidQty,
        askPriceTicks: nextAskPrice,
        askQtyLots: nextAskQty,
      });
    }
    if (this.trackLevels) this.collectLevelChanges();
    return out;
  }

  /**
   * The levels the last {@link apply} changed, bids best first then asks best first; empty
   * unless the book was built with `trackLevels`. A level emptied and refilled by the same command
   * is reported once, with its final size, and only if that differs from its size before.
   */
  levelChanges(): readonly LevelChange[] {
    return this.lastChanges;
  }

  /**
   * Aggregated book, at most `levels` levels per side.
   * @throws InputError `INPUT_INVALID_ARGUMENT` unless `levels` is a non-negative integer.
   */
  depth(levels: number = Number.MAX_SAFE_INTEGER): BookDepth {
    if (!Number.isSafeInteger(levels) || levels < 0) {
      throw new InputError(
        'INPUT_INVALID_ARGUMENT',
        'depth levels must be a non-negative integer',
        {
          details: { levels: String(levels) },
        },
      );
    }
    return { bids: this.bids.depth(levels), asks: this.asks.depth(levels) };
  }

  /** Notes a level before the command changes it; the first touch keeps the size before. */
  private touch(level: PriceLevel): void {
    if (!this.trackLevels || level.touchedBy === this.commandNo) return;
    level.touchedBy = this.commandNo;
    level.lotsBefore = level.totalLots;
    this.touched.push(level);
  }

  private collectLevelChanges(): void {
    if (this.touched.length === 0) {
      this.lastChanges = [];
      return;
    }
    this.lastChanges = netLevelChanges(this.touched);
    this.touched = [];
  }

  private reject(command: Command['type'], orderId: string, reason: RejectReason): void {
    const event: RejectEvent = { seq: ++this.lastSeq, type: 'reject', command, orderId, reason };
    this.out.push(event);
  }

  private cancelled(
    orderId: string,
    side: Side,
    cancelledLots: number,
    reason: CancelReason,
  ): void {
    this.out.push({ seq: ++this.lastSeq, type: 'cancelled', orderId, side, cancelledLots, reason });
  }

  private onNew(command: NewOrderCommand): void {
    const { orderId, side, orderType, tif, qtyLots, priceTicks, ownerId } = command;
    if (this.usedIds.has(orderId)) return this.reject('new', orderId, 'duplicate-order-id');
    if (!isPositiveInteger(qtyLots)) return this.reject('new', orderId, 'invalid-qty');
    const isMarket = orderType === 'market';
    if (
      isMarket
        ? priceTicks !== undefined
        : priceTicks === undefined || !isPositiveInteger(priceTicks)
    ) {
      return this.reject('new', orderId, 'invalid-price');
    }
    this.usedIds.add(orderId);
    this.out.push({ seq: ++this.lastSeq, type: 'ack', orderId });
    const limitTicks = isMarket || priceTicks === undefined ? null : priceTicks;
    if (
      tif === 'fok' &&
      this.sideOf(opposite(side)).fillableLots(side, ownerId, limitTicks, qtyLots) < qtyLots
    ) {
      return this.cancelled(orderId, side, qtyLots, 'fok-unfilled');
    }
    const leavesLots = this.match(orderId, side, ownerId, limitTicks, qtyLots);
    if (leavesLots === 0) return;
    if (isMarket || limitTicks === null)
      return this.cancelled(orderId, side, leavesLots, 'market-remainder');
    if (tif === 'ioc') return this.cancelled(orderId, side, leavesLots, 'ioc-remainder');
    if (tif === 'fok') throw new InternalError('INTERNAL', 'fill-or-kill order partially filled');
    const order = new RestingOrder(orderId, ownerId, side, limitTicks, leavesLots);
    this.rest(order);
    this.live.set(orderId, order);
  }

  private onCancel(command: CancelCommand): void {
    const order = this.live.get(command.orderId);
    if (order === undefined) return this.reject('cancel', command.orderId, 'unknown-order');
    const cancelledLots = order.leavesLots;
    this.unrest(order);
    this.live.delete(order.orderId);
    this.cancelled(order.orderId, order.side, cancelledLots, 'user');
  }

  private onReplace(command: ReplaceCommand): void {
    const order = this.live.get(command.orderId);
    if (order === undefined) return this.reject('replace', command.orderId, 'unknown-order');
    if (command.qtyLots === undefined && command.priceTicks === undefined) {
      return this.reject('replace', command.orderId, 'no-change');
    }
    const qtyLots = command.qtyLots ?? order.leavesLots;
    const priceTicks = command.priceTicks ?? order.priceTicks;
    if (!isPositiveInteger(qtyLots)) return this.reject('replace', order.orderId, 'invalid-qty');
    if (!isPositiveInteger(priceTicks))
      return this.reject('replace', order.orderId, 'invalid-price');
    const { orderId, side } = order;

    if (priceTicks === order.priceTicks && qtyLots <= order.leavesLots) {
      const level = order.level;
      if (level === null) throw new InternalError('INTERNAL', 'live order without a level');
      this.touch(level);
      level.totalLots -= order.leavesLots - qtyLots;
      order.leavesLots = qtyLots;
      this.emitReplaced(order, qtyLots, true);
      return;
    }

    this.unrest(order);
    order.priceTicks = priceTicks;
    this.emitReplaced(order, qtyLots, false);
    // A repriced order that now crosses is an aggressor, exactly like a new day order.
    const leavesLots = this.match(orderId, side, order.ownerId, priceTicks, qtyLots);
    order.leavesLots = leavesLots;
    if (leavesLots === 0) {
      this.live.delete(orderId);
      return;
    }
    this.rest(order);
  }

  private emitReplaced(order: RestingOrder, leavesLots: number, priorityKept: boolean): void {
    this.out.push({
      seq: ++this.lastSeq,
      type: 'replaced',
      orderId: order.orderId,
      side: order.side,
      priceTicks: order.priceTicks,
      leavesLots,
      priorityKept,
    });
  }

  private sideOf(side: Side): BookSide {
    return side === 'buy' ? this.bids : this.asks;
  }

  private rest(order: RestingOrder): void {
    const level = this.sideOf(order.side).levelFor(order.priceTicks);
    this.touch(level);
    level.append(order);
  }

  private unrest(order: RestingOrder): void {
    const level = order.level;
    if (level === null) throw new InternalError('INTERNAL', 'live order without a level');
    this.touch(level);
    level.unlink(order);
    this.sideOf(order.side).removeIfEmpty(level);
  }

  /** Trades the aggressor against the opposite side; returns its unfilled lots. */
  private match(
    orderId: string,
    side: Side,
    ownerId: string,
    limitTicks: number | null,
    qtyLots: number,
  ): number {
    const book = this.sideOf(opposite(side));
    let leavesLots = qtyLots;
    while (leavesLots > 0) {
      const level = book.best();
      if (level === undefined || !crosses(side, limitTicks, level.priceTicks)) break;
      this.touch(level);
      let resting = level.head;
      while (resting !== null && leavesLots > 0) {
        const next = resting.next;
        if (resting.ownerId === ownerId) {
          const cancelledLots = resting.leavesLots;
          level.unlink(resting);
          this.live.delete(resting.orderId);
          this.cancelled(resting.orderId, resting.side, cancelledLots, 'self-trade');
        } else {
          const tradeLots = resting.leavesLots < leavesLots ? resting.leavesLots : leavesLots;
          resting.leavesLots -= tradeLots;
          level.totalLots -= tradeLots;
          leavesLots -= tradeLots;
          this.trade(orderId, side, resting, level.priceTicks, tradeLots, leavesLots);
          if (resting.leavesLots === 0) {
            level.unlink(resting);
            this.live.delete(resting.orderId);
          }
        }
        resting = next;
      }
      book.removeIfEmpty(level);
    }
    return leavesLots;
  }

  private trade(
    aggressorId: string,
    aggressorSide: Side,
    resting: RestingOrder,
    priceTicks: number,
    qtyLots: number,
    aggressorLeavesLots: number,
  ): void {
    const isBuy = aggressorSide === 'buy';
    const restingLeavesLots = resting.leavesLots;
    this.out.push(
      {
        seq: ++this.lastSeq,
        type: 'trade',
        buyOrderId: isBuy ? aggressorId : resting.orderId,
        sellOrderId: isBuy ? resting.orderId : aggressorId,
        priceTicks,
        qtyLots,
        aggressorSide,
        restingLeavesLots,
        aggressorLeavesLots,
      },
      {
        seq: ++this.lastSeq,
        type: 'fill',
        orderId: resting.orderId,
        side: resting.side,
        priceTicks,
        qtyLots,
        leavesLots: restingLeavesLots,
        liquidity: 'maker',
      },
      {
        seq: ++this.lastSeq,
        type: 'fill',
        orderId: aggressorId,
        side: aggressorSide,
        priceTicks,
        qtyLots,
        leavesLots: aggressorLeavesLots,
        liquidity: 'taker',
      },
    );
  }
}
