/**
 * A live FIX session over real TCP on the SystemScheduler, both ends recording through the TCP
 * acceptor's and initiator's `sessionLogDir`: Logon with ResetSeqNumFlag, orders acked by the
 * venue, one refused with a session Reject, one order lost on the way (the venue asks for it
 * again; the firm resends it PossDup and gap-fills the heartbeat it sent meanwhile), heartbeats on
 * a one-second interval, then Logout. The one test-made piece is the firm's socket binder, which
 * loses that order: it stands in for the network.
 */
import type { Socket } from 'node:net';

import {
  FixAcceptor,
  FixInitiator,
  FixSession,
  type FixTransport,
  MemorySessionStore,
  type SessionEvent,
  sessionLogFileName,
} from '../../../src/adapters/fix/index.js';
import { SystemClock } from '../../../src/cli/context.js';
import type { DeltaTraceError } from '../../../src/core/index.js';
import { SystemScheduler } from '../../../src/runtime/system-scheduler.js';
import { ackingVenue, order } from './session-log-scenario.js';

export interface LiveRun {
  readonly acceptorLog: string;
  readonly initiatorLog: string;
  /** Every message each end wrote, as text with `|` for SOH. */
  readonly acceptorOut: readonly string[];
  readonly initiatorOut: readonly string[];
  readonly events: readonly string[];
}

function textOf(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).replaceAll('\x01', '|');
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** bindSocket, except that the message with MsgSeqNum `dropSeq` is lost once. */
function losingBinder(dropSeq: number) {
  let lost = false;
  return (socket: Socket, session: FixSession): FixTransport => {
    socket.setNoDelay(true);
    const transport: FixTransport = {
      send(bytes) {
        if (!lost && textOf(bytes).includes(`|34=${dropSeq}|`)) {
          lost = true;
          return;
        }
        if (!socket.destroyed) socket.write(bytes);
      },
      close() {
        socket.end(() => socket.destroy());
      },
    };
    session.attach(transport);
    socket.on('data', (chunk: Uint8Array) => session.receive(chunk));
    socket.on('close', () => session.detach(transport));
    socket.on('error', () => {});
    return transport;
  };
}

/** Runs the scenario and writes both logs into `dir`; takes about three seconds. */
export async function runLiveSession(dir: string): Promise<LiveRun> {
  const scheduler = new SystemScheduler(new SystemClock());
  const failures: DeltaTraceError[] = [];
  const events: string[] = [];
  const acceptorOut: string[] = [];
  const initiatorOut: string[] = [];
  const venue = new FixSession({
    config: { role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'FIRM' },
    scheduler,
    store: new MemorySessionStore(),
    application: ackingVenue,
    observer: {
      onMessage: (direction, bytes) => direction === 'out' && acceptorOut.push(textOf(bytes)),
      onEvent: (event: SessionEvent) => events.push(`acceptor ${event.type}`),
    },
  });
  const acceptor = new FixAcceptor({
    sessions: [venue],
    scheduler,
    sessionLogDir: dir,
    onEvent: (event) => event.type === 'session-log-failed' && failures.push(event.error),
  });
  const port = await acceptor.listen();
  const firm = new FixSession({
    config: {
      role: 'initiator',
      senderCompId: 'FIRM',
      targetCompId: 'VENUE',
      heartBtIntSec: 1,
      resetOnLogon: true,
    },
    scheduler,
    store: new MemorySessionStore(),
    application: { onMessage: () => {} },
    observer: {
      onMessage: (direction, bytes) => direction === 'out' && initiatorOut.push(textOf(bytes)),
      onEvent: (event: SessionEvent) => events.push(`initiator ${event.type}`),
    },
  });
  const initiator = new FixInitiator({
    session: firm,
    host: '127.0.0.1',
    port,
    sessionLogDir: dir,
    // Logon is 1, c1 is 2: c2 (3) is lost.
    bind: losingBinder(3),
    onEvent: (event) => event.type === 'session-log-failed' && failures.push(event.error),
  });
  const acked = (clOrdId: string): boolean =>
    acceptorOut.some((text) => text.includes('|35=8|') && text.includes(`|11=${clOrdId}|`));
  try {
    initiator.start();
    await until(() => firm.isLoggedOn && venue.isLoggedOn, 'logon');
    firm.send(order('c1'));
    await until(() => acked('c1'), 'the ack of c1');
    firm.send(order('c2'));
    // A heartbeat goes out before the next order, so the resend has an admin message to gap-fill.
    const heartbeats = initiatorOut.filter((text) => text.includes('|35=0|')).length;
    await until(
      () => initiatorOut.filter((text) => text.includes('|35=0|')).length > heartbeats,
      'a heartbeat from the firm',
    );
    firm.send(order('c3'));
    await until(() => acked('c2') && acked('c3'), 'the acks of c2 and c3 after the resend');
    firm.send(order('bad4'));
    await until(() => acceptorOut.some((text) => text.includes('|35=3|')), 'the Reject of bad4');
    // Heartbeats both ways on the one-second interval.
    await new Promise((resolve) => setTimeout(resolve, 2200));
    firm.logout('done');
    await until(() => !firm.isAttached && !venue.isAttached, 'the logout');
  } finally {
    await initiator.stop();
    await acceptor.close();
    scheduler.cancelAll();
  }
  const failure = failures[0];
  if (failure !== undefined) throw failure;
  return {
    acceptorLog: `${dir}/${sessionLogFileName('VENUE', 'FIRM')}`,
    initiatorLog: `${dir}/${sessionLogFileName('FIRM', 'VENUE')}`,
    acceptorOut,
    initiatorOut,
    events,
  };
}
