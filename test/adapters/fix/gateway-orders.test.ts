import { describe, expect, it } from 'vitest';

import {
  FixVenueGateway,
  parseBusinessMessageReject,
  parseExecutionReport,
} from '../../../src/adapters/fix/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { SCALES } from './gateway-harness.js';
import { er, order, rawOrder, resting, scheduler, useLiveWorlds } from './gateway-messages.js';

const { start, startWith } = useLiveWorlds();

describe('FixVenueGateway order entry', () => {
  describe('when an order meets resting liquidity', () => {
    it('acknowledges it, then fills it with the fee as an absolute Commission', async () => {
      const [world, firm] = await start();
      resting(world, 'mm-1', 'sell', 30, 1000);
      firm.send(order('c1', { side: 'buy', qtyLots: 20, priceTicks: 1005 }));
      const [ack, fill] = await firm.next(2);
      expect(er(ack!)).toMatchObject({
        orderId: 'FIRM:XSIM:1',
        clOrdId: 'c1',
        execType: 'new',
        ordStatus: 'new',
        orderQtyLots: 20,
        priceTicks: 1005,
        leavesLots: 20,
        cumLots: 0,
        avgPx: '0',
      });
      expect(er(fill!)).toMatchObject({
        orderId: 'FIRM:XSIM:1',
        execType: 'trade',
        ordStatus: 'filled',
        lastQtyLots: 20,
        lastPriceTicks: 1000,
        leavesLots: 0,
        cumLots: 20,
        avgPx: '10.00',
        text: 'taker',
      });
      // 20 lots × 30 centiticks = 6 ticks of 0.01.
      expect([fill!.get(12), fill!.get(13), fill!.get(851)]).toEqual(['0.06', '3', '2']);
      expect([fill!.get(31), fill!.get(32), fill!.get(14), fill!.get(151)]).toEqual([
        '10.00',
        '20',
        '20',
        '0',
      ]);
      expect(er(ack!).execId).not.toBe(er(fill!).execId);
      expect(world.venue.depth('ACME').asks).toEqual([[1000, 10]]);
      expect(world.sessionRejects('FIRM')).toEqual([]);
    });

    it('fills level by level, rests the rest, and keeps AvgPx exact', async () => {
      const [world, firm] = await start();
      resting(world, 'mm-1', 'sell', 10, 1000);
      resting(world, 'mm-2', 'sell', 15, 1001);
      resting(world, 'mm-3', 'sell', 20, 1003);
      firm.send(order('c1', { side: 'buy', qtyLots: 40, priceTicks: 1002 }));
      const reports = (await firm.next(3)).map(er);
      expect(
        reports.map((r) => [r.execType, r.ordStatus, r.lastQtyLots, r.lastPriceTicks]),
      ).toEqual([
        ['new', 'new', undefined, undefined],
        ['trade', 'partially-filled', 10, 1000],
        ['trade', 'partially-filled', 15, 1001],
      ]);
      expect(reports.map((r) => [r.cumLots, r.leavesLots, r.avgPx])).toEqual([
        [0, 40, '0'],
        [10, 30, '10.00'],
        [25, 15, '10.006'],
      ]);
      expect(world.venue.depth('ACME')).toEqual({ bids: [[1002, 15]], asks: [[1003, 20]] });
      // A seller hits the resting remainder: a maker fill with a rebate, and an AvgPx of
      // 30025 / 30 ticks that does not terminate, rounded half up six digits below the tick.
      world.venue.apply('ACME', {
        type: 'new',
        orderId: 'mm-4',
        side: 'sell',
        orderType: 'limit',
        tif: 'ioc',
        qtyLots: 5,
        priceTicks: 1002,
        ownerId: 'market-maker',
      });
      const [makerFill] = await firm.next();
      expect(er(makerFill!)).toMatchObject({
        ordStatus: 'partially-filled',
        cumLots: 30,
        leavesLots: 10,
        avgPx: '10.00833333',
        text: 'maker',
      });
      expect([makerFill!.get(12), makerFill!.get(851)]).toEqual(['-0.01', '1']);
    });

    it('writes prices and quantities in each instrument’s own tick and lot size', async () => {
      const [world, firm] = await start();
      firm.send(rawOrder('w1', 'WIDGET', '300', '12.35'));
      const [ack] = await firm.next();
      expect(world.venue.depth('WIDGET').bids).toEqual([[247, 3]]);
      expect([ack!.get(38), ack!.get(44), ack!.get(151)]).toEqual(['300', '12.35', '300']);
    });
  });
  describe('when an order cannot be taken', () => {
    it('rejects it with an ExecutionReport and the reason, never a session Reject', async () => {
      const [world, firm] = await start();
      firm.send(rawOrder('r1', 'NOPE', '10', '10.00'));
      firm.send(rawOrder('r2', 'ACME', '0', '10.00'));
      firm.send(rawOrder('r3', 'ACME', '1.5', '10.00'));
      firm.send(rawOrder('r4', 'WIDGET', '150', '10.00'));
      firm.send(rawOrder('r5', 'ACME', '10', '10.005'));
      firm.send(rawOrder('r6', 'ACME', '10', '-1.00'));
      const rejected = (await firm.next(6)).map((message) =>
        parseExecutionReport(message, SCALES.ACME),
      );
      expect(rejected.map((r) => [r.clOrdId, r.execType, r.ordStatus, r.ordRejReason])).toEqual([
        ['r1', 'rejected', 'rejected', 1],
        ['r2', 'rejected', 'rejected', 13],
        ['r3', 'rejected', 'rejected', 13],
        ['r4', 'rejected', 'rejected', 13],
        ['r5', 'rejected', 'rejected', 99],
        // The venue itself refuses a price that is not positive.
        ['r6', 'rejected', 'rejected', 99],
      ]);
      expect(rejected[0]!.text).toBe('unknown symbol NOPE');
      expect(rejected[5]!.text).toBe('venue: invalid-price');
      expect(new Set(rejected.map((r) => r.orderId)).size).toBe(6);
      expect(world.sessionRejects('FIRM')).toEqual([]);
      expect(world.venue.depth('ACME')).toEqual({ bids: [], asks: [] });
    });

    it('rejects a ClOrdID an open order still uses', async () => {
      const [, firm] = await start();
      firm.send(order('d1', { side: 'buy', qtyLots: 1, priceTicks: 900 }));
      firm.send(order('d1', { side: 'buy', qtyLots: 2, priceTicks: 900 }));
      // The refusal is immediate; the first order's ack waits for the venue to process it.
      const [duplicate, ack] = (await firm.next(2)).map(er);
      expect(duplicate).toMatchObject({ execType: 'rejected', ordRejReason: 6, orderQtyLots: 2 });
      expect(ack).toMatchObject({ execType: 'new', orderQtyLots: 1 });
    });

    it('answers a message type a venue does not take with a BusinessMessageReject', async () => {
      const [, firm] = await start();
      firm.send({
        msgType: 'H',
        body: [
          [11, 'c1'],
          [54, '1'],
          [55, 'ACME'],
        ],
      });
      const [reject] = await firm.next();
      expect(parseBusinessMessageReject(reject!)).toMatchObject({ refMsgType: 'H', reason: 3 });
    });
  });

  describe('self-trade prevention', () => {
    it('cancels a resting order its own session crosses, but trades across sessions', async () => {
      const [world, [alpha, beta]] = await startWith(['ALPHA', 'BETA']);
      if (alpha === undefined || beta === undefined) throw new Error('two clients expected');
      alpha.send(order('a1', { side: 'sell', qtyLots: 10, priceTicks: 1000 }));
      await alpha.next();
      alpha.send(order('a2', { side: 'buy', qtyLots: 10, priceTicks: 1000 }));
      const [ack, canceled] = (await alpha.next(2)).map(er);
      expect(ack).toMatchObject({ clOrdId: 'a2', execType: 'new' });
      expect(canceled).toMatchObject({
        clOrdId: 'a1',
        execType: 'canceled',
        text: 'self-trade prevention',
      });
      expect(world.venue.depth('ACME')).toEqual({ bids: [[1000, 10]], asks: [] });
      beta.send(order('b1', { side: 'sell', qtyLots: 10, priceTicks: 1000 }));
      const [betaAck, betaFill] = (await beta.next(2)).map(er);
      const [alphaFill] = (await alpha.next()).map(er);
      expect(betaAck).toMatchObject({ orderId: 'BETA:XSIM:1', execType: 'new' });
      expect(betaFill).toMatchObject({ ordStatus: 'filled', lastQtyLots: 10, text: 'taker' });
      expect(alphaFill).toMatchObject({ clOrdId: 'a2', ordStatus: 'filled', text: 'maker' });
    });
  });

  describe('when a client is logged out while its order trades', () => {
    it('sends the ExecutionReport after the next Logon', async () => {
      const [world, firm] = await start();
      firm.send(order('c1', { side: 'buy', qtyLots: 10, priceTicks: 1000 }));
      await firm.next();
      await firm.disconnect();
      resting(world, 'mm-1', 'sell', 10, 1000);
      expect(firm.rest()).toEqual([]);
      await firm.connect();
      const [fill] = (await firm.next()).map(er);
      expect(fill).toMatchObject({ clOrdId: 'c1', execType: 'trade', ordStatus: 'filled' });
    });
  });

  describe('its configuration', () => {
    it('reports FIX_GATEWAY_INVALID_CONFIG for no instrument or one the venue lacks', async () => {
      const [world] = await start();
      const venue = world.venue;
      expectErrorCode(
        () => new FixVenueGateway({ venue, scheduler, scales: {} }),
        'FIX_GATEWAY_INVALID_CONFIG',
      );
      const error = expectErrorCode(
        () => new FixVenueGateway({ venue, scheduler, scales: { OTHER: SCALES.ACME } }),
        'FIX_GATEWAY_INVALID_CONFIG',
      );
      expect(error.details).toEqual({ venue: 'XSIM', symbol: 'OTHER' });
    });
  });
});
