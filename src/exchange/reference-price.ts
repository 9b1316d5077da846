/**
 * @module
 * A price the markets of several venues share: one seeded random walk of the instrument's value,
 * which each venue's simulated mid follows. Independent walks drift apart by tens of ticks within
 * a minute and leave venues crossed against each other, which no real market tolerates for long
 * (arbitrage closes it); a shared reference keeps the venues within a tick or two of one another.
 */
import { InputError, type Rng } from '../core/index.js';
import { drawInt } from './market-profile.js';

export interface ReferencePriceOptions {
  readonly rng: Rng;
  readonly initialMidTicks: number;
  /** The walk steps once per `stepNs` of monotonic time. */
  readonly stepNs: bigint;
  /** Each step moves by a uniform integer in [-maxStepTicks, maxStepTicks]. */
  readonly maxStepTicks: number;
  readonly minMidTicks: number;
}

export class ReferencePrice {
  readonly #options: ReferencePriceOptions;
  /** The walk at step 0, 1, 2, …: filled as far as it was asked for, never redrawn. */
  readonly #steps: number[];

  /** @throws InputError `VENUE_INVALID_CONFIG` for a non-positive step or bad ticks. */
  constructor(options: ReferencePriceOptions) {
    if (
      options.stepNs <= 0n ||
      !Number.isSafeInteger(options.initialMidTicks) ||
      !Number.isSafeInteger(options.maxStepTicks) ||
      options.maxStepTicks < 0 ||
      options.initialMidTicks < options.minMidTicks
    ) {
      throw new InputError(
        'VENUE_INVALID_CONFIG',
        'a reference price needs a positive step and a valid start',
      );
    }
    this.#options = options;
    this.#steps = [options.initialMidTicks];
  }

  /** The reference mid at monotonic time `nowNs` (the same for every caller at that time). */
  midTicksAt(nowNs: bigint): number {
    const step = nowNs <= 0n ? 0 : Number(nowNs / this.#options.stepNs);
    const { rng, maxStepTicks, minMidTicks } = this.#options;
    while (this.#steps.length <= step) {
      const next = this.#steps[this.#steps.length - 1]! + drawInt(rng, -maxStepTicks, maxStepTicks);
      this.#steps.push(next < minMidTicks ? minMidTicks : next);
    }
    return this.#steps[step]!;
  }
}
