/**
 * Drives one FixSession on virtual time as its counterparty would: messages in, what the session
 * wrote out, and its events. The transport is a recording one; nothing here replaces a component
 * under test.
 */
import {
  decodeFixMessage,
  encodeFixMessage,
  type FixApplication,
  type FixField,
  type FixMessage,
  FixSession,
  type FixTransport,
  formatUtcTimestamp,
  MemorySessionStore,
  type SessionConfigInput,
  type SessionEvent,
  type SessionStore,
} from '../../../src/adapters/fix/index.js';
import { VirtualScheduler } from '../../../src/core/index.js';

/** 2024-01-02T03:04:05Z */
export const WALL_ORIGIN_NS = 1_704_164_645_000_000_000n;
export const MS = 1_000_000n;
export const SECOND = 1_000_000_000n;

export interface HarnessOptions {
  readonly config?: Partial<SessionConfigInput>;
  readonly application?: FixApplication;
  readonly store?: SessionStore;
  readonly scheduler?: VirtualScheduler;
}

export interface PeerMessageOptions {
  readonly seq?: number;
  readonly header?: readonly FixField[];
  readonly sendingTime?: string;
  readonly beginString?: string;
  readonly senderCompId?: string;
  readonly targetCompId?: string;
}

export class RecordingTransport implements FixTransport {
  readonly sent: Uint8Array[] = [];
  closed = false;

  send(bytes: Uint8Array): void {
    this.sent.push(bytes);
  }

  close(): void {
    this.closed = true;
  }
}

export class SessionHarness {
  readonly scheduler: VirtualScheduler;
  readonly store: SessionStore;
  readonly session: FixSession;
  readonly events: SessionEvent[] = [];
  transport = new RecordingTransport();
  /** The counterparty's next MsgSeqNum. */
  peerSeq = 1;
  #taken = 0;

  constructor(options: HarnessOptions = {}) {
    this.scheduler = options.scheduler ?? new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
    this.store = options.store ?? new MemorySessionStore();
    this.session = new FixSession({
      config: {
        role: 'acceptor',
        senderCompId: 'ISLD',
        targetCompId: 'TW44',
        ...options.config,
      },
      scheduler: this.scheduler,
      store: this.store,
      ...(options.application === undefined ? {} : { application: options.application }),
      observer: { onEvent: (event) => this.events.push(event) },
    });
  }

  connect(): RecordingTransport {
    this.transport = new RecordingTransport();
    this.#taken = 0;
    this.session.attach(this.transport);
    return this.transport;
  }

  /** Encodes a message from the counterparty (TW44 → ISLD) stamped with the virtual clock. */
  encode(
    msgType: string,
    body: readonly FixField[] = [],
    options: PeerMessageOptions = {},
  ): Uint8Array {
    const seq = options.seq ?? this.peerSeq++;
    const fields: FixField[] = [
      [35, msgType],
      [34, String(seq)],
      [49, options.senderCompId ?? 'TW44'],
      [52, options.sendingTime ?? formatUtcTimestamp(this.scheduler.clock.wallNs())],
      [56, options.targetCompId ?? 'ISLD'],
      ...(options.header ?? []),
      ...body,
    ];
    const bytes = encodeFixMessage(fields, { beginString: 'FIX.4.4' });
    if (options.beginString === undefined) return bytes;
    const text = new TextDecoder().decode(bytes).replace('8=FIX.4.4', `8=${options.beginString}`);
    return reframe(text);
  }

  send(msgType: string, body: readonly FixField[] = [], options: PeerMessageOptions = {}): void {
    this.session.receive(this.encode(msgType, body, options));
  }

  /** Logon with HeartBtInt 30 (or as given) and returns the session's answers. */
  logon(
    body: readonly FixField[] = [
      [98, '0'],
      [108, '30'],
    ],
  ): FixMessage[] {
    this.connect();
    this.send('A', body);
    return this.take();
  }

  /** Messages the session wrote since the last call, decoded. */
  take(): FixMessage[] {
    const fresh = this.transport.sent.slice(this.#taken);
    this.#taken = this.transport.sent.length;
    return fresh.map((bytes) => decodeFixMessage(bytes));
  }

  advance(ns: bigint): void {
    this.scheduler.advanceBy(ns);
  }

  eventsOf<T extends SessionEvent['type']>(type: T): Extract<SessionEvent, { type: T }>[] {
    return this.events.filter(
      (event): event is Extract<SessionEvent, { type: T }> => event.type === type,
    );
  }
}

/** Recomputes BodyLength and CheckSum of `|`-or-SOH text whose header was edited. */
export function reframe(text: string): Uint8Array {
  const soh = text.replaceAll('|', '\x01');
  const body = soh.slice(
    soh.indexOf('\x01', soh.indexOf('\x019=') + 1) + 1,
    soh.lastIndexOf('\x0110=') + 1,
  );
  const begin = soh.slice(0, soh.indexOf('\x01') + 1);
  const head = `${begin}9=${new TextEncoder().encode(body).length}\x01`;
  const bytes = new TextEncoder().encode(head + body);
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return new TextEncoder().encode(`${head}${body}10=${String(sum).padStart(3, '0')}\x01`);
}

/** `tag=value|…` of the message's fields between MsgType and CheckSum, 52 and 122 masked. */
export function show(message: FixMessage): string {
  return message.fields
    .slice(2, -1)
    .map(([tag, value]) => `${tag}=${tag === 52 || tag === 122 ? '*' : value}`)
    .join('|');
}
