/**
 * @module
 * Binds one end of a simulated link to a real TCP socket: frames the endpoint sends are written
 * to the socket at once; bytes read from the socket are cut into frames by the protocol's framer
 * and handed to the endpoint as arrivals, which the link releases at their scheduled times.
 * Protocol-neutral: the composition root supplies the framer (FIX, length-prefixed, …).
 */
import type { Socket } from 'node:net';

import { type DeltaTraceError, InternalError, isDeltaTraceError } from '../../core/index.js';
import type { Frame, LinkEndpoint, SocketBinding } from '../../exchange/index.js';

/** Cuts a byte stream into the frames the far end sent, whatever the chunking. */
export interface StreamFramer {
  push(chunk: Uint8Array): readonly Frame[];
}

export interface TcpLinkOptions {
  /** The link end this socket belongs to. */
  readonly endpoint: LinkEndpoint;
  readonly socket: Socket;
  readonly framer: StreamFramer;
  /**
   * Errors of the arrival path (`NET_UNEXPECTED_FRAME`, `NET_FRAME_MISMATCH`, a framer's own),
   * reported here rather than thrown inside a socket callback.
   */
  readonly onError: (error: DeltaTraceError) => void;
}

export interface TcpLinkBinding {
  readonly closed: boolean;
  /** Unbinds and stops reading; the socket itself is the caller's to end. */
  close(): void;
}

/**
 * Binds the endpoint's sends to the socket and the socket's frames to the endpoint's arrivals.
 * The binding closes itself when the socket closes: frames written and not arrived by then are
 * lost, as on a broken connection.
 * @throws InputError `NET_SOCKET_ALREADY_BOUND` when the endpoint is bound already.
 */
export function bindTcpSocket(options: TcpLinkOptions): TcpLinkBinding {
  const { endpoint, socket, framer, onError } = options;
  // The link models the delay; Nagle's algorithm would only add real, unseeded waits on top.
  socket.setNoDelay(true);
  const binding: SocketBinding = endpoint.bindSocket({
    write: (frame) => {
      if (!socket.destroyed) socket.write(frame);
    },
  });
  const onData = (chunk: Buffer): void => {
    try {
      for (const frame of framer.push(chunk)) endpoint.arrived(frame);
    } catch (error) {
      onError(
        isDeltaTraceError(error)
          ? error
          : new InternalError('INTERNAL', 'socket arrival failed', { cause: error }),
      );
    }
  };
  const close = (): void => {
    socket.off('data', onData);
    socket.off('close', close);
    binding.close();
  };
  socket.on('data', onData);
  socket.on('close', close);
  return {
    get closed() {
      return binding.closed;
    },
    close,
  };
}
