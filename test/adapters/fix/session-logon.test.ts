import { describe, expect, it } from 'vitest';

import { FixSession, MemorySessionStore } from '../../../src/adapters/fix/index.js';
import { VirtualScheduler } from '../../../src/core/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { MS, SECOND, SessionHarness, show, WALL_ORIGIN_NS } from './session-harness.js';

describe('FixSession (acceptor) logon', () => {
  it('answers a Logon with its own, adopting the HeartBtInt', () => {
    const h = new SessionHarness();
    expect(h.logon().map(show)).toEqual(['35=A|34=1|49=ISLD|52=*|56=TW44|98=0|108=30']);
    expect(h.session.state).toBe('active');
    expect(h.session.heartBtIntSec).toBe(30);
    expect(h.eventsOf('logon')).toEqual([{ type: 'logon', heartBtIntSec: 30, resetSeqNum: false }]);
  });

  it('has sent its Logon before observers hear of the logon', () => {
    const h = new SessionHarness();
    h.session.addObserver({
      onEvent: (event) => {
        if (event.type === 'logon') h.session.send({ msgType: 'B', body: [[148, 'hello']] });
      },
    });
    expect(h.logon().map((m) => `${m.msgType}:${m.get(34)}`)).toEqual(['A:1', 'B:2']);
  });

  it('lets an observer remove itself without the next one missing the event', () => {
    const h = new SessionHarness();
    const seen: string[] = [];
    const remove = h.session.addObserver({ onEvent: () => remove() });
    h.session.addObserver({ onEvent: (event) => seen.push(event.type) });
    h.logon();
    expect(seen).toEqual(['connected', 'logon']);
  });

  it('stamps SendingTime from the injected clock, to the millisecond', () => {
    const h = new SessionHarness();
    h.advance(1234n * MS);
    expect(h.logon()[0]?.get(52)).toBe('20240102-03:04:06.234');
  });

  it('echoes ResetSeqNumFlag and starts both sequences again at 1', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('1', [[112, 'x']]);
    h.take();
    expect(h.store.nextSenderSeq).toBe(3);
    h.peerSeq = 1;
    h.send('A', [
      [98, '0'],
      [108, '30'],
      [141, 'Y'],
    ]);
    expect(h.take().map(show)).toEqual(['35=A|34=1|49=ISLD|52=*|56=TW44|98=0|108=30|141=Y']);
    expect(h.store.nextTargetSeq).toBe(2);
  });

  it('resets on every Logon when configured to', () => {
    const store = new MemorySessionStore();
    store.recordSent(1, undefined);
    store.setNextTargetSeq(7);
    const h = new SessionHarness({ store, config: { resetOnLogon: true } });
    expect(h.logon()[0]?.get(34)).toBe('1');
  });

  it('disconnects without a word when the first message is not a Logon', () => {
    const h = new SessionHarness();
    const transport = h.connect();
    h.send('0');
    expect(transport.sent).toEqual([]);
    expect(transport.closed).toBe(true);
    expect(h.eventsOf('disconnected')[0]?.reason).toBe('not-logon');
  });

  it('disconnects on a Logon whose SendingTime is outside the tolerance', () => {
    const h = new SessionHarness({ config: { sendingTimeToleranceMs: 5000 } });
    const transport = h.connect();
    h.send(
      'A',
      [
        [98, '0'],
        [108, '30'],
      ],
      { sendingTime: '20240102-03:04:11.000' },
    );
    expect(transport.closed).toBe(true);
    expect(transport.sent).toEqual([]);
    expect(h.eventsOf('disconnected')[0]?.reason).toBe('invalid-logon');
  });

  it('accepts a SendingTime just inside the configured tolerance', () => {
    const h = new SessionHarness({ config: { sendingTimeToleranceMs: 5000 } });
    h.connect();
    h.send(
      'A',
      [
        [98, '0'],
        [108, '30'],
      ],
      { sendingTime: '20240102-03:04:10.000' },
    );
    expect(h.session.state).toBe('active');
  });

  it('disconnects when no Logon arrives within the logon timeout', () => {
    const h = new SessionHarness({ config: { logonTimeoutMs: 3000 } });
    const transport = h.connect();
    h.advance(2999n * MS);
    expect(transport.closed).toBe(false);
    h.advance(1n * MS);
    expect(transport.closed).toBe(true);
    expect(h.eventsOf('disconnected')[0]?.reason).toBe('logon-timeout');
  });

  it('drops the connection on a garbled first message', () => {
    const h = new SessionHarness();
    const transport = h.connect();
    h.session.receive(new TextEncoder().encode('8=FIX.4.4\x019=5\x0135=A\x0110=000\x01'));
    expect(transport.closed).toBe(true);
    expect(h.eventsOf('garbled')[0]?.code).toBe('FIX_BAD_CHECKSUM');
  });

  it('refuses a second transport with FIX_SESSION_BUSY', () => {
    const h = new SessionHarness();
    h.connect();
    expectErrorCode(() => h.session.attach(h.transport), 'FIX_SESSION_BUSY');
  });

  it('refuses to send before logon with FIX_SESSION_NOT_LOGGED_ON', () => {
    const h = new SessionHarness();
    h.connect();
    expectErrorCode(
      () => h.session.send({ msgType: 'D', body: [[11, 'x']] }),
      'FIX_SESSION_NOT_LOGGED_ON',
    );
    h.send('A', [
      [98, '0'],
      [108, '30'],
    ]);
    expectErrorCode(() => h.session.send({ msgType: '0', body: [] }), 'INPUT_INVALID_ARGUMENT');
  });

  it('rejects a bad configuration with INPUT_SCHEMA_VIOLATION', () => {
    const scheduler = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
    expectErrorCode(
      () =>
        new FixSession({
          config: { role: 'acceptor', senderCompId: '', targetCompId: 'X' },
          scheduler,
          store: new MemorySessionStore(),
        }),
      'INPUT_SCHEMA_VIOLATION',
    );
  });
});

describe('FixSession heartbeats', () => {
  it('sends a Heartbeat after HeartBtInt without sending', () => {
    const h = new SessionHarness();
    h.logon([
      [98, '0'],
      [108, '6'],
    ]);
    h.advance(5999n * MS);
    expect(h.take()).toEqual([]);
    h.advance(1n * MS);
    expect(h.take().map(show)).toEqual(['35=0|34=2|49=ISLD|52=*|56=TW44']);
  });

  it('answers a TestRequest with its TestReqID', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('1', [[112, 'HELLO']]);
    expect(h.take().map(show)).toEqual(['35=0|34=2|49=ISLD|52=*|56=TW44|112=HELLO']);
  });

  it('sends a TestRequest after 1.2 × HeartBtInt of silence and gives up after 2.4 ×', () => {
    const h = new SessionHarness();
    h.logon([
      [98, '0'],
      [108, '10'],
    ]);
    h.advance(10n * SECOND);
    expect(h.take().map((m) => m.msgType)).toEqual(['0']);
    h.advance(2n * SECOND);
    expect(h.take().map(show)).toEqual(['35=1|34=3|49=ISLD|52=*|56=TW44|112=TEST']);
    expect(h.eventsOf('test-request-sent')).toHaveLength(1);
    // No Heartbeat while the TestRequest is unanswered.
    h.advance(12n * SECOND - 1n);
    expect(h.take()).toEqual([]);
    expect(h.transport.closed).toBe(false);
    h.advance(1n);
    expect(h.transport.closed).toBe(true);
    expect(h.eventsOf('disconnected')[0]?.reason).toBe('heartbeat-timeout');
  });

  it('keeps quiet while the counterparty keeps talking', () => {
    const h = new SessionHarness();
    h.logon([
      [98, '0'],
      [108, '10'],
    ]);
    for (let i = 0; i < 5; i++) {
      h.advance(9n * SECOND);
      h.send('0');
    }
    expect(h.take().map((m) => m.msgType)).toEqual(['0', '0', '0', '0']);
    expect(h.transport.closed).toBe(false);
  });
});

describe('FixSession logout', () => {
  it('answers a Logout and disconnects', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('5');
    expect(h.take().map(show)).toEqual(['35=5|34=2|49=ISLD|52=*|56=TW44']);
    expect(h.transport.closed).toBe(true);
    expect(h.eventsOf('disconnected')[0]?.reason).toBe('logout-complete');
  });

  it('waits for the answer to its own Logout, then disconnects', () => {
    const h = new SessionHarness();
    h.logon();
    h.session.logout('bye');
    expect(h.take().map(show)).toEqual(['35=5|34=2|49=ISLD|52=*|56=TW44|58=bye']);
    h.send('5');
    expect(h.take()).toEqual([]);
    expect(h.transport.closed).toBe(true);
  });

  it('disconnects when its Logout goes unanswered for the logout timeout', () => {
    const h = new SessionHarness({ config: { logoutTimeoutMs: 2000 } });
    h.logon();
    h.session.logout();
    h.advance(1999n * MS);
    expect(h.transport.closed).toBe(false);
    h.advance(1n * MS);
    expect(h.transport.closed).toBe(true);
    expect(h.eventsOf('disconnected')[0]?.reason).toBe('logout-timeout');
  });

  it('logs out on a wrong BeginString', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('1', [[112, 'x']], { beginString: 'FIX.4.1' });
    expect(h.take().map(show)).toEqual(['35=5|34=2|49=ISLD|52=*|56=TW44|58=Incorrect BeginString']);
    expect(h.session.state).toBe('logout-sent');
  });

  it('detaches when the transport closes, and takes a new one', () => {
    const h = new SessionHarness();
    h.logon();
    const first = h.transport;
    h.session.detach(first);
    expect(h.session.state).toBe('disconnected');
    h.session.detach(first);
    h.peerSeq = 3;
    h.connect();
    h.send(
      'A',
      [
        [98, '0'],
        [108, '30'],
      ],
      { seq: 3 },
    );
    expect(h.session.state).toBe('active');
  });
});

describe('FixSession (initiator)', () => {
  it('sends Logon with ResetSeqNumFlag on attach and goes active on the answer', () => {
    const h = new SessionHarness({
      config: { role: 'initiator', heartBtIntSec: 5, resetOnLogon: true },
    });
    h.connect();
    expect(h.take().map(show)).toEqual(['35=A|34=1|49=ISLD|52=*|56=TW44|98=0|108=5|141=Y']);
    expect(h.session.state).toBe('logon-sent');
    h.send('A', [
      [98, '0'],
      [108, '5'],
      [141, 'Y'],
    ]);
    expect(h.take()).toEqual([]);
    expect(h.session.state).toBe('active');
    expect(h.session.heartBtIntSec).toBe(5);
  });

  it('disconnects when the Logon goes unanswered', () => {
    const h = new SessionHarness({ config: { role: 'initiator', logonTimeoutMs: 1000 } });
    const transport = h.connect();
    h.advance(SECOND);
    expect(transport.closed).toBe(true);
    expect(h.eventsOf('disconnected')[0]?.reason).toBe('logon-timeout');
  });
});
