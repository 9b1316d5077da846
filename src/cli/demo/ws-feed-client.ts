/**
 * @module
 * The pipeline's side of a venue's WebSocket market-data feed: the client's book changes become
 * ticks (when the top moved), and what the feed goes through — connects, gaps, resyncs, bad
 * frames, disconnects — becomes feed-status inputs.
 */
import {
  type ClientEvent,
  MarketDataClient,
  type MarketDataClientOptions,
} from '../../adapters/ws/index.js';
import type { PipelineInput } from '../../pipeline/index.js';
import { TopOfBookTracker } from './top-of-book.js';

export interface WsFeedClientOptions extends MarketDataClientOptions {
  readonly venue: string;
  readonly instruments: readonly string[];
  readonly deliver: (input: PipelineInput) => void;
}

export class WsFeedClient {
  readonly client: MarketDataClient;
  readonly #options: WsFeedClientOptions;
  readonly #books = new Map<string, TopOfBookTracker>();

  constructor(options: WsFeedClientOptions) {
    this.#options = options;
    this.client = new MarketDataClient(options);
    this.client.onEvent((event) => this.#onEvent(event));
  }

  start(): void {
    this.client.start();
    for (const instrument of [...this.#options.instruments].sort())
      this.client.subscribe(instrument);
  }

  close(): Promise<void> {
    return this.client.close();
  }

  #onEvent(event: ClientEvent): void {
    const { venue, deliver } = this.#options;
    switch (event.type) {
      case 'snapshot':
      case 'update': {
        const depth = this.client.book(event.instrument);
        if (depth === undefined) return;
        let book = this.#books.get(event.instrument);
        if (book === undefined) {
          book = new TopOfBookTracker();
          this.#books.set(event.instrument, book);
        }
        book.load(depth.bids.slice(0, 1), depth.asks.slice(0, 1));
        const top = book.takeChange();
        if (top === undefined) return;
        deliver({
          kind: 'tick',
          venue,
          instrument: event.instrument,
          adapter: 'ws',
          ...top,
          feedSeq: event.seq,
        });
        return;
      }
      case 'connect':
      case 'reconnect':
        deliver({
          kind: 'feed-status',
          venue,
          status: 'connected',
          detail: `attempt ${event.attempt}`,
        });
        return;
      case 'disconnect':
        deliver({
          kind: 'feed-status',
          venue,
          status: 'disconnected',
          detail: `${event.code} ${event.reason}`.trim(),
        });
        return;
      case 'gap':
        deliver({
          kind: 'feed-status',
          venue,
          instrument: event.instrument,
          status: 'gap',
          expectedSeq: event.expectedSeq,
          receivedSeq: event.receivedSeq,
        });
        return;
      case 'resync':
        deliver({
          kind: 'feed-status',
          venue,
          instrument: event.instrument,
          status: 'resync',
          detail: event.reason,
        });
        return;
      case 'bad-frame':
        deliver({ kind: 'feed-status', venue, status: 'bad-frame', detail: event.error.code });
        return;
      case 'server-error':
        deliver({
          kind: 'feed-status',
          venue,
          status: 'bad-frame',
          detail: `${event.code}: ${event.message}`,
        });
        return;
      case 'tap-error':
        deliver({ kind: 'feed-status', venue, status: 'bad-frame', detail: event.error.code });
        return;
      case 'connect-failed':
      case 'reconnect-scheduled':
      case 'heartbeat':
        return;
    }
  }
}
