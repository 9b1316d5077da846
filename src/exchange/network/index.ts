/**
 * @module
 * The network simulator: links between named endpoints with seeded latency, jitter, loss and
 * scheduled partitions, FIFO per direction, driving in-process delivery or real sockets through
 * a small writer/arrival interface. Pure: no sockets or timers of its own; the socket glue lives
 * in `adapters/net`, the time in the injected Scheduler.
 */
export type { FrameWriter, SocketBinding } from './channel.js';
export { type FrameHandler, LinkEndpoint, type LinkStatusListener, NetLink } from './link.js';
export type { Frame, LinkOptions, LinkProfile, Partition } from './link-profile.js';
export type {
  DirectionStats,
  DropReason,
  FrameDeliveredEvent,
  FrameDroppedEvent,
  FrameSentEvent,
  LinkStatusEvent,
  NetEvent,
  SendResult,
} from './net-events.js';
export {
  type NetEventListener,
  NetworkSimulator,
  type NetworkSimulatorOptions,
} from './network-simulator.js';
