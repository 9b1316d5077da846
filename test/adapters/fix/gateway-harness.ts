/**
 * A sandbox venue behind a FixVenueGateway on a real FixAcceptor (loopback, port 0), and clients
 * that reach it with our FixInitiator. Nothing is replaced: real sockets, real sessions, the real
 * venue; waits are on messages actually received, each with a timeout.
 */
import {
  DecimalScale,
  decodeFixMessage,
  FixAcceptor,
  type FixAcceptorOptions,
  FixInitiator,
  type FixInitiatorOptions,
  type FixMessage,
  FixSession,
  FixVenueGateway,
  type InstrumentScales,
  MemorySessionStore,
  type OutboundMessage,
  type SessionEvent,
} from '../../../src/adapters/fix/index.js';
import type { Scheduler } from '../../../src/core/index.js';
import { type FeeSchedule, type LatencyModel, Venue } from '../../../src/exchange/index.js';

export const VENUE_COMP_ID = 'XSIM';
/** ACME: cents and single shares. WIDGET: nickels and round lots of 100. */
export const SCALES = {
  ACME: { price: new DecimalScale('0.01'), qty: new DecimalScale('1') },
  WIDGET: { price: new DecimalScale('0.05'), qty: new DecimalScale('100') },
} as const satisfies Record<string, InstrumentScales>;
export const FEES: FeeSchedule = { makerCentiTicksPerLot: -20, takerCentiTicksPerLot: 30 };
/** Outbound application messages: what the gateway sends (admin traffic excluded). */
const APPLICATION_TYPES = new Set(['8', '9', 'j', 'W', 'X', 'Y']);
/** Inbound application messages: what clients send. */
const CLIENT_TYPES = new Set(['D', 'F', 'G', 'V', 'H']);

/** Resolves once `condition()` holds, checked whenever `subscribe` signals; fails after a while. */
export function until(
  condition: () => boolean,
  subscribe: (wake: () => void) => () => void,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const unsubscribe = subscribe(() => {
      if (!condition()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
  });
}

export interface GatewayWorldOptions {
  readonly scheduler: Scheduler;
  /** CompIDs of the client sessions the acceptor knows. */
  readonly clients: readonly string[];
  readonly processingLatency?: LatencyModel;
  readonly bind?: FixAcceptorOptions['bind'];
}

export class GatewayWorld {
  readonly scheduler: Scheduler;
  readonly venue: Venue;
  readonly gateway: FixVenueGateway;
  readonly acceptor: FixAcceptor;
  /** The acceptor's session per client CompID. */
  readonly sessions: ReadonlyMap<string, FixSession>;
  /** Application messages the acceptor has sent, per client CompID. */
  readonly sent = new Map<string, number>();
  /** Every message the acceptor has sent, per client CompID, as wire text. */
  readonly wire = new Map<string, string[]>();
  /** Application messages the acceptor has received, per client CompID. */
  readonly heard = new Map<string, number>();
  /** Session events on the venue side, per client CompID (session Rejects show up here). */
  readonly venueEvents = new Map<string, SessionEvent[]>();
  readonly #clients: GatewayClient[] = [];

  private constructor(options: GatewayWorldOptions) {
    this.scheduler = options.scheduler;
    this.venue = new Venue({
      mic: VENUE_COMP_ID,
      instruments: ['ACME', 'WIDGET'],
      scheduler: options.scheduler,
      fees: FEES,
      ...(options.processingLatency === undefined
        ? {}
        : { processingLatency: options.processingLatency }),
    });
    this.gateway = new FixVenueGateway({
      venue: this.venue,
      scheduler: options.scheduler,
      scales: SCALES,
    });
    const sessions = new Map<string, FixSession>();
    for (const compId of options.clients) {
      const events: SessionEvent[] = [];
      this.venueEvents.set(compId, events);
      this.sent.set(compId, 0);
      this.heard.set(compId, 0);
      const wire: string[] = [];
      this.wire.set(compId, wire);
      const session = new FixSession({
        config: { role: 'acceptor', senderCompId: VENUE_COMP_ID, targetCompId: compId },
        scheduler: options.scheduler,
        store: new MemorySessionStore(),
        application: this.gateway,
        observer: {
          onEvent: (event) => events.push(event),
          onMessage: (direction, bytes) => {
            if (direction === 'in') {
              const type = decodeFixMessage(bytes).msgType;
              if (CLIENT_TYPES.has(type)) this.heard.set(compId, (this.heard.get(compId) ?? 0) + 1);
              return;
            }
            wire.push(new TextDecoder().decode(bytes));
            if (APPLICATION_TYPES.has(decodeFixMessage(bytes).msgType)) {
              this.sent.set(compId, (this.sent.get(compId) ?? 0) + 1);
            }
          },
        },
      });
      sessions.set(compId, session);
    }
    this.sessions = sessions;
    this.acceptor = new FixAcceptor({
      sessions: [...sessions.values()],
      scheduler: options.scheduler,
      ...(options.bind === undefined ? {} : { bind: options.bind }),
    });
  }

  static async start(options: GatewayWorldOptions): Promise<GatewayWorld> {
    const world = new GatewayWorld(options);
    await world.acceptor.listen();
    return world;
  }

  /** A client of `compId` (one of the configured ones); not connected yet. */
  client(compId: string, options: Partial<FixInitiatorOptions> = {}): GatewayClient {
    const client = new GatewayClient(this, compId, options);
    this.#clients.push(client);
    return client;
  }

  /** Resolves once the venue side has received `count` application messages from `compId`. */
  hasHeard(compId: string, count: number): Promise<void> {
    const session = this.sessions.get(compId)!;
    return until(
      () => (this.heard.get(compId) ?? 0) >= count,
      (wake) => session.addObserver({ onMessage: wake }),
      `${count} message(s) from ${compId}`,
    );
  }

  /** Session Rejects the venue side sent (there should be none for well-formed traffic). */
  sessionRejects(compId: string): SessionEvent[] {
    return (this.venueEvents.get(compId) ?? []).filter((e) => e.type === 'reject-sent');
  }

  async close(): Promise<void> {
    for (const client of this.#clients) await client.disconnect();
    this.gateway.close();
    await this.acceptor.close();
  }
}

export class GatewayClient {
  readonly compId: string;
  readonly session: FixSession;
  /** Every application message received, in order. */
  readonly received: FixMessage[] = [];
  readonly #world: GatewayWorld;
  readonly #options: Partial<FixInitiatorOptions>;
  readonly #wakers = new Set<() => void>();
  #initiator: FixInitiator | undefined;
  #read = 0;

  constructor(world: GatewayWorld, compId: string, options: Partial<FixInitiatorOptions>) {
    this.#world = world;
    this.compId = compId;
    this.#options = options;
    this.session = new FixSession({
      config: { role: 'initiator', senderCompId: compId, targetCompId: VENUE_COMP_ID },
      scheduler: world.scheduler,
      store: new MemorySessionStore(),
      application: {
        onMessage: (message) => {
          this.received.push(message);
          this.#wake();
        },
      },
      observer: { onEvent: () => this.#wake() },
    });
  }

  /** Connects and resolves once logged on. */
  async connect(): Promise<void> {
    const initiator = new FixInitiator({
      session: this.session,
      host: '127.0.0.1',
      port: this.#world.acceptor.port,
      initialDelayMs: 20,
      ...this.#options,
    });
    this.#initiator = initiator;
    initiator.start();
    await this.until(() => this.session.isLoggedOn, `${this.compId} logon`);
  }

  /** Closes the connection and resolves once the venue side has seen it go. */
  async disconnect(): Promise<void> {
    const initiator = this.#initiator;
    this.#initiator = undefined;
    if (initiator === undefined) return;
    await initiator.stop();
    const venueSession = this.#world.sessions.get(this.compId)!;
    await until(
      () => !venueSession.isAttached,
      (wake) => venueSession.addObserver({ onEvent: wake }),
      `${this.compId} gone on the venue side`,
    );
  }

  send(message: OutboundMessage): void {
    this.session.send(message);
  }

  /** The next `count` application messages not taken yet. */
  async next(count = 1): Promise<FixMessage[]> {
    const want = this.#read + count;
    await this.until(() => this.received.length >= want, `${count} message(s) at ${this.compId}`);
    const taken = this.received.slice(this.#read, want);
    this.#read = want;
    return taken;
  }

  /** Everything received and not taken yet (nothing is waited for). */
  rest(): FixMessage[] {
    const taken = this.received.slice(this.#read);
    this.#read = this.received.length;
    return taken;
  }

  /** Resolves once this client has received every application message the venue sent it. */
  caughtUp(): Promise<void> {
    return this.until(
      () => this.received.length === (this.#world.sent.get(this.compId) ?? 0),
      `${this.compId} to catch up`,
    );
  }

  until(condition: () => boolean, what: string): Promise<void> {
    return until(
      condition,
      (wake) => {
        this.#wakers.add(wake);
        return () => this.#wakers.delete(wake);
      },
      what,
    );
  }

  #wake(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}
