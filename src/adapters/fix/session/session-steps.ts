/**
 * @module
 * The steps of a FixSession (./session.ts) and their recording. Every call into the session from
 * outside is one step: the clock is read once when it begins, and every reading while it is handled
 * returns that instant. A recording hears of each step with its instant, of each input, of each
 * call into the application and how it ended, and of each outbound message; timers are numbered
 * from the start of a recording, so that its log can name the one that fired.
 */
import {
  type Clock,
  isDeltaTraceError,
  type Scheduler,
  type TimerHandle,
} from '../../../core/index.js';
import type { FixApplication } from './ports.js';
import type {
  ApplicationCallback,
  SessionInputEntry,
  SessionInstant,
  SessionLogStart,
  SessionRecorder,
  ThrownByApplication,
} from './recorder.js';

function describeThrown(error: unknown): ThrownByApplication {
  if (!isDeltaTraceError(error)) {
    return { message: error instanceof Error ? error.message : String(error) };
  }
  const tag = error.details?.['tag'];
  return typeof tag === 'number'
    ? { code: error.code, message: error.message, tag }
    : { code: error.code, message: error.message };
}

export class SessionSteps {
  readonly #scheduler: Scheduler;
  /** What the session reads as now: the instant of the step being handled. */
  readonly clock: Clock;
  #now: SessionInstant | undefined;
  /** Calls into the session in progress: above 1, a call made from inside another. */
  #depth = 0;
  #recorder: SessionRecorder | undefined;
  /** Timers set since recording began: a timer's number names it in the log. */
  #timersSet = 0;

  constructor(scheduler: Scheduler) {
    this.#scheduler = scheduler;
    const clock = scheduler.clock;
    this.clock = {
      monoNs: () => this.#now?.monoNs ?? clock.monoNs(),
      wallNs: () => this.#now?.wallNs ?? clock.wallNs(),
    };
  }

  get isRecording(): boolean {
    return this.#recorder !== undefined;
  }

  /** Whether a step is being handled. */
  get inStep(): boolean {
    return this.#depth > 0;
  }

  /**
   * Starts recording with the session's state now. The session has no live timer then (it has
   * no connection), so numbering starts over without ambiguity.
   */
  startRecording(recorder: SessionRecorder, start: SessionLogStart): void {
    this.#timersSet = 0;
    recorder.start(start);
    this.#recorder = recorder;
  }

  stopRecording(): void {
    this.#recorder = undefined;
  }

  /**
   * Runs one call into the session. From outside, it is a step: the clock is read once, and the
   * recorder hears of it with that instant. From inside another call (an application sending from
   * a callback), it is part of that step and happens at its instant.
   */
  run<T>(input: SessionInputEntry, run: () => T): T {
    const recorder = this.#recorder;
    if (this.#depth > 0) {
      recorder?.record(input);
      this.#depth++;
      try {
        return run();
      } finally {
        this.#depth--;
      }
    }
    const clock = this.#scheduler.clock;
    const at: SessionInstant = { monoNs: clock.monoNs(), wallNs: clock.wallNs() };
    this.#now = at;
    this.#depth = 1;
    if (recorder !== undefined) {
      recorder.beginStep(at);
      recorder.record(input);
    }
    try {
      return run();
    } finally {
      this.#depth = 0;
      this.#now = undefined;
      recorder?.endStep();
    }
  }

  /** Numbers every timer and makes its firing a step. */
  setTimer(delayNs: bigint, task: () => void): TimerHandle {
    const timerId = this.#timersSet++;
    return this.#scheduler.setTimer(delayNs, () => this.run({ type: 'timer', timerId }, task));
  }

  /**
   * The application as the session calls it: a recording notes each call and how it ended, so a
   * replay can make the same calls back into the session and throw what was thrown.
   */
  observed(application: FixApplication): FixApplication {
    return {
      onMessage: (message, handle) =>
        this.#callback('message', () => application.onMessage(message, handle)),
      onLogon: (handle) => this.#callback('logon', () => application.onLogon?.(handle)),
      onLogout: (handle) => this.#callback('logout', () => application.onLogout?.(handle)),
    };
  }

  recordOutbound(bytes: Uint8Array): void {
    this.#recorder?.record({ type: 'outbound', bytes });
  }

  #callback(callback: ApplicationCallback, run: () => void): void {
    const recorder = this.#recorder;
    if (recorder === undefined) {
      run();
      return;
    }
    recorder.record({ type: 'callback', callback });
    try {
      run();
    } catch (error) {
      recorder.record({ type: 'callback-end', thrown: describeThrown(error) });
      throw error;
    }
    recorder.record({ type: 'callback-end' });
  }
}
