/**
 * @module
 * A FIX session whose connection runs through the network simulator: the session's bytes are sent
 * on a simulated link (and written to the real socket at once), the socket's bytes are cut into
 * FIX messages and handed to the link as arrivals, and the link releases each to the session at
 * its scheduled (seeded) time. What the FIX adapter's own `bindSocket` does directly, this does
 * through the link.
 */
import type { Socket } from 'node:net';

import { FixFramer, type FixSession, type FixTransport } from '../../adapters/fix/index.js';
import { bindTcpSocket, type StreamFramer } from '../../adapters/net/index.js';
import type { DeltaTraceError } from '../../core/index.js';
import type { Frame, LinkEndpoint } from '../../exchange/index.js';

/** FIX framing for the link: garbled bytes are reported, not delivered (the sender framed them). */
function fixStreamFramer(onError: (error: DeltaTraceError) => void): StreamFramer {
  const framer = new FixFramer();
  return {
    push(chunk) {
      const frames: Frame[] = [];
      for (const event of framer.push(chunk)) {
        if (event.type === 'message') frames.push(event.bytes);
        else onError(event.error);
      }
      return frames;
    },
  };
}

const PEER_END_TIMEOUT_MS = 2000;

function toBytes(frame: Frame): Uint8Array {
  return typeof frame === 'string' ? new TextEncoder().encode(frame) : frame;
}

/**
 * Binds `socket` and `session` through `endpoint` (this side's end of the link), then feeds the
 * link `initialBytes` (read before the session was chosen).
 */
export function bindSocketThroughLink(
  socket: Socket,
  session: FixSession,
  endpoint: LinkEndpoint,
  onError: (error: DeltaTraceError) => void,
  initialBytes?: Uint8Array,
): FixTransport {
  const framer = fixStreamFramer(onError);
  const binding = bindTcpSocket({ endpoint, socket, framer, onError });
  const stopReceiving = endpoint.onReceive((frame) => session.receive(toBytes(frame)));
  let closed = false;
  const transport: FixTransport = {
    send(bytes) {
      if (!closed) endpoint.send(bytes);
    },
    close() {
      if (closed) return;
      closed = true;
      // Half-close and wait for the peer's end: destroying at once would close the link binding
      // while the last frames (a Logout) are still on their way, and the peer would then receive
      // frames the link no longer expects. A peer that never ends is cut off after a while.
      socket.end();
      const timer = setTimeout(() => socket.destroy(), PEER_END_TIMEOUT_MS);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    },
  };
  session.attach(transport);
  socket.on('close', () => {
    closed = true;
    stopReceiving();
    binding.close();
    session.detach(transport);
  });
  socket.on('error', () => {});
  if (initialBytes !== undefined && initialBytes.length > 0) {
    for (const frame of framer.push(initialBytes)) endpoint.arrived(frame);
  }
  return transport;
}
