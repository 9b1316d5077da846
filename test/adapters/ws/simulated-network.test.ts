/**
 * The whole feed over a simulated lossy network: a seeded market moves a venue's book, its
 * server publishes over a real WebSocket, and both directions of that socket's traffic pass
 * through a network-simulator link (latency, jitter, loss) on a VirtualScheduler. Virtual time
 * moves only once the sockets are quiet, so the run is deterministic end to end.
 */
import { afterEach, describe, expect, it } from 'vitest';

import {
  type ClientEvent,
  linkEndpointTap,
  MarketDataClient,
  MarketDataServer,
} from '../../../src/adapters/ws/index.js';
import { SeededRng, VirtualScheduler } from '../../../src/core/index.js';
import {
  type BookDepth,
  MarketSimulator,
  type NetEvent,
  NetworkSimulator,
  Venue,
} from '../../../src/exchange/index.js';
import { EventLog } from './helpers.js';

const MS = 1_000_000n;

interface Outcome {
  readonly clientEvents: readonly ClientEvent[];
  readonly netEvents: readonly NetEvent[];
  readonly clientBook: BookDepth | undefined;
  readonly venueBook: BookDepth;
  readonly synced: boolean;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function simulate(seed: number): Promise<Outcome> {
  const scheduler = new VirtualScheduler({ wallOriginNs: 1_700_000_000_000_000_000n });
  const venue = new Venue({
    mic: 'XSIM1',
    instruments: ['ACME'],
    scheduler,
    processingLatency: { baseNs: 20_000n, jitterNs: 30_000n },
    rng: new SeededRng(seed + 1),
  });
  const market = new MarketSimulator({
    venue,
    scheduler,
    rng: new SeededRng(seed),
    instruments: [{ instrument: 'ACME' }],
  });
  const net = new NetworkSimulator({ scheduler, seed: BigInt(seed) });
  const netEvents: NetEvent[] = [];
  net.onEvent((event) => netEvents.push(event));
  const link = net.link({
    name: 'md-feed',
    endpoints: ['XSIM1', 'client-1'],
    profile: { latencyNs: 200_000n, jitterNs: 300_000n, lossProbability: 0.03 },
  });
  const server = await MarketDataServer.start({
    venue,
    scheduler,
    heartbeatIntervalNs: 100n * MS,
    tap: linkEndpointTap(link.endpoint('XSIM1')),
  });
  const client = new MarketDataClient({
    url: server.url,
    scheduler,
    rng: new SeededRng(seed + 2),
    snapshotTimeoutNs: 250n * MS,
    tap: linkEndpointTap(link.endpoint('client-1')),
  });
  cleanups.push(async () => {
    await client.close();
    await server.close();
  });
  const log = new EventLog(client);
  client.subscribe('ACME');
  client.start();
  await log.waitFor((e) => e.type === 'connect');

  const settle = (): Promise<void> => net.settled();
  market.start();
  await scheduler.run({ limitNs: 4_000n * MS, settle });
  market.stop();
  // Quiet market: heartbeats reveal any update lost at the end, and the client catches up.
  await scheduler.run({ limitNs: 5_000n * MS, settle });
  return {
    clientEvents: log.events,
    netEvents,
    clientBook: client.book('ACME'),
    venueBook: venue.depth('ACME'),
    synced: client.isSynced('ACME'),
  };
}

describe('market-data feed over a simulated lossy network', () => {
  it('recovers every loss and ends with the venue book, identically on every run', async () => {
    const first = await simulate(21);
    expect(first.synced).toBe(true);
    expect(first.clientBook).toEqual(first.venueBook);
    expect(first.venueBook.bids.length).toBeGreaterThan(3);
    const types = first.clientEvents.map((e) => e.type);
    expect(types.filter((t) => t === 'update').length).toBeGreaterThan(1_000);
    expect(types.filter((t) => t === 'gap').length).toBeGreaterThan(10);
    expect(types).toContain('heartbeat');
    expect(types.filter((t) => t === 'snapshot').length).toBeGreaterThan(3);
    expect(first.netEvents.some((e) => e.type === 'dropped' && e.reason === 'loss')).toBe(true);

    const second = await simulate(21);
    expect(second.clientEvents).toEqual(first.clientEvents);
    expect(second.netEvents).toEqual(first.netEvents);
  });
});
