/**
 * @module
 * Heartbeat and TestRequest timing of a logged-on session (FIX 4.4 Vol. 2, "Heartbeat interval"),
 * on the injected scheduler. After HeartBtInt without sending, a Heartbeat goes out; after 1.2 ×
 * HeartBtInt without receiving, a TestRequest; after 2.4 × HeartBtInt without receiving, the
 * connection is given up. No Heartbeat goes out while a TestRequest is unanswered. Activity only
 * records a time: one timer is armed for the earliest deadline and, when it fires early because
 * of later activity, re-arms, so a busy session sets no timer per message.
 */
import type { Clock, Scheduler, TimerHandle } from '../../../core/index.js';

const NS_PER_SEC = 1_000_000_000n;

export interface LivenessActions {
  sendHeartbeat(): void;
  sendTestRequest(): void;
  timedOut(): void;
}

export class LivenessTimer {
  readonly #scheduler: Scheduler;
  readonly #clock: Clock;
  readonly #actions: LivenessActions;
  #intervalNs = 0n;
  #lastSentNs = 0n;
  #lastReceivedNs = 0n;
  #testRequestPending = false;
  #timer: TimerHandle | undefined;
  #timerDueNs = 0n;

  constructor(scheduler: Scheduler, actions: LivenessActions) {
    this.#scheduler = scheduler;
    this.#clock = scheduler.clock;
    this.#actions = actions;
  }

  /** Starts timing with HeartBtInt `intervalSec` (0: no heartbeats). */
  start(intervalSec: number): void {
    this.stop();
    this.#intervalNs = BigInt(intervalSec) * NS_PER_SEC;
    const now = this.#clock.monoNs();
    this.#lastSentNs = now;
    this.#lastReceivedNs = now;
    this.#testRequestPending = false;
    this.#arm();
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#intervalNs = 0n;
  }

  sent(): void {
    this.#lastSentNs = this.#clock.monoNs();
  }

  received(): void {
    this.#lastReceivedNs = this.#clock.monoNs();
    if (this.#testRequestPending) {
      this.#testRequestPending = false;
      this.#arm();
    }
  }

  #dueNs(): bigint {
    const interval = this.#intervalNs;
    if (this.#testRequestPending) return this.#lastReceivedNs + (interval * 24n) / 10n;
    const heartbeat = this.#lastSentNs + interval;
    const testRequest = this.#lastReceivedNs + (interval * 12n) / 10n;
    return heartbeat < testRequest ? heartbeat : testRequest;
  }

  #arm(): void {
    if (this.#intervalNs === 0n) return;
    const due = this.#dueNs();
    if (this.#timer !== undefined && this.#timerDueNs <= due) return;
    this.#timer?.cancel();
    const now = this.#clock.monoNs();
    this.#timerDueNs = due;
    this.#timer = this.#scheduler.setTimer(due > now ? due - now : 0n, () => {
      this.#timer = undefined;
      this.#tick();
    });
  }

  #tick(): void {
    const interval = this.#intervalNs;
    if (interval === 0n) return;
    const now = this.#clock.monoNs();
    const silentNs = now - this.#lastReceivedNs;
    if (this.#testRequestPending) {
      if (silentNs >= (interval * 24n) / 10n) {
        this.#actions.timedOut();
        return;
      }
    } else if (silentNs >= (interval * 12n) / 10n) {
      this.#testRequestPending = true;
      this.#actions.sendTestRequest();
    } else if (now - this.#lastSentNs >= interval) {
      this.#actions.sendHeartbeat();
    }
    if (this.#intervalNs !== 0n) this.#arm();
  }
}
