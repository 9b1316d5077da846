/**
 * Two real FixSessions (a venue acceptor and a firm initiator), both recording, joined by an
 * in-process link on virtual time with a fixed latency that can lose messages. The link and the
 * clocks stand in for the network; the sessions, their stores and recorders are the real ones.
 * With `jitter`, the scheduler behaves like a live one: every clock reading has moved on a little
 * and timers fire late by a seeded amount, so only the instants a session read make it replayable.
 */
import {
  type FixApplication,
  type FixMessage,
  FixSession,
  type FixTransport,
  MemorySessionRecorder,
  MemorySessionStore,
  type SessionConfigInput,
  type SessionLog,
  type SessionStore,
} from '../../../src/adapters/fix/index.js';
import { fixError } from '../../../src/adapters/fix/message.js';
import {
  type Clock,
  type Scheduler,
  type TimerHandle,
  VirtualScheduler,
} from '../../../src/core/index.js';
import { MS, reframe, WALL_ORIGIN_NS } from './session-harness.js';

/** A VirtualScheduler seen through a live-like clock: readings drift on, timers fire late. */
export class JitteryScheduler implements Scheduler {
  readonly clock: Clock;
  readonly inner: VirtualScheduler;
  #state: number;
  #drift = 0n;

  constructor(seed: number) {
    this.inner = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
    this.#state = seed >>> 0 || 1;
    this.clock = {
      monoNs: () => this.inner.nowNs + this.#tick(),
      wallNs: () => WALL_ORIGIN_NS + this.inner.nowNs + this.#tick() + 17n,
    };
  }

  setTimer(delayNs: bigint, task: () => void): TimerHandle {
    return this.inner.setTimer(delayNs + BigInt(this.#next() % 1_500_000), task);
  }

  /** Every reading is later than the one before, as on a real clock. */
  #tick(): bigint {
    this.#drift += BigInt(1 + (this.#next() % 40_000));
    return this.#drift;
  }

  #next(): number {
    // xorshift32: a seeded stand-in for scheduling noise.
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }
}

/** Acks each order inside the callback; ClOrdID `bad…` is refused with a session Reject on 44. */
export const ackingVenue: FixApplication = {
  onMessage(message: FixMessage, session) {
    const clOrdId = message.get(11) ?? '';
    if (clOrdId.startsWith('bad'))
      throw fixError('FIX_BAD_VALUE', 'price out of range', { tag: 44 });
    if (clOrdId.startsWith('oops')) throw new Error('venue bug');
    session.send({
      msgType: '8',
      body: [
        [6, '0'],
        [11, clOrdId],
        [14, '0'],
        [17, `e-${clOrdId}`],
        [37, `o-${clOrdId}`],
        [39, '0'],
        [54, '1'],
        [55, 'ACME'],
        [150, '0'],
        [151, '10'],
      ],
    });
  },
};

export function order(clOrdId: string): { msgType: string; body: [number, string][] } {
  return {
    msgType: 'D',
    body: [
      [11, clOrdId],
      [38, '10'],
      [40, '1'],
      [54, '1'],
      [55, 'ACME'],
      [60, '20240102-03:04:05'],
    ],
  };
}

export interface ScenarioOptions {
  /** Lose the initiator's message with this MsgSeqNum once (the acceptor must ask again). */
  readonly dropSeq?: number;
  /** Lose everything from the initiator in [from, to) ns of virtual time (a TestRequest follows). */
  readonly silence?: readonly [bigint, bigint];
  readonly orders?: readonly { readonly atNs: bigint; readonly clOrdId: string }[];
  readonly latencyNs?: bigint;
  readonly runNs?: bigint;
  /** Live-like clock and timers, seeded. */
  readonly jitter?: number;
  readonly acceptorStore?: SessionStore;
  readonly initiatorConfig?: Partial<SessionConfigInput>;
  /** Start the acceptor's recording only now (its store may hold an earlier run). */
  readonly acceptorRecorder?: MemorySessionRecorder;
}

export interface ScenarioResult {
  readonly acceptor: SessionLog;
  readonly initiator: SessionLog;
  readonly acceptorSession: FixSession;
  readonly initiatorSession: FixSession;
}

const DEFAULT_ORDERS = [
  { atNs: 100n * MS, clOrdId: 'c1' },
  { atNs: 500n * MS, clOrdId: 'c2' },
  { atNs: 900n * MS, clOrdId: 'bad3' },
  { atNs: 1300n * MS, clOrdId: 'c4' },
  { atNs: 1700n * MS, clOrdId: 'oops5' },
  { atNs: 2100n * MS, clOrdId: 'c6' },
];

export function runScenario(options: ScenarioOptions = {}): ScenarioResult {
  const jittery = options.jitter === undefined ? undefined : new JitteryScheduler(options.jitter);
  const virtual = jittery?.inner ?? new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
  const scheduler: Scheduler = jittery ?? virtual;
  const acceptorRecorder = options.acceptorRecorder ?? new MemorySessionRecorder();
  const initiatorRecorder = new MemorySessionRecorder();
  const acceptor = new FixSession({
    config: { role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'FIRM' },
    scheduler,
    store: options.acceptorStore ?? new MemorySessionStore(),
    application: ackingVenue,
    recorder: acceptorRecorder,
  });
  const initiator = new FixSession({
    config: {
      role: 'initiator',
      senderCompId: 'FIRM',
      targetCompId: 'VENUE',
      heartBtIntSec: 1,
      ...options.initiatorConfig,
    },
    scheduler,
    store: new MemorySessionStore(),
    application: { onMessage: () => {} },
    recorder: initiatorRecorder,
  });
  const latencyNs = options.latencyNs ?? 3n * MS;
  let dropped = false;
  const toAcceptor: FixTransport = {
    send: (bytes) => {
      const text = new TextDecoder().decode(bytes);
      if (!dropped && text.includes(`\x0134=${options.dropSeq}\x01`)) {
        dropped = true;
        return;
      }
      const silence = options.silence;
      if (silence !== undefined && virtual.nowNs >= silence[0] && virtual.nowNs < silence[1]) {
        return;
      }
      scheduler.setTimer(latencyNs, () => acceptor.receive(bytes));
    },
    close: () => scheduler.setTimer(latencyNs, () => acceptor.detach(toInitiator)),
  };
  const toInitiator: FixTransport = {
    send: (bytes) => scheduler.setTimer(latencyNs, () => initiator.receive(bytes)),
    close: () => scheduler.setTimer(latencyNs, () => initiator.detach(toAcceptor)),
  };
  acceptor.attach(toInitiator);
  initiator.attach(toAcceptor);
  for (const { atNs, clOrdId } of options.orders ?? DEFAULT_ORDERS) {
    scheduler.setTimer(atNs, () => {
      if (initiator.isLoggedOn) initiator.send(order(clOrdId));
    });
  }
  const runNs = options.runNs ?? 6000n * MS;
  virtual.advanceBy(runNs);
  initiator.logout('done');
  virtual.advanceBy(500n * MS);
  return {
    acceptor: acceptorRecorder.log()!,
    initiator: initiatorRecorder.log()!,
    acceptorSession: acceptor,
    initiatorSession: initiator,
  };
}

/** Outbound messages of a log, as text with `|` for SOH, in order. */
export function outboundOf(log: SessionLog): string[] {
  const out: string[] = [];
  for (const step of log.steps) {
    for (const entry of step.entries) {
      if (entry.type === 'outbound')
        out.push(new TextDecoder().decode(entry.bytes).replaceAll('\x01', '|'));
    }
  }
  return out;
}

/** How many outbound messages were recorded before step `step`. */
export function outboundBefore(log: SessionLog, step: number): number {
  let count = 0;
  for (const s of log.steps.slice(0, step)) {
    for (const entry of s.entries) if (entry.type === 'outbound') count++;
  }
  return count;
}

/** The index of the first step whose input is a receive of bytes containing `marker`. */
export function receiveStep(log: SessionLog, marker: string): number {
  const index = log.steps.findIndex((step) => {
    const input = step.entries[0];
    return (
      input?.type === 'receive' &&
      new TextDecoder().decode(input.bytes).includes(marker.replaceAll('|', '\x01'))
    );
  });
  if (index < 0) throw new Error(`no receive step with ${marker}`);
  return index;
}

/** `log` with step `step`'s input bytes replaced by `edit(bytes)`. */
export function withReceived(
  log: SessionLog,
  step: number,
  edit: (bytes: Uint8Array) => Uint8Array,
): SessionLog {
  return {
    ...log,
    steps: log.steps.map((s, i) => {
      const input = s.entries[0];
      if (i !== step || input?.type !== 'receive') return s;
      return {
        ...s,
        entries: [{ type: 'receive', bytes: edit(input.bytes) }, ...s.entries.slice(1)],
      };
    }),
  };
}

/** A chunk cut into its messages (each from `8=FIX` through the SOH after `10=ddd`), in order. */
function messagesOf(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const trailer = text.indexOf('\x0110=', at);
    const end = trailer < 0 ? text.length : trailer + 8;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

/**
 * `chunk` with the one message that contains `marker` (`|` for SOH) changed by `edit` (on its text,
 * `|` for SOH); with `reframe`, BodyLength and CheckSum are put right afterwards, so the message
 * stays valid. Other messages in the chunk are left as they are.
 */
export function editMessage(
  chunk: Uint8Array,
  marker: string,
  edit: (text: string) => string,
  options: { readonly reframe: boolean },
): Uint8Array {
  const soh = marker.replaceAll('|', '\x01');
  let found = false;
  const messages = messagesOf(new TextDecoder().decode(chunk)).map((message) => {
    if (found || !message.includes(soh)) return message;
    found = true;
    const edited = edit(message.replaceAll('\x01', '|'));
    return options.reframe
      ? new TextDecoder().decode(reframe(edited))
      : edited.replaceAll('|', '\x01');
  });
  const text = messages.join('');
  if (!found) throw new Error(`no message with ${marker} in the chunk`);
  return new TextEncoder().encode(text);
}

/** The message containing `marker` with a wrong CheckSum (10): garbled, so the session ignores it. */
export function garble(chunk: Uint8Array, marker: string): Uint8Array {
  return editMessage(
    chunk,
    marker,
    (text) =>
      text.replace(
        /\|10=(\d)(\d)(\d)\|$/,
        (_, a: string, b: string, c: string) => `|10=${a}${(Number(b) + 1) % 10}${c}|`,
      ),
    { reframe: false },
  );
}
