import { afterEach, describe, expect, it } from 'vitest';

import {
  backoffDelayNs,
  type BackoffPolicy,
  MarketDataServer,
} from '../../../src/adapters/ws/index.js';
import { SeededRng } from '../../../src/core/index.js';
import { churn, type Feed, startFeed } from './helpers.js';

const POLICY: BackoffPolicy = {
  initialDelayNs: 100_000_000n,
  maxDelayNs: 1_000_000_000n,
  multiplier: 2,
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('MarketDataClient reconnection', () => {
  it('reconnects with seeded exponential backoff after a server restart, and resyncs', async () => {
    const feed: Feed = await startFeed();
    const { client, log } = feed.client({ backoff: POLICY });
    cleanups.push(() => client.close());
    client.subscribe('ACME');
    client.start();
    await log.waitFor((e) => e.type === 'snapshot');
    const port = feed.server.port;

    let mark = log.events.length;
    await feed.server.close();
    await log.waitFor((e) => e.type === 'reconnect-scheduled', mark);
    expect(log.of('disconnect')).toHaveLength(1);
    expect(client.isSynced('ACME')).toBe(false);

    // While the server is down the book keeps changing, and four retries fail.
    for (let round = 0; round < 5; round++) churn(feed.venue, 'ACME', round);
    for (let failures = 0; failures < 4; failures++) {
      const scheduled = log.of('reconnect-scheduled').at(-1)!;
      mark = log.events.length;
      feed.scheduler.advanceBy(scheduled.delayNs);
      await log.waitFor((e) => e.type === 'reconnect-scheduled', mark);
      expect(log.events.slice(mark).map((e) => e.type)).toEqual([
        'connect-failed',
        'reconnect-scheduled',
      ]);
    }
    const expectedRng = new SeededRng(17);
    const delays = log.of('reconnect-scheduled').map((e) => [e.attempt, e.delayNs]);
    expect(delays).toEqual(
      [1, 2, 3, 4, 5].map((attempt) => [attempt, backoffDelayNs(POLICY, attempt, expectedRng)]),
    );
    for (const [attempt, delayNs] of delays as [number, bigint][]) {
      const capNs = [100n, 200n, 400n, 800n, 1000n][attempt - 1]! * 1_000_000n;
      expect(delayNs).toBeGreaterThanOrEqual(capNs / 2n);
      expect(delayNs).toBeLessThanOrEqual(capNs);
    }

    const restarted = await MarketDataServer.start({
      venue: feed.venue,
      scheduler: feed.scheduler,
      port,
    });
    cleanups.push(() => restarted.close());
    mark = log.events.length;
    feed.scheduler.advanceBy(log.of('reconnect-scheduled').at(-1)!.delayNs);
    await log.waitFor((e) => e.type === 'snapshot', mark);
    expect(log.events.slice(mark).map((e) => e.type)).toEqual(['reconnect', 'resync', 'snapshot']);
    expect(log.events[mark]).toEqual({ type: 'reconnect', attempt: 5 });
    expect(log.events[mark + 1]).toMatchObject({ reason: 'reconnect' });
    expect(client.book('ACME')).toEqual(feed.venue.depth('ACME'));

    churn(feed.venue, 'ACME', 9);
    const lastSeq = restarted.seqOf('ACME') ?? 0;
    await log.waitFor((e) => e.type === 'update' && e.seq === lastSeq, mark);
    expect(client.book('ACME')).toEqual(feed.venue.depth('ACME'));
    expect(client.isSynced('ACME')).toBe(true);
  });

  it('retries a first connection that fails', async () => {
    const feed = await startFeed();
    const url = feed.server.url;
    await feed.server.close();
    const { client, log } = feed.client({ backoff: POLICY, url });
    cleanups.push(() => client.close());
    client.start();
    await log.waitFor((e) => e.type === 'reconnect-scheduled');
    expect(log.events.map((e) => e.type)).toEqual(['connect-failed', 'reconnect-scheduled']);
    expect(log.of('connect-failed')[0]?.message).toMatch(/ECONNREFUSED/);
    await client.close();
    feed.scheduler.advanceBy(POLICY.maxDelayNs);
    expect(log.events.map((e) => e.type)).toEqual(['connect-failed', 'reconnect-scheduled']);
  });
});
