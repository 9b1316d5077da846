/**
 * @module
 * The one piece that joins a node:net socket to a session: socket bytes go to `session.receive`,
 * session bytes to the socket, and a closed socket detaches the session. A network simulator or
 * a replay takes this piece's place with its own FixTransport. Writes made in one turn of the
 * event loop leave in as few segments as the kernel allows (cork until the next tick).
 */
import type { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import process from 'node:process';

import type { FixTransport } from '../session/ports.js';
import type { FixSession } from '../session/session.js';

/**
 * Joins a connected socket to its session, which the acceptor or initiator hands over with the
 * bytes already read from the socket (`initialBytes`, to be fed to the session first). The
 * default is {@link bindSocket}; a composition root that puts a network simulator between the
 * two supplies its own, which must attach the session, carry bytes both ways and detach the
 * session once the socket closes.
 */
export type SocketBinder = (socket: Socket, session: FixSession, initialBytes?: Uint8Array) => void;

/**
 * Attaches `session` to `socket`, then feeds it `initialBytes` (what was read from the socket
 * before the session was chosen).
 * @throws InputError FIX_SESSION_BUSY when the session already has a connection.
 */
export function bindSocket(
  socket: Socket,
  session: FixSession,
  initialBytes?: Uint8Array,
): FixTransport {
  socket.setNoDelay(true);
  let corked = false;
  let closed = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  const transport: FixTransport = {
    send(bytes) {
      if (closed || socket.destroyed) return;
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      socket.write(bytes);
    },
    close() {
      if (closed) return;
      closed = true;
      if (corked) uncork();
      socket.end(() => socket.destroy());
    },
  };
  session.attach(transport);
  socket.on('data', (chunk: Buffer) => session.receive(chunk));
  socket.on('close', () => session.detach(transport));
  // 'close' follows every socket error; the session learns of the loss there.
  socket.on('error', () => {});
  if (initialBytes !== undefined && initialBytes.length > 0) session.receive(initialBytes);
  return transport;
}
