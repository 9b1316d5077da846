/**
 * Socket mode at the simulator's interface: the writer here stands for a socket (it keeps what
 * was written), and the test plays the receiving framer by reporting arrivals. The same mode over
 * a real TCP connection is tested in test/adapters/net.
 */
import { describe, expect, it } from 'vitest';

import { VirtualScheduler } from '../../../src/core/index.js';
import { type Frame, NetworkSimulator } from '../../../src/exchange/index.js';
import { expectErrorCode } from '../../helpers/errors.js';

function setup(lossProbability = 0) {
  const scheduler = new VirtualScheduler({ wallOriginNs: 0n });
  const net = new NetworkSimulator({ scheduler, seed: 1n });
  const link = net.link({
    name: 'l',
    endpoints: ['server', 'client'],
    profile: { latencyNs: 1_000n, lossProbability },
  });
  const server = link.endpoint('server');
  const client = link.endpoint('client');
  const wire: Frame[] = [];
  const binding = server.bindSocket({ write: (frame) => wire.push(frame) });
  const got: string[] = [];
  client.onReceive((frame) => got.push(`${String(frame)}@${scheduler.nowNs}`));
  return { scheduler, net, server, client, wire, binding, got };
}

describe('socket mode', () => {
  it('writes at once and releases at the delivery time, once arrived', async () => {
    const { scheduler, net, server, client, wire, got } = setup();
    server.send('one');
    server.send('two');
    expect(wire).toEqual(['one', 'two']);
    expect(net.inFlight).toBe(2);
    let settled = false;
    void net.settled().then(() => (settled = true));
    client.arrived('one');
    await Promise.resolve();
    expect(settled).toBe(false);
    client.arrived('two');
    await net.settled();
    expect(got).toEqual([]);
    scheduler.advanceTo(1_000n);
    expect(got).toEqual(['one@1000', 'two@1000']);
  });

  it('holds a due frame until it arrives, and the frames behind it too', () => {
    const { scheduler, server, client, got } = setup();
    server.send('one');
    scheduler.advanceTo(500n);
    server.send('two');
    scheduler.advanceTo(5_000n);
    expect(got).toEqual([]);
    client.arrived('one');
    expect(got).toEqual(['one@5000']);
    client.arrived('two');
    expect(got).toEqual(['one@5000', 'two@5000']);
  });

  it('does not write a lost frame', () => {
    const { server, wire } = setup(1);
    expect(server.send('gone')).toMatchObject({ outcome: 'dropped', reason: 'loss' });
    expect(wire).toEqual([]);
  });

  it('abandons unarrived frames on close, then drops sends until a new binding', async () => {
    const { scheduler, net, server, client, wire, binding, got } = setup();
    server.send('one');
    server.send('two');
    client.arrived('one');
    binding.close();
    expect(binding.closed).toBe(true);
    await net.settled();
    expect(server.send('three')).toMatchObject({ outcome: 'dropped', reason: 'closed' });
    scheduler.advanceBy(10_000n);
    expect(got).toEqual(['one@1000']);
    expect(server.sendStats().dropped).toMatchObject({ abandoned: 1, closed: 1 });
    const again = server.bindSocket({ write: (frame) => wire.push(frame) });
    server.send('four');
    client.arrived('four');
    scheduler.advanceBy(10_000n);
    expect(got).toEqual(['one@1000', 'four@11000']);
    again.close();
  });

  it('compares bytes frame by frame', () => {
    const { server, client } = setup();
    server.send(new Uint8Array([1, 2, 3]));
    client.arrived(new Uint8Array([1, 2, 3]));
    server.send(new Uint8Array([1, 2, 3]));
    expectErrorCode(() => client.arrived(new Uint8Array([1, 2, 4])), 'NET_FRAME_MISMATCH');
  });

  describe('when a frame arrives that was never written', () => {
    it('throws NET_UNEXPECTED_FRAME', () => {
      const { server, client } = setup();
      expectErrorCode(() => client.arrived('stray'), 'NET_UNEXPECTED_FRAME');
      expectErrorCode(() => server.arrived('stray'), 'NET_UNEXPECTED_FRAME');
    });
  });

  describe('when the arrived frame differs from the one written', () => {
    it('throws NET_FRAME_MISMATCH', () => {
      const { server, client } = setup();
      server.send('sent');
      expectErrorCode(() => client.arrived('other'), 'NET_FRAME_MISMATCH');
    });
  });

  describe('when an endpoint is bound twice', () => {
    it('throws NET_SOCKET_ALREADY_BOUND', () => {
      const { server } = setup();
      expectErrorCode(
        () => server.bindSocket({ write: () => undefined }),
        'NET_SOCKET_ALREADY_BOUND',
      );
    });
  });
});
