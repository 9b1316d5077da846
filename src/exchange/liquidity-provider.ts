/**
 * @module
 * A simulated market maker: a ladder of resting quotes on each side of the mid, re-priced on a
 * jittered timer and re-filled once hit. It follows its orders only through the venue's events,
 * so a quote can be filled while a re-price is in flight, exactly as on a real venue.
 */
import type { Side } from './commands.js';
import type { MarketContext, MarketParticipant, OrderEvent } from './market-participant.js';
import { drawInt, drawIntervalNs } from './market-profile.js';

interface Slot {
  readonly side: Side;
  readonly level: number;
  orderId: string | null;
  /** The price last asked for (sent, maybe not processed yet). */
  priceTicks: number;
}

export class LiquidityProvider implements MarketParticipant {
  readonly ownerId: string;
  readonly #market: MarketContext;
  readonly #slots: Slot[] = [];
  readonly #bySlotId = new Map<string, Slot>();
  #nextOrder = 0;

  constructor(market: MarketContext, index: number) {
    this.#market = market;
    this.ownerId = `${market.instrument}.lp${index}`;
    for (let level = 0; level < market.profile.levelsPerSide; level++) {
      for (const side of ['buy', 'sell'] as const) {
        this.#slots.push({ side, level, orderId: null, priceTicks: 0 });
      }
    }
  }

  start(): void {
    this.#refresh();
  }

  onOrderEvent(event: OrderEvent): void {
    const slot = this.#bySlotId.get(event.orderId);
    if (slot === undefined) return;
    const gone =
      (event.type === 'fill' && event.leavesLots === 0) ||
      event.type === 'cancelled' ||
      (event.type === 'reject' && (event.command === 'new' || event.reason === 'unknown-order'));
    if (!gone) return;
    this.#bySlotId.delete(event.orderId);
    this.#market.forget(event.orderId);
    if (slot.orderId === event.orderId) slot.orderId = null;
  }

  #refresh(): void {
    const market = this.#market;
    if (!market.running()) return;
    const { profile, rng } = market;
    const mid = market.midTicks();
    // Each provider leans its ladder by up to a tick per refresh, so providers do not all quote
    // the same prices and the touch moves between them.
    const lean = drawInt(rng, 0, 1);
    for (const slot of this.#slots) {
      const away = profile.halfSpreadTicks + lean + slot.level * profile.levelSpacingTicks;
      const targetTicks = slot.side === 'buy' ? mid - away : mid + away;
      const qtyLots = drawInt(rng, profile.quoteMinLots, profile.quoteMaxLots);
      if (slot.orderId === null) {
        const orderId = `${this.ownerId}.${++this.#nextOrder}`;
        slot.orderId = orderId;
        slot.priceTicks = targetTicks;
        this.#bySlotId.set(orderId, slot);
        market.submit(
          {
            type: 'new',
            orderId,
            side: slot.side,
            orderType: 'limit',
            tif: 'day',
            qtyLots,
            priceTicks: targetTicks,
            ownerId: this.ownerId,
          },
          this,
        );
      } else if (slot.priceTicks !== targetTicks) {
        slot.priceTicks = targetTicks;
        market.submit(
          { type: 'replace', orderId: slot.orderId, priceTicks: targetTicks, qtyLots },
          this,
        );
      }
    }
    market.scheduler.setTimer(drawIntervalNs(rng, profile.quoteRefreshNs), () => this.#refresh());
  }
}
