import { describe, expect, it } from 'vitest';

import { OrderBook, parseCommand } from '../../src/exchange/index.js';
import { expectErrorCode } from '../helpers/errors.js';

function bookWithLevels(): OrderBook {
  const book = new OrderBook({ instrument: 'TEST' });
  for (let i = 0; i < 5; i++) {
    book.apply(
      parseCommand({
        type: 'new',
        orderId: `b${i}`,
        side: 'buy',
        orderType: 'limit',
        qtyLots: 1,
        priceTicks: 100 - i,
        ownerId: 'A',
      }),
    );
    book.apply(
      parseCommand({
        type: 'new',
        orderId: `s${i}`,
        side: 'sell',
        orderType: 'limit',
        qtyLots: 2,
        priceTicks: 101 + i,
        ownerId: 'A',
      }),
    );
  }
  return book;
}

describe('OrderBook.depth', () => {
  it('limits each side to the requested number of levels, best first', () => {
    expect(bookWithLevels().depth(2)).toEqual({
      bids: [
        [100, 1],
        [99, 1],
      ],
      asks: [
        [101, 2],
        [102, 2],
      ],
    });
  });

  it('returns empty sides for zero levels', () => {
    expect(bookWithLevels().depth(0)).toEqual({ bids: [], asks: [] });
  });

  it.each([-1, 1.5, Number.NaN])('rejects %s levels', (levels) => {
    expectErrorCode(() => bookWithLevels().depth(levels), 'INPUT_INVALID_ARGUMENT');
  });
});

describe('parseCommand', () => {
  it('defaults time in force to day', () => {
    const command = parseCommand({
      type: 'new',
      orderId: 'x',
      side: 'sell',
      orderType: 'limit',
      qtyLots: 1,
      priceTicks: 5,
      ownerId: 'A',
    });
    expect(command).toMatchObject({ tif: 'day' });
  });

  it.each([
    ['an unknown command type', { type: 'amend', orderId: 'x' }],
    [
      'a fractional size',
      {
        type: 'new',
        orderId: 'x',
        side: 'buy',
        orderType: 'limit',
        qtyLots: 1.5,
        priceTicks: 5,
        ownerId: 'A',
      },
    ],
    [
      'an unknown side',
      {
        type: 'new',
        orderId: 'x',
        side: 'hold',
        orderType: 'limit',
        qtyLots: 1,
        priceTicks: 5,
        ownerId: 'A',
      },
    ],
    ['an empty order id', { type: 'cancel', orderId: '' }],
    ['an unknown key', { type: 'cancel', orderId: 'x', extra: 1 }],
    [
      'a missing owner',
      { type: 'new', orderId: 'x', side: 'buy', orderType: 'market', qtyLots: 1 },
    ],
  ])('rejects %s with INPUT_SCHEMA_VIOLATION', (_label, input) => {
    expectErrorCode(() => parseCommand(input), 'INPUT_SCHEMA_VIOLATION');
  });
});
