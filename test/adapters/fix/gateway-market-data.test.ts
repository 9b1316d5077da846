import { afterEach, describe, expect, it } from 'vitest';

import {
  buildMarketDataRequest,
  buildNewOrderSingle,
  type FixField,
  type FixMessage,
  type MarketDataRequest,
  parseMarketDataIncrementalRefresh,
  parseMarketDataSnapshot,
} from '../../../src/adapters/fix/index.js';
import { SeededRng, VirtualScheduler } from '../../../src/core/index.js';
import { type BookDepth, MarketSimulator } from '../../../src/exchange/index.js';
import { type GatewayClient, GatewayWorld, SCALES } from './gateway-harness.js';

const MS = 1_000_000n;
type Symbol = keyof typeof SCALES;

/** A client's copy of one subscription's books, rebuilt from W and X alone. */
class ClientBooks {
  readonly #books = new Map<string, { bid: Map<number, number>; offer: Map<number, number> }>();
  readonly trades: [string, number, number][] = [];

  /** Applies a W or X of this subscription; a wrong MDUpdateAction fails the test. */
  apply(message: FixMessage): void {
    if (message.msgType === 'W') {
      const symbol = message.get(55) as Symbol;
      const snapshot = parseMarketDataSnapshot(message, SCALES[symbol]);
      const book = { bid: new Map<number, number>(), offer: new Map<number, number>() };
      for (const entry of snapshot.entries) {
        if (entry.entryType !== 'trade')
          book[entry.entryType].set(entry.priceTicks!, entry.sizeLots!);
      }
      this.#books.set(symbol, book);
      return;
    }
    const symbol = message.get(55) as Symbol;
    for (const entry of parseMarketDataIncrementalRefresh(message, SCALES[symbol]).entries) {
      const price = entry.priceTicks!;
      if (entry.entryType === 'trade') {
        this.trades.push([entry.symbol!, price, entry.sizeLots!]);
        continue;
      }
      const side = this.#books.get(entry.symbol!)![entry.entryType];
      expect(side.has(price), `${entry.action} ${entry.entryType} ${price}`).toBe(
        entry.action !== 'new',
      );
      if (entry.action === 'delete') side.delete(price);
      else side.set(price, entry.sizeLots!);
    }
  }

  depth(symbol: string): BookDepth {
    const book = this.#books.get(symbol)!;
    return {
      bids: [...book.bid].sort((a, b) => b[0] - a[0]),
      asks: [...book.offer].sort((a, b) => a[0] - b[0]),
    };
  }
}

const worlds: GatewayWorld[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
});

/** A venue on virtual time with a seeded market, and connected ALPHA and BETA clients. */
async function start(wallOriginNs = BigInt(Date.now()) * MS): Promise<{
  world: GatewayWorld;
  scheduler: VirtualScheduler;
  alpha: GatewayClient;
  beta: GatewayClient;
}> {
  const scheduler = new VirtualScheduler({ wallOriginNs });
  const world = await GatewayWorld.start({ scheduler, clients: ['ALPHA', 'BETA'] });
  worlds.push(world);
  const alpha = world.client('ALPHA');
  const beta = world.client('BETA');
  await alpha.connect();
  await beta.connect();
  const simulator = new MarketSimulator({
    venue: world.venue,
    scheduler,
    rng: new SeededRng(20240102),
    instruments: [{ instrument: 'ACME' }, { instrument: 'WIDGET' }],
  });
  simulator.start();
  scheduler.advanceBy(200n * MS);
  return { world, scheduler, alpha, beta };
}

function request(mdReqId: string, fields: Partial<MarketDataRequest> = {}) {
  return buildMarketDataRequest({
    mdReqId,
    subscription: 'subscribe',
    marketDepth: 0,
    entryTypes: ['bid', 'offer', 'trade'],
    symbols: ['ACME'],
    ...fields,
  });
}

/** Moves the market on by `steps` × 10 ms, waiting after each for every client to catch up. */
async function run(
  scheduler: VirtualScheduler,
  clients: readonly GatewayClient[],
  steps: number,
  check: () => void = () => {},
): Promise<void> {
  for (let step = 0; step < steps; step++) {
    scheduler.advanceBy(10n * MS);
    for (const client of clients) await client.caughtUp();
    check();
  }
}

function feed(client: GatewayClient, books: ReadonlyMap<string, ClientBooks>): void {
  for (const message of client.rest()) books.get(message.get(262) ?? '')!.apply(message);
}

describe('FixVenueGateway market data', () => {
  describe('with a simulated market moving the venue', () => {
    it('lets clients rebuild the exact book from a snapshot and incrementals', async () => {
      const { world, scheduler, alpha, beta } = await start();
      const venueTrades: [string, number, number][] = [];
      world.venue.onReport((report) => {
        for (const e of report.events) {
          if (e.type === 'trade') venueTrades.push([report.instrument, e.priceTicks, e.qtyLots]);
        }
      });
      const full = new ClientBooks();
      const top3 = new ClientBooks();
      const books = new Map([
        ['full', full],
        ['top3', top3],
      ]);
      alpha.send(request('full', { symbols: ['WIDGET', 'ACME'] }));
      beta.send(request('top3', { marketDepth: 3, entryTypes: ['bid', 'offer'] }));
      const snapshots = [...(await alpha.next(2)), ...(await beta.next())];
      for (const message of snapshots) books.get(message.get(262)!)!.apply(message);
      expect(snapshots.map((m) => [m.msgType, m.get(262), m.get(55)])).toEqual([
        ['W', 'full', 'ACME'],
        ['W', 'full', 'WIDGET'],
        ['W', 'top3', 'ACME'],
      ]);
      expect(snapshots[2]!.getAll(290)).toEqual(['1', '2', '3', '1', '2', '3']);
      await run(scheduler, [alpha, beta], 60, () => {
        feed(alpha, books);
        feed(beta, books);
        expect(full.depth('ACME')).toEqual(world.venue.depth('ACME'));
        expect(full.depth('WIDGET')).toEqual(world.venue.depth('WIDGET'));
        expect(top3.depth('ACME')).toEqual(world.venue.depth('ACME', 3));
      });
      expect(alpha.received.length).toBeGreaterThan(60);
      expect(venueTrades.length).toBeGreaterThan(5);
      expect(full.trades).toEqual(venueTrades);
      expect(top3.trades).toEqual([]);
      expect(world.sessionRejects('ALPHA')).toEqual([]);
    });
  });

  describe('on virtual time', () => {
    /** One scripted session: subscriptions, the market moving, an order trading into it. */
    async function script(): Promise<string[][]> {
      // 2024-01-02T03:04:05Z: a fixed origin, so SendingTime repeats too.
      const { world, scheduler, alpha, beta } = await start(1_704_164_645_000_000_000n);
      alpha.send(request('a1', { symbols: ['ACME', 'WIDGET'] }));
      beta.send(request('b1', { marketDepth: 2 }));
      await alpha.next(2);
      await beta.next();
      await run(scheduler, [alpha, beta], 10);
      const best = world.venue.depth('ACME', 1).asks[0]!;
      alpha.send(
        buildNewOrderSingle(
          {
            clOrdId: 'x1',
            symbol: 'ACME',
            side: 'buy',
            orderType: 'limit',
            tif: 'ioc',
            qtyLots: best[1] + 1,
            priceTicks: best[0] + 2,
            transactTimeNs: scheduler.clock.wallNs(),
          },
          SCALES.ACME,
        ),
      );
      // Virtual time moves on only once the venue side has the order.
      await world.hasHeard('ALPHA', 2);
      await run(scheduler, [alpha, beta], 20);
      return [world.wire.get('ALPHA')!, world.wire.get('BETA')!];
    }

    it('sends byte-identical traffic when run twice', async () => {
      const first = await script();
      const second = await script();
      expect(first[0]!.some((text) => text.includes('\x0135=8\x01'))).toBe(true);
      expect(second).toEqual(first);
    });
  });

  describe('when a subscription ends', () => {
    it('sends nothing more after an unsubscribe or a disconnect', async () => {
      const { scheduler, alpha, beta } = await start();
      alpha.send(request('a1'));
      beta.send(request('b1'));
      await alpha.next();
      await beta.next();
      await run(scheduler, [alpha, beta], 10);
      const updates = (client: GatewayClient) =>
        client.rest().filter((message) => message.msgType === 'X').length;
      expect(updates(alpha)).toBeGreaterThan(0);
      expect(updates(beta)).toBeGreaterThan(0);
      beta.send(request('b1', { subscription: 'unsubscribe' }));
      // Its snapshot comes after the unsubscribe has been handled.
      beta.send(request('sync', { subscription: 'snapshot' }));
      expect((await beta.next()).map((message) => message.get(262))).toEqual(['sync']);
      await alpha.disconnect();
      await run(scheduler, [beta], 20);
      expect(updates(beta)).toBe(0);
      expect(alpha.rest()).toEqual([]);
      // A dropped subscription's MDReqID is free again.
      await alpha.connect();
      alpha.send(request('a1'));
      expect((await alpha.next()).map((message) => message.msgType)).toEqual(['W']);
    });

    it('sends only the snapshot for SubscriptionRequestType 0', async () => {
      const { scheduler, alpha } = await start();
      alpha.send(request('s1', { subscription: 'snapshot' }));
      expect((await alpha.next()).map((message) => message.msgType)).toEqual(['W']);
      await run(scheduler, [alpha], 10);
      expect(alpha.rest()).toEqual([]);
    });
  });

  describe('when a request cannot be served', () => {
    it('answers with a MarketDataRequestReject naming the reason', async () => {
      const { alpha } = await start();
      const raw = (mdReqId: string, entryType: string) => {
        const body: FixField[] = [
          [146, '1'],
          [55, 'ACME'],
          [262, mdReqId],
          [263, '1'],
          [264, '0'],
          [267, '1'],
          [269, entryType],
        ];
        return { msgType: 'V', body };
      };
      alpha.send(request('u1', { symbols: ['ACME', 'NOPE'] }));
      alpha.send(request('d1'));
      alpha.send(request('d1'));
      alpha.send(raw('e1', '4'));
      alpha.send(request('f1', { updateType: 'full' }));
      alpha.send(request('zz', { subscription: 'unsubscribe' }));
      const answers = (await alpha.next(6)).map((m) => [m.msgType, m.get(262), m.get(281) ?? null]);
      expect(answers).toEqual([
        ['Y', 'u1', '0'],
        ['W', 'd1', null],
        ['Y', 'd1', '1'],
        ['Y', 'e1', '8'],
        ['Y', 'f1', '6'],
        ['Y', 'zz', null],
      ]);
    });
  });
});
