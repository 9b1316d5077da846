/**
 * @module
 * The network simulator: a set of named links on one Scheduler, each direction with its own Rng
 * derived from the simulator's seed and the direction's name, so adding a link or sending on
 * one never changes another's schedule. With a VirtualScheduler the whole network is
 * deterministic; over real sockets, `scheduler.run({ settle: () => net.settled() })` keeps it
 * so, because virtual time only moves once every frame written has arrived.
 */
import { InputError, type Scheduler, SeededRng } from '../../core/index.js';
import { InFlightTracker } from './channel.js';
import { NetLink } from './link.js';
import { assertLinkOptions, fnv1a64, type LinkOptions } from './link-profile.js';
import type { NetEvent } from './net-events.js';

export interface NetworkSimulatorOptions {
  readonly scheduler: Scheduler;
  readonly seed: bigint;
}

export type NetEventListener = (event: NetEvent) => void;

export class NetworkSimulator {
  readonly scheduler: Scheduler;
  readonly seed: bigint;
  readonly #links = new Map<string, NetLink>();
  readonly #tracker = new InFlightTracker();
  readonly #listeners = new Set<NetEventListener>();

  constructor(options: NetworkSimulatorOptions) {
    this.scheduler = options.scheduler;
    this.seed = options.seed;
  }

  /**
   * Adds a link; its partitions are scheduled now.
   * @throws InputError `NET_INVALID_LINK` for bad options or a name already in use.
   */
  link(options: LinkOptions): NetLink {
    assertLinkOptions(options);
    if (this.#links.has(options.name)) {
      throw new InputError('NET_INVALID_LINK', 'a link of this name exists', {
        details: { link: options.name },
      });
    }
    const link = new NetLink(options, {
      scheduler: this.scheduler,
      tracker: this.#tracker,
      emit: (event) => {
        for (const listener of [...this.#listeners]) listener(event);
      },
      rngFor: (direction) =>
        new SeededRng(BigInt.asUintN(64, this.seed ^ fnv1a64(`${options.name}|${direction}`))),
    });
    this.#links.set(options.name, link);
    return link;
  }

  /** Every frame sent, dropped and delivered, and every link status change; returns the removal. */
  onEvent(listener: NetEventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Frames written to sockets and not arrived yet, over all links. */
  get inFlight(): number {
    return this.#tracker.count;
  }

  /** Resolves once every frame written to a socket, on every link, has arrived (or was abandoned). */
  settled(): Promise<void> {
    return this.#tracker.settled();
  }
}
