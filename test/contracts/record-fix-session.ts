/**
 * Records what crosses the FIX gateway and the venue in a small sandbox session: a Venue with a
 * MarketSimulator on a VirtualScheduler, the real FixVenueGateway behind a real acceptor
 * FixSession, and a real initiator FixSession as the client. The sessions' bytes travel through
 * the scheduler with a fixed delay instead of sockets, so the session replays byte for byte.
 */
import {
  buildMarketDataRequest,
  buildNewOrderSingle,
  buildOrderCancelReplaceRequest,
  buildOrderCancelRequest,
  DecimalScale,
  decodeFixMessage,
  type FixField,
  FixSession,
  type FixTransport,
  FixVenueGateway,
  type InstrumentScales,
  MemorySessionStore,
} from '../../src/adapters/fix/index.js';
import {
  FIX_CONTRACT_VERSION,
  FIX_PRICE_STEP,
  FIX_QTY_STEP,
  fixContractOf,
} from '../../src/cli/contracts/fix-contracts.js';
import {
  encodeVenueCommand,
  encodeVenueReport,
  VENUE_COMMAND,
  VENUE_CONTRACT_VERSION,
  VENUE_REPORT,
} from '../../src/cli/contracts/venue-contracts.js';
import type { ContractFixture } from '../../src/contracts/index.js';
import { SeededRng, VirtualScheduler } from '../../src/core/index.js';
import { MarketSimulator, Venue, type VenueReport } from '../../src/exchange/index.js';

const MS = 1_000_000n;
/** 2026-01-01T00:00:00Z. */
export const WALL_ORIGIN_NS = 1_767_225_600_000_000_000n;
const ACME_SCALES: InstrumentScales = {
  price: new DecimalScale('0.01'),
  qty: new DecimalScale('1'),
};
/** The gateway's scales for a symbol it does not list (its refusals carry zero quantities). */
const UNIT_SCALES: InstrumentScales = { price: new DecimalScale('1'), qty: new DecimalScale('1') };

function scalesOf(symbol: string | undefined): InstrumentScales {
  return symbol === 'ACME' ? ACME_SCALES : UNIT_SCALES;
}

/** One end's transport: bytes reach the peer session `latencyNs` later on virtual time. */
function delayedLink(scheduler: VirtualScheduler, peer: () => FixSession): FixTransport {
  return {
    send: (bytes) => {
      const copy = bytes.slice();
      scheduler.setTimer(MS, () => peer().receive(copy));
    },
    close: () => undefined,
  };
}

/** Picks up to `perShape` items per shape, in order: variety without a large file. */
export class ShapeSampler<T> {
  readonly #counts = new Map<string, number>();
  readonly items: T[] = [];
  readonly #perShape: number;

  constructor(perShape: number) {
    this.#perShape = perShape;
  }

  offer(shape: string, item: T): void {
    const count = this.#counts.get(shape) ?? 0;
    if (count >= this.#perShape) return;
    this.#counts.set(shape, count + 1);
    this.items.push(item);
  }
}

function reportShape(report: VenueReport): string {
  const events = [...new Set(report.events.map((e) => e.type))].sort().join(',');
  return `${report.command.type}:${events}:${report.levels.length > 0}`;
}

export interface FixSessionRecording {
  readonly fix: readonly ContractFixture[];
  readonly venue: readonly ContractFixture[];
}

export function recordFixSession(): FixSessionRecording {
  const scheduler = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
  const venue = new Venue({
    mic: 'XSIM',
    instruments: ['ACME'],
    scheduler,
    fees: { makerCentiTicksPerLot: -20, takerCentiTicksPerLot: 30 },
  });
  const market = new MarketSimulator({
    venue,
    scheduler,
    rng: new SeededRng(5),
    instruments: [{ instrument: 'ACME' }],
  });
  const fix = new ShapeSampler<ContractFixture>(6);
  const commands = new ShapeSampler<ContractFixture>(3);
  const reports = new ShapeSampler<ContractFixture>(2);
  venue.onReport((report) => {
    const command = report.command;
    commands.offer(`${command.type}:${command.type === 'new' ? command.tif : ''}`, {
      ...venueFixture(VENUE_COMMAND, 'exchange.venue:in', encodeVenueCommand(command)),
    });
    reports.offer(reportShape(report), {
      ...venueFixture(VENUE_REPORT, 'exchange.venue:out', encodeVenueReport(report)),
    });
  });
  const gateway = new FixVenueGateway({ venue, scheduler, scales: { ACME: ACME_SCALES } });
  const venueSession = new FixSession({
    config: { role: 'acceptor', senderCompId: 'XSIM', targetCompId: 'CLIENT' },
    scheduler,
    store: new MemorySessionStore(),
    application: gateway,
    observer: {
      onMessage: (direction, bytes) => {
        const message = decodeFixMessage(bytes);
        const contract = fixContractOf(message.msgType);
        if (contract === undefined) return;
        const scales = scalesOf(message.get(55));
        fix.offer(`${contract}:${message.get(150) ?? ''}`, {
          v: 1,
          contract,
          version: FIX_CONTRACT_VERSION,
          recorded_at: `fix.gateway:${direction}`,
          encoding: 'fix',
          data: new TextDecoder().decode(bytes),
          context: { [FIX_PRICE_STEP]: scales.price.step, [FIX_QTY_STEP]: scales.qty.step },
        });
      },
    },
  });
  const clientSession = new FixSession({
    config: { role: 'initiator', senderCompId: 'CLIENT', targetCompId: 'XSIM' },
    scheduler,
    store: new MemorySessionStore(),
    application: { onMessage: () => undefined },
  });
  venueSession.attach(delayedLink(scheduler, () => clientSession));
  clientSession.attach(delayedLink(scheduler, () => venueSession));
  market.start();
  scheduler.advanceBy(20n * MS);

  const mid = market.midTicks('ACME')!;
  const now = (): bigint => scheduler.clock.wallNs();
  const send = (step: () => Parameters<FixSession['send']>[0]): void => {
    clientSession.send(step());
    scheduler.advanceBy(5n * MS);
  };
  const order = { symbol: 'ACME', side: 'buy', orderType: 'limit', tif: 'day' } as const;
  send(() =>
    buildMarketDataRequest({
      mdReqId: 'md-1',
      subscription: 'subscribe',
      marketDepth: 0,
      updateType: 'incremental',
      entryTypes: ['bid', 'offer', 'trade'],
      symbols: ['ACME'],
    }),
  );
  send(() =>
    buildNewOrderSingle(
      { ...order, clOrdId: 'c-1', qtyLots: 10, priceTicks: mid - 40, transactTimeNs: now() },
      ACME_SCALES,
    ),
  );
  send(() =>
    buildNewOrderSingle(
      {
        ...order,
        clOrdId: 'c-2',
        orderType: 'market',
        tif: 'ioc',
        qtyLots: 5,
        transactTimeNs: now(),
      },
      ACME_SCALES,
    ),
  );
  send(() =>
    buildOrderCancelReplaceRequest(
      {
        ...order,
        origClOrdId: 'c-1',
        clOrdId: 'c-3',
        qtyLots: 8,
        priceTicks: mid - 30,
        transactTimeNs: now(),
      },
      ACME_SCALES,
    ),
  );
  send(() =>
    buildOrderCancelRequest(
      { origClOrdId: 'c-3', clOrdId: 'c-4', symbol: 'ACME', side: 'buy', transactTimeNs: now() },
      ACME_SCALES,
    ),
  );
  send(() =>
    buildOrderCancelRequest(
      {
        origClOrdId: 'never-sent',
        clOrdId: 'c-5',
        symbol: 'ACME',
        side: 'sell',
        transactTimeNs: now(),
      },
      ACME_SCALES,
    ),
  );
  send(() =>
    buildNewOrderSingle(
      {
        ...order,
        symbol: 'NOPE',
        clOrdId: 'c-6',
        qtyLots: 1,
        priceTicks: 100,
        transactTimeNs: now(),
      },
      UNIT_SCALES,
    ),
  );
  // OrderStatusRequest (H): valid FIX 4.4 that the gateway does not support, answered with j.
  const statusRequest: FixField[] = [
    [11, 'c-1'],
    [54, '1'],
    [55, 'ACME'],
  ];
  send(() => ({ msgType: 'H', body: statusRequest }));
  send(() =>
    buildNewOrderSingle(
      {
        ...order,
        side: 'sell',
        clOrdId: 'c-7',
        qtyLots: 20,
        priceTicks: mid + 1,
        transactTimeNs: now(),
      },
      ACME_SCALES,
    ),
  );
  scheduler.advanceBy(300n * MS);
  market.stop();
  gateway.close();
  return { fix: fix.items, venue: [...commands.items, ...reports.items] };
}

function venueFixture(contract: string, at: string, data: string): ContractFixture {
  return {
    v: 1,
    contract,
    version: VENUE_CONTRACT_VERSION,
    recorded_at: at,
    encoding: 'json',
    data,
  };
}
