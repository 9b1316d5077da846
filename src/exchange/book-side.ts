/**
 * @module
 * One side of an order book: price levels kept sorted by how aggressive they are, each a FIFO
 * queue of resting orders. The best level sits at the end of the array, so consuming the top of
 * book is a `pop` rather than a shift of every other level. Orders are doubly linked inside their
 * level so that a cancel is O(1) once the order is found by id.
 */
import type { Side } from './commands.js';

/** A live order on the book. Mutable on purpose: the hot path updates it in place. */
export class RestingOrder {
  readonly orderId: string;
  readonly ownerId: string;
  readonly side: Side;
  priceTicks: number;
  leavesLots: number;
  prev: RestingOrder | null = null;
  next: RestingOrder | null = null;
  level: PriceLevel | null = null;

  constructor(
    orderId: string,
    ownerId: string,
    side: Side,
    priceTicks: number,
    leavesLots: number,
  ) {
    this.orderId = orderId;
    this.ownerId = ownerId;
    this.side = side;
    this.priceTicks = priceTicks;
    this.leavesLots = leavesLots;
  }
}

/** All resting orders at one price, oldest first. */
export class PriceLevel {
  readonly side: Side;
  readonly priceTicks: number;
  totalLots = 0;
  head: RestingOrder | null = null;
  tail: RestingOrder | null = null;
  /** Number of the last command that touched this level (level-change tracking). */
  touchedBy = 0;
  /** `totalLots` before that command first touched it. */
  lotsBefore = 0;

  constructor(side: Side, priceTicks: number) {
    this.side = side;
    this.priceTicks = priceTicks;
  }

  append(order: RestingOrder): void {
    order.level = this;
    order.prev = this.tail;
    order.next = null;
    if (this.tail === null) this.head = order;
    else this.tail.next = order;
    this.tail = order;
    this.totalLots += order.leavesLots;
  }

  /** Removes the order and its open quantity; the level may be left empty. */
  unlink(order: RestingOrder): void {
    if (order.prev === null) this.head = order.next;
    else order.prev.next = order.next;
    if (order.next === null) this.tail = order.prev;
    else order.next.prev = order.prev;
    this.totalLots -= order.leavesLots;
    order.prev = null;
    order.next = null;
    order.level = null;
  }
}

export class BookSide {
  readonly side: Side;
  /** Ascending by `rank`, so the best level is last. */
  private readonly levels: PriceLevel[] = [];

  constructor(side: Side) {
    this.side = side;
  }

  /** Higher rank is more aggressive: a higher bid, a lower ask. */
  private rank(priceTicks: number): number {
    return this.side === 'buy' ? priceTicks : -priceTicks;
  }

  best(): PriceLevel | undefined {
    return this.levels[this.levels.length - 1];
  }

  /** First index whose rank is not below the price's rank. */
  private lowerBound(priceTicks: number): number {
    const target = this.rank(priceTicks);
    let lo = 0;
    let hi = this.levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const level = this.levels[mid];
      if (level !== undefined && this.rank(level.priceTicks) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The level at this price, created in sorted position if absent. */
  levelFor(priceTicks: number): PriceLevel {
    const top = this.best();
    if (top?.priceTicks === priceTicks) return top;
    const at = this.lowerBound(priceTicks);
    const existing = this.levels[at];
    if (existing?.priceTicks === priceTicks) return existing;
    const level = new PriceLevel(this.side, priceTicks);
    this.levels.splice(at, 0, level);
    return level;
  }

  /** Drops the level if no order rests on it. */
  removeIfEmpty(level: PriceLevel): void {
    if (level.head !== null) return;
    if (this.best() === level) {
      this.levels.pop();
      return;
    }
    const at = this.lowerBound(level.priceTicks);
    if (this.levels[at] === level) this.levels.splice(at, 1);
  }

  /** Lots an aggressor could take from this side now; its own owner's orders do not count. */
  fillableLots(
    aggressorSide: Side,
    ownerId: string,
    limitTicks: number | null,
    wantLots: number,
  ): number {
    let lots = 0;
    for (let i = this.levels.length - 1; i >= 0 && lots < wantLots; i--) {
      const level = this.levels[i];
      if (level === undefined || !crosses(aggressorSide, limitTicks, level.priceTicks)) break;
      for (let o = level.head; o !== null && lots < wantLots; o = o.next) {
        if (o.ownerId !== ownerId) lots += o.leavesLots;
      }
    }
    return lots;
  }

  /** Up to `count` levels as `[priceTicks, qtyLots]`, best first. */
  depth(count: number): [number, number][] {
    const rows: [number, number][] = [];
    for (let i = this.levels.length - 1; i >= 0 && rows.length < count; i--) {
      const level = this.levels[i];
      if (level !== undefined) rows.push([level.priceTicks, level.totalLots]);
    }
    return rows;
  }
}

/** Whether an aggressor with this limit (null: market) may trade at a resting price. */
export function crosses(
  aggressorSide: Side,
  limitTicks: number | null,
  restingTicks: number,
): boolean {
  if (limitTicks === null) return true;
  return aggressorSide === 'buy' ? restingTicks <= limitTicks : restingTicks >= limitTicks;
}

export function opposite(side: Side): Side {
  return side === 'buy' ? 'sell' : 'buy';
}
