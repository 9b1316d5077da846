/**
 * Lifecycles for the feed tests: a venue with a real market-data server on port 0, clients that
 * record every event, and waits on events that fail after a timeout instead of sleeping.
 */
import {
  type ClientEvent,
  MarketDataClient,
  type MarketDataClientOptions,
  MarketDataServer,
  type MarketDataServerOptions,
} from '../../../src/adapters/ws/index.js';
import { SeededRng, VirtualScheduler } from '../../../src/core/index.js';
import { type Command, parseCommand, Venue } from '../../../src/exchange/index.js';

export const WAIT_TIMEOUT_MS = 10_000;

/** Records a client's events and lets a test wait for one. */
export class EventLog {
  readonly events: ClientEvent[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(client: MarketDataClient) {
    client.onEvent((event) => {
      this.events.push(event);
      for (const wake of [...this.#waiters]) wake();
    });
  }

  of<T extends ClientEvent['type']>(type: T): Extract<ClientEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<ClientEvent, { type: T }> => e.type === type);
  }

  /** Resolves with the first recorded event at index ≥ `from` that matches. */
  waitFor(
    predicate: (event: ClientEvent) => boolean,
    from = 0,
    timeoutMs = WAIT_TIMEOUT_MS,
  ): Promise<ClientEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.slice(from).find(predicate);
        if (found === undefined) return false;
        this.#waiters.delete(wake);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const wake = (): void => {
        check();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`no matching client event within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.#waiters.add(wake);
    });
  }
}

export function limit(
  orderId: string,
  side: 'buy' | 'sell',
  qtyLots: number,
  priceTicks: number,
): Command {
  return parseCommand({
    type: 'new',
    orderId,
    side,
    orderType: 'limit',
    qtyLots,
    priceTicks,
    ownerId: `owner-${orderId}`,
  });
}

export interface Feed {
  readonly scheduler: VirtualScheduler;
  readonly venue: Venue;
  readonly server: MarketDataServer;
  readonly clients: MarketDataClient[];
  client(overrides?: Partial<MarketDataClientOptions>): { client: MarketDataClient; log: EventLog };
  close(): Promise<void>;
}

/** A venue with a resting two-sided book and a server for it. */
export async function startFeed(overrides: Partial<MarketDataServerOptions> = {}): Promise<Feed> {
  const scheduler = new VirtualScheduler({ wallOriginNs: 1_700_000_000_000_000_000n });
  const venue = new Venue({ mic: 'XSIM1', instruments: ['ACME', 'BOLT'], scheduler });
  for (let i = 0; i < 5; i++) {
    venue.apply('ACME', limit(`b${i}`, 'buy', 10 + i, 100 - i));
    venue.apply('ACME', limit(`s${i}`, 'sell', 20 + i, 101 + i));
  }
  const server = await MarketDataServer.start({ venue, scheduler, ...overrides });
  const clients: MarketDataClient[] = [];
  return {
    scheduler,
    venue,
    server,
    clients,
    client(options = {}) {
      const client = new MarketDataClient({
        url: server.url,
        scheduler,
        rng: new SeededRng(17),
        ...options,
      });
      clients.push(client);
      return { client, log: new EventLog(client) };
    },
    async close() {
      for (const client of clients) await client.close();
      await server.close();
    },
  };
}

/** A burst of commands that add, trade through and remove levels on both sides. */
export function churn(venue: Venue, instrument: string, round: number): void {
  const id = (name: string): string => `${instrument}-${round}-${name}`;
  venue.apply(instrument, limit(id('b'), 'buy', 3, 100 - (round % 4)));
  venue.apply(instrument, limit(id('s'), 'sell', 4, 101 + (round % 3)));
  venue.apply(instrument, limit(id('take'), 'buy', 5, 102));
  venue.apply(instrument, limit(id('hit'), 'sell', 2, 99));
  venue.apply(instrument, parseCommand({ type: 'cancel', orderId: id('b') }));
}
