/**
 * @module
 * One WebSocket connection of the market-data client: opens the socket, puts the connection's
 * frame tap in front of it, and reports open, frames, tap failures and close to its owner. A
 * connection is used once; the client makes a new one to reconnect.
 */
import { WebSocket } from 'ws';

import { type DeltaTraceError, InternalError, isDeltaTraceError } from '../../core/index.js';
import { rawText, type WsConnectionTap, type WsFrameTap } from './frame-tap.js';

export interface ConnectionHandlers {
  /** The socket is open and its tap in place. */
  onOpen(): void;
  /** A frame the tap delivered to the protocol. */
  onFrame(frame: string): void;
  onTapError(error: DeltaTraceError): void;
  /** The socket closed; `opened` tells a dropped connection from a failed attempt. */
  onClose(outcome: {
    readonly opened: boolean;
    readonly code: number;
    readonly reason: string;
    readonly error: string;
  }): void;
}

export function toTypedError(error: unknown): DeltaTraceError {
  return isDeltaTraceError(error)
    ? error
    : new InternalError('INTERNAL', 'market-data tap failed', { cause: error });
}

export class ClientConnection {
  /** Resolves once the socket has closed. */
  readonly closed: Promise<void>;
  readonly #socket: WebSocket;
  #tap: WsConnectionTap | undefined;

  constructor(url: string, tapOf: WsFrameTap, handlers: ConnectionHandlers) {
    const socket = new WebSocket(url);
    this.#socket = socket;
    let lastError = '';
    let markClosed = (): void => undefined;
    this.closed = new Promise((resolve) => (markClosed = resolve));
    socket.on('open', () => {
      try {
        this.#tap = tapOf({
          write: (frame) => {
            if (socket.readyState === WebSocket.OPEN) socket.send(frame);
          },
          deliver: (frame) => handlers.onFrame(frame),
        });
      } catch (error) {
        handlers.onTapError(toTypedError(error));
        socket.close(1011, 'connection tap failed');
        return;
      }
      handlers.onOpen();
    });
    socket.on('message', (data) => {
      try {
        this.#tap?.receive(rawText(data));
      } catch (error) {
        handlers.onTapError(toTypedError(error));
      }
    });
    // Always followed by 'close'; keeping the message says why an attempt failed.
    socket.on('error', (error) => {
      lastError = error.message;
    });
    socket.on('close', (code, reason) => {
      const tap = this.#tap;
      this.#tap = undefined;
      tap?.close();
      handlers.onClose({
        opened: tap !== undefined,
        code,
        reason: reason.toString('utf8'),
        error: lastError || `closed with ${code}`,
      });
      markClosed();
    });
  }

  /** True from open (tap in place) to close. */
  get open(): boolean {
    return this.#tap !== undefined;
  }

  /** Sends through the tap; does nothing unless open. */
  send(frame: string): void {
    this.#tap?.send(frame);
  }

  /** Closes the socket (aborting a handshake in progress). */
  close(code: number, reason: string): void {
    if (this.#socket.readyState !== WebSocket.CLOSED) this.#socket.close(code, reason);
  }
}
