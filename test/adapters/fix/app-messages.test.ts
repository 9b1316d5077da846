import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  type AppMessage,
  buildBusinessMessageReject,
  buildExecutionReport,
  buildMarketDataIncrementalRefresh,
  buildMarketDataRequest,
  buildMarketDataSnapshot,
  buildNewOrderSingle,
  buildOrderCancelReject,
  buildOrderCancelReplaceRequest,
  buildOrderCancelRequest,
  type BusinessMessageReject,
  DecimalScale,
  decodeFixMessage,
  encodeFixMessage,
  type ExecutionReport,
  type FixField,
  type FixMessage,
  type MarketDataIncrementalRefresh,
  type MarketDataRequest,
  type MarketDataSnapshot,
  type NewOrderSingle,
  type OrderCancelReject,
  type OrderCancelReplaceRequest,
  type OrderCancelRequest,
  type OutboundMessage,
  parseAppMessage,
  parseNewOrderSingle,
  validateFixMessage,
} from '../../../src/adapters/fix/index.js';
import { expectErrorCode } from '../../helpers/errors.js';

const SCALES = { price: new DecimalScale('0.05'), qty: new DecimalScale('1') };
const T = 1_704_164_645_123_000_000n;

/** What a counterparty would receive: a full message with a header, decoded. */
function wireOf(message: OutboundMessage): FixMessage {
  const fields: FixField[] = [
    [35, message.msgType],
    [34, '2'],
    [49, 'A'],
    [52, '20240102-03:04:05.000'],
    [56, 'B'],
    ...message.body,
  ];
  return decodeFixMessage(encodeFixMessage(fields, { beginString: 'FIX.4.4' }));
}

const NEW_ORDER_SINGLE: NewOrderSingle = {
  clOrdId: 'c1',
  account: 'acct',
  symbol: 'ACME',
  side: 'buy',
  orderType: 'limit',
  tif: 'ioc',
  qtyLots: 300,
  priceTicks: 2002,
  transactTimeNs: T,
};

const ORDER_CANCEL_REQUEST: OrderCancelRequest = {
  origClOrdId: 'c1',
  clOrdId: 'c2',
  orderId: 'o1',
  symbol: 'ACME',
  side: 'sell',
  qtyLots: 10,
  transactTimeNs: T,
};

const ORDER_CANCEL_REPLACE_REQUEST: OrderCancelReplaceRequest = {
  origClOrdId: 'c1',
  clOrdId: 'c3',
  symbol: 'ACME',
  side: 'buy',
  orderType: 'market',
  tif: 'day',
  qtyLots: 5,
  transactTimeNs: T,
};

const EXECUTION_REPORT: ExecutionReport = {
  orderId: 'o1',
  clOrdId: 'c1',
  execId: 'e1',
  execType: 'trade',
  ordStatus: 'partially-filled',
  symbol: 'ACME',
  side: 'buy',
  orderQtyLots: 300,
  priceTicks: 2002,
  lastQtyLots: 100,
  lastPriceTicks: -3,
  leavesLots: 200,
  cumLots: 100,
  avgPx: '100.0333',
  text: 'partial',
  transactTimeNs: T,
};

const ORDER_CANCEL_REJECT: OrderCancelReject = {
  orderId: 'o1',
  clOrdId: 'c2',
  origClOrdId: 'c1',
  ordStatus: 'filled',
  responseTo: 'cancel',
  cxlRejReason: 0,
  text: 'too late',
};

const MARKET_DATA_REQUEST: MarketDataRequest = {
  mdReqId: 'm1',
  subscription: 'subscribe',
  marketDepth: 1,
  updateType: 'incremental',
  entryTypes: ['bid', 'offer', 'trade'],
  symbols: ['ACME', 'INTC'],
};

const MARKET_DATA_SNAPSHOT: MarketDataSnapshot = {
  mdReqId: 'm1',
  symbol: 'ACME',
  entries: [
    { entryType: 'bid', priceTicks: 2000, sizeLots: 500, positionNo: 1 },
    { entryType: 'offer', priceTicks: 2001, sizeLots: 300 },
    { entryType: 'trade', priceTicks: 2000 },
  ],
};

const MARKET_DATA_INCREMENTAL_REFRESH: MarketDataIncrementalRefresh = {
  entries: [
    {
      action: 'new',
      entryType: 'bid',
      entryId: 'b1',
      symbol: 'ACME',
      priceTicks: 1999,
      sizeLots: 10,
    },
    { action: 'delete', entryType: 'offer', entryId: 'a7' },
  ],
};

const BUSINESS_MESSAGE_REJECT: BusinessMessageReject = {
  refSeqNum: 7,
  refMsgType: 'Z',
  businessRejectRefId: 'r1',
  reason: 3,
  text: 'Unsupported Message Type',
};

const ROUND_TRIPS: [AppMessage, OutboundMessage][] = [
  [
    { type: 'new-order-single', value: NEW_ORDER_SINGLE },
    buildNewOrderSingle(NEW_ORDER_SINGLE, SCALES),
  ],
  [
    { type: 'order-cancel-request', value: ORDER_CANCEL_REQUEST },
    buildOrderCancelRequest(ORDER_CANCEL_REQUEST, SCALES),
  ],
  [
    { type: 'order-cancel-replace-request', value: ORDER_CANCEL_REPLACE_REQUEST },
    buildOrderCancelReplaceRequest(ORDER_CANCEL_REPLACE_REQUEST, SCALES),
  ],
  [
    { type: 'execution-report', value: EXECUTION_REPORT },
    buildExecutionReport(EXECUTION_REPORT, SCALES),
  ],
  [
    { type: 'order-cancel-reject', value: ORDER_CANCEL_REJECT },
    buildOrderCancelReject(ORDER_CANCEL_REJECT),
  ],
  [
    { type: 'market-data-request', value: MARKET_DATA_REQUEST },
    buildMarketDataRequest(MARKET_DATA_REQUEST),
  ],
  [
    { type: 'market-data-snapshot', value: MARKET_DATA_SNAPSHOT },
    buildMarketDataSnapshot(MARKET_DATA_SNAPSHOT, SCALES),
  ],
  [
    { type: 'market-data-incremental-refresh', value: MARKET_DATA_INCREMENTAL_REFRESH },
    buildMarketDataIncrementalRefresh(MARKET_DATA_INCREMENTAL_REFRESH, SCALES),
  ],
  [
    { type: 'business-message-reject', value: BUSINESS_MESSAGE_REJECT },
    buildBusinessMessageReject(BUSINESS_MESSAGE_REJECT),
  ],
];

describe('application messages', () => {
  it.each(ROUND_TRIPS.map(([message, built]) => [message.type, message, built] as const))(
    'round-trips %s and passes dictionary validation',
    (_type, message, built) => {
      const received = wireOf(built);
      expect(validateFixMessage(received)).toBeUndefined();
      expect(parseAppMessage(received, SCALES)).toEqual(message);
    },
  );

  it('writes prices and quantities exactly', () => {
    const order = buildNewOrderSingle(
      {
        clOrdId: 'c',
        symbol: 'ACME',
        side: 'sell',
        orderType: 'limit',
        tif: 'day',
        qtyLots: 7,
        priceTicks: 2002,
        transactTimeNs: T,
      },
      SCALES,
    );
    expect(Object.fromEntries(order.body)).toMatchObject({
      38: '7',
      40: '2',
      44: '100.10',
      54: '2',
      59: '0',
      60: '20240102-03:04:05.123',
    });
  });
});

describe('parse errors', () => {
  const order = (fields: FixField[]): FixMessage =>
    wireOf({
      msgType: 'D',
      body: [[11, 'c'], [54, '1'], [55, 'ACME'], [60, '20240102-03:04:05'], [38, '10'], ...fields],
    });

  it('FIX_MISSING_TAG for a limit order without a price', () => {
    const error = expectErrorCode(
      () => parseNewOrderSingle(order([[40, '2']]), SCALES),
      'FIX_MISSING_TAG',
    );
    expect(error.details).toEqual({ tag: 44 });
  });

  it('FIX_BAD_VALUE for an off-tick price, an unsupported code, a market order with a price', () => {
    const offTick = expectErrorCode(
      () =>
        parseNewOrderSingle(
          order([
            [40, '2'],
            [44, '100.12'],
          ]),
          SCALES,
        ),
      'FIX_BAD_VALUE',
    );
    expect(offTick.details).toMatchObject({ tag: 44, expected: '0.05' });
    expect(
      expectErrorCode(() => parseNewOrderSingle(order([[40, '3']]), SCALES), 'FIX_BAD_VALUE')
        .details,
    ).toMatchObject({ tag: 40 });
    expect(
      expectErrorCode(
        () =>
          parseNewOrderSingle(
            order([
              [40, '1'],
              [44, '100'],
            ]),
            SCALES,
          ),
        'FIX_BAD_VALUE',
      ).details,
    ).toEqual({ tag: 44 });
  });

  it('FIX_BAD_VALUE for a quantity that is not positive', () => {
    const zero = wireOf({
      msgType: 'D',
      body: [
        [11, 'c'],
        [38, '0'],
        [40, '1'],
        [54, '1'],
        [55, 'S'],
        [60, '20240102-03:04:05'],
      ],
    });
    expect(
      expectErrorCode(() => parseNewOrderSingle(zero, SCALES), 'FIX_BAD_VALUE').details,
    ).toEqual({
      tag: 38,
    });
  });

  it('FIX_BAD_FORMAT for a malformed decimal or timestamp', () => {
    expect(
      expectErrorCode(
        () =>
          parseNewOrderSingle(
            order([
              [40, '2'],
              [44, '1e3'],
            ]),
            SCALES,
          ),
        'FIX_BAD_FORMAT',
      ).details,
    ).toMatchObject({ tag: 44 });
    const badTime = wireOf({
      msgType: 'D',
      body: [
        [11, 'c'],
        [38, '1'],
        [40, '1'],
        [54, '1'],
        [55, 'S'],
        [60, '2024-01-02'],
      ],
    });
    expect(
      expectErrorCode(() => parseNewOrderSingle(badTime, SCALES), 'FIX_BAD_FORMAT').details,
    ).toMatchObject({ tag: 60 });
  });

  it('FIX_UNSUPPORTED_MSG_TYPE for another MsgType', () => {
    expectErrorCode(
      () => parseAppMessage(wireOf({ msgType: 'Z', body: [] }), SCALES),
      'FIX_UNSUPPORTED_MSG_TYPE',
    );
    expectErrorCode(
      () => parseNewOrderSingle(wireOf({ msgType: '8', body: [] }), SCALES),
      'FIX_UNSUPPORTED_MSG_TYPE',
    );
  });
});

describe('DecimalScale', () => {
  it('round-trips every whole number of steps exactly', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('1', '0.01', '0.05', '0.25', '0.0001', '5', '12.5'),
        fc.integer({ min: -1e12, max: 1e12 }),
        (step, units) => {
          const scale = new DecimalScale(step);
          expect(scale.fromWire(scale.toWire(units), 44)).toBe(units);
        },
      ),
    );
  });

  it('reads any FIX decimal spelling of a step multiple', () => {
    const scale = new DecimalScale('0.25');
    expect(
      ['100.25', '100.250', '0100.25', '401e0'].map((text) => {
        try {
          return scale.fromWire(text, 44);
        } catch {
          return 'error';
        }
      }),
    ).toEqual([401, 401, 401, 'error']);
    expect(scale.fromWire('-.5', 44)).toBe(-2);
    expect(scale.toWire(-2)).toBe('-0.50');
    expect(new DecimalScale('0.01').toWire(5)).toBe('0.05');
  });

  it('refuses a step that is not a positive decimal, and non-integer units', () => {
    expectErrorCode(() => new DecimalScale('0'), 'FIX_BAD_VALUE');
    expectErrorCode(() => new DecimalScale('-1'), 'FIX_BAD_VALUE');
    expectErrorCode(() => new DecimalScale('0.01').toWire(1.5), 'FIX_BAD_VALUE');
    expectErrorCode(() => new DecimalScale('1').fromWire('1e400', 38), 'FIX_BAD_FORMAT');
    expectErrorCode(() => new DecimalScale('1').fromWire('9'.repeat(20), 38), 'FIX_BAD_VALUE');
  });
});
