/**
 * @module
 * The SessionRecorder port: what a FixSession reports so that a run of it can be replayed. A
 * session's outbound bytes are a function of its configuration, its store at the start, and its
 * inputs at the instants it read from its clock; the recorder receives exactly those, grouped in
 * steps (one input from outside and everything it caused), plus the bytes written, for comparison.
 * No I/O here: the file writer (session-log-file.ts) and the in-memory recorder implement it.
 */
import type { ErrorCode } from '../../../core/index.js';
import type { SessionConfig } from './config.js';
import type { OutboundMessage } from './ports.js';
import type { StoredMessage } from './store.js';

/** The clock readings a session uses while it handles one step: monotonic and wall nanoseconds. */
export interface SessionInstant {
  readonly monoNs: bigint;
  readonly wallNs: bigint;
}

/** What the session holds when recording starts; a replay starts from the same. */
export interface SessionLogStart {
  readonly config: SessionConfig;
  /** Whether an application sits behind the session (without one, it rejects application messages). */
  readonly application: boolean;
  readonly nextSenderSeq: number;
  readonly nextTargetSeq: number;
  /** Application messages in the store, for resends of what was sent before the recording. */
  readonly sent: readonly StoredMessage[];
}

export type ApplicationCallback = 'message' | 'logon' | 'logout';

/** What an application callback threw, as far as the session's answer depends on it. */
export interface ThrownByApplication {
  /** The DeltaTraceError code; absent for any other thrown value. */
  readonly code?: ErrorCode;
  readonly message: string;
  /** `details.tag` of a DeltaTraceError: the RefTagID (371) of the session Reject. */
  readonly tag?: number;
}

/** Inputs: calls into the session from outside it (or, nested, from its application). */
export type SessionInputEntry =
  | { readonly type: 'connect' }
  | { readonly type: 'disconnect' }
  | { readonly type: 'receive'; readonly bytes: Uint8Array }
  | { readonly type: 'send'; readonly message: OutboundMessage }
  | { readonly type: 'logout'; readonly text?: string }
  | { readonly type: 'close' }
  /** The n-th timer the session set since recording began (0-based) fired. */
  | { readonly type: 'timer'; readonly timerId: number };

export type SessionLogEntry =
  | SessionInputEntry
  /** The session called its application; entries until the matching end happened inside. */
  | { readonly type: 'callback'; readonly callback: ApplicationCallback }
  | { readonly type: 'callback-end'; readonly thrown?: ThrownByApplication }
  /** One message the session wrote. */
  | { readonly type: 'outbound'; readonly bytes: Uint8Array };

/**
 * One input from outside at one instant, and everything that happened while the session handled
 * it, in order. `entries[0]` is that input; later input entries are nested calls (an application
 * sending from inside a callback) and happen at the same instant.
 */
export interface SessionLogStep {
  readonly at: SessionInstant;
  readonly entries: readonly SessionLogEntry[];
}

export interface SessionLog {
  readonly start: SessionLogStart;
  readonly steps: readonly SessionLogStep[];
  /** Bytes after the last whole record (a write cut short by a crash), not part of the log. */
  readonly tornTailBytes: number;
}

/**
 * Receives a session's recording. Calls are synchronous and come from inside the session's
 * processing, so an implementation must not throw and must not call back into the session;
 * `bytes` and messages belong to the caller after the call returns (copy what is kept).
 */
export interface SessionRecorder {
  /** Recording begins (once, before anything else, while the session has no connection). */
  start(start: SessionLogStart): void;
  /** A step begins: an input from outside reaches the session at `at`. */
  beginStep(at: SessionInstant): void;
  record(entry: SessionLogEntry): void;
  /** The step is complete: a recorder that writes can write it whole now. */
  endStep(): void;
}

function copyEntry(entry: SessionLogEntry): SessionLogEntry {
  switch (entry.type) {
    case 'receive':
    case 'outbound':
      return { type: entry.type, bytes: entry.bytes.slice() };
    case 'send': {
      const { msgType, body, header } = entry.message;
      const copy = (fields: OutboundMessage['body']): OutboundMessage['body'] =>
        fields.map(([tag, value]) => [tag, value] as const);
      return {
        type: 'send',
        message:
          header === undefined
            ? { msgType, body: copy(body) }
            : { msgType, body: copy(body), header: copy(header) },
      };
    }
    case 'connect':
    case 'disconnect':
    case 'logout':
    case 'close':
    case 'timer':
    case 'callback':
    case 'callback-end':
      return entry;
  }
}

/** Keeps the recording in memory: for tests, and for replaying a session of this process. */
export class MemorySessionRecorder implements SessionRecorder {
  #start: SessionLogStart | undefined;
  readonly #steps: SessionLogStep[] = [];
  #current: { at: SessionInstant; entries: SessionLogEntry[] } | undefined;

  start(start: SessionLogStart): void {
    this.#start = {
      ...start,
      sent: start.sent.map((stored) => ({ seq: stored.seq, bytes: stored.bytes.slice() })),
    };
  }

  beginStep(at: SessionInstant): void {
    this.#current = { at, entries: [] };
  }

  record(entry: SessionLogEntry): void {
    this.#current?.entries.push(copyEntry(entry));
  }

  endStep(): void {
    if (this.#current !== undefined && this.#current.entries.length > 0) {
      this.#steps.push(this.#current);
    }
    this.#current = undefined;
  }

  /** The recording so far; undefined before the session started it. */
  log(): SessionLog | undefined {
    const start = this.#start;
    return start === undefined ? undefined : { start, steps: [...this.#steps], tornTailBytes: 0 };
  }
}
