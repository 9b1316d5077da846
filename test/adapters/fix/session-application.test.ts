/**
 * An application built on the typed parsers behind a session: malformed application messages get
 * the answer FIX 4.4 calls for, through the typed errors the parsers throw.
 */
import { describe, expect, it } from 'vitest';

import {
  buildExecutionReport,
  DecimalScale,
  type FixApplication,
  type FixField,
  parseAppMessage,
} from '../../../src/adapters/fix/index.js';
import { SessionHarness, show } from './session-harness.js';

const SCALES = { price: new DecimalScale('0.05'), qty: new DecimalScale('1') };

const venue: FixApplication = {
  onMessage(message, session) {
    const parsed = parseAppMessage(message, SCALES);
    if (parsed.type !== 'new-order-single') return;
    const order = parsed.value;
    session.send(
      buildExecutionReport(
        {
          orderId: `o-${order.clOrdId}`,
          clOrdId: order.clOrdId,
          execId: `e-${order.clOrdId}`,
          execType: 'new',
          ordStatus: 'new',
          symbol: order.symbol,
          side: order.side,
          leavesLots: order.qtyLots,
          cumLots: 0,
          avgPx: '0',
        },
        SCALES,
      ),
    );
  },
};

const order = (extra: FixField[]): FixField[] => [
  [11, 'c1'],
  [38, '10'],
  [54, '1'],
  [55, 'ACME'],
  [60, '20240102-03:04:05'],
  ...extra,
];

describe('a typed application behind a session', () => {
  it('acknowledges a valid order', () => {
    const h = new SessionHarness({ application: venue });
    h.logon();
    h.send(
      'D',
      order([
        [40, '2'],
        [44, '100.05'],
      ]),
    );
    expect(h.take().map(show)).toEqual([
      '35=8|34=2|49=ISLD|52=*|56=TW44|6=0|11=c1|14=0|17=e-c1|37=o-c1|39=0|54=1|55=ACME|150=0|151=10',
    ]);
  });

  it('answers a limit order without a price with BusinessMessageReject 380=5', () => {
    const h = new SessionHarness({ application: venue });
    h.logon();
    h.send('D', order([[40, '2']]));
    expect(h.take().map(show)).toEqual([
      '35=j|34=2|49=ISLD|52=*|56=TW44|45=2|58=Conditionally required field missing (44)|372=D|380=5',
    ]);
  });

  it('answers an off-tick price with a Reject naming tag 44', () => {
    const h = new SessionHarness({ application: venue });
    h.logon();
    h.send(
      'D',
      order([
        [40, '2'],
        [44, '100.01'],
      ]),
    );
    expect(h.take().map(show)).toEqual([
      '35=3|34=2|49=ISLD|52=*|56=TW44|45=2|58=Value is incorrect (out of range) for this tag|371=44|372=D|373=5',
    ]);
  });

  it('answers an unsupported application message with BusinessMessageReject 380=3', () => {
    const h = new SessionHarness({ application: venue });
    h.logon();
    h.send('B', [
      [33, '1'],
      [58, 'line'],
      [148, 'headline'],
    ]);
    expect(h.take().map(show)).toEqual([
      '35=j|34=2|49=ISLD|52=*|56=TW44|45=2|58=Unsupported Message Type|372=B|380=3',
    ]);
    expect(h.store.nextTargetSeq).toBe(3);
  });
});
