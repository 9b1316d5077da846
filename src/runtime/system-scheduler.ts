/**
 * @module
 * The live Scheduler: real timers on a real clock. Node's timers have millisecond resolution, so
 * a positive delay is rounded up to the next whole millisecond (a task never runs early); a zero
 * delay runs on the next turn of the event loop, after pending I/O, without a timer.
 */
import type { Clock, Scheduler, TimerHandle } from '../core/index.js';

export class SystemScheduler implements Scheduler {
  readonly clock: Clock;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #immediates = new Set<NodeJS.Immediate>();

  constructor(clock: Clock) {
    this.clock = clock;
  }

  setTimer(delayNs: bigint, task: () => void): TimerHandle {
    if (delayNs <= 0n) {
      const immediate = setImmediate(() => {
        this.#immediates.delete(immediate);
        task();
      });
      this.#immediates.add(immediate);
      return {
        cancel: () => {
          clearImmediate(immediate);
          this.#immediates.delete(immediate);
        },
      };
    }
    const delayMs = Number((delayNs + 999_999n) / 1_000_000n);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      task();
    }, delayMs);
    this.#timers.add(timer);
    return {
      cancel: () => {
        clearTimeout(timer);
        this.#timers.delete(timer);
      },
    };
  }

  /** Cancels every pending timer (shutdown). */
  cancelAll(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    for (const immediate of this.#immediates) clearImmediate(immediate);
    this.#timers.clear();
    this.#immediates.clear();
  }
}
