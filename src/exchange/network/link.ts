/**
 * @module
 * A simulated link between two named endpoints: two independent FIFO directions sharing one
 * profile and one partition schedule. At each partition's start and end the link offers a
 * `link-down` / `link-up` event to its status listeners, who may drop or reconnect a session.
 */
import { InputError, type Rng, type Scheduler } from '../../core/index.js';
import { Channel, type FrameWriter, type InFlightTracker, type SocketBinding } from './channel.js';
import type { Frame, LinkOptions, Partition } from './link-profile.js';
import type { DirectionStats, LinkStatusEvent, NetEvent, SendResult } from './net-events.js';

export type FrameHandler = (frame: Frame) => void;
export type LinkStatusListener = (event: LinkStatusEvent) => void;

/** One end of a link, as the application sees it. */
export class LinkEndpoint {
  readonly name: string;
  readonly #out: Channel;
  readonly #in: Channel;
  readonly #handlers: Set<FrameHandler>;

  constructor(name: string, out: Channel, incoming: Channel, handlers: Set<FrameHandler>) {
    this.name = name;
    this.#out = out;
    this.#in = incoming;
    this.#handlers = handlers;
  }

  /** Sends a frame to the other end; its fate is decided now. */
  send(frame: Frame): SendResult {
    return this.#out.send(frame);
  }

  /** Frames from the other end, at their delivery time; returns the removal. */
  onReceive(handler: FrameHandler): () => void {
    this.#handlers.add(handler);
    return () => {
      this.#handlers.delete(handler);
    };
  }

  /**
   * From now on, frames this endpoint sends are also written to a real socket through `writer`;
   * the other end must report each one with {@link arrived} as its socket yields it.
   * @throws InputError `NET_SOCKET_ALREADY_BOUND` while a previous binding is open.
   */
  bindSocket(writer: FrameWriter): SocketBinding {
    return this.#out.bind(writer);
  }

  /**
   * A frame the other end wrote came off this endpoint's socket (in stream order).
   * @throws IntegrityError `NET_UNEXPECTED_FRAME`, `NET_FRAME_MISMATCH`.
   */
  arrived(frame: Frame): void {
    this.#in.arrive(frame);
  }

  /** Counters of the direction this endpoint sends on. */
  sendStats(): DirectionStats {
    return this.#out.stats();
  }
}

export interface NetLinkContext {
  readonly scheduler: Scheduler;
  readonly tracker: InFlightTracker;
  readonly emit: (event: NetEvent) => void;
  /** A seeded Rng per direction, derived from the link and direction names. */
  readonly rngFor: (direction: string) => Rng;
}

export class NetLink {
  readonly name: string;
  readonly partitions: readonly Partition[];
  readonly #endpoints: ReadonlyMap<string, LinkEndpoint>;
  readonly #statusListeners = new Set<LinkStatusListener>();
  #down = false;

  /** Options are checked by the simulator that creates the link. */
  constructor(options: LinkOptions, context: NetLinkContext) {
    const { scheduler, tracker, emit } = context;
    const [a, b] = options.endpoints;
    this.name = options.name;
    this.partitions = [...(options.partitions ?? [])];
    const latency = { baseNs: options.profile.latencyNs, jitterNs: options.profile.jitterNs ?? 0n };
    const handlers = { [a]: new Set<FrameHandler>(), [b]: new Set<FrameHandler>() };
    const channel = (from: string, to: string): Channel =>
      new Channel({
        link: this.name,
        from,
        to,
        scheduler,
        rng: context.rngFor(`${from}>${to}`),
        latency,
        lossProbability: options.profile.lossProbability ?? 0,
        partitions: this.partitions,
        tracker,
        emit,
        deliver: (frame) => {
          for (const handler of [...(handlers[to] ?? [])]) handler(frame);
        },
      });
    const ab = channel(a, b);
    const ba = channel(b, a);
    this.#endpoints = new Map([
      [a, new LinkEndpoint(a, ab, ba, handlers[a] ?? new Set())],
      [b, new LinkEndpoint(b, ba, ab, handlers[b] ?? new Set())],
    ]);
    const nowNs = scheduler.clock.monoNs();
    for (const { fromNs, toNs } of this.partitions) {
      if (toNs <= nowNs) continue;
      const status = (type: LinkStatusEvent['type']) => () => {
        this.#down = type === 'link-down';
        const event: LinkStatusEvent = { type, link: this.name, atNs: scheduler.clock.monoNs() };
        emit(event);
        for (const listener of [...this.#statusListeners]) listener(event);
      };
      scheduler.setTimer(fromNs > nowNs ? fromNs - nowNs : 0n, status('link-down'));
      scheduler.setTimer(toNs - nowNs, status('link-up'));
    }
  }

  /** True between a `link-down` and the next `link-up`. */
  get down(): boolean {
    return this.#down;
  }

  /** @throws InputError `NET_UNKNOWN_ENDPOINT` for a name that is not one of the two ends. */
  endpoint(name: string): LinkEndpoint {
    const endpoint = this.#endpoints.get(name);
    if (endpoint === undefined) {
      throw new InputError('NET_UNKNOWN_ENDPOINT', `link ${this.name} has no endpoint ${name}`, {
        details: { link: this.name, endpoint: name, endpoints: [...this.#endpoints.keys()] },
      });
    }
    return endpoint;
  }

  /** `link-down` / `link-up` as partitions begin and end; returns the removal. */
  onStatus(listener: LinkStatusListener): () => void {
    this.#statusListeners.add(listener);
    return () => {
      this.#statusListeners.delete(listener);
    };
  }
}
