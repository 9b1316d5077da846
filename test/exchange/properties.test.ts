import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { type Command, type ExchangeEvent, OrderBook } from '../../src/exchange/index.js';

const ORDER_IDS = Array.from({ length: 24 }, (_, i) => `o${i}`);

const orderIdArb = fc.constantFrom(...ORDER_IDS);
const sideArb = fc.constantFrom('buy' as const, 'sell' as const);

const newLimitArb = fc.record({
  type: fc.constant('new' as const),
  orderId: orderIdArb,
  side: sideArb,
  orderType: fc.constant('limit' as const),
  tif: fc.constantFrom('day' as const, 'day' as const, 'ioc' as const, 'fok' as const),
  qtyLots: fc.integer({ min: -1, max: 12 }),
  priceTicks: fc.integer({ min: 95, max: 105 }),
  ownerId: fc.constantFrom('A', 'B', 'C'),
});

const newMarketArb = fc.record({
  type: fc.constant('new' as const),
  orderId: orderIdArb,
  side: sideArb,
  orderType: fc.constant('market' as const),
  tif: fc.constantFrom('day' as const, 'ioc' as const, 'fok' as const),
  qtyLots: fc.integer({ min: 1, max: 20 }),
  ownerId: fc.constantFrom('A', 'B', 'C'),
});

const cancelArb = fc.record({ type: fc.constant('cancel' as const), orderId: orderIdArb });

const replaceArb = fc.record(
  {
    type: fc.constant('replace' as const),
    orderId: orderIdArb,
    qtyLots: fc.integer({ min: 0, max: 12 }),
    priceTicks: fc.integer({ min: 95, max: 105 }),
  },
  { requiredKeys: ['type', 'orderId'] },
);

const commandsArb: fc.Arbitrary<Command[]> = fc.array(
  fc.oneof(
    { arbitrary: newLimitArb, weight: 6 },
    { arbitrary: newMarketArb, weight: 1 },
    { arbitrary: cancelArb, weight: 2 },
    { arbitrary: replaceArb, weight: 2 },
  ),
  { maxLength: 80 },
);

function runAll(commands: readonly Command[]): ExchangeEvent[] {
  const book = new OrderBook({ instrument: 'PROP' });
  return commands.flatMap((command) => book.apply(command));
}

describe('OrderBook properties', () => {
  it('yields identical events when the same commands run twice', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        expect(runAll(commands)).toEqual(runAll(commands));
      }),
      { seed: 20_261_124, numRuns: 300 },
    );
  });

  it('never crosses, conserves quantity and numbers events consecutively', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const book = new OrderBook({ instrument: 'PROP' });
        const filledLots = { buy: 0, sell: 0 };
        let expectedSeq = 1;
        for (const command of commands) {
          for (const event of book.apply(command)) {
            expect(event.seq).toBe(expectedSeq++);
            if (event.type === 'fill') {
              expect(event.qtyLots).toBeGreaterThan(0);
              expect(event.leavesLots).toBeGreaterThanOrEqual(0);
              filledLots[event.side] += event.qtyLots;
            } else if (event.type === 'trade') {
              expect(event.restingLeavesLots).toBeGreaterThanOrEqual(0);
              expect(event.aggressorLeavesLots).toBeGreaterThanOrEqual(0);
            }
          }
          const { bids, asks } = book.depth(1);
          const bestBid = bids[0];
          const bestAsk = asks[0];
          if (bestBid !== undefined && bestAsk !== undefined) {
            expect(bestBid[0]).toBeLessThan(bestAsk[0]);
          }
          for (const [, qtyLots] of [...book.depth().bids, ...book.depth().asks]) {
            expect(qtyLots).toBeGreaterThan(0);
          }
          expect(filledLots.buy).toBe(filledLots.sell);
        }
      }),
      { seed: 4_242, numRuns: 300 },
    );
  });
});
