/**
 * Order-entry traffic for the gateway tests on live time: worlds on the system scheduler (closed
 * after each test), the client's D, F and G for ACME, and resting liquidity placed straight on
 * the venue's book.
 */
import { afterEach } from 'vitest';

import {
  buildNewOrderSingle,
  buildOrderCancelReplaceRequest,
  buildOrderCancelRequest,
  type ExecutionReport,
  type FixField,
  type FixMessage,
  formatUtcTimestamp,
  type OutboundMessage,
  parseExecutionReport,
} from '../../../src/adapters/fix/index.js';
import { SystemClock } from '../../../src/cli/context.js';
import type { Side } from '../../../src/exchange/index.js';
import { SystemScheduler } from '../../../src/runtime/system-scheduler.js';
import { type GatewayClient, GatewayWorld, SCALES } from './gateway-harness.js';

export const scheduler = new SystemScheduler(new SystemClock());

export interface LiveWorlds {
  /** A venue with connected clients of these CompIDs. */
  readonly startWith: (compIds: readonly string[]) => Promise<[GatewayWorld, GatewayClient[]]>;
  /** A venue with one connected client, FIRM. */
  readonly start: () => Promise<[GatewayWorld, GatewayClient]>;
}

/** Worlds for one test file; each is closed after its test. */
export function useLiveWorlds(): LiveWorlds {
  const worlds: GatewayWorld[] = [];
  afterEach(async () => {
    for (const world of worlds.splice(0)) await world.close();
  });
  const startWith = async (
    compIds: readonly string[],
  ): Promise<[GatewayWorld, GatewayClient[]]> => {
    const world = await GatewayWorld.start({ scheduler, clients: compIds });
    worlds.push(world);
    const clients = compIds.map((compId) => world.client(compId));
    for (const client of clients) await client.connect();
    return [world, clients];
  };
  return {
    startWith,
    start: async () => {
      const [world, [firm]] = await startWith(['FIRM']);
      return [world, firm!];
    },
  };
}

function nowNs(): bigint {
  return scheduler.clock.wallNs();
}

export interface OrderSpec {
  readonly side: Side;
  readonly qtyLots: number;
  readonly priceTicks: number;
  readonly tif?: 'day' | 'ioc';
}

/** A limit NewOrderSingle for ACME. */
export function order(clOrdId: string, spec: OrderSpec): OutboundMessage {
  const { side, qtyLots, priceTicks, tif = 'day' } = spec;
  const fields = { clOrdId, symbol: 'ACME', side, orderType: 'limit' as const, tif };
  return buildNewOrderSingle(
    { ...fields, qtyLots, priceTicks, transactTimeNs: nowNs() },
    SCALES.ACME,
  );
}

/** A NewOrderSingle with wire values as written, for values our builders cannot express. */
export function rawOrder(clOrdId: string, symbol: string, qty: string, price: string) {
  const body: FixField[] = [
    [11, clOrdId],
    [38, qty],
    [40, '2'],
    [44, price],
    [54, '1'],
    [55, symbol],
    [59, '0'],
    [60, formatUtcTimestamp(nowNs())],
  ];
  return { msgType: 'D', body };
}

export function cancel(clOrdId: string, origClOrdId: string, side: Side = 'buy'): OutboundMessage {
  return buildOrderCancelRequest(
    { clOrdId, origClOrdId, symbol: 'ACME', side, transactTimeNs: nowNs() },
    SCALES.ACME,
  );
}

/** A day limit buy's OrderCancelReplaceRequest to `qtyLots` at `priceTicks`. */
export function replace(
  clOrdId: string,
  origClOrdId: string,
  qtyLots: number,
  priceTicks: number,
): OutboundMessage {
  return buildOrderCancelReplaceRequest(
    {
      clOrdId,
      origClOrdId,
      symbol: 'ACME',
      side: 'buy',
      orderType: 'limit',
      tif: 'day',
      qtyLots,
      priceTicks,
      transactTimeNs: nowNs(),
    },
    SCALES.ACME,
  );
}

/** Places a market maker's day limit order on the venue's ACME book. */
export function resting(
  world: GatewayWorld,
  id: string,
  side: Side,
  qtyLots: number,
  priceTicks: number,
): void {
  world.venue.apply('ACME', {
    type: 'new',
    orderId: id,
    side,
    orderType: 'limit',
    tif: 'day',
    qtyLots,
    priceTicks,
    ownerId: 'market-maker',
  });
}

export const er = (message: FixMessage): ExecutionReport =>
  parseExecutionReport(message, SCALES.ACME);
