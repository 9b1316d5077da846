/**
 * @module
 * A TCP initiator: connects to the counterparty, binds the socket to its session (which sends the
 * Logon), and reconnects after a lost connection with exponential backoff on the injected
 * scheduler. The backoff starts over once a connection has logged on. With `sessionLogDir`, the
 * session records a session log there (session-log-file.ts) until `stop`.
 */
import { mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';

import {
  type DeltaTraceError,
  InputError,
  StorageError,
  type TimerHandle,
} from '../../../core/index.js';
import type { FixSession } from '../session/session.js';
import { FileSessionLog, sessionLogFileName } from '../session/session-log-file.js';
import { bindSocket, type SocketBinder } from './socket-transport.js';

const NS_PER_MS = 1_000_000n;

export type InitiatorEvent =
  | { readonly type: 'connecting'; readonly attempt: number }
  | { readonly type: 'connected' }
  /** The binder refused the connection; it is closed and retried like a lost one. */
  | { readonly type: 'bind-failed' }
  | { readonly type: 'reconnect-scheduled'; readonly delayMs: number }
  /** The session log could not be written; the recording stopped, the session goes on. */
  | { readonly type: 'session-log-failed'; readonly error: DeltaTraceError };

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
  /**
   * Records the session to `<dir>/<sender>-<target>.log` from construction until `stop` (the file
   * is created with the directory and must not exist yet).
   */
  readonly sessionLogDir?: string;
}

export class FixInitiator {
  readonly #options: FixInitiatorOptions;
  readonly #session: FixSession;
  #socket: Socket | undefined;
  #timer: TimerHandle | undefined;
  #failures = 0;
  #loggedOnSinceConnect = false;
  #stopped = true;
  #log: FileSessionLog | undefined;

  /**
   * @throws InputError INPUT_INVALID_ARGUMENT for an acceptor session, or one already recording
   * when `sessionLogDir` is set; StorageError STORE_ALREADY_EXISTS or STORE_IO when the log file
   * cannot be created.
   */
  constructor(options: FixInitiatorOptions) {
    if (options.session.config.role !== 'initiator') {
      throw new InputError('INPUT_INVALID_ARGUMENT', 'FixInitiator needs an initiator session', {
        details: { role: options.session.config.role },
      });
    }
    this.#options = options;
    this.#session = options.session;
    if (options.sessionLogDir !== undefined) this.#openLog(options.sessionLogDir);
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

  /**
   * Stops reconnecting and closes the connection; resolves once the socket is closed. The session
   * log, if any, ends here: a later `start` is not recorded.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    const socket = this.#socket;
    if (socket !== undefined && !socket.closed) {
      // bindSocket's 'close' listener was added first, so the session has detached (and the log
      // holds the disconnect) when this one runs.
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    }
    const log = this.#log;
    this.#log = undefined;
    if (log !== undefined) {
      this.#session.stopRecording();
      log.close();
    }
  }

  #openLog(dir: string): void {
    const session = this.#session;
    if (session.isRecording) {
      throw new InputError('INPUT_INVALID_ARGUMENT', 'the session is already being recorded', {
        details: { sender_comp_id: session.senderCompId, target_comp_id: session.targetCompId },
      });
    }
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new StorageError('STORE_IO', `cannot create the session log directory ${dir}`, {
        details: { dir },
        cause: error,
      });
    }
    const file = path.join(dir, sessionLogFileName(session.senderCompId, session.targetCompId));
    const log = new FileSessionLog(file, {
      onError: (error) => this.#options.onEvent?.({ type: 'session-log-failed', error }),
    });
    session.startRecording(log);
    this.#log = log;
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
