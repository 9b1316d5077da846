/**
 * @module
 * The FIX face of a sandbox Venue: the FixApplication behind every client session of an acceptor.
 * Order entry and market data both follow the venue's reports, order entry first, so a client
 * hears of its fill before it sees the book change. ExecutionReports for a session that is not
 * logged on wait for its next Logon; market data does not wait. No I/O and no clock of its own:
 * TransactTime (60) is read from the injected Scheduler's clock, and the venue keeps its own time.
 */
import { isDeltaTraceError, type Scheduler } from '../../../core/index.js';
import type { Venue } from '../../../exchange/index.js';
import type { InstrumentScales } from '../app/decimal-scale.js';
import { fixError, type FixMessage } from '../message.js';
import type { FixApplication, FixSessionHandle, OutboundMessage } from '../session/ports.js';
import { MarketDataDesk } from './market-data.js';
import { OrderEntry } from './order-entry.js';
import { resolveScales } from './scales.js';

export interface FixVenueGatewayOptions {
  readonly venue: Venue;
  /** Its clock stamps TransactTime (60); give the one the venue and sessions run on. */
  readonly scheduler: Scheduler;
  /**
   * The venue's instruments offered on FIX, by symbol, with the tick size of their prices and
   * the lot size of their quantities. A symbol not here is unknown on FIX.
   */
  readonly scales: Readonly<Record<string, InstrumentScales>>;
}

interface ClientSession {
  handle: FixSessionHandle | undefined;
  /** ExecutionReports and cancel rejects waiting for the session to log on again. */
  readonly outbox: OutboundMessage[];
}

/**
 * A client session's key: its CompIDs, with the separator escaped so two pairs never share one.
 * It prefixes the session's OrderIDs and is its owner id for self-trade prevention.
 */
function sessionKeyOf(session: FixSessionHandle): string {
  const escape = (id: string): string => id.replaceAll('%', '%25').replaceAll(':', '%3A');
  return `${escape(session.targetCompId)}:${escape(session.senderCompId)}`;
}

function isNotLoggedOn(error: unknown): boolean {
  return isDeltaTraceError(error) && error.code === 'FIX_SESSION_NOT_LOGGED_ON';
}

export class FixVenueGateway implements FixApplication {
  readonly venue: Venue;
  /** The symbols offered, sorted. */
  readonly symbols: readonly string[];
  readonly #clients = new Map<string, ClientSession>();
  readonly #orders: OrderEntry;
  readonly #marketData: MarketDataDesk;
  readonly #unsubscribe: () => void;

  /** @throws InputError FIX_GATEWAY_INVALID_CONFIG for no instrument or one the venue lacks. */
  constructor(options: FixVenueGatewayOptions) {
    const { venue, scheduler } = options;
    const scales = resolveScales(venue, options.scales);
    this.venue = venue;
    this.symbols = [...scales.keys()];
    this.#orders = new OrderEntry({
      venue,
      scales,
      nowWallNs: () => scheduler.clock.wallNs(),
      deliver: (sessionKey, message) => this.#deliver(sessionKey, message, true),
    });
    this.#marketData = new MarketDataDesk({
      venue,
      scales,
      deliver: (sessionKey, message) => this.#deliver(sessionKey, message, false),
    });
    this.#unsubscribe = venue.onReport((report) => {
      this.#orders.onReport(report);
      this.#marketData.onReport(report);
    });
  }

  onLogon(session: FixSessionHandle): void {
    const client = this.#client(sessionKeyOf(session));
    client.handle = session;
    while (client.outbox.length > 0) {
      try {
        session.send(client.outbox[0]!);
      } catch (error) {
        if (isNotLoggedOn(error)) return;
        throw error;
      }
      client.outbox.shift();
    }
  }

  onLogout(session: FixSessionHandle): void {
    const sessionKey = sessionKeyOf(session);
    this.#client(sessionKey).handle = undefined;
    this.#marketData.dropSession(sessionKey);
  }

  /**
   * @throws InputError FIX_UNSUPPORTED_MSG_TYPE for anything but D, F, G and V; FIX_MISSING_TAG,
   * FIX_BAD_VALUE, FIX_BAD_FORMAT for a message the session must answer with a Reject.
   */
  onMessage(message: FixMessage, session: FixSessionHandle): void {
    const sessionKey = sessionKeyOf(session);
    this.#client(sessionKey).handle = session;
    switch (message.msgType) {
      case 'D':
        return this.#orders.onNewOrderSingle(message, sessionKey);
      case 'F':
        return this.#orders.onCancelRequest(message, sessionKey);
      case 'G':
        return this.#orders.onReplaceRequest(message, sessionKey);
      case 'V':
        return this.#marketData.onRequest(message, sessionKey);
      default:
        throw fixError('FIX_UNSUPPORTED_MSG_TYPE', `a venue does not take ${message.msgType}`, {
          tag: 35,
          actual: message.msgType,
        });
    }
  }

  /** Stops following the venue; orders already on its books stay there. */
  close(): void {
    this.#unsubscribe();
  }

  #deliver(sessionKey: string, message: OutboundMessage, keep: boolean): void {
    const client = this.#client(sessionKey);
    if (client.handle !== undefined && client.outbox.length === 0) {
      try {
        client.handle.send(message);
        return;
      } catch (error) {
        if (!isNotLoggedOn(error)) throw error;
      }
    }
    if (keep) client.outbox.push(message);
  }

  #client(sessionKey: string): ClientSession {
    let client = this.#clients.get(sessionKey);
    if (client === undefined) {
      client = { handle: undefined, outbox: [] };
      this.#clients.set(sessionKey, client);
    }
    return client;
  }
}
