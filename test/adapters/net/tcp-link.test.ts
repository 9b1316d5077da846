import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { bindTcpSocket, type StreamFramer } from '../../../src/adapters/net/index.js';
import { type DeltaTraceError, VirtualScheduler } from '../../../src/core/index.js';
import { type NetEvent, type NetLink, NetworkSimulator } from '../../../src/exchange/index.js';

/** Newline-terminated text frames, the newline kept: what was written is what comes back. */
class LineFramer implements StreamFramer {
  readonly #decoder = new TextDecoder();
  #pending = '';

  push(chunk: Uint8Array): string[] {
    this.#pending += this.#decoder.decode(chunk, { stream: true });
    const frames: string[] = [];
    for (let at = this.#pending.indexOf('\n'); at >= 0; at = this.#pending.indexOf('\n')) {
      frames.push(this.#pending.slice(0, at + 1));
      this.#pending = this.#pending.slice(at + 1);
    }
    return frames;
  }
}

interface Run {
  readonly scheduler: VirtualScheduler;
  readonly net: NetworkSimulator;
  readonly link: NetLink;
  readonly deliveries: string[];
  readonly events: NetEvent[];
}

/** A seeded exchange of frames both ways, with loss, jitter and a partition. */
function scenario(): Run {
  const scheduler = new VirtualScheduler({ wallOriginNs: 0n });
  const net = new NetworkSimulator({ scheduler, seed: 99n });
  const events: NetEvent[] = [];
  net.onEvent((event) => events.push(event));
  const link = net.link({
    name: 'fix-session',
    endpoints: ['acceptor', 'initiator'],
    profile: { latencyNs: 200_000n, jitterNs: 600_000n, lossProbability: 0.05 },
    partitions: [{ fromNs: 20_000_000n, toNs: 25_000_000n }],
  });
  const deliveries: string[] = [];
  for (const name of ['acceptor', 'initiator']) {
    link.endpoint(name).onReceive((frame) => {
      const text = typeof frame === 'string' ? frame : new TextDecoder().decode(frame);
      deliveries.push(`${name}<${text.trimEnd()}@${scheduler.nowNs}`);
      // Replies make the schedule depend on deliveries, as a session protocol would.
      if (text.startsWith('ping')) {
        link.endpoint(name).send(`pong ${text.slice(5).trimEnd()} ${'x'.repeat(3000)}\n`);
      }
    });
  }
  for (let i = 0; i < 300; i++) {
    scheduler.setTimer(BigInt(i) * 150_000n, () => {
      link.endpoint('initiator').send(`ping ${i}\n`);
      if (i % 3 === 0) link.endpoint('acceptor').send(`news ${i} ${'é'.repeat(i)}\n`);
    });
  }
  return { scheduler, net, link, deliveries, events };
}

async function socketPair(): Promise<{ server: Server; accepted: Socket; dialled: Socket }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const accepting = once(server, 'connection') as Promise<[Socket]>;
  const dialled = connect(address.port, '127.0.0.1');
  await once(dialled, 'connect');
  const [accepted] = await accepting;
  return { server, accepted, dialled };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function boundScenario(): Promise<Run & { errors: DeltaTraceError[]; dialled: Socket }> {
  const run = scenario();
  const { server, accepted, dialled } = await socketPair();
  cleanups.push(async () => {
    accepted.destroy();
    dialled.destroy();
    server.close();
    await once(server, 'close');
  });
  const errors: DeltaTraceError[] = [];
  for (const [name, socket] of [
    ['acceptor', accepted],
    ['initiator', dialled],
  ] as const) {
    bindTcpSocket({
      endpoint: run.link.endpoint(name),
      socket,
      framer: new LineFramer(),
      onError: (error) => errors.push(error),
    });
  }
  return { ...run, errors, dialled };
}

describe('bindTcpSocket', () => {
  it('gives over real loopback TCP the same delivery schedule as in process', async () => {
    const inProcess = scenario();
    await inProcess.scheduler.run();
    expect(inProcess.deliveries.length).toBeGreaterThan(300);

    const overTcp = await boundScenario();
    await overTcp.scheduler.run({ settle: () => overTcp.net.settled() });
    expect(overTcp.errors).toEqual([]);
    expect(overTcp.deliveries).toEqual(inProcess.deliveries);
    const bare = (events: NetEvent[]) =>
      events.map((e) => (e.type === 'sent' ? { ...e, socket: false } : e));
    expect(bare(overTcp.events)).toEqual(bare(inProcess.events));
    expect(overTcp.events.some((e) => e.type === 'sent' && e.socket)).toBe(true);
    expect(overTcp.events.some((e) => e.type === 'dropped' && e.reason === 'partition')).toBe(true);
  });

  it('reports a frame the link never sent as NET_UNEXPECTED_FRAME, without throwing', async () => {
    const run = await boundScenario();
    const reported = new Promise<DeltaTraceError>((resolve) => {
      const poll = (): void => {
        const error = run.errors[0];
        if (error === undefined) setImmediate(poll);
        else resolve(error);
      };
      poll();
    });
    run.dialled.write('stray\n');
    expect((await reported).code).toBe('NET_UNEXPECTED_FRAME');
  });

  it('abandons frames in flight when the socket closes, so the network settles', async () => {
    const run = await boundScenario();
    run.dialled.destroy();
    await once(run.dialled, 'close');
    run.link.endpoint('initiator').send('late\n');
    await run.net.settled();
    expect(run.net.inFlight).toBe(0);
    expect(run.link.endpoint('initiator').sendStats().dropped.closed).toBe(1);
  });
});
