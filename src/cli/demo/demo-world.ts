/**
 * @module
 * The demo's world: two sandbox venues with seeded simulated markets, each behind a FIX 4.4
 * gateway on loopback TCP (XSIM2 also publishes market data over WebSocket), and, in simulated
 * mode, a seeded network between them and the trading client. Everything runs on one scheduler:
 * a virtual one (byte-identical runs for a seed) or the system's (real latencies).
 */
import type { Socket } from 'node:net';

import {
  DecimalScale,
  FixAcceptor,
  FixSession,
  type FixTransport,
  FixVenueGateway,
  type InstrumentScales,
  MemorySessionStore,
} from '../../adapters/fix/index.js';
import { linkEndpointTap, MarketDataServer } from '../../adapters/ws/index.js';
import { type DeltaTraceError, type Scheduler, SeededRng } from '../../core/index.js';
import {
  MarketSimulator,
  type NetLink,
  type NetworkSimulator,
  ReferencePrice,
  Venue,
} from '../../exchange/index.js';
import { bindSocketThroughLink } from './link-fix-transport.js';

export const DEMO_INSTRUMENT = 'ACME';
export const CLIENT_COMP_ID = 'DTCLIENT';
/** ACME trades in cents: one tick is 0.01, one lot one share. */
export const DEMO_SCALES: InstrumentScales = {
  price: new DecimalScale('0.01'),
  qty: new DecimalScale('1'),
};

export interface DemoVenueSpec {
  readonly mic: string;
  /** Market data over WebSocket (else over FIX). */
  readonly wsFeed: boolean;
  readonly makerCentiTicksPerLot: number;
  readonly takerCentiTicksPerLot: number;
}

export const DEMO_VENUES: readonly DemoVenueSpec[] = [
  { mic: 'XSIM1', wsFeed: false, makerCentiTicksPerLot: -20, takerCentiTicksPerLot: 30 },
  { mic: 'XSIM2', wsFeed: true, makerCentiTicksPerLot: -10, takerCentiTicksPerLot: 25 },
];

export interface VenueSide {
  readonly spec: DemoVenueSpec;
  readonly venue: Venue;
  readonly simulator: MarketSimulator;
  readonly acceptor: FixAcceptor;
  readonly fixPort: number;
  readonly ws: MarketDataServer | undefined;
  /** Simulated links (client ↔ venue), in simulated mode. */
  readonly fixLink: NetLink | undefined;
  readonly wsLink: NetLink | undefined;
  /** Connections the FIX acceptor has bound to its session so far. */
  readonly accepted: () => number;
}

export interface DemoWorldOptions {
  readonly scheduler: Scheduler;
  readonly seed: number;
  /** Present in simulated mode: the client's connections run through it. */
  readonly network: NetworkSimulator | undefined;
  readonly onError: (error: DeltaTraceError) => void;
  /**
   * Simulated processing time of each venue per command. With the system clock the venue's own
   * code takes real time, and a timer's millisecond resolution would only add a fake delay.
   */
  readonly processingLatencyNs: bigint;
  /** Where each venue's FIX session writes its session log (`<dir>/<venue>-<client>.log`). */
  readonly fixLogDir?: string;
}

const MS = 1_000_000n;

function linkFor(
  network: NetworkSimulator | undefined,
  name: string,
  latencyUs: number,
): NetLink | undefined {
  return network?.link({
    name,
    endpoints: ['client', 'venue'],
    profile: { latencyNs: BigInt(latencyUs) * 1000n, jitterNs: BigInt(latencyUs) * 200n },
  });
}

export async function startVenues(options: DemoWorldOptions): Promise<VenueSide[]> {
  const sides: VenueSide[] = [];
  // One value of ACME that both venues' markets follow, as arbitrage would keep them.
  const reference = new ReferencePrice({
    rng: new SeededRng(options.seed * 100 + 99),
    initialMidTicks: 10_000,
    stepNs: 50n * MS,
    maxStepTicks: 1,
    minMidTicks: 100,
  });
  for (const [index, spec] of DEMO_VENUES.entries()) {
    const venue = new Venue({
      mic: spec.mic,
      instruments: [DEMO_INSTRUMENT],
      scheduler: options.scheduler,
      fees: {
        makerCentiTicksPerLot: spec.makerCentiTicksPerLot,
        takerCentiTicksPerLot: spec.takerCentiTicksPerLot,
      },
      processingLatency: {
        baseNs: options.processingLatencyNs,
        jitterNs: options.processingLatencyNs / 3n,
      },
      rng: new SeededRng(options.seed * 100 + index * 2 + 1),
    });
    const simulator = new MarketSimulator({
      venue,
      scheduler: options.scheduler,
      rng: new SeededRng(options.seed * 100 + index * 2 + 2),
      instruments: [{ instrument: DEMO_INSTRUMENT, reference }],
    });
    const fixLink = linkFor(options.network, `${spec.mic}-fix`, 150 + index * 100);
    const wsLink = spec.wsFeed ? linkFor(options.network, `${spec.mic}-ws`, 120) : undefined;
    const session = new FixSession({
      config: {
        role: 'acceptor',
        senderCompId: spec.mic,
        targetCompId: CLIENT_COMP_ID,
        resetOnLogon: true,
      },
      scheduler: options.scheduler,
      store: new MemorySessionStore(),
      application: new FixVenueGateway({
        venue,
        scheduler: options.scheduler,
        scales: { [DEMO_INSTRUMENT]: DEMO_SCALES },
      }),
    });
    let accepted = 0;
    const acceptor = new FixAcceptor({
      sessions: [session],
      scheduler: options.scheduler,
      ...(options.fixLogDir === undefined ? {} : { sessionLogDir: options.fixLogDir }),
      onEvent: (event) => {
        if (event.type === 'connection-accepted') accepted++;
        if (event.type === 'session-log-failed') options.onError(event.error);
      },
      ...(fixLink === undefined
        ? {}
        : {
            bind: (socket: Socket, bound: FixSession, initial?: Uint8Array): FixTransport =>
              bindSocketThroughLink(
                socket,
                bound,
                fixLink.endpoint('venue'),
                options.onError,
                initial,
              ),
          }),
    });
    const fixPort = await acceptor.listen();
    const ws = spec.wsFeed
      ? await MarketDataServer.start({
          venue,
          scheduler: options.scheduler,
          heartbeatIntervalNs: 500n * MS,
          onError: options.onError,
          ...(wsLink === undefined ? {} : { tap: linkEndpointTap(wsLink.endpoint('venue')) }),
        })
      : undefined;
    sides.push({
      spec,
      venue,
      simulator,
      acceptor,
      fixPort,
      ws,
      fixLink,
      wsLink,
      accepted: () => accepted,
    });
  }
  return sides;
}

export async function stopVenues(sides: readonly VenueSide[]): Promise<void> {
  for (const side of sides) {
    side.simulator.stop();
    await side.acceptor.close();
    await side.ws?.close();
  }
}
