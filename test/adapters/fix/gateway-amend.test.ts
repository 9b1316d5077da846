import { describe, expect, it } from 'vitest';

import { parseOrderCancelReject } from '../../../src/adapters/fix/index.js';
import { cancel, er, order, replace, resting, useLiveWorlds } from './gateway-messages.js';

const { start } = useLiveWorlds();

describe('FixVenueGateway cancels and replaces', () => {
  describe('when a resting order is canceled', () => {
    it('reports it Canceled under the cancel’s ClOrdID and refuses a second cancel', async () => {
      const [world, firm] = await start();
      firm.send(order('c1', { side: 'buy', qtyLots: 10, priceTicks: 990 }));
      await firm.next();
      firm.send(cancel('c1-x', 'c1'));
      const [canceled] = await firm.next();
      expect(er(canceled!)).toMatchObject({
        orderId: 'FIRM:XSIM:1',
        clOrdId: 'c1-x',
        origClOrdId: 'c1',
        execType: 'canceled',
        ordStatus: 'canceled',
        orderQtyLots: 10,
        leavesLots: 0,
        cumLots: 0,
      });
      expect(world.venue.depth('ACME').bids).toEqual([]);
      firm.send(cancel('c1-y', 'c1'));
      const [reject] = await firm.next();
      expect(parseOrderCancelReject(reject!)).toEqual({
        orderId: 'FIRM:XSIM:1',
        clOrdId: 'c1-y',
        origClOrdId: 'c1',
        ordStatus: 'canceled',
        responseTo: 'cancel',
        cxlRejReason: 0,
        text: 'order canceled',
      });
    });

    it('refuses a second request while one is pending, and a ClOrdID in use', async () => {
      const [, firm] = await start();
      firm.send(order('c1', { side: 'buy', qtyLots: 10, priceTicks: 990 }));
      firm.send(order('c2', { side: 'buy', qtyLots: 10, priceTicks: 991 }));
      await firm.next(2);
      // Both cancels arrive before the venue has processed the first.
      firm.send(cancel('c1-x', 'c1'));
      firm.send(cancel('c1-y', 'c1'));
      firm.send(cancel('c2', 'c2'));
      const answers = await firm.next(3);
      expect(answers.map((m) => m.msgType)).toEqual(['9', '9', '8']);
      expect(parseOrderCancelReject(answers[0]!)).toMatchObject({
        clOrdId: 'c1-y',
        cxlRejReason: 3,
        ordStatus: 'new',
      });
      expect(parseOrderCancelReject(answers[1]!)).toMatchObject({ clOrdId: 'c2', cxlRejReason: 6 });
      expect(er(answers[2]!)).toMatchObject({ clOrdId: 'c1-x', execType: 'canceled' });
    });

    it('answers a cancel of an order it never saw with CxlRejReason 1', async () => {
      const [world, firm] = await start();
      firm.send(cancel('x1', 'nope'));
      const [reject] = await firm.next();
      expect(parseOrderCancelReject(reject!)).toMatchObject({
        orderId: 'NONE',
        ordStatus: 'rejected',
        responseTo: 'cancel',
        cxlRejReason: 1,
      });
      expect(world.sessionRejects('FIRM')).toEqual([]);
    });
  });

  describe('when a resting order is replaced', () => {
    it('restates it under the new ClOrdID, trades it if it now crosses, and cancels it', async () => {
      const [world, firm] = await start();
      firm.send(order('c1', { side: 'buy', qtyLots: 10, priceTicks: 990 }));
      await firm.next();
      firm.send(replace('c2', 'c1', 15, 995));
      const [replaced] = await firm.next();
      expect(er(replaced!)).toMatchObject({
        clOrdId: 'c2',
        origClOrdId: 'c1',
        execType: 'replaced',
        ordStatus: 'new',
        orderQtyLots: 15,
        priceTicks: 995,
        leavesLots: 15,
      });
      expect(world.venue.depth('ACME').bids).toEqual([[995, 15]]);
      resting(world, 'mm-1', 'sell', 5, 1000);
      firm.send(replace('c3', 'c2', 15, 1000));
      const [again, fill] = (await firm.next(2)).map(er);
      expect(again).toMatchObject({ execType: 'replaced', clOrdId: 'c3', priceTicks: 1000 });
      expect(fill).toMatchObject({
        execType: 'trade',
        clOrdId: 'c3',
        ordStatus: 'partially-filled',
        lastQtyLots: 5,
        cumLots: 5,
        leavesLots: 10,
      });
      // OrderQty 5 would leave nothing open: refused, and the order stands.
      firm.send(replace('c4', 'c3', 5, 1000));
      const [refused] = await firm.next();
      expect(parseOrderCancelReject(refused!)).toMatchObject({
        responseTo: 'replace',
        cxlRejReason: 99,
        ordStatus: 'partially-filled',
      });
      firm.send({
        ...replace('c4', 'c3', 15, 1000),
        body: replace('c4', 'c3', 15, 1000).body.map(([tag, value]) =>
          tag === 54 ? [tag, '2'] : [tag, value],
        ),
      });
      expect(parseOrderCancelReject((await firm.next())[0]!)).toMatchObject({
        cxlRejReason: 99,
        text: 'Symbol, Side, OrdType and TimeInForce stay',
      });
      firm.send(replace('c5', 'gone', 5, 1000));
      expect(parseOrderCancelReject((await firm.next())[0]!)).toMatchObject({
        responseTo: 'replace',
        cxlRejReason: 1,
      });
      firm.send(cancel('c6', 'c3'));
      expect(er((await firm.next())[0]!)).toMatchObject({
        execType: 'canceled',
        clOrdId: 'c6',
        origClOrdId: 'c3',
        cumLots: 5,
        leavesLots: 0,
      });
      expect(world.venue.depth('ACME').bids).toEqual([]);
    });
  });
});
