/**
 * @module
 * A TCP acceptor for FIX sessions: it reads the first message of each connection, routes it by
 * CompIDs (its TargetCompID is our SenderCompID and the reverse) to the configured session, and
 * binds the socket to it. A connection is closed without a word when its first message does not
 * decode, names no configured session, or names one that already has a live connection (one
 * connection per session). The session itself judges the Logon. With `sessionLogDir`, every
 * session records a session log there (session-log-file.ts) for as long as the acceptor is open.
 */
import { Buffer } from 'node:buffer';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';

import {
  type DeltaTraceError,
  InputError,
  isDeltaTraceError,
  type Scheduler,
  StorageError,
  type TimerHandle,
} from '../../../core/index.js';
import { decodeFixMessage } from '../codec.js';
import { FixFramer } from '../framer.js';
import type { FixMessage } from '../message.js';
import type { FixSession } from '../session/session.js';
import { FileSessionLog, sessionLogFileName } from '../session/session-log-file.js';
import { bindSocket, type SocketBinder } from './socket-transport.js';

const NS_PER_MS = 1_000_000n;

export type AcceptorRefusal =
  'garbled' | 'unknown-session' | 'session-busy' | 'logon-timeout' | 'bind-failed';

export type AcceptorEvent =
  | {
      readonly type: 'connection-accepted';
      readonly senderCompId: string;
      readonly targetCompId: string;
    }
  | { readonly type: 'connection-refused'; readonly reason: AcceptorRefusal }
  /** A session's log could not be written; that recording stopped, the session goes on. */
  | {
      readonly type: 'session-log-failed';
      readonly senderCompId: string;
      readonly targetCompId: string;
      readonly error: DeltaTraceError;
    };

export interface FixAcceptorOptions {
  /** Acceptor sessions, one per counterparty; their CompID pairs must differ. */
  readonly sessions: readonly FixSession[];
  /** Times the wait for a connection's first message. */
  readonly scheduler: Scheduler;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly firstMessageTimeoutMs?: number;
  readonly onEvent?: (event: AcceptorEvent) => void;
  /** Joins an accepted socket to its session; {@link bindSocket} by default. */
  readonly bind?: SocketBinder;
  /**
   * Records each session to `<dir>/<sender>-<target>.log` (created, with the directory; the file
   * must not exist yet). `deltatrace replay-fix --log FILE` replays one.
   */
  readonly sessionLogDir?: string;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  return Buffer.concat(chunks);
}

export class FixAcceptor {
  readonly #sessions = new Map<string, FixSession>();
  readonly #options: FixAcceptorOptions;
  readonly #sockets = new Set<Socket>();
  readonly #server: Server;
  readonly #logs: { readonly session: FixSession; readonly log: FileSessionLog }[] = [];
  #port = 0;

  /**
   * @throws InputError INPUT_INVALID_ARGUMENT for an initiator session or two alike, or a session
   * already recording when `sessionLogDir` is set; StorageError STORE_ALREADY_EXISTS or STORE_IO
   * when a log file cannot be created.
   */
  constructor(options: FixAcceptorOptions) {
    this.#options = options;
    for (const session of options.sessions) {
      const key = `${session.senderCompId}\x01${session.targetCompId}`;
      if (session.config.role !== 'acceptor' || this.#sessions.has(key)) {
        throw new InputError(
          'INPUT_INVALID_ARGUMENT',
          'acceptor sessions must be distinct acceptors',
          {
            details: { sender_comp_id: session.senderCompId, target_comp_id: session.targetCompId },
          },
        );
      }
      this.#sessions.set(key, session);
    }
    if (options.sessionLogDir !== undefined) this.#openLogs(options.sessionLogDir);
    this.#server = createServer((socket) => this.#accept(socket));
  }

  /** The port listened on (after `listen`). */
  get port(): number {
    return this.#port;
  }

  /** Starts listening; resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port ?? 0, this.#options.host ?? '127.0.0.1', () => {
        this.#server.off('error', reject);
        const address = this.#server.address();
        this.#port = typeof address === 'object' && address !== null ? address.port : 0;
        resolve(this.#port);
      });
    });
  }

  /** Stops listening and drops every connection; session logs end once the sessions detached. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    // The server closes after the last socket's 'close', by which time its session has detached.
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const { session, log } of this.#logs.splice(0)) {
      session.stopRecording();
      log.close();
    }
  }

  #openLogs(dir: string): void {
    const sessions = [...this.#sessions.values()];
    const recording = sessions.find((session) => session.isRecording);
    if (recording !== undefined) {
      throw new InputError('INPUT_INVALID_ARGUMENT', 'a session is already being recorded', {
        details: {
          sender_comp_id: recording.senderCompId,
          target_comp_id: recording.targetCompId,
        },
      });
    }
    try {
      mkdirSync(dir, { recursive: true });
      for (const session of sessions) {
        const file = path.join(dir, sessionLogFileName(session.senderCompId, session.targetCompId));
        const log = new FileSessionLog(file, {
          onError: (error) =>
            this.#emit({
              type: 'session-log-failed',
              senderCompId: session.senderCompId,
              targetCompId: session.targetCompId,
              error,
            }),
        });
        session.startRecording(log);
        this.#logs.push({ session, log });
      }
    } catch (error) {
      // Files made here and left behind would refuse the next attempt (a log is never reused).
      for (const { session, log } of this.#logs.splice(0)) {
        session.stopRecording();
        log.close();
        rmSync(log.file, { force: true });
      }
      if (isDeltaTraceError(error)) throw error;
      throw new StorageError('STORE_IO', `cannot create the session log directory ${dir}`, {
        details: { dir },
        cause: error,
      });
    }
  }

  #emit(event: AcceptorEvent): void {
    this.#options.onEvent?.(event);
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => {});
    const framer = new FixFramer();
    const chunks: Uint8Array[] = [];
    let timer: TimerHandle | undefined;
    const refuse = (reason: AcceptorRefusal): void => {
      timer?.cancel();
      socket.off('data', onData);
      socket.destroy();
      this.#emit({ type: 'connection-refused', reason });
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      const first = framer.push(chunk)[0];
      if (first === undefined) return;
      if (first.type === 'garbled') return refuse('garbled');
      let message: FixMessage;
      try {
        message = decodeFixMessage(first.bytes);
      } catch {
        return refuse('garbled');
      }
      const session = this.#sessions.get(`${message.get(56)}\x01${message.get(49)}`);
      if (session === undefined) return refuse('unknown-session');
      if (session.isAttached) return refuse('session-busy');
      timer?.cancel();
      socket.off('data', onData);
      try {
        (this.#options.bind ?? bindSocket)(socket, session, concat(chunks));
      } catch {
        // A binder's failure (a simulated link still bound, say) is this connection's, not ours.
        return refuse('bind-failed');
      }
      this.#emit({
        type: 'connection-accepted',
        senderCompId: session.senderCompId,
        targetCompId: session.targetCompId,
      });
    };
    socket.on('data', onData);
    const timeoutMs = this.#options.firstMessageTimeoutMs ?? 10_000;
    timer = this.#options.scheduler.setTimer(BigInt(timeoutMs) * NS_PER_MS, () => {
      timer = undefined;
      refuse('logon-timeout');
    });
  }
}
