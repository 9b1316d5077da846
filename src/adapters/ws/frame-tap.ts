/**
 * @module
 * The seam between a WebSocket connection and its protocol: every frame the protocol sends and
 * every frame the socket receives passes through a tap, one per connection. The direct tap
 * passes frames straight through; {@link linkEndpointTap} routes them through a simulated
 * network link, so latency, loss and partitions apply to a real socket's traffic.
 */
import type { RawData } from 'ws';

import type { Frame, LinkEndpoint } from '../../exchange/index.js';

/** What a connection offers its tap. */
export interface WsFrameIo {
  /** Writes a frame to this connection's socket now. */
  readonly write: (frame: string) => void;
  /** Hands a frame to the protocol (the application side). */
  readonly deliver: (frame: string) => void;
}

/** One connection's tap. */
export interface WsConnectionTap {
  /** The protocol sends a frame. */
  send(frame: string): void;
  /** The socket received a frame. May throw a DeltaTraceError, which the connection reports. */
  receive(frame: string): void;
  /** The socket closed. */
  close(): void;
}

/** Called once per connection, when it opens. */
export type WsFrameTap = (io: WsFrameIo) => WsConnectionTap;

export const DIRECT_TAP: WsFrameTap = (io) => ({
  send: io.write,
  receive: io.deliver,
  close: () => undefined,
});

const utf8 = new TextDecoder();

function toText(frame: Frame): string {
  return typeof frame === 'string' ? frame : utf8.decode(frame);
}

/**
 * A tap through one end of a simulated link: the protocol's frames are sent on the link (and
 * written to this socket at once), frames off the socket are the link's arrivals, and the link
 * delivers them to the protocol at their scheduled time. One connection at a time per endpoint:
 * a tap opened while the previous connection's is still open throws `NET_SOCKET_ALREADY_BOUND`.
 */
export function linkEndpointTap(endpoint: LinkEndpoint): WsFrameTap {
  return (io) => {
    const binding = endpoint.bindSocket({ write: (frame) => io.write(toText(frame)) });
    const stop = endpoint.onReceive((frame) => io.deliver(toText(frame)));
    return {
      send: (frame) => {
        endpoint.send(frame);
      },
      receive: (frame) => endpoint.arrived(frame),
      close: () => {
        stop();
        binding.close();
      },
    };
  };
}

/** A received WebSocket message as text; market-data frames are UTF-8 JSON. */
export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
