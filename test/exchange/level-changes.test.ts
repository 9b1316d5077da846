import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  type Command,
  type LevelChange,
  OrderBook,
  parseCommand,
} from '../../src/exchange/index.js';

const orderIdArb = fc.constantFrom(...Array.from({ length: 16 }, (_, i) => `o${i}`));
const sideArb = fc.constantFrom('buy' as const, 'sell' as const);
const ownerArb = fc.constantFrom('A', 'B', 'C');

const commandsArb: fc.Arbitrary<Command[]> = fc.array(
  fc.oneof(
    {
      arbitrary: fc.record({
        type: fc.constant('new' as const),
        orderId: orderIdArb,
        side: sideArb,
        orderType: fc.constant('limit' as const),
        tif: fc.constantFrom('day' as const, 'day' as const, 'ioc' as const, 'fok' as const),
        qtyLots: fc.integer({ min: 1, max: 12 }),
        priceTicks: fc.integer({ min: 96, max: 104 }),
        ownerId: ownerArb,
      }),
      weight: 6,
    },
    {
      arbitrary: fc.record({
        type: fc.constant('new' as const),
        orderId: orderIdArb,
        side: sideArb,
        orderType: fc.constant('market' as const),
        tif: fc.constant('ioc' as const),
        qtyLots: fc.integer({ min: 1, max: 20 }),
        ownerId: ownerArb,
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({ type: fc.constant('cancel' as const), orderId: orderIdArb }),
      weight: 2,
    },
    {
      arbitrary: fc.record(
        {
          type: fc.constant('replace' as const),
          orderId: orderIdArb,
          qtyLots: fc.integer({ min: 1, max: 12 }),
          priceTicks: fc.integer({ min: 96, max: 104 }),
        },
        { requiredKeys: ['type', 'orderId'] },
      ),
      weight: 2,
    },
  ),
  { maxLength: 80 },
);

type Mirror = Record<'buy' | 'sell', Map<number, number>>;

function applyChanges(mirror: Mirror, changes: readonly LevelChange[]): void {
  for (const { side, priceTicks, qtyLots } of changes) {
    if (qtyLots === 0) mirror[side].delete(priceTicks);
    else mirror[side].set(priceTicks, qtyLots);
  }
}

function mirrorDepth(mirror: Mirror): { bids: [number, number][]; asks: [number, number][] } {
  return {
    bids: [...mirror.buy.entries()].sort((a, b) => b[0] - a[0]),
    asks: [...mirror.sell.entries()].sort((a, b) => a[0] - b[0]),
  };
}

function limit(orderId: string, side: 'buy' | 'sell', qtyLots: number, priceTicks: number) {
  return parseCommand({
    type: 'new',
    orderId,
    side,
    orderType: 'limit',
    qtyLots,
    priceTicks,
    ownerId: orderId,
  });
}

describe('OrderBook level changes', () => {
  it('rebuild the exact book from an empty mirror, and each one is a real change', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const book = new OrderBook({ instrument: 'P', trackLevels: true });
        const mirror: Mirror = { buy: new Map(), sell: new Map() };
        for (const command of commands) {
          book.apply(command);
          const changes = book.levelChanges();
          for (const change of changes) {
            expect(mirror[change.side].get(change.priceTicks) ?? 0).not.toBe(change.qtyLots);
          }
          applyChanges(mirror, changes);
          expect(mirrorDepth(mirror)).toEqual(book.depth());
        }
      }),
      { seed: 77, numRuns: 300 },
    );
  });

  it('leave the engine events unchanged', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const plain = new OrderBook({ instrument: 'P' });
        const tracked = new OrderBook({ instrument: 'P', trackLevels: true });
        for (const command of commands)
          expect(tracked.apply(command)).toEqual(plain.apply(command));
      }),
      { seed: 78, numRuns: 200 },
    );
  });

  it('lists bids best first, then asks best first', () => {
    const book = new OrderBook({ instrument: 'P', trackLevels: true });
    for (const [id, side, qty, px] of [
      ['b1', 'buy', 3, 99],
      ['b2', 'buy', 4, 98],
      ['s1', 'sell', 2, 101],
      ['s2', 'sell', 5, 102],
    ] as const) {
      book.apply(limit(id, side, qty, px));
    }
    // A market sell of 7 empties 99 (3) and 98 (4); a buy of 3 at 102 sweeps 101 and 1 lot at 102.
    book.apply(
      parseCommand({
        type: 'new',
        orderId: 'm1',
        side: 'sell',
        orderType: 'market',
        qtyLots: 7,
        ownerId: 'x',
      }),
    );
    expect(book.levelChanges()).toEqual([
      { side: 'buy', priceTicks: 99, qtyLots: 0 },
      { side: 'buy', priceTicks: 98, qtyLots: 0 },
    ]);
    book.apply(limit('b3', 'buy', 3, 102));
    expect(book.levelChanges()).toEqual([
      { side: 'sell', priceTicks: 101, qtyLots: 0 },
      { side: 'sell', priceTicks: 102, qtyLots: 4 },
    ]);
  });

  describe('when a replace empties a level and refills it', () => {
    it('reports the price once, with its final size', () => {
      const book = new OrderBook({ instrument: 'P', trackLevels: true });
      book.apply(limit('b1', 'buy', 3, 99));
      expect(book.levelChanges()).toEqual([{ side: 'buy', priceTicks: 99, qtyLots: 3 }]);
      book.apply(parseCommand({ type: 'replace', orderId: 'b1', qtyLots: 8 }));
      expect(book.levelChanges()).toEqual([{ side: 'buy', priceTicks: 99, qtyLots: 8 }]);
    });
  });

  describe('when a command leaves every level as it was', () => {
    it('reports nothing', () => {
      const book = new OrderBook({ instrument: 'P', trackLevels: true });
      book.apply(limit('b1', 'buy', 3, 99));
      book.apply(parseCommand({ type: 'replace', orderId: 'b1', qtyLots: 3 }));
      expect(book.levelChanges()).toEqual([]);
      book.apply(parseCommand({ type: 'cancel', orderId: 'nope' }));
      expect(book.levelChanges()).toEqual([]);
    });
  });

  describe('when the book was built without trackLevels', () => {
    it('reports nothing', () => {
      const book = new OrderBook({ instrument: 'P' });
      book.apply(limit('b1', 'buy', 3, 99));
      expect(book.levelChanges()).toEqual([]);
    });
  });
});
