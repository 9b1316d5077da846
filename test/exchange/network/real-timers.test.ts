/**
 * The simulator on the live SystemScheduler: the same links, with delays that are real timers.
 */
import { describe, expect, it } from 'vitest';

import type { Clock } from '../../../src/core/index.js';
import { NetworkSimulator } from '../../../src/exchange/index.js';
import { SystemScheduler } from '../../../src/runtime/system-scheduler.js';

const clock: Clock = {
  wallNs: () => BigInt(Date.now()) * 1_000_000n,
  monoNs: () => process.hrtime.bigint(),
};

describe('NetworkSimulator on real timers', () => {
  it('delivers each frame no earlier than its latency, in order', async () => {
    const scheduler = new SystemScheduler(clock);
    const net = new NetworkSimulator({ scheduler, seed: 3n });
    const latencyNs = 3_000_000n;
    const link = net.link({
      name: 'live',
      endpoints: ['a', 'b'],
      profile: { latencyNs, jitterNs: 2_000_000n },
    });
    const sentNs: bigint[] = [];
    const received: { frame: string; atNs: bigint }[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error('frames not delivered in 5 s')), 5_000);
      link.endpoint('b').onReceive((frame) => {
        received.push({ frame: String(frame), atNs: clock.monoNs() });
        if (received.length === 20) {
          clearTimeout(guard);
          resolve();
        }
      });
    });
    for (let i = 0; i < 20; i++) {
      sentNs.push(clock.monoNs());
      link.endpoint('a').send(`f${i}`);
    }
    await done;
    expect(received.map((r) => r.frame)).toEqual(Array.from({ length: 20 }, (_, i) => `f${i}`));
    received.forEach((r, i) => expect(r.atNs - sentNs[i]!).toBeGreaterThanOrEqual(latencyNs));
    scheduler.cancelAll();
  });
});
