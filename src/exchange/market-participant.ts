/**
 * @module
 * What a simulated market participant sees of its market, and what it must answer to. The
 * simulator routes each venue event about an order to the participant that sent it.
 */
import type { Rng, Scheduler } from '../core/index.js';
import type { Command } from './commands.js';
import type { MarketProfile } from './market-profile.js';
import type { VenueEvent } from './venue.js';

/** A venue event that names one order (everything but trades and top-of-book). */
export type OrderEvent = Exclude<VenueEvent, { readonly type: 'trade' | 'book' }>;

export interface MarketParticipant {
  readonly ownerId: string;
  /** Starts the participant's own timers. */
  start(): void;
  /** An event about one of the participant's orders. */
  onOrderEvent(event: OrderEvent): void;
}

export interface MarketContext {
  readonly instrument: string;
  readonly profile: MarketProfile;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  /** The current random-walk mid, in ticks. */
  midTicks(): number;
  /** False once the simulator has stopped: participants send nothing more. */
  running(): boolean;
  /** Submits to the venue; events about the command's order go back to `from`. */
  submit(command: Command, from: MarketParticipant): void;
  /** The order is dead: no more events will be routed for it. */
  forget(orderId: string): void;
}
