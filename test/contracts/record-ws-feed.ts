/**
 * Records the frames that cross a real WebSocket market-data server (port 0) while a real
 * MarketDataClient subscribes, follows a seeded market on virtual time and unsubscribes, plus a
 * raw client asking for an instrument the venue does not list. Virtual time moves only once
 * every frame sent has arrived, so the recording is the same on every run.
 */
import { once } from 'node:events';

import { WebSocket } from 'ws';

import {
  decodeClientRequest,
  decodeServerMessage,
  MarketDataClient,
  MarketDataServer,
  type WsFrameTap,
} from '../../src/adapters/ws/index.js';
import {
  WS_CLIENT_REQUEST,
  WS_CONTRACT_VERSION,
  WS_SERVER_MESSAGE,
} from '../../src/cli/contracts/ws-contracts.js';
import type { ContractFixture } from '../../src/contracts/index.js';
import { SeededRng, VirtualScheduler } from '../../src/core/index.js';
import { MarketSimulator, Venue } from '../../src/exchange/index.js';
import { ShapeSampler, WALL_ORIGIN_NS } from './record-fix-session.js';

const MS = 1_000_000n;
const WAIT_MS = 10_000;

/** Resolves once `condition()` holds, polling between I/O turns; fails after WAIT_MS. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

export async function recordWsFeed(): Promise<readonly ContractFixture[]> {
  const scheduler = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
  const venue = new Venue({ mic: 'XSIM2', instruments: ['ACME'], scheduler });
  const market = new MarketSimulator({
    venue,
    scheduler,
    rng: new SeededRng(9),
    instruments: [{ instrument: 'ACME' }],
  });
  const sampler = new ShapeSampler<ContractFixture>(4);
  let sent = 0;
  let received = 0;
  let requests = 0;
  const record = (contract: string, at: string, type: string, frame: string): void => {
    sampler.offer(`${contract}:${type}`, {
      v: 1,
      contract,
      version: WS_CONTRACT_VERSION,
      recorded_at: at,
      encoding: 'json',
      data: frame,
    });
  };
  const serverTap: WsFrameTap = (io) => ({
    send: (frame) => {
      sent++;
      record(WS_SERVER_MESSAGE, 'ws.server:out', decodeServerMessage(frame).type, frame);
      io.write(frame);
    },
    receive: (frame) => {
      requests++;
      record(WS_CLIENT_REQUEST, 'ws.server:in', decodeClientRequest(frame).type, frame);
      io.deliver(frame);
    },
    close: () => undefined,
  });
  const clientTap: WsFrameTap = (io) => ({
    send: io.write,
    receive: (frame) => {
      received++;
      io.deliver(frame);
    },
    close: () => undefined,
  });
  market.start();
  scheduler.advanceBy(50n * MS);
  const server = await MarketDataServer.start({
    venue,
    scheduler,
    heartbeatIntervalNs: 40n * MS,
    tap: serverTap,
  });
  const client = new MarketDataClient({
    url: server.url,
    scheduler,
    rng: new SeededRng(17),
    tap: clientTap,
  });
  try {
    client.subscribe('ACME');
    client.start();
    await until(() => client.isSynced('ACME'), 'the snapshot');
    for (let step = 0; step < 150; step++) {
      scheduler.advanceBy(MS);
      await until(() => received === sent, 'frames in flight');
    }
    client.unsubscribe('ACME');
    await until(() => requests === 2, 'the unsubscribe');
    const raw = new WebSocket(server.url);
    await once(raw, 'open');
    const answer = once(raw, 'message');
    raw.send(JSON.stringify({ v: 1, type: 'subscribe', instrument: 'NOPE' }));
    await answer;
    raw.close();
  } finally {
    market.stop();
    await client.close();
    await server.close();
  }
  return sampler.items;
}
