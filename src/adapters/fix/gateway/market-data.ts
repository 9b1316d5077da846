/**
 * @module
 * Market data of the FIX venue gateway. A MarketDataRequest (V) is answered with one
 * MarketDataSnapshotFullRefresh (W) per symbol, levels best first; a subscription (263 = 1) then
 * gets one MarketDataIncrementalRefresh (X) per venue report that changes what it shows: each
 * price level as new, change or delete (279), each trade as a new trade entry (269 = 2). Entries
 * are keyed by type and price, so a client rebuilds the book from W and X alone. A subscription
 * keeps the view it last sent, which tells a new level from a changed one and, under a
 * MarketDepth limit, which levels entered or left the top. Subscriptions are served in sorted
 * (session, MDReqID) order.
 */
import type { BookDepth, LevelChange, Venue, VenueReport } from '../../../exchange/index.js';
import type { InstrumentScales } from '../app/decimal-scale.js';
import { FieldReader } from '../app/fields.js';
import {
  buildMarketDataIncrementalRefresh,
  buildMarketDataSnapshot,
  type IncrementalEntry,
  type MarketDataRequest,
  type MdEntryType,
  parseMarketDataRequest,
  type SnapshotEntry,
} from '../app/market-data.js';
import type { FixField, FixMessage } from '../message.js';
import type { OutboundMessage } from '../session/ports.js';
import { badValueTag } from './refusals.js';

/** MDReqRejReason (281). */
const MD_REQ_REJ = {
  UNKNOWN_SYMBOL: '0',
  DUPLICATE_MD_REQ_ID: '1',
  UNSUPPORTED_MD_UPDATE_TYPE: '6',
  UNSUPPORTED_MD_ENTRY_TYPE: '8',
} as const;

type BookEntryType = Extract<MdEntryType, 'bid' | 'offer'>;

/** The levels a client holds of one symbol's book, price → lots. */
interface BookView {
  readonly bid: Map<number, number>;
  readonly offer: Map<number, number>;
}

interface Subscription {
  readonly sessionKey: string;
  readonly mdReqId: string;
  /** MarketDepth (264): 0 is the whole book. */
  readonly depth: number;
  readonly entryTypes: ReadonlySet<MdEntryType>;
  readonly views: ReadonlyMap<string, BookView>;
}

export interface MarketDataContext {
  readonly venue: Venue;
  readonly scales: ReadonlyMap<string, InstrumentScales>;
  /** Sends to a client session if it is logged on; market data is not kept for later. */
  deliver(sessionKey: string, message: OutboundMessage): void;
}

/** MarketDataRequestReject (Y); its body in tag order. */
function marketDataRequestReject(
  mdReqId: string,
  reason: string | undefined,
  text: string,
): OutboundMessage {
  const body: FixField[] = [
    [58, text],
    [262, mdReqId],
  ];
  if (reason !== undefined) body.push([281, reason]);
  return { msgType: 'Y', body };
}

/** Moves one level of `view` to `lots` (0: gone); the entry saying so, if anything changed. */
function moveLevel(
  view: Map<number, number>,
  entryType: BookEntryType,
  symbol: string,
  priceTicks: number,
  lots: number,
): IncrementalEntry | undefined {
  const before = view.get(priceTicks);
  if (before === lots || (before === undefined && lots === 0)) return undefined;
  if (lots === 0) {
    view.delete(priceTicks);
    return { action: 'delete', entryType, symbol, priceTicks };
  }
  view.set(priceTicks, lots);
  const action = before === undefined ? 'new' : 'change';
  return { action, entryType, symbol, priceTicks, sizeLots: lots };
}

/** Moves `view` to the top-of-book `rows`: levels that left it are deleted, in price order. */
function moveToRows(
  view: Map<number, number>,
  entryType: BookEntryType,
  symbol: string,
  rows: readonly (readonly [number, number])[],
): IncrementalEntry[] {
  const kept = new Set(rows.map(([priceTicks]) => priceTicks));
  const gone = [...view.keys()].filter((priceTicks) => !kept.has(priceTicks));
  const moves = [
    ...gone.sort((a, b) => a - b).map((priceTicks): [number, number] => [priceTicks, 0]),
    ...rows,
  ];
  return moves.flatMap(([priceTicks, lots]) => {
    const entry = moveLevel(view, entryType, symbol, priceTicks, lots);
    return entry === undefined ? [] : [entry];
  });
}

export class MarketDataDesk {
  readonly #ctx: MarketDataContext;
  readonly #subscriptions = new Map<string, Subscription>();
  /** The subscriptions in (session, MDReqID) order. */
  #ordered: readonly Subscription[] = [];

  constructor(context: MarketDataContext) {
    this.#ctx = context;
  }

  /** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT for the session to answer. */
  onRequest(message: FixMessage, sessionKey: string): void {
    const mdReqId = new FieldReader(message).required(262);
    const reject = (reason: string | undefined, text: string): void =>
      this.#ctx.deliver(sessionKey, marketDataRequestReject(mdReqId, reason, text));
    let request: MarketDataRequest;
    try {
      request = parseMarketDataRequest(message);
    } catch (error) {
      if (badValueTag(error) !== 269) throw error;
      return reject(MD_REQ_REJ.UNSUPPORTED_MD_ENTRY_TYPE, 'MDEntryType is 0, 1 or 2');
    }
    const id = `${sessionKey}\x00${mdReqId}`;
    if (request.subscription === 'unsubscribe') {
      if (!this.#subscriptions.delete(id)) return reject(undefined, 'no such subscription');
      return this.#reorder();
    }
    const symbols = [...new Set(request.symbols)].sort();
    const unknown = symbols.filter((symbol) => !this.#ctx.scales.has(symbol));
    if (unknown.length > 0) {
      return reject(MD_REQ_REJ.UNKNOWN_SYMBOL, `unknown symbol ${unknown.join(' ')}`);
    }
    const subscribe = request.subscription === 'subscribe';
    if (subscribe && request.updateType === 'full') {
      return reject(MD_REQ_REJ.UNSUPPORTED_MD_UPDATE_TYPE, 'updates are incremental');
    }
    if (subscribe && this.#subscriptions.has(id)) {
      return reject(MD_REQ_REJ.DUPLICATE_MD_REQ_ID, `MDReqID ${mdReqId} is subscribed`);
    }
    const entryTypes = new Set(request.entryTypes);
    const views = new Map<string, BookView>();
    for (const symbol of symbols) {
      views.set(
        symbol,
        this.#snapshot(sessionKey, mdReqId, symbol, request.marketDepth, entryTypes),
      );
    }
    if (!subscribe) return;
    this.#subscriptions.set(id, {
      sessionKey,
      mdReqId,
      depth: request.marketDepth,
      entryTypes,
      views,
    });
    this.#reorder();
  }

  /** The session is gone: its subscriptions end with it. */
  dropSession(sessionKey: string): void {
    for (const [id, subscription] of this.#subscriptions) {
      if (subscription.sessionKey === sessionKey) this.#subscriptions.delete(id);
    }
    this.#reorder();
  }

  onReport(report: VenueReport): void {
    const scales = this.#ctx.scales.get(report.instrument);
    if (scales === undefined) return;
    const symbol = report.instrument;
    const trades: IncrementalEntry[] = [];
    for (const event of report.events) {
      if (event.type !== 'trade') continue;
      const trade = { priceTicks: event.priceTicks, sizeLots: event.qtyLots };
      trades.push({ action: 'new', entryType: 'trade', symbol, ...trade });
    }
    if (report.levels.length === 0 && trades.length === 0) return;
    const depths = new Map<number, BookDepth>();
    for (const subscription of this.#ordered) {
      const view = subscription.views.get(symbol);
      if (view === undefined) continue;
      const entries = this.#bookEntries(subscription, view, symbol, report.levels, depths);
      if (subscription.entryTypes.has('trade')) entries.push(...trades);
      if (entries.length === 0) continue;
      const refresh = { mdReqId: subscription.mdReqId, entries };
      this.#ctx.deliver(
        subscription.sessionKey,
        buildMarketDataIncrementalRefresh(refresh, scales),
      );
    }
  }

  #snapshot(
    sessionKey: string,
    mdReqId: string,
    symbol: string,
    depth: number,
    entryTypes: ReadonlySet<MdEntryType>,
  ): BookView {
    const book = this.#depth(symbol, depth);
    const view: BookView = { bid: new Map(), offer: new Map() };
    const entries: SnapshotEntry[] = [];
    for (const [entryType, rows] of [
      ['bid', book.bids],
      ['offer', book.asks],
    ] as const) {
      if (!entryTypes.has(entryType)) continue;
      rows.forEach(([priceTicks, sizeLots], i) => {
        view[entryType].set(priceTicks, sizeLots);
        entries.push({ entryType, priceTicks, sizeLots, positionNo: i + 1 });
      });
    }
    const scales = this.#ctx.scales.get(symbol)!;
    this.#ctx.deliver(sessionKey, buildMarketDataSnapshot({ mdReqId, symbol, entries }, scales));
    return view;
  }

  /** What the subscription's view of the book must do to follow the report's level changes. */
  #bookEntries(
    subscription: Subscription,
    view: BookView,
    symbol: string,
    levels: readonly LevelChange[],
    depths: Map<number, BookDepth>,
  ): IncrementalEntry[] {
    if (levels.length === 0) return [];
    const { depth, entryTypes } = subscription;
    const entries: IncrementalEntry[] = [];
    if (depth === 0) {
      for (const level of levels) {
        const entryType = level.side === 'buy' ? 'bid' : 'offer';
        if (!entryTypes.has(entryType)) continue;
        const entry = moveLevel(
          view[entryType],
          entryType,
          symbol,
          level.priceTicks,
          level.qtyLots,
        );
        if (entry !== undefined) entries.push(entry);
      }
      return entries;
    }
    // Under a depth limit a change deep in the book can move levels into or out of the top.
    let book = depths.get(depth);
    if (book === undefined) {
      book = this.#depth(symbol, depth);
      depths.set(depth, book);
    }
    if (entryTypes.has('bid')) entries.push(...moveToRows(view.bid, 'bid', symbol, book.bids));
    if (entryTypes.has('offer')) {
      entries.push(...moveToRows(view.offer, 'offer', symbol, book.asks));
    }
    return entries;
  }

  #depth(symbol: string, depth: number): BookDepth {
    return this.#ctx.venue.depth(symbol, depth === 0 ? undefined : depth);
  }

  #reorder(): void {
    const ids = [...this.#subscriptions.keys()].sort();
    this.#ordered = ids.map((id) => this.#subscriptions.get(id)!);
  }
}
