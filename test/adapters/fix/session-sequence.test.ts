import { describe, expect, it } from 'vitest';

import {
  type FixApplication,
  type FixField,
  formatUtcTimestamp,
} from '../../../src/adapters/fix/index.js';
import { InputError } from '../../../src/core/index.js';
import { SECOND, SessionHarness, show } from './session-harness.js';

/** Echoes NewOrderSingle back; the rest of its behaviour comes from `onOther`. */
function echoApplication(onOther: (msgType: string) => void = () => {}): FixApplication {
  return {
    onMessage(message, session) {
      if (message.msgType !== 'D') {
        onOther(message.msgType);
        return;
      }
      session.send({ msgType: 'D', body: [[11, message.get(11) ?? '']] });
    },
  };
}

const ORDER: FixField[] = [
  [11, 'o1'],
  [21, '1'],
  [40, '1'],
  [54, '1'],
  [55, 'ACME'],
  [60, '20240102-03:04:05'],
];

describe('FixSession MsgSeqNum too high', () => {
  it('sends one ResendRequest, queues, and processes the queue once the gap is filled', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('1', [[112, 'late']], { seq: 5 });
    expect(h.take().map(show)).toEqual(['35=2|34=2|49=ISLD|52=*|56=TW44|7=2|16=0']);
    h.send('0', [], { seq: 6 });
    expect(h.take()).toEqual([]);
    expect(h.eventsOf('gap-detected').map((e) => e.resendRequested)).toEqual([true, false]);
    h.send('0', [], { seq: 2 });
    h.send('0', [], { seq: 3 });
    expect(h.take()).toEqual([]);
    h.send('0', [], { seq: 4 });
    expect(h.take().map(show)).toEqual(['35=0|34=3|49=ISLD|52=*|56=TW44|112=late']);
    expect(h.store.nextTargetSeq).toBe(7);
    expect(h.eventsOf('resend-complete')).toEqual([{ type: 'resend-complete', throughSeq: 4 }]);
  });

  it('gap-fills from a SequenceReset-GapFill', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('4', [
      [36, '10'],
      [123, 'Y'],
    ]);
    expect(h.store.nextTargetSeq).toBe(10);
    h.send('1', [[112, 'x']], { seq: 10 });
    expect(h.take().map((m) => m.msgType)).toEqual(['0']);
  });

  it('moves the expected number on a SequenceReset-Reset whatever its MsgSeqNum, never back', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('4', [[36, '25']], { seq: 0 });
    expect(h.store.nextTargetSeq).toBe(25);
    h.send('4', [[36, '3']], { seq: 0 });
    expect(h.take().map(show)).toEqual([
      '35=3|34=2|49=ISLD|52=*|56=TW44|45=0|58=Value is incorrect (out of range) for this tag|372=4|373=5',
    ]);
    expect(h.store.nextTargetSeq).toBe(25);
  });
});

describe('FixSession MsgSeqNum too low', () => {
  it('logs out and disconnects without PossDup', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('0');
    h.send('0', [], { seq: 2 });
    expect(h.take().map(show)).toEqual([
      '35=5|34=2|49=ISLD|52=*|56=TW44|58=MsgSeqNum too low, expecting 3 but received 2',
    ]);
    expect(h.transport.closed).toBe(true);
    expect(h.eventsOf('disconnected')[0]?.reason).toBe('seq-too-low');
  });

  it('ignores a PossDup duplicate', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('0');
    const now = formatUtcTimestamp(h.scheduler.clock.wallNs());
    h.send('0', [], {
      seq: 2,
      header: [
        [43, 'Y'],
        [122, now],
      ],
    });
    expect(h.take()).toEqual([]);
    expect(h.eventsOf('duplicate-ignored')).toEqual([{ type: 'duplicate-ignored', msgSeqNum: 2 }]);
  });

  it('rejects a PossDup without OrigSendingTime, and one sent before it was first sent', () => {
    const h = new SessionHarness({ application: echoApplication() });
    h.logon();
    h.send('D', ORDER);
    h.take();
    h.send('D', ORDER, { seq: 2, header: [[43, 'Y']] });
    expect(h.take().map(show)).toEqual([
      '35=3|34=3|49=ISLD|52=*|56=TW44|45=2|58=Required tag missing|371=122|372=D|373=1',
    ]);
    h.send('D', ORDER, {
      seq: 2,
      header: [
        [43, 'Y'],
        [122, formatUtcTimestamp(h.scheduler.clock.wallNs() + 10n * SECOND)],
      ],
    });
    expect(h.take().map(show)).toEqual([
      '35=3|34=4|49=ISLD|52=*|56=TW44|45=2|58=SendingTime accuracy problem|372=D|373=10',
      '35=5|34=5|49=ISLD|52=*|56=TW44',
    ]);
  });
});

describe('FixSession ResendRequest', () => {
  it('resends application messages with PossDup and gap-fills administrative ones', () => {
    const h = new SessionHarness({ application: echoApplication() });
    h.logon();
    h.send('D', ORDER);
    h.send('1', [[112, 'a']]);
    h.send('D', ORDER);
    h.take();
    h.send('2', [
      [7, '1'],
      [16, '0'],
    ]);
    expect(h.take().map(show)).toEqual([
      '35=4|34=1|43=Y|49=ISLD|52=*|56=TW44|122=*|36=2|123=Y',
      '35=D|34=2|43=Y|49=ISLD|52=*|56=TW44|122=*|11=o1',
      '35=4|34=3|43=Y|49=ISLD|52=*|56=TW44|122=*|36=4|123=Y',
      '35=D|34=4|43=Y|49=ISLD|52=*|56=TW44|122=*|11=o1',
    ]);
    expect(h.eventsOf('resend-served')).toEqual([
      { type: 'resend-served', beginSeq: 1, endSeq: 4, resent: 2, gapFills: 2 },
    ]);
    // Resending keeps the sequence: the next message is 5.
    h.send('1', [[112, 'b']]);
    expect(h.take()[0]?.get(34)).toBe('5');
  });

  it('keeps OrigSendingTime equal to the first SendingTime', () => {
    const h = new SessionHarness({ application: echoApplication() });
    h.logon();
    h.send('D', ORDER);
    const first = h.take()[0]?.get(52);
    h.advance(3n * SECOND);
    h.send('2', [
      [7, '2'],
      [16, '2'],
    ]);
    const resent = h.take()[0];
    expect(resent?.get(122)).toBe(first);
    expect(resent?.get(52)).not.toBe(first);
  });
});

describe('FixSession session-level Reject', () => {
  it('rejects a dictionary violation naming RefTagID and consumes the MsgSeqNum', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('0', [[55, 'ACME']]);
    expect(h.take().map(show)).toEqual([
      '35=3|34=2|49=ISLD|52=*|56=TW44|45=2|58=Tag not defined for this message type|371=55|372=0|373=2',
    ]);
    expect(h.store.nextTargetSeq).toBe(3);
    expect(h.eventsOf('reject-sent')[0]).toMatchObject({ reason: 2, tag: 55, refSeqNum: 2 });
  });

  it('swaps routing fields on the Reject', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('D', [...ORDER.filter(([tag]) => tag !== 40), [40, 'w']], {
      header: [
        [115, 'JCD'],
        [116, 'CS'],
      ],
    });
    expect(show(h.take()[0]!)).toBe(
      '35=3|34=2|49=ISLD|52=*|56=TW44|128=JCD|129=CS|45=2|58=Value is incorrect (out of range) for this tag|371=40|372=D|373=5',
    );
  });

  it('rejects wrong CompIDs and logs out', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('0', [], { senderCompId: 'WT' });
    expect(h.take().map(show)).toEqual([
      '35=3|34=2|49=ISLD|52=*|56=TW44|45=2|58=CompID problem|372=0|373=9',
      '35=5|34=3|49=ISLD|52=*|56=TW44',
    ]);
  });

  it('rejects a SendingTime outside the tolerance and logs out', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('0', [], {
      sendingTime: formatUtcTimestamp(h.scheduler.clock.wallNs() - 121n * SECOND),
    });
    expect(h.take().map((m) => `${m.msgType}:${m.get(373) ?? ''}`)).toEqual(['3:10', '5:']);
  });

  it('records a Reject received', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('3', [
      [45, '1'],
      [58, 'no'],
    ]);
    expect(h.eventsOf('reject-received')).toEqual([
      { type: 'reject-received', refSeqNum: 1, text: 'no' },
    ]);
    expect(h.store.nextTargetSeq).toBe(3);
  });
});

describe('FixSession application errors', () => {
  const cases: [string, () => never, string][] = [
    [
      'FIX_UNSUPPORTED_MSG_TYPE',
      () => {
        throw new InputError('FIX_UNSUPPORTED_MSG_TYPE', 'no');
      },
      '35=j|34=2|49=ISLD|52=*|56=TW44|45=2|58=Unsupported Message Type|372=8|380=3',
    ],
    [
      'FIX_MISSING_TAG',
      () => {
        throw new InputError('FIX_MISSING_TAG', 'price', { details: { tag: 44 } });
      },
      '35=j|34=2|49=ISLD|52=*|56=TW44|45=2|58=Conditionally required field missing (44)|372=8|380=5',
    ],
    [
      'FIX_BAD_VALUE',
      () => {
        throw new InputError('FIX_BAD_VALUE', 'tick', { details: { tag: 31 } });
      },
      '35=3|34=2|49=ISLD|52=*|56=TW44|45=2|58=Value is incorrect (out of range) for this tag|371=31|372=8|373=5',
    ],
    [
      'FIX_BAD_FORMAT',
      () => {
        throw new InputError('FIX_BAD_FORMAT', 'fmt', { details: { tag: 31 } });
      },
      '35=3|34=2|49=ISLD|52=*|56=TW44|45=2|58=Incorrect data format for value|371=31|372=8|373=6',
    ],
    [
      'an unexpected error',
      () => {
        throw new Error('boom');
      },
      '35=j|34=2|49=ISLD|52=*|56=TW44|45=2|58=Application error|372=8|380=0',
    ],
  ];

  it.each(cases)('answers %s as FIX 4.4 calls for', (_name, raise, expected) => {
    const h = new SessionHarness({ application: echoApplication(raise) });
    h.logon();
    h.send('8', [
      [6, '0'],
      [14, '0'],
      [17, 'e'],
      [37, 'o'],
      [39, '0'],
      [54, '1'],
      [150, '0'],
      [151, '1'],
    ]);
    expect(h.take().map(show)).toEqual([expected]);
    expect(h.store.nextTargetSeq).toBe(3);
  });

  it('stores a BusinessMessageReject for resending', () => {
    const h = new SessionHarness();
    h.logon();
    h.send('D', ORDER);
    expect(h.take()[0]?.msgType).toBe('j');
    expect(h.store.sentMessages(1, 10).map((m) => m.seq)).toEqual([2]);
  });
});
