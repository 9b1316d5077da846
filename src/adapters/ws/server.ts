/**
 * @module
 * A venue's market-data server over WebSocket. It numbers the venue's depth changes per
 * instrument (one `update` per report that changed levels or printed trades, `seq` from 1) and
 * answers each `subscribe` with a snapshot of the full book stamped with the `seq` it reflects.
 * Both come from the venue synchronously, so a snapshot and the updates after it always agree.
 * Bad requests are answered with an `error` frame; nothing a client sends can crash the server.
 */
import type { AddressInfo } from 'node:net';

import { type WebSocket, WebSocketServer } from 'ws';

import {
  DeltaTraceError,
  InternalError,
  isDeltaTraceError,
  type Scheduler,
  type TimerHandle,
} from '../../core/index.js';
import type { Venue, VenueReport } from '../../exchange/index.js';
import { DIRECT_TAP, rawText, type WsConnectionTap, type WsFrameTap } from './frame-tap.js';
import {
  type ClientRequest,
  decodeClientRequest,
  encodeMessage,
  type ErrorMessage,
  WS_FORMAT_VERSION,
} from './messages.js';

export interface MarketDataServerOptions {
  readonly venue: Venue;
  /** Stamps frames (`tsNs`, wall clock) and drives heartbeats. */
  readonly scheduler: Scheduler;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Every subscribed connection gets a heartbeat this often; none when absent. */
  readonly heartbeatIntervalNs?: bigint;
  /** Interposes on each connection's frames; straight through by default. */
  readonly tap?: WsFrameTap;
  /** Failures of a connection's tap (e.g. `NET_*` from a simulated link). */
  readonly onError?: (error: DeltaTraceError) => void;
}

interface Connection {
  readonly tap: WsConnectionTap;
  readonly subscriptions: Set<string>;
}

export class MarketDataServer {
  readonly port: number;
  readonly url: string;
  readonly #options: MarketDataServerOptions;
  readonly #wss: WebSocketServer;
  readonly #connections = new Map<WebSocket, Connection>();
  readonly #seqs = new Map<string, number>();
  readonly #stopVenue: () => void;
  #heartbeat: TimerHandle | undefined;

  private constructor(options: MarketDataServerOptions, wss: WebSocketServer) {
    this.#options = options;
    this.#wss = wss;
    const address = wss.address() as AddressInfo;
    this.port = address.port;
    this.url = `ws://${options.host ?? '127.0.0.1'}:${address.port}`;
    for (const instrument of options.venue.instruments) this.#seqs.set(instrument, 0);
    this.#stopVenue = options.venue.onReport((report) => this.#publish(report));
    wss.on('connection', (socket) => this.#accept(socket));
    this.#scheduleHeartbeat();
  }

  /**
   * Listens and starts publishing the venue's reports.
   * @throws DeltaTraceError `WS_LISTEN_FAILED` when the address cannot be bound.
   */
  static async start(options: MarketDataServerOptions): Promise<MarketDataServer> {
    const wss = new WebSocketServer({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', (error) =>
        reject(
          new DeltaTraceError('WS_LISTEN_FAILED', 'the market-data server cannot listen', {
            cause: error,
            details: { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
          }),
        ),
      );
    });
    return new MarketDataServer(options, wss);
  }

  /** Open connections. */
  get connections(): number {
    return this.#connections.size;
  }

  /** The last `seq` published for an instrument (0 before the first update). */
  seqOf(instrument: string): number | undefined {
    return this.#seqs.get(instrument);
  }

  /** Stops publishing, closes every connection and the listener. */
  async close(): Promise<void> {
    this.#stopVenue();
    this.#heartbeat?.cancel();
    // Wait for each connection's own 'close', so its tap is released before close() returns.
    const closed = [...this.#connections.keys()].map(
      (socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
    );
    for (const socket of this.#connections.keys()) socket.terminate();
    await Promise.all(closed);
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    const tapOf = this.#options.tap ?? DIRECT_TAP;
    let connection: Connection;
    try {
      connection = {
        subscriptions: new Set(),
        tap: tapOf({
          write: (frame) => {
            if (socket.readyState === socket.OPEN) socket.send(frame);
          },
          deliver: (frame) => this.#onRequest(socket, frame),
        }),
      };
    } catch (error) {
      this.#report(error);
      socket.close(1011, 'connection tap failed');
      return;
    }
    this.#connections.set(socket, connection);
    socket.on('message', (data) => {
      try {
        connection.tap.receive(rawText(data));
      } catch (error) {
        this.#report(error);
      }
    });
    socket.on('close', () => {
      this.#connections.delete(socket);
      connection.tap.close();
    });
    // A socket error is followed by 'close'; the listener only keeps it from being thrown.
    socket.on('error', () => undefined);
  }

  #onRequest(socket: WebSocket, frame: string): void {
    const connection = this.#connections.get(socket);
    if (connection === undefined) return;
    let request: ClientRequest;
    try {
      request = decodeClientRequest(frame);
    } catch (error) {
      if (!isDeltaTraceError(error)) throw error;
      return this.#sendError(connection, error.code, error.message);
    }
    const { instrument } = request;
    if (!this.#seqs.has(instrument)) {
      const code = 'WS_UNKNOWN_INSTRUMENT';
      return this.#sendError(connection, code, `venue does not list ${instrument}`, instrument);
    }
    if (request.type === 'unsubscribe') {
      connection.subscriptions.delete(instrument);
      return;
    }
    connection.subscriptions.add(instrument);
    const depth = this.#options.venue.depth(instrument);
    connection.tap.send(
      encodeMessage({
        v: WS_FORMAT_VERSION,
        type: 'snapshot',
        venue: this.#options.venue.mic,
        instrument,
        seq: this.#seqs.get(instrument) ?? 0,
        tsNs: this.#nowText(),
        bids: depth.bids.map(([p, q]): [number, number] => [p, q]),
        asks: depth.asks.map(([p, q]): [number, number] => [p, q]),
      }),
    );
  }

  #publish(report: VenueReport): void {
    const trades = report.events.filter((event) => event.type === 'trade');
    if (report.levels.length === 0 && trades.length === 0) return;
    const seq = (this.#seqs.get(report.instrument) ?? 0) + 1;
    this.#seqs.set(report.instrument, seq);
    const frame = encodeMessage({
      v: WS_FORMAT_VERSION,
      type: 'update',
      venue: report.venue,
      instrument: report.instrument,
      seq,
      tsNs: this.#nowText(),
      levels: report.levels.map(({ side, priceTicks, qtyLots }) => ({ side, priceTicks, qtyLots })),
      trades: trades.map(({ priceTicks, qtyLots, aggressorSide }) => ({
        priceTicks,
        qtyLots,
        aggressorSide,
      })),
    });
    // Connections in accept order: a deterministic simulation connects its clients one by one.
    for (const connection of this.#connections.values()) {
      if (connection.subscriptions.has(report.instrument)) connection.tap.send(frame);
    }
  }

  #scheduleHeartbeat(): void {
    const intervalNs = this.#options.heartbeatIntervalNs;
    if (intervalNs === undefined) return;
    this.#heartbeat = this.#options.scheduler.setTimer(intervalNs, () => {
      for (const connection of this.#connections.values()) {
        if (connection.subscriptions.size === 0) continue;
        const seqs: Record<string, number> = {};
        for (const instrument of [...connection.subscriptions].sort()) {
          seqs[instrument] = this.#seqs.get(instrument) ?? 0;
        }
        connection.tap.send(
          encodeMessage({ v: WS_FORMAT_VERSION, type: 'heartbeat', tsNs: this.#nowText(), seqs }),
        );
      }
      this.#scheduleHeartbeat();
    });
  }

  #sendError(connection: Connection, code: string, message: string, instrument?: string): void {
    const frame: ErrorMessage = { v: WS_FORMAT_VERSION, type: 'error', code, message };
    connection.tap.send(encodeMessage(instrument === undefined ? frame : { ...frame, instrument }));
  }

  #nowText(): string {
    return this.#options.scheduler.clock.wallNs().toString();
  }

  #report(error: unknown): void {
    const typed = isDeltaTraceError(error)
      ? error
      : new InternalError('INTERNAL', 'market-data connection failed', { cause: error });
    this.#options.onError?.(typed);
  }
}
