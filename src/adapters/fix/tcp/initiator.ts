/**
 * @module
 * A TCP initiator: connects to the counterparty, binds the socket to its session (which sends the
 * Logon), and reconnects after a lost connection with exponential backoff on the injected
 * scheduler. The backoff starts over once a connection has logged on.
 */
import { connect, type Socket } from 'node:net';

import { InputError, type TimerHandle } from '../../../core/index.js';
import type { FixSession } from '../session/session.js';
import { bindSocket, type SocketBinder } from './socket-transport.js';

const NS_PER_MS = 1_000_000n;

export type InitiatorEvent =
  | { readonly type: 'connecting'; readonly attempt: number }
  | { readonly type: 'connected' }
  /** The binder refused the connection; it is closed and retried like a lost one. */
  | { readonly type: 'bind-failed' }
  | { readonly type: 'reconnect-scheduled'; readonly delayMs: number };

export interface FixInitiatorOptions {
  /** An initiator session. */
  readonly session: FixSession;
  readonly host: string;
  readonly port: number;
  /** First reconnect delay (default 1000 ms); doubles per failed attempt up to `maxDelayMs`. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly onEvent?: (event: InitiatorEvent) => void;
  /** Joins the connected socket to the session; {@link bindSocket} by default. */
  readonly bind?: SocketBinder;
}

export class FixInitiator {
  readonly #options: FixInitiatorOptions;
  readonly #session: FixSession;
  #socket: Socket | undefined;
  #timer: TimerHandle | undefined;
  #failures = 0;
  #loggedOnSinceConnect = false;
  #stopped = true;

  /** @throws InputError INPUT_INVALID_ARGUMENT for an acceptor session. */
  constructor(options: FixInitiatorOptions) {
    if (options.session.config.role !== 'initiator') {
      throw new InputError('INPUT_INVALID_ARGUMENT', 'FixInitiator needs an initiator session', {
        details: { role: options.session.config.role },
      });
    }
    this.#options = options;
    this.#session = options.session;
    this.#session.addObserver({
      onEvent: (event) => {
        if (event.type === 'logon') this.#loggedOnSinceConnect = true;
      },
    });
  }

  /** Connects now, and again after every loss until `stop`. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  /** Stops reconnecting and closes the connection; resolves once the socket is closed. */
  stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    const socket = this.#socket;
    if (socket === undefined || socket.closed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  #connect(): void {
    this.#options.onEvent?.({ type: 'connecting', attempt: this.#failures + 1 });
    this.#loggedOnSinceConnect = false;
    const socket = connect({ host: this.#options.host, port: this.#options.port });
    this.#socket = socket;
    socket.on('error', () => {});
    socket.once('connect', () => {
      this.#options.onEvent?.({ type: 'connected' });
      if (this.#stopped) {
        socket.destroy();
        return;
      }
      try {
        (this.#options.bind ?? bindSocket)(socket, this.#session);
      } catch {
        this.#options.onEvent?.({ type: 'bind-failed' });
        socket.destroy();
      }
    });
    socket.once('close', () => {
      if (this.#socket === socket) this.#socket = undefined;
      if (!this.#stopped) this.#scheduleReconnect();
    });
  }

  #scheduleReconnect(): void {
    this.#failures = this.#loggedOnSinceConnect ? 0 : this.#failures + 1;
    const initial = this.#options.initialDelayMs ?? 1000;
    const max = this.#options.maxDelayMs ?? 30_000;
    const delayMs = Math.min(max, initial * 2 ** Math.max(0, this.#failures - 1));
    this.#options.onEvent?.({ type: 'reconnect-scheduled', delayMs });
    this.#timer = this.#session.scheduler.setTimer(BigInt(delayMs) * NS_PER_MS, () => {
      this.#timer = undefined;
      if (!this.#stopped) this.#connect();
    });
  }
}
