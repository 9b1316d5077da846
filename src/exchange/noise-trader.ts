/**
 * @module
 * A simulated noise trader: at jittered intervals it either takes liquidity (an IOC limit a
 * little through the touch) or joins the book near it with a day order it cancels after a while.
 * Its flow is what makes trades print and the providers' ladders move.
 */
import type { MarketContext, MarketParticipant, OrderEvent } from './market-participant.js';
import { drawInt, drawIntervalNs } from './market-profile.js';

export class NoiseTrader implements MarketParticipant {
  readonly ownerId: string;
  readonly #market: MarketContext;
  readonly #live = new Set<string>();
  #nextOrder = 0;

  constructor(market: MarketContext, index: number) {
    this.#market = market;
    this.ownerId = `${market.instrument}.noise${index}`;
  }

  start(): void {
    this.#scheduleNext();
  }

  onOrderEvent(event: OrderEvent): void {
    const gone =
      (event.type === 'fill' && event.leavesLots === 0) ||
      event.type === 'cancelled' ||
      event.type === 'reject';
    if (!gone || !this.#live.delete(event.orderId)) return;
    this.#market.forget(event.orderId);
  }

  #scheduleNext(): void {
    const market = this.#market;
    market.scheduler.setTimer(drawIntervalNs(market.rng, market.profile.noiseIntervalNs), () => {
      if (!market.running()) return;
      this.#act();
      this.#scheduleNext();
    });
  }

  #act(): void {
    const market = this.#market;
    const { profile, rng } = market;
    const mid = market.midTicks();
    const side = rng.next() < 0.5 ? 'buy' : 'sell';
    const sign = side === 'buy' ? 1 : -1;
    const qtyLots = drawInt(rng, 1, profile.noiseMaxLots);
    const aggressive = drawInt(rng, 1, 100) <= profile.aggressivePercent;
    const orderId = `${this.ownerId}.${++this.#nextOrder}`;
    this.#live.add(orderId);
    if (aggressive) {
      const throughTicks = profile.halfSpreadTicks + drawInt(rng, 0, 2);
      market.submit(
        {
          type: 'new',
          orderId,
          side,
          orderType: 'limit',
          tif: 'ioc',
          qtyLots,
          priceTicks: mid + sign * throughTicks,
          ownerId: this.ownerId,
        },
        this,
      );
      return;
    }
    const awayTicks = drawInt(rng, 0, profile.halfSpreadTicks + 2);
    market.submit(
      {
        type: 'new',
        orderId,
        side,
        orderType: 'limit',
        tif: 'day',
        qtyLots,
        priceTicks: mid - sign * awayTicks,
        ownerId: this.ownerId,
      },
      this,
    );
    market.scheduler.setTimer(drawIntervalNs(rng, profile.passiveLifetimeNs), () => {
      if (market.running() && this.#live.has(orderId)) {
        market.submit({ type: 'cancel', orderId }, this);
      }
    });
  }
}
