/**
 * @module
 * Replays a session log: a fresh FixSession with the recorded configuration and store, on a
 * scheduler whose clock presents each step's recorded instant and whose timers fire exactly when
 * the log says they fired, is given the recorded inputs in order; what it writes is compared with
 * what the recorded session wrote, message by message. The application is played back from the
 * log too (its sends, logouts and what it threw, at the point of each callback), so the replay
 * checks the session layer alone. Pure: no I/O, no clock of its own.
 */
import {
  bytesEqual,
  type Clock,
  DeltaTraceError,
  type Scheduler,
  type TimerHandle,
} from '../../../core/index.js';
import { diffFixFields, type FieldDifference, renderFixMessage } from './message-diff.js';
import type { FixApplication, FixTransport } from './ports.js';
import type {
  ApplicationCallback,
  SessionInputEntry,
  SessionInstant,
  SessionLog,
  SessionLogEntry,
  SessionLogStart,
  ThrownByApplication,
} from './recorder.js';
import { FixSession } from './session.js';
import { MemorySessionStore } from './store.js';

/**
 * A Scheduler for replays: its clock reads whatever instant it was last moved to, and a timer runs
 * only when fired by its number (the n-th timer set, from 0), as the log names timers.
 */
export class ReplayScheduler implements Scheduler {
  readonly clock: Clock;
  #at: SessionInstant;
  #timersSet = 0;
  readonly #pending = new Map<number, () => void>();

  constructor(at: SessionInstant = { monoNs: 0n, wallNs: 0n }) {
    this.#at = at;
    this.clock = { monoNs: () => this.#at.monoNs, wallNs: () => this.#at.wallNs };
  }

  /** Timers set and neither fired nor cancelled. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Presents `at` as now. Recorded instants are what they were: no ordering is imposed. */
  moveTo(at: SessionInstant): void {
    this.#at = at;
  }

  setTimer(_delayNs: bigint, task: () => void): TimerHandle {
    const timerId = this.#timersSet++;
    this.#pending.set(timerId, task);
    return { cancel: () => void this.#pending.delete(timerId) };
  }

  /** Runs timer `timerId`; false when it was never set, was cancelled or already ran. */
  fire(timerId: number): boolean {
    const task = this.#pending.get(timerId);
    if (task === undefined) return false;
    this.#pending.delete(timerId);
    task();
    return true;
  }
}

/** The step (0-based) a message was written in, and that step's input and instant. */
export interface ReplayStepRef {
  readonly step: number;
  readonly input: SessionInputEntry['type'];
  readonly mono_ns: string;
  readonly wall_ns: string;
}

export interface OutboundDivergence {
  /** 0-based position among the session's outbound messages. */
  readonly index: number;
  /** The messages, SOH shown as `|`; null where that side wrote fewer messages. */
  readonly recorded: string | null;
  readonly replayed: string | null;
  readonly recorded_step: ReplayStepRef | null;
  readonly replayed_step: ReplayStepRef | null;
  /** Field by field, by tag (repeated tags by occurrence), in the recorded message's order. */
  readonly fields: readonly FieldDifference[];
}

export interface SessionReplayReport {
  /** Every outbound byte reproduced, and every recorded entry had its occasion in the replay. */
  readonly identical: boolean;
  readonly role: SessionLogStart['config']['role'];
  readonly sender_comp_id: string;
  readonly target_comp_id: string;
  readonly steps: number;
  /** Inputs given to the session, by kind (nested ones included). */
  readonly inputs: Readonly<Record<SessionInputEntry['type'], number>>;
  readonly recorded_outbound: number;
  readonly replayed_outbound: number;
  readonly torn_tail_bytes: number;
  /**
   * Recorded entries the replayed session gave no occasion for: callbacks it did not make, timers
   * it had not set (or had cancelled), entries that could not be placed. All zero unless diverged.
   */
  readonly unmatched: {
    readonly callbacks: number;
    readonly timers: number;
    readonly entries: number;
  };
  readonly first_divergence: OutboundDivergence | null;
}

function seedStore(start: SessionLogStart): MemorySessionStore {
  const store = new MemorySessionStore();
  for (const stored of start.sent) {
    if (stored.seq < start.nextSenderSeq) store.recordSent(stored.seq, stored.bytes);
  }
  // recordSent moves the next sender seq past `seq` and keeps stored bytes (SessionStore).
  if (start.nextSenderSeq > 1) store.recordSent(start.nextSenderSeq - 1, undefined);
  store.setNextTargetSeq(start.nextTargetSeq);
  return store;
}

function toThrown(thrown: ThrownByApplication): Error {
  if (thrown.code === undefined) return new Error(thrown.message);
  return new DeltaTraceError(
    thrown.code,
    thrown.message,
    thrown.tag === undefined ? {} : { details: { tag: thrown.tag } },
  );
}

/** The entries of one step that the replay consumes (everything but outbound bytes), in order. */
class StepCursor {
  #entries: readonly SessionLogEntry[] = [];
  #next = 0;

  load(entries: readonly SessionLogEntry[]): void {
    this.#entries = entries.filter((entry) => entry.type !== 'outbound');
    this.#next = 0;
  }

  peek(): SessionLogEntry | undefined {
    return this.#entries[this.#next];
  }

  take(): SessionLogEntry | undefined {
    return this.#entries[this.#next++];
  }
}

class Replay {
  readonly #log: SessionLog;
  readonly #scheduler: ReplayScheduler;
  readonly #session: FixSession;
  readonly #cursor = new StepCursor();
  readonly #replayed: { bytes: Uint8Array; step: number }[] = [];
  readonly #inputs: Record<SessionInputEntry['type'], number> = {
    connect: 0,
    disconnect: 0,
    receive: 0,
    send: 0,
    logout: 0,
    close: 0,
    timer: 0,
  };
  readonly #unmatched = { callbacks: 0, timers: 0, entries: 0 };
  #transport: FixTransport | undefined;
  #step = -1;

  constructor(log: SessionLog) {
    this.#log = log;
    this.#scheduler = new ReplayScheduler(log.steps[0]?.at);
    const application: FixApplication = {
      onMessage: () => this.#callback('message'),
      onLogon: () => this.#callback('logon'),
      onLogout: () => this.#callback('logout'),
    };
    this.#session = new FixSession({
      config: log.start.config,
      scheduler: this.#scheduler,
      store: seedStore(log.start),
      ...(log.start.application ? { application } : {}),
      observer: {
        onMessage: (direction, bytes) => {
          if (direction === 'out') this.#replayed.push({ bytes, step: this.#step });
        },
      },
    });
  }

  run(): SessionReplayReport {
    for (const [index, step] of this.#log.steps.entries()) {
      this.#step = index;
      this.#scheduler.moveTo(step.at);
      this.#cursor.load(step.entries);
      // What is left once the input returns was made from outside a callback while the session
      // was busy (a transport or an observer calling in): it is given as soon as it can be.
      for (let entry = this.#cursor.take(); entry !== undefined; entry = this.#cursor.take()) {
        this.#play(entry);
      }
    }
    return this.#report();
  }

  #play(entry: SessionLogEntry): void {
    switch (entry.type) {
      case 'callback':
        // A callback the replayed session did not make: its contents have no occasion either.
        this.#unmatched.callbacks++;
        this.#skipCallback();
        return;
      case 'callback-end':
      case 'outbound':
        this.#unmatched.entries++;
        return;
      case 'connect':
      case 'disconnect':
      case 'receive':
      case 'send':
      case 'logout':
      case 'close':
      case 'timer':
        this.#inputs[entry.type]++;
        try {
          this.#give(entry);
        } catch {
          // The recorded session threw to its caller here too (an application's send refused,
          // a callback's error passed on); the caller's reaction is in the log as later inputs.
        }
    }
  }

  #give(entry: SessionInputEntry): void {
    const session = this.#session;
    switch (entry.type) {
      case 'connect': {
        const transport: FixTransport = { send: () => {}, close: () => {} };
        if (session.isAttached) {
          this.#unmatched.entries++;
          return;
        }
        this.#transport = transport;
        session.attach(transport);
        return;
      }
      case 'disconnect':
        if (this.#transport === undefined || !session.isAttached) {
          this.#unmatched.entries++;
          return;
        }
        session.detach(this.#transport);
        return;
      case 'receive':
        session.receive(entry.bytes);
        return;
      case 'send':
        session.send(entry.message);
        return;
      case 'logout':
        session.logout(entry.text);
        return;
      case 'close':
        session.close();
        return;
      case 'timer':
        if (!this.#scheduler.fire(entry.timerId)) this.#unmatched.timers++;
        return;
    }
  }

  /** The session called its application: make the calls back it made then, and end as it did. */
  #callback(callback: ApplicationCallback): void {
    const next = this.#cursor.peek();
    if (next?.type !== 'callback' || next.callback !== callback) {
      this.#unmatched.callbacks++;
      return;
    }
    this.#cursor.take();
    for (let entry = this.#cursor.take(); entry !== undefined; entry = this.#cursor.take()) {
      if (entry.type === 'callback-end') {
        if (entry.thrown !== undefined) throw toThrown(entry.thrown);
        return;
      }
      this.#play(entry);
    }
  }

  #skipCallback(): void {
    let depth = 1;
    for (let entry = this.#cursor.take(); entry !== undefined; entry = this.#cursor.take()) {
      if (entry.type === 'callback') depth++;
      else if (entry.type === 'callback-end' && --depth === 0) return;
      this.#unmatched.entries++;
    }
  }

  #stepRef(step: number): ReplayStepRef | null {
    const recorded = this.#log.steps[step];
    const input = recorded?.entries[0];
    if (recorded === undefined || input === undefined || !isInput(input)) return null;
    return {
      step,
      input: input.type,
      mono_ns: recorded.at.monoNs.toString(),
      wall_ns: recorded.at.wallNs.toString(),
    };
  }

  #report(): SessionReplayReport {
    const recorded: { bytes: Uint8Array; step: number }[] = [];
    for (const [step, { entries }] of this.#log.steps.entries()) {
      for (const entry of entries)
        if (entry.type === 'outbound') recorded.push({ bytes: entry.bytes, step });
    }
    const replayed = this.#replayed;
    let divergence: OutboundDivergence | null = null;
    for (let i = 0; i < Math.max(recorded.length, replayed.length); i++) {
      const a = recorded[i];
      const b = replayed[i];
      if (a !== undefined && b !== undefined && bytesEqual(a.bytes, b.bytes)) continue;
      divergence = {
        index: i,
        recorded: a === undefined ? null : renderFixMessage(a.bytes),
        replayed: b === undefined ? null : renderFixMessage(b.bytes),
        recorded_step: a === undefined ? null : this.#stepRef(a.step),
        replayed_step: b === undefined ? null : this.#stepRef(b.step),
        fields: diffFixFields(a?.bytes ?? new Uint8Array(0), b?.bytes ?? new Uint8Array(0)),
      };
      break;
    }
    const unmatched = { ...this.#unmatched };
    const config = this.#log.start.config;
    return {
      identical:
        divergence === null &&
        unmatched.callbacks === 0 &&
        unmatched.timers === 0 &&
        unmatched.entries === 0,
      role: config.role,
      sender_comp_id: config.senderCompId,
      target_comp_id: config.targetCompId,
      steps: this.#log.steps.length,
      inputs: { ...this.#inputs },
      recorded_outbound: recorded.length,
      replayed_outbound: replayed.length,
      torn_tail_bytes: this.#log.tornTailBytes,
      unmatched,
      first_divergence: divergence,
    };
  }
}

function isInput(entry: SessionLogEntry): entry is SessionInputEntry {
  return entry.type !== 'callback' && entry.type !== 'callback-end' && entry.type !== 'outbound';
}

/**
 * Replays `log` and compares outbound messages byte for byte.
 * @throws InputError INPUT_SCHEMA_VIOLATION when the recorded configuration is not a valid one.
 */
export function replaySessionLog(log: SessionLog): SessionReplayReport {
  return new Replay(log).run();
}
