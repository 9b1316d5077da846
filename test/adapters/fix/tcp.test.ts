import { connect, type Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import {
  type AcceptorEvent,
  DecimalScale,
  encodeFixMessage,
  FixAcceptor,
  type FixApplication,
  FixInitiator,
  type FixMessage,
  FixSession,
  formatUtcTimestamp,
  type InitiatorEvent,
  MemorySessionStore,
  parseExecutionReport,
  type SessionEvent,
} from '../../../src/adapters/fix/index.js';
import { SystemClock } from '../../../src/cli/context.js';
import { SystemScheduler } from '../../../src/runtime/system-scheduler.js';
import { expectErrorCode } from '../../helpers/errors.js';

const scheduler = new SystemScheduler(new SystemClock());
const SCALES = { price: new DecimalScale('0.01'), qty: new DecimalScale('1') };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Resolves with the first value `subscribe` delivers that matches, or fails after timeoutMs. */
function waitFor<T>(
  subscribe: (deliver: (value: T) => void) => void,
  matches: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting')), timeoutMs);
    subscribe((value) => {
      if (!matches(value)) return;
      clearTimeout(timer);
      resolve(value);
    });
  });
}

function withTimeout<T>(promise: Promise<T>, timeoutMs = 5000): Promise<T> {
  return waitFor<T>(
    (deliver) => void promise.then(deliver),
    () => true,
    timeoutMs,
  );
}

function sessionEvent(session: FixSession, type: SessionEvent['type']): Promise<SessionEvent> {
  return waitFor<SessionEvent>(
    (deliver) => session.addObserver({ onEvent: deliver }),
    (event) => event.type === type,
  );
}

const venue: FixApplication = {
  onMessage(message, session) {
    session.send({
      msgType: '8',
      body: [
        [6, '0'],
        [11, message.get(11) ?? ''],
        [14, '0'],
        [17, 'e1'],
        [37, 'o1'],
        [39, '0'],
        [54, '1'],
        [55, 'ACME'],
        [150, '0'],
        [151, '100'],
      ],
    });
  },
};

async function startVenue(
  options: { firstMessageTimeoutMs?: number } = {},
): Promise<{ acceptor: FixAcceptor; session: FixSession; events: AcceptorEvent[] }> {
  const session = new FixSession({
    config: { role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'FIRM' },
    scheduler,
    store: new MemorySessionStore(),
    application: venue,
  });
  const events: AcceptorEvent[] = [];
  const acceptor = new FixAcceptor({
    sessions: [session],
    scheduler,
    onEvent: (event) => events.push(event),
    ...options,
  });
  await acceptor.listen();
  cleanups.push(() => acceptor.close());
  return { acceptor, session, events };
}

function firm(onMessage: (message: FixMessage) => void = () => {}): FixSession {
  return new FixSession({
    config: { role: 'initiator', senderCompId: 'FIRM', targetCompId: 'VENUE', resetOnLogon: true },
    scheduler,
    store: new MemorySessionStore(),
    application: { onMessage },
  });
}

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('connect', () => resolve(socket));
    cleanups.push(() => void socket.destroy());
  });
}

function closed(socket: Socket): Promise<void> {
  return waitFor<void>(
    (deliver) => socket.once('close', () => deliver()),
    () => true,
  );
}

function logonBytes(sender: string, target: string): Uint8Array {
  return encodeFixMessage(
    [
      [35, 'A'],
      [34, '1'],
      [49, sender],
      [52, formatUtcTimestamp(BigInt(Date.now()) * 1_000_000n)],
      [56, target],
      [98, '0'],
      [108, '30'],
    ],
    { beginString: 'FIX.4.4' },
  );
}

describe('FixAcceptor and FixInitiator over TCP', () => {
  it('log on and carry an order and its ExecutionReport', async () => {
    const { acceptor, session: venueSession, events } = await startVenue();
    let deliver: (message: FixMessage) => void = () => {};
    const report = new Promise<FixMessage>((resolve) => (deliver = resolve));
    const session = firm((message) => deliver(message));
    const initiator = new FixInitiator({ session, host: '127.0.0.1', port: acceptor.port });
    cleanups.push(() => initiator.stop());
    const loggedOn = sessionEvent(session, 'logon');
    initiator.start();
    await loggedOn;
    expect(venueSession.isLoggedOn).toBe(true);
    expect(events).toEqual([
      { type: 'connection-accepted', senderCompId: 'VENUE', targetCompId: 'FIRM' },
    ]);
    session.send({
      msgType: 'D',
      body: [
        [11, 'c1'],
        [38, '100'],
        [40, '2'],
        [44, '10.25'],
        [54, '1'],
        [55, 'ACME'],
        [60, '20240102-03:04:05'],
      ],
    });
    expect(parseExecutionReport(await withTimeout(report), SCALES)).toMatchObject({
      clOrdId: 'c1',
      execType: 'new',
      leavesLots: 100,
    });
  });

  it('refuses a connection whose Logon names no configured session', async () => {
    const { acceptor, events } = await startVenue();
    const socket = await rawSocket(acceptor.port);
    const gone = closed(socket);
    socket.write(logonBytes('STRANGER', 'VENUE'));
    await gone;
    expect(events).toEqual([{ type: 'connection-refused', reason: 'unknown-session' }]);
  });

  it('refuses a second connection for a logged-on session', async () => {
    const { acceptor, session: venueSession, events } = await startVenue();
    const first = await rawSocket(acceptor.port);
    const loggedOn = sessionEvent(venueSession, 'logon');
    first.write(logonBytes('FIRM', 'VENUE'));
    await loggedOn;
    const second = await rawSocket(acceptor.port);
    const gone = closed(second);
    second.write(logonBytes('FIRM', 'VENUE'));
    await gone;
    expect(events.map((e) => (e.type === 'connection-refused' ? e.reason : e.type))).toEqual([
      'connection-accepted',
      'session-busy',
    ]);
    expect(venueSession.isLoggedOn).toBe(true);
  });

  it('drops a connection that sends no complete message in time', async () => {
    const { acceptor, events } = await startVenue({ firstMessageTimeoutMs: 100 });
    const socket = await rawSocket(acceptor.port);
    const gone = closed(socket);
    socket.write('8=FIX.4.4\x019=');
    await gone;
    expect(events).toEqual([{ type: 'connection-refused', reason: 'logon-timeout' }]);
  });

  it('drops a connection whose first message is garbled', async () => {
    const { acceptor, events } = await startVenue();
    const socket = await rawSocket(acceptor.port);
    const gone = closed(socket);
    socket.write('8=FIX.4.4\x019=5\x0135=A\x0110=000\x01');
    await gone;
    expect(events).toEqual([{ type: 'connection-refused', reason: 'garbled' }]);
  });

  it('reconnects with backoff after losing the connection', async () => {
    const { acceptor, session: venueSession } = await startVenue();
    const session = firm();
    const initiatorEvents: InitiatorEvent[] = [];
    const initiator = new FixInitiator({
      session,
      host: '127.0.0.1',
      port: acceptor.port,
      initialDelayMs: 20,
      onEvent: (event) => initiatorEvents.push(event),
    });
    cleanups.push(() => initiator.stop());
    const firstLogon = sessionEvent(session, 'logon');
    initiator.start();
    await firstLogon;
    const secondLogon = sessionEvent(session, 'logon');
    venueSession.close();
    await secondLogon;
    expect(initiatorEvents.map((e) => e.type)).toEqual([
      'connecting',
      'connected',
      'reconnect-scheduled',
      'connecting',
      'connected',
    ]);
    expect(initiatorEvents[2]).toEqual({ type: 'reconnect-scheduled', delayMs: 20 });
  });

  it('backs off exponentially while the counterparty is down', async () => {
    const { acceptor } = await startVenue();
    const port = acceptor.port;
    await acceptor.close();
    const delays: number[] = [];
    const initiator = new FixInitiator({
      session: firm(),
      host: '127.0.0.1',
      port,
      initialDelayMs: 5,
      maxDelayMs: 20,
      onEvent: (event) => {
        if (event.type === 'reconnect-scheduled') delays.push(event.delayMs);
      },
    });
    cleanups.push(() => initiator.stop());
    const fourth = waitFor<number>(
      (deliver) => {
        const timer = setInterval(() => delays.length >= 4 && deliver(delays.length), 5);
        cleanups.push(() => clearInterval(timer));
      },
      () => true,
    );
    initiator.start();
    await fourth;
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 20]);
  });

  it('refuses sessions of the wrong role', () => {
    const initiatorSession = firm();
    expectErrorCode(
      () => new FixAcceptor({ sessions: [initiatorSession], scheduler }),
      'INPUT_INVALID_ARGUMENT',
    );
    const acceptorSession = new FixSession({
      config: { role: 'acceptor', senderCompId: 'A', targetCompId: 'B' },
      scheduler,
      store: new MemorySessionStore(),
    });
    expectErrorCode(
      () => new FixInitiator({ session: acceptorSession, host: '127.0.0.1', port: 1 }),
      'INPUT_INVALID_ARGUMENT',
    );
  });
});
