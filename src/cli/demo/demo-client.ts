/**
 * @module
 * The trading client of the demo: one FIX initiator session per venue (order entry everywhere,
 * market data over FIX from XSIM1) and a WebSocket market-data client for XSIM2, all feeding one
 * pipeline. Connections are made one at a time and in a fixed order, so that in simulated mode
 * nothing depends on which socket happens to connect first.
 */
import type { Socket } from 'node:net';

import {
  FixInitiator,
  FixSession,
  type FixTransport,
  MemorySessionStore,
} from '../../adapters/fix/index.js';
import { linkEndpointTap } from '../../adapters/ws/index.js';
import {
  type DeltaTraceError,
  InternalError,
  type Scheduler,
  SeededRng,
} from '../../core/index.js';
import type { OutboundCommand, PipelineInput } from '../../pipeline/index.js';
import { CLIENT_COMP_ID, DEMO_INSTRUMENT, DEMO_SCALES, type VenueSide } from './demo-world.js';
import { FixVenueClient } from './fix-venue-client.js';
import { bindSocketThroughLink } from './link-fix-transport.js';
import { WsFeedClient } from './ws-feed-client.js';

export interface DemoClientOptions {
  readonly scheduler: Scheduler;
  readonly seed: number;
  readonly venues: readonly VenueSide[];
  readonly deliver: (input: PipelineInput) => void;
  readonly onError: (error: DeltaTraceError) => void;
  /** Where each client session writes its FIX session log (none when absent). */
  readonly fixLogDir?: string;
}

interface Connection {
  readonly client: FixVenueClient;
  readonly session: FixSession;
  readonly initiator: FixInitiator;
}

/** Waits for `ready` in real time (connections are real sockets), polling cheaply. */
async function until(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) {
      throw new InternalError('INTERNAL', `the demo timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export class DemoClient {
  readonly #options: DemoClientOptions;
  readonly #connections = new Map<string, Connection>();
  readonly #feeds: WsFeedClient[] = [];

  constructor(options: DemoClientOptions) {
    this.#options = options;
  }

  /** Routes a pipeline command to its venue's session. */
  send(command: OutboundCommand): void {
    const connection = this.#connections.get(command.venue);
    if (connection === undefined) {
      throw new InternalError('INTERNAL', `no connection to venue ${command.venue}`);
    }
    connection.client.send(command);
  }

  get sessions(): readonly FixSession[] {
    return [...this.#connections.values()].map((c) => c.session);
  }

  /** Opens every connection, one at a time, until its socket is bound (not yet logged on). */
  async connect(): Promise<void> {
    const { scheduler, deliver, onError } = this.#options;
    for (const side of this.#options.venues) {
      const mic = side.spec.mic;
      const link = side.fixLink;
      const acceptedBefore = side.accepted();
      // The session needs its application first, and the application its session.
      const holder: { client?: FixVenueClient } = {};
      const session = new FixSession({
        config: {
          role: 'initiator',
          senderCompId: CLIENT_COMP_ID,
          targetCompId: mic,
          heartBtIntSec: 5,
          resetOnLogon: true,
        },
        scheduler,
        store: new MemorySessionStore(),
        application: {
          onMessage: (message, handle) => holder.client?.onMessage(message, handle),
          onLogon: (handle) => holder.client?.onLogon(handle),
        },
      });
      const client = new FixVenueClient({
        venue: mic,
        session,
        scales: DEMO_SCALES,
        scheduler,
        deliver,
        ...(side.spec.wsFeed ? {} : { marketData: [DEMO_INSTRUMENT] }),
      });
      let connected = false;
      const initiator = new FixInitiator({
        session,
        host: '127.0.0.1',
        port: side.fixPort,
        onEvent: (event) => {
          if (event.type === 'connected') connected = true;
        },
        ...(this.#options.fixLogDir === undefined
          ? {}
          : { sessionLogDir: this.#options.fixLogDir }),
        ...(link === undefined
          ? {}
          : {
              bind: (socket: Socket, bound: FixSession): FixTransport =>
                bindSocketThroughLink(socket, bound, link.endpoint('client'), onError),
            }),
      });
      holder.client = client;
      this.#connections.set(mic, { client, session, initiator });
      initiator.start();
      await until(() => connected && side.accepted() > acceptedBefore, `${mic} FIX`);
      if (side.ws !== undefined) {
        const feed = new WsFeedClient({
          url: side.ws.url,
          scheduler,
          rng: new SeededRng(this.#options.seed * 100 + 77),
          venue: mic,
          instruments: [DEMO_INSTRUMENT],
          deliver,
          ...(side.wsLink === undefined
            ? {}
            : { tap: linkEndpointTap(side.wsLink.endpoint('client')) }),
        });
        this.#feeds.push(feed);
        feed.start();
        const server = side.ws;
        await until(() => feed.client.connected && server.connections > 0, `${mic} WebSocket`);
      }
    }
  }

  get loggedOn(): boolean {
    return [...this.#connections.values()].every((c) => c.session.isLoggedOn);
  }

  /** Starts a Logout on every session. */
  logout(): void {
    for (const { session } of this.#connections.values()) {
      if (session.isLoggedOn) session.logout('demo finished');
    }
  }

  async close(): Promise<void> {
    for (const feed of this.#feeds) await feed.close();
    for (const { initiator } of this.#connections.values()) await initiator.stop();
  }
}
