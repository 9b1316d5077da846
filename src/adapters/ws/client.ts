/**
 * @module
 * The market-data client: keeps a local book per subscribed instrument from a snapshot and the
 * consecutive updates after it, resynchronises from a fresh snapshot on a gap, a bad frame or a
 * reconnection, and reconnects with seeded exponential backoff. Every timer goes through the
 * injected Scheduler; the socket is real. A frame that is not JSON or not a message becomes a
 * `bad-frame` event and a resync, never an exception.
 */
import { InputError, type Rng, type Scheduler, type TimerHandle } from '../../core/index.js';
import type { BookDepth } from '../../exchange/index.js';
import {
  assertBackoffPolicy,
  backoffDelayNs,
  type BackoffPolicy,
  DEFAULT_BACKOFF,
} from './backoff.js';
import { ClientConnection } from './client-connection.js';
import type { ClientEvent, ClientEventListener, ResyncReason } from './client-events.js';
import { type DispatchContext, dispatchFrame, sortedInstruments } from './frame-dispatch.js';
import { DIRECT_TAP, type WsFrameTap } from './frame-tap.js';
import { InstrumentSync } from './instrument-sync.js';
import { type ClientRequest, encodeMessage, WS_FORMAT_VERSION } from './messages.js';

export interface MarketDataClientOptions {
  readonly url: string;
  readonly scheduler: Scheduler;
  /** Seeded jitter of the reconnect backoff. */
  readonly rng: Rng;
  readonly backoff?: BackoffPolicy;
  /** A snapshot not received this long after asking is asked for again (default 2 s). */
  readonly snapshotTimeoutNs?: bigint;
  /** Updates kept while awaiting a snapshot (default 10,000). */
  readonly maxBufferedUpdates?: number;
  /** Interposes on each connection's frames; straight through by default. */
  readonly tap?: WsFrameTap;
}

export class MarketDataClient {
  readonly url: string;
  readonly #o: MarketDataClientOptions;
  readonly #backoff: BackoffPolicy;
  readonly #maxBuffered: number;
  readonly #listeners = new Set<ClientEventListener>();
  readonly #syncs = new Map<string, InstrumentSync>();
  readonly #snapshotTimers = new Map<string, TimerHandle>();
  #connection: ClientConnection | undefined;
  /** Connection attempts since the last open connection. */
  #attempts = 0;
  #everConnected = false;
  #started = false;
  #closed = false;
  #reconnectTimer: TimerHandle | undefined;
  readonly #dispatch: DispatchContext = {
    syncs: this.#syncs,
    emit: (event) => this.#emit(event),
    resync: (instrument, reason) => this.#resync(instrument, reason),
    snapshotReceived: (instrument) => this.#clearSnapshotTimer(instrument),
  };

  /** @throws InputError `INPUT_INVALID_ARGUMENT` for a bad backoff policy or buffer bound. */
  constructor(options: MarketDataClientOptions) {
    this.#o = options;
    this.url = options.url;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    assertBackoffPolicy(this.#backoff);
    const bound = options.maxBufferedUpdates ?? 10_000;
    this.#maxBuffered = bound;
    if (!Number.isSafeInteger(bound) || bound < 1) {
      throw new InputError(
        'INPUT_INVALID_ARGUMENT',
        'maxBufferedUpdates must be a positive integer',
        {
          details: { max_buffered_updates: String(bound) },
        },
      );
    }
  }

  /** Every event the client sees; returns the removal. */
  onEvent(listener: ClientEventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** True while a connection is open. */
  get connected(): boolean {
    return this.#connection?.open === true;
  }

  /** Connects; a second call does nothing. @throws InputError `WS_CLIENT_CLOSED` after close. */
  start(): void {
    this.#assertOpen();
    if (this.#started) return;
    this.#started = true;
    this.#connect();
  }

  /** Follows an instrument: asks for a snapshot now, or once connected. @throws `WS_CLIENT_CLOSED`. */
  subscribe(instrument: string): void {
    this.#assertOpen();
    if (this.#syncs.has(instrument)) return;
    this.#syncs.set(instrument, new InstrumentSync(instrument, this.#maxBuffered));
    if (this.connected) this.#resync(instrument, 'subscribe');
  }

  /** @throws InputError `WS_CLIENT_CLOSED`. */
  unsubscribe(instrument: string): void {
    this.#assertOpen();
    if (!this.#syncs.delete(instrument)) return;
    this.#clearSnapshotTimer(instrument);
    this.#send({ v: WS_FORMAT_VERSION, type: 'unsubscribe', instrument });
  }

  /** The local book, or undefined when not subscribed; check {@link isSynced} before trusting it. */
  book(instrument: string, levels?: number): BookDepth | undefined {
    return this.#syncs.get(instrument)?.book.depth(levels);
  }

  /** True when the local book reflects the feed up to {@link lastSeq} with no known gap. */
  isSynced(instrument: string): boolean {
    return this.#syncs.get(instrument)?.state === 'live' && this.connected;
  }

  lastSeq(instrument: string): number | undefined {
    return this.#syncs.get(instrument)?.lastSeq;
  }

  /** Stops reconnecting and closes the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#reconnectTimer?.cancel();
    for (const instrument of [...this.#snapshotTimers.keys()]) this.#clearSnapshotTimer(instrument);
    const connection = this.#connection;
    connection?.close(1000, 'client closed');
    await connection?.closed;
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new InputError('WS_CLIENT_CLOSED', 'the market-data client is closed', {
        details: { url: this.url },
      });
    }
  }

  #emit(event: ClientEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  #connect(): void {
    this.#reconnectTimer = undefined;
    if (this.#closed) return;
    this.#attempts++;
    const connection: ClientConnection = new ClientConnection(this.url, this.#o.tap ?? DIRECT_TAP, {
      onOpen: () => this.#onOpen(),
      onFrame: (frame) => {
        if (this.#connection === connection && !this.#closed) this.#onFrame(frame);
      },
      onTapError: (error) => this.#emit({ type: 'tap-error', error }),
      onClose: ({ opened, code, reason, error }) => {
        if (this.#connection === connection) this.#connection = undefined;
        for (const [instrument, sync] of this.#syncs) {
          sync.await();
          this.#clearSnapshotTimer(instrument);
        }
        this.#emit(
          opened
            ? { type: 'disconnect', code, reason }
            : { type: 'connect-failed', attempt: this.#attempts, message: error },
        );
        if (!this.#closed) this.#scheduleReconnect();
      },
    });
    this.#connection = connection;
  }

  #onOpen(): void {
    const attempt = this.#attempts;
    this.#attempts = 0;
    const reconnect = this.#everConnected;
    this.#everConnected = true;
    this.#emit({ type: reconnect ? 'reconnect' : 'connect', attempt });
    for (const instrument of sortedInstruments(this.#dispatch)) {
      this.#resync(instrument, reconnect ? 'reconnect' : 'subscribe');
    }
  }

  #scheduleReconnect(): void {
    const attempt = this.#attempts + 1;
    const delayNs = backoffDelayNs(this.#backoff, attempt, this.#o.rng);
    this.#emit({ type: 'reconnect-scheduled', attempt, delayNs });
    this.#reconnectTimer = this.#o.scheduler.setTimer(delayNs, () => this.#connect());
  }

  #send(request: ClientRequest): void {
    this.#connection?.send(encodeMessage(request));
  }

  #resync(instrument: string, reason: ResyncReason): void {
    const sync = this.#syncs.get(instrument);
    if (sync === undefined || !this.connected) return;
    sync.await();
    this.#emit({ type: 'resync', instrument, reason });
    this.#send({ v: WS_FORMAT_VERSION, type: 'subscribe', instrument });
    this.#clearSnapshotTimer(instrument);
    const timeoutNs = this.#o.snapshotTimeoutNs ?? 2_000_000_000n;
    this.#snapshotTimers.set(
      instrument,
      this.#o.scheduler.setTimer(timeoutNs, () => {
        this.#snapshotTimers.delete(instrument);
        if (this.#syncs.get(instrument)?.state === 'awaiting-snapshot') {
          this.#resync(instrument, 'snapshot-timeout');
        }
      }),
    );
  }

  #clearSnapshotTimer(instrument: string): void {
    this.#snapshotTimers.get(instrument)?.cancel();
    this.#snapshotTimers.delete(instrument);
  }

  #onFrame(frame: string): void {
    dispatchFrame(frame, this.#dispatch);
  }
}
