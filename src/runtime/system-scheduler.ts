/**
 * @module
 * The live Scheduler: real timers on a real clock. Node's timers have millisecond resolution, so
 * a delay is rounded up to the next whole millisecond; a task never runs early.
 */
import type { Clock, Scheduler, TimerHandle } from '../core/index.js';

export class SystemScheduler implements Scheduler {
  readonly clock: Clock;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(clock: Clock) {
    this.clock = clock;
  }

  setTimer(delayNs: bigint, task: () => void): TimerHandle {
    const delayMs = delayNs <= 0n ? 0 : Number((delayNs + 999_999n) / 1_000_000n);
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
    this.#timers.clear();
  }
}
