import { describe, expect, it } from 'vitest';

import { VirtualScheduler } from '../../../src/core/index.js';
import {
  type Frame,
  type FrameDeliveredEvent,
  type FrameSentEvent,
  type LinkOptions,
  type NetEvent,
  NetworkSimulator,
} from '../../../src/exchange/index.js';
import { expectErrorCode } from '../../helpers/errors.js';

const US = 1_000n;

function network(seed = 7n): { scheduler: VirtualScheduler; net: NetworkSimulator } {
  const scheduler = new VirtualScheduler({ wallOriginNs: 0n });
  return { scheduler, net: new NetworkSimulator({ scheduler, seed }) };
}

function linkOptions(overrides: Partial<LinkOptions> = {}): LinkOptions {
  return {
    name: 'venue-client',
    endpoints: ['XSIM1', 'client-1'],
    profile: { latencyNs: 100n * US, jitterNs: 400n * US, lossProbability: 0.05 },
    ...overrides,
  };
}

interface Delivery {
  readonly frame: Frame;
  readonly atNs: bigint;
}

/** Sends `count` frames each way, one every 10 µs, and records what each end receives. */
function exchange(seed: bigint, count: number, options = linkOptions()) {
  const { scheduler, net } = network(seed);
  const events: NetEvent[] = [];
  net.onEvent((event) => events.push(event));
  const link = net.link(options);
  const [a, b] = options.endpoints;
  const received: Record<string, Delivery[]> = { [a]: [], [b]: [] };
  for (const name of [a, b]) {
    link
      .endpoint(name)
      .onReceive((frame) => received[name]!.push({ frame, atNs: scheduler.nowNs }));
  }
  for (let i = 0; i < count; i++) {
    scheduler.setTimer(BigInt(i) * 10n * US, () => {
      link.endpoint(a).send(`a${i}`);
      link.endpoint(b).send(new TextEncoder().encode(`b${i}`));
    });
  }
  scheduler.advanceTo(BigInt(count) * 10n * US + 10_000n * US);
  return { received, events, link };
}

describe('NetworkSimulator', () => {
  it('gives the same delivery schedule for the same seed, another for another seed', () => {
    const first = exchange(7n, 500);
    const again = exchange(7n, 500);
    expect(again.received).toEqual(first.received);
    expect(again.events).toEqual(first.events);
    expect(exchange(8n, 500).received).not.toEqual(first.received);
  });

  it('keeps each direction FIFO: delivery = max(previous, send + latency + jitter)', () => {
    const { events } = exchange(3n, 2_000);
    for (const from of ['XSIM1', 'client-1']) {
      const sent = events.filter((e): e is FrameSentEvent => e.type === 'sent' && e.from === from);
      const delivered = events.filter(
        (e): e is FrameDeliveredEvent => e.type === 'delivered' && e.from === from,
      );
      expect(delivered.map((e) => e.frameNo)).toEqual(sent.map((e) => e.frameNo));
      let previousNs = 0n;
      let heldBack = 0;
      for (const event of sent) {
        const earliestNs = event.sentAtNs + 100n * US;
        expect(event.deliverAtNs).toBeGreaterThanOrEqual(earliestNs);
        expect(event.deliverAtNs).toBeLessThanOrEqual(earliestNs + 400n * US);
        expect(event.deliverAtNs).toBeGreaterThanOrEqual(previousNs);
        if (event.deliverAtNs === previousNs) heldBack++;
        previousNs = event.deliverAtNs;
      }
      // Jitter far above the send spacing: many frames wait behind a slower one.
      expect(heldBack).toBeGreaterThan(100);
    }
    const deliveredAt = events.filter((e) => e.type === 'delivered').map((e) => e.atNs);
    const scheduledAt = events.filter((e) => e.type === 'sent');
    expect(deliveredAt.length).toBe(scheduledAt.length);
  });

  it('loses frames at the configured rate', () => {
    const count = 20_000;
    const p = 0.1;
    const { link } = exchange(
      11n,
      count,
      linkOptions({ profile: { latencyNs: 1n, lossProbability: p } }),
    );
    for (const name of ['XSIM1', 'client-1']) {
      const stats = link.endpoint(name).sendStats();
      expect(stats.sent).toBe(count);
      const sigma = Math.sqrt(count * p * (1 - p));
      expect(Math.abs(stats.dropped.loss - count * p)).toBeLessThan(4 * sigma);
      expect(stats.delivered).toBe(count - stats.dropped.loss);
    }
  });

  it('never loses a frame at probability 0, always at 1', () => {
    const none = exchange(1n, 300, linkOptions({ profile: { latencyNs: 1n } }));
    expect(none.received['client-1']).toHaveLength(300);
    const all = exchange(1n, 300, linkOptions({ profile: { latencyNs: 1n, lossProbability: 1 } }));
    expect(all.received['client-1']).toHaveLength(0);
  });

  it('drops exactly the frames sent inside [t1, t2) and reports down and up', () => {
    const t1 = 1_000n * US;
    const t2 = 2_000n * US;
    const { scheduler, net } = network();
    const link = net.link(
      linkOptions({
        profile: { latencyNs: 500n * US, jitterNs: 50n * US },
        partitions: [{ fromNs: t1, toNs: t2 }],
      }),
    );
    const statuses: string[] = [];
    link.onStatus((event) => statuses.push(`${event.type}@${event.atNs}`));
    const got: string[] = [];
    link.endpoint('client-1').onReceive((frame) => got.push(String(frame)));
    const sendTimes = [0n, t1 - 1n, t1, t1 + 1n, t2 - 1n, t2, t2 + 1n];
    const results = sendTimes.map((atNs) => {
      scheduler.advanceTo(atNs);
      return link.endpoint('XSIM1').send(`at${atNs}`);
    });
    expect(link.down).toBe(false);
    scheduler.advanceBy(10_000n * US);
    expect(results.map((r) => r.outcome)).toEqual([
      'scheduled',
      'scheduled',
      'dropped',
      'dropped',
      'dropped',
      'scheduled',
      'scheduled',
    ]);
    // In flight when the partition began: still delivered.
    expect(got).toEqual([`at0`, `at${t1 - 1n}`, `at${t2}`, `at${t2 + 1n}`]);
    expect(statuses).toEqual([`link-down@${t1}`, `link-up@${t2}`]);
    expect(link.endpoint('XSIM1').sendStats().dropped.partition).toBe(3);
  });

  it('keeps one direction schedule independent of traffic on the other', () => {
    const run = (reverseTraffic: boolean): bigint[] => {
      const { scheduler, net } = network(5n);
      const link = net.link(linkOptions());
      const times: bigint[] = [];
      link.endpoint('client-1').onReceive(() => times.push(scheduler.nowNs));
      for (let i = 0; i < 200; i++) {
        scheduler.setTimer(BigInt(i) * US, () => {
          link.endpoint('XSIM1').send(`a${i}`);
          if (reverseTraffic) link.endpoint('client-1').send(`b${i}`);
        });
      }
      scheduler.advanceTo(1_000_000n * US);
      return times;
    };
    expect(run(true)).toEqual(run(false));
  });

  describe('when a link is configured wrongly', () => {
    it.each<[string, Partial<LinkOptions>]>([
      ['a bad name', { name: 'has space' }],
      ['one endpoint twice', { endpoints: ['a', 'a'] }],
      ['a negative latency', { profile: { latencyNs: -1n } }],
      ['a loss above 1', { profile: { latencyNs: 1n, lossProbability: 1.5 } }],
      ['a NaN loss', { profile: { latencyNs: 1n, lossProbability: Number.NaN } }],
      ['an empty partition', { partitions: [{ fromNs: 5n, toNs: 5n }] }],
      [
        'overlapping partitions',
        {
          partitions: [
            { fromNs: 0n, toNs: 10n },
            { fromNs: 5n, toNs: 20n },
          ],
        },
      ],
    ])('throws NET_INVALID_LINK for %s', (_, overrides) => {
      expectErrorCode(() => network().net.link(linkOptions(overrides)), 'NET_INVALID_LINK');
    });

    it('throws NET_INVALID_LINK for a name in use', () => {
      const { net } = network();
      net.link(linkOptions());
      expectErrorCode(() => net.link(linkOptions()), 'NET_INVALID_LINK');
    });
  });

  describe('when asked for an endpoint that is not on the link', () => {
    it('throws NET_UNKNOWN_ENDPOINT', () => {
      const link = network().net.link(linkOptions());
      expectErrorCode(() => link.endpoint('client-2'), 'NET_UNKNOWN_ENDPOINT');
    });
  });
});
