/**
 * @module
 * A discrete-event scheduler on virtual time: the clock stands still while tasks run and jumps to
 * the next due task in between. Ties are broken by the order timers were set, so a run depends on
 * nothing but its inputs. Pure: no real timers, no wall clock.
 */
import { InputError } from '../errors.js';
import type { Clock, Scheduler, TimerHandle } from '../ports.js';

interface Task {
  readonly dueNs: bigint;
  readonly order: number;
  readonly run: () => void;
  cancelled: boolean;
}

function before(a: Task, b: Task): boolean {
  return a.dueNs < b.dueNs || (a.dueNs === b.dueNs && a.order < b.order);
}

/** A binary min-heap of tasks by (due time, order set). */
class TaskHeap {
  readonly #items: Task[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): Task | undefined {
    return this.#items[0];
  }

  push(task: Task): void {
    const items = this.#items;
    let i = items.push(task) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(task, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = task;
  }

  pop(): Task | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

export interface VirtualSchedulerOptions {
  /** Wall-clock epoch nanoseconds at monotonic zero. */
  readonly wallOriginNs: bigint;
  /** Monotonic nanoseconds to start at (default 0). */
  readonly startNs?: bigint;
}

export class VirtualScheduler implements Scheduler {
  readonly clock: Clock;
  readonly #heap = new TaskHeap();
  #nowNs: bigint;
  #order = 0;

  constructor(options: VirtualSchedulerOptions) {
    this.#nowNs = options.startNs ?? 0n;
    const wallOriginNs = options.wallOriginNs;
    this.clock = {
      wallNs: () => wallOriginNs + this.#nowNs,
      monoNs: () => this.#nowNs,
    };
  }

  /** Monotonic now, in nanoseconds. */
  get nowNs(): bigint {
    return this.#nowNs;
  }

  /** Timers set and neither fired nor cancelled. */
  get pending(): number {
    this.#dropCancelled();
    return this.#heap.size;
  }

  /** When the next live timer is due, or undefined when none is. */
  nextDueNs(): bigint | undefined {
    this.#dropCancelled();
    return this.#heap.peek()?.dueNs;
  }

  /** @throws INPUT_INVALID_ARGUMENT for a negative delay. */
  setTimer(delayNs: bigint, task: () => void): TimerHandle {
    if (delayNs < 0n) {
      throw new InputError('INPUT_INVALID_ARGUMENT', 'a timer delay cannot be negative', {
        details: { delay_ns: delayNs.toString() },
      });
    }
    const entry: Task = {
      dueNs: this.#nowNs + delayNs,
      order: this.#order++,
      run: task,
      cancelled: false,
    };
    this.#heap.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Runs the next due task, moving the clock to its time. False when there is none. */
  runNext(): boolean {
    this.#dropCancelled();
    const task = this.#heap.pop();
    if (task === undefined) return false;
    this.#nowNs = task.dueNs;
    task.cancelled = true;
    task.run();
    return true;
  }

  /**
   * Runs every task due at or before `untilNs` (including tasks those tasks set), then leaves the
   * clock at `untilNs`. Returns how many ran.
   * @throws INPUT_INVALID_ARGUMENT when `untilNs` is in the past.
   */
  advanceTo(untilNs: bigint): number {
    if (untilNs < this.#nowNs) {
      throw new InputError('INPUT_INVALID_ARGUMENT', 'virtual time cannot go backwards', {
        details: { now_ns: this.#nowNs.toString(), until_ns: untilNs.toString() },
      });
    }
    let ran = 0;
    for (let due = this.nextDueNs(); due !== undefined && due <= untilNs; due = this.nextDueNs()) {
      this.runNext();
      ran++;
    }
    this.#nowNs = untilNs;
    return ran;
  }

  /** {@link advanceTo} `delayNs` from now. */
  advanceBy(delayNs: bigint): number {
    return this.advanceTo(this.#nowNs + delayNs);
  }

  /**
   * Runs tasks in order until none is left or the next is due after `limitNs`, awaiting
   * `settle()` before each one: a simulation whose messages cross real sockets settles them
   * (every byte sent has arrived) before virtual time moves on. Returns how many ran.
   */
  async run(
    options: { readonly limitNs?: bigint; readonly settle?: () => Promise<void> } = {},
  ): Promise<number> {
    let ran = 0;
    for (;;) {
      if (options.settle !== undefined) await options.settle();
      const due = this.nextDueNs();
      if (due === undefined || (options.limitNs !== undefined && due > options.limitNs)) return ran;
      this.runNext();
      ran++;
    }
  }

  #dropCancelled(): void {
    while (this.#heap.peek()?.cancelled === true) this.#heap.pop();
  }
}
