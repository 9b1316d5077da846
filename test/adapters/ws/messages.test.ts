import { describe, expect, it } from 'vitest';

import {
  decodeClientRequest,
  decodeServerMessage,
  encodeMessage,
  type ServerMessage,
} from '../../../src/adapters/ws/index.js';
import { expectErrorCode } from '../../helpers/errors.js';

const snapshot: ServerMessage = {
  v: 1,
  type: 'snapshot',
  venue: 'XSIM1',
  instrument: 'ACME',
  seq: 7,
  tsNs: '1700000000000000123',
  bids: [[100, 5]],
  asks: [
    [101, 2],
    [102, 9],
  ],
};

describe('decodeServerMessage', () => {
  it('round-trips each message type', () => {
    const messages: ServerMessage[] = [
      snapshot,
      {
        v: 1,
        type: 'update',
        venue: 'XSIM1',
        instrument: 'ACME',
        seq: 8,
        tsNs: '5',
        levels: [{ side: 'buy', priceTicks: 100, qtyLots: 0 }],
        trades: [{ priceTicks: 100, qtyLots: 5, aggressorSide: 'sell' }],
      },
      { v: 1, type: 'heartbeat', tsNs: '9', seqs: { ACME: 8 } },
      { v: 1, type: 'error', code: 'WS_UNKNOWN_INSTRUMENT', message: 'no', instrument: 'X' },
    ];
    for (const message of messages) {
      expect(decodeServerMessage(encodeMessage(message))).toEqual(message);
    }
  });

  it('accepts fields a newer server adds', () => {
    const decoded = decodeServerMessage(JSON.stringify({ ...snapshot, venueTimeZone: 'UTC' }));
    expect(decoded).toMatchObject({ type: 'snapshot', seq: 7 });
  });

  describe('when the frame is not JSON', () => {
    it.each(['', 'not json', '{"v":1,'])('throws WS_BAD_FRAME_JSON for %j', (frame) => {
      expectErrorCode(() => decodeServerMessage(frame), 'WS_BAD_FRAME_JSON');
    });
  });

  describe('when the frame is JSON but not a message', () => {
    it.each<[string, unknown]>([
      ['an array', []],
      ['an unknown type', { ...snapshot, type: 'quote' }],
      ['another version', { ...snapshot, v: 2 }],
      ['a fractional price', { ...snapshot, bids: [[100.5, 1]] }],
      ['an empty level in a snapshot', { ...snapshot, bids: [[100, 0]] }],
      ['a float timestamp', { ...snapshot, tsNs: 1.7e18 }],
      ['a text seq', { ...snapshot, seq: '7' }],
      [
        'a zero-lot trade',
        {
          v: 1,
          type: 'update',
          venue: 'X',
          instrument: 'A',
          seq: 1,
          tsNs: '1',
          levels: [],
          trades: [{ priceTicks: 1, qtyLots: 0, aggressorSide: 'buy' }],
        },
      ],
    ])('throws WS_BAD_FRAME_SCHEMA for %s', (_, value) => {
      const error = expectErrorCode(
        () => decodeServerMessage(JSON.stringify(value)),
        'WS_BAD_FRAME_SCHEMA',
      );
      expect(error.details?.issues).toBeDefined();
    });
  });
});

describe('decodeClientRequest', () => {
  it('reads subscribe and unsubscribe', () => {
    expect(decodeClientRequest('{"v":1,"type":"subscribe","instrument":"ACME"}')).toEqual({
      v: 1,
      type: 'subscribe',
      instrument: 'ACME',
    });
    expect(decodeClientRequest('{"v":1,"type":"unsubscribe","instrument":"ACME"}')).toMatchObject({
      type: 'unsubscribe',
    });
  });

  it('throws WS_BAD_FRAME_JSON and WS_BAD_FRAME_SCHEMA', () => {
    expectErrorCode(() => decodeClientRequest('{'), 'WS_BAD_FRAME_JSON');
    expectErrorCode(() => decodeClientRequest('{"v":1,"type":"subscribe"}'), 'WS_BAD_FRAME_SCHEMA');
  });
});
