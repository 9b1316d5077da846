import type { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';

import { afterEach, describe, expect, it } from 'vitest';

import {
  type AcceptorEvent,
  buildNewOrderSingle,
  FixAcceptor,
  FixFramer,
  FixInitiator,
  FixSession,
  type FixTransport,
  type InitiatorEvent,
  MemorySessionStore,
  parseExecutionReport,
  type SocketBinder,
} from '../../../src/adapters/fix/index.js';
import { SystemClock } from '../../../src/cli/context.js';
import { InputError, type Scheduler } from '../../../src/core/index.js';
import { SystemScheduler } from '../../../src/runtime/system-scheduler.js';
import { GatewayWorld, SCALES, until } from './gateway-harness.js';

const scheduler = new SystemScheduler(new SystemClock());
const DELAY_MS = 15;
const worlds: GatewayWorld[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
});

interface FrameCounts {
  sent: number;
  received: number;
}

/**
 * What a network simulator's binder does, in small: every frame read from the socket reaches the
 * session only after a delay on the scheduler, and every frame is counted both ways.
 */
function delayingBinder(delayMs: number, on: Scheduler, counts: FrameCounts): SocketBinder {
  return (socket, session, initialBytes) => {
    const framer = new FixFramer();
    const arrive = (chunk: Uint8Array): void => {
      for (const event of framer.push(chunk)) {
        if (event.type !== 'message') continue;
        counts.received++;
        on.setTimer(BigInt(delayMs) * 1_000_000n, () => session.receive(event.bytes));
      }
    };
    const transport: FixTransport = {
      send(bytes) {
        counts.sent++;
        socket.write(bytes);
      },
      close() {
        socket.end(() => socket.destroy());
      },
    };
    session.attach(transport);
    socket.on('data', (chunk: Buffer) => arrive(chunk));
    socket.on('close', () => session.detach(transport));
    socket.on('error', () => {});
    if (initialBytes !== undefined) arrive(initialBytes);
  };
}

describe('FixAcceptor and FixInitiator with a custom socket binder', () => {
  it('carry a session through it both ways, the Logon read by the acceptor included', async () => {
    const venueSide: FrameCounts = { sent: 0, received: 0 };
    const clientSide: FrameCounts = { sent: 0, received: 0 };
    const world = await GatewayWorld.start({
      scheduler,
      clients: ['FIRM'],
      bind: delayingBinder(DELAY_MS, scheduler, venueSide),
    });
    worlds.push(world);
    const firm = world.client('FIRM', { bind: delayingBinder(DELAY_MS, scheduler, clientSide) });
    await firm.connect();
    const startedMs = performance.now();
    firm.send(
      buildNewOrderSingle(
        {
          clOrdId: 'c1',
          symbol: 'ACME',
          side: 'buy',
          orderType: 'limit',
          tif: 'day',
          qtyLots: 5,
          priceTicks: 900,
          transactTimeNs: scheduler.clock.wallNs(),
        },
        SCALES.ACME,
      ),
    );
    const [ack] = await firm.next();
    // One delay on the way in at the venue, one on the way back at the client.
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(2 * DELAY_MS);
    expect(parseExecutionReport(ack!, SCALES.ACME)).toMatchObject({ execType: 'new' });
    // Logon and the order one way, Logon and the ExecutionReport the other.
    expect(venueSide).toEqual({ received: 2, sent: 2 });
    expect(clientSide).toEqual({ received: 2, sent: 2 });
  });

  it('refuse a connection whose binder throws, and retry it', async () => {
    const failing: SocketBinder = () => {
      throw new InputError('NET_SOCKET_ALREADY_BOUND', 'the link end is still bound');
    };
    const wakers = new Set<() => void>();
    const wake = (): void => wakers.forEach((waker) => waker());
    const waitFor = (condition: () => boolean, what: string): Promise<void> =>
      until(
        condition,
        (waker) => {
          wakers.add(waker);
          return () => wakers.delete(waker);
        },
        what,
      );
    const acceptorEvents: AcceptorEvent[] = [];
    const acceptor = new FixAcceptor({
      sessions: [
        new FixSession({
          config: { role: 'acceptor', senderCompId: 'XSIM', targetCompId: 'FIRM' },
          scheduler,
          store: new MemorySessionStore(),
        }),
      ],
      scheduler,
      bind: failing,
      onEvent: (event) => {
        acceptorEvents.push(event);
        wake();
      },
    });
    await acceptor.listen();
    const initiator = (bind?: SocketBinder) => {
      const events: InitiatorEvent[] = [];
      const started = new FixInitiator({
        session: new FixSession({
          config: { role: 'initiator', senderCompId: 'FIRM', targetCompId: 'XSIM' },
          scheduler,
          store: new MemorySessionStore(),
        }),
        host: '127.0.0.1',
        port: acceptor.port,
        initialDelayMs: 10,
        ...(bind === undefined ? {} : { bind }),
        onEvent: (event) => {
          events.push(event);
          wake();
        },
      });
      started.start();
      return { events, stop: () => started.stop() };
    };
    const refused = initiator();
    try {
      await waitFor(() => acceptorEvents.length > 0, 'the refusal');
      expect(acceptorEvents[0]).toEqual({ type: 'connection-refused', reason: 'bind-failed' });
    } finally {
      await refused.stop();
    }
    // Our initiator's own binder throwing: the socket is closed and the connection retried.
    const failed = initiator(failing);
    try {
      await waitFor(
        () => failed.events.filter((event) => event.type === 'connecting').length >= 2,
        'a second attempt',
      );
      expect(failed.events.slice(0, 4).map((event) => event.type)).toEqual([
        'connecting',
        'connected',
        'bind-failed',
        'reconnect-scheduled',
      ]);
    } finally {
      await failed.stop();
      await acceptor.close();
    }
  });
});
