/**
 * A session on a VirtualScheduler is a function of its inputs: the same inbound bytes at the same
 * virtual instants give byte-identical outbound bytes, and a captured inbound stream replayed into
 * a fresh session reproduces what the original sent, heartbeats and resends included.
 */
import { describe, expect, it } from 'vitest';

import {
  type FixApplication,
  FixSession,
  type FixTransport,
  MemorySessionStore,
} from '../../../src/adapters/fix/index.js';
import { toHex, VirtualScheduler } from '../../../src/core/index.js';
import { MS, SECOND, WALL_ORIGIN_NS } from './session-harness.js';

interface Capture {
  /** [virtual ns, hex] of every chunk the acceptor received, in order. */
  readonly acceptorInbound: (readonly [bigint, string])[];
  readonly acceptorOutbound: string[];
  readonly initiatorOutbound: string[];
  readonly events: string[];
}

/** Acks every order with an ExecutionReport. */
const venue: FixApplication = {
  onMessage(message, session) {
    session.send({
      msgType: '8',
      body: [
        [6, '0'],
        [11, message.get(11) ?? ''],
        [14, '0'],
        [17, `e-${message.get(11) ?? ''}`],
        [37, `o-${message.get(11) ?? ''}`],
        [39, '0'],
        [54, '1'],
        [55, 'ACME'],
        [150, '0'],
        [151, '10'],
      ],
    });
  },
};

/**
 * Initiator and acceptor joined by a link with a fixed one-way latency that drops the
 * initiator's message number `dropSeq` once, so the acceptor must ask for it again.
 */
function runScenario(dropSeq: number): Capture {
  const scheduler = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
  const capture: Capture = {
    acceptorInbound: [],
    acceptorOutbound: [],
    initiatorOutbound: [],
    events: [],
  };
  const acceptor = new FixSession({
    config: { role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'FIRM' },
    scheduler,
    store: new MemorySessionStore(),
    application: venue,
    observer: {
      onMessage: (direction, bytes) => {
        if (direction === 'out') capture.acceptorOutbound.push(toHex(bytes));
      },
      onEvent: (event) => capture.events.push(`acceptor ${event.type}`),
    },
  });
  const initiator = new FixSession({
    config: { role: 'initiator', senderCompId: 'FIRM', targetCompId: 'VENUE', heartBtIntSec: 2 },
    scheduler,
    store: new MemorySessionStore(),
    application: { onMessage: () => {} },
    observer: {
      onMessage: (direction, bytes) => {
        if (direction === 'out') capture.initiatorOutbound.push(toHex(bytes));
      },
      onEvent: (event) => capture.events.push(`initiator ${event.type}`),
    },
  });
  let dropped = false;
  const latencyNs = 3n * MS;
  const toAcceptor: FixTransport = {
    send: (bytes) => {
      const seq = new TextDecoder()
        .decode(bytes)
        .split('\x01')
        .find((f) => f.startsWith('34='));
      if (!dropped && seq === `34=${dropSeq}`) {
        dropped = true;
        return;
      }
      scheduler.setTimer(latencyNs, () => {
        capture.acceptorInbound.push([scheduler.nowNs, toHex(bytes)]);
        acceptor.receive(bytes);
      });
    },
    close: () => {},
  };
  const toInitiator: FixTransport = {
    send: (bytes) => scheduler.setTimer(latencyNs, () => initiator.receive(bytes)),
    close: () => {},
  };
  acceptor.attach(toInitiator);
  initiator.attach(toAcceptor);
  scheduler.advanceBy(10n * MS);
  for (let i = 0; i < 6; i++) {
    scheduler.setTimer(BigInt(i) * 400n * MS, () =>
      initiator.send({
        msgType: 'D',
        body: [
          [11, `c${i}`],
          [40, '1'],
          [54, '1'],
          [55, 'ACME'],
          [60, '20240102-03:04:05'],
        ],
      }),
    );
  }
  // Long enough for heartbeats both ways after the orders.
  scheduler.advanceBy(9n * SECOND);
  return capture;
}

/** How many captured messages have MsgType `msgType`. */
function countOf(hexMessages: readonly string[], msgType: string): number {
  const marker = toHex(new TextEncoder().encode(`\x0135=${msgType}\x01`));
  return hexMessages.filter((hex) => hex.includes(marker)).length;
}

describe('FixSession determinism', () => {
  it('gives byte-identical output for the same inputs at the same instants', () => {
    const first = runScenario(4);
    const second = runScenario(4);
    expect(second).toEqual(first);
    expect(first.events).toContain('acceptor gap-detected');
    expect(first.events).toContain('initiator resend-served');
    expect(first.events).toContain('acceptor resend-complete');
    expect(countOf(first.acceptorOutbound, '8')).toBe(6);
    expect(countOf(first.acceptorOutbound, '0')).toBeGreaterThan(2);
    expect(countOf(first.initiatorOutbound, '0')).toBeGreaterThan(2);
  });

  it('differs when an input differs', () => {
    expect(runScenario(5).acceptorOutbound).not.toEqual(runScenario(4).acceptorOutbound);
  });

  it('reproduces the outbound bytes when the captured inbound stream is replayed', () => {
    const original = runScenario(4);
    const scheduler = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
    const replayed: string[] = [];
    const replica = new FixSession({
      config: { role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'FIRM' },
      scheduler,
      store: new MemorySessionStore(),
      application: venue,
      observer: {
        onMessage: (direction, bytes) => {
          if (direction === 'out') replayed.push(toHex(bytes));
        },
      },
    });
    replica.attach({ send: () => {}, close: () => {} });
    for (const [atNs, hex] of original.acceptorInbound) {
      scheduler.advanceTo(atNs);
      replica.receive(Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16)));
    }
    scheduler.advanceTo(10n * MS + 9n * SECOND);
    expect(replayed).toEqual(original.acceptorOutbound);
  });
});
