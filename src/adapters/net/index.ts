/**
 * @module
 * Socket glue for the network simulator: binds a simulated link's endpoint to a real TCP socket.
 * May import node:net; must not import the FIX or WebSocket adapters (their framers come in
 * through {@link StreamFramer}) nor storage.
 */
export {
  bindTcpSocket,
  type StreamFramer,
  type TcpLinkBinding,
  type TcpLinkOptions,
} from './tcp-link.js';
