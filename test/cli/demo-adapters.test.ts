/**
 * The demo's client adapters on real sockets: what goes wrong on the wire (a garbled FIX message,
 * a sequence gap, a WebSocket frame that is not JSON, a lost update) reaches the pipeline as a
 * session or feed status input, and so the ledger, while the sessions and feeds recover.
 */
import type { Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import {
  bindSocket,
  encodeFixMessage,
  FixAcceptor,
  FixInitiator,
  FixSession,
  FixVenueGateway,
  formatUtcTimestamp,
  MemorySessionStore,
} from '../../src/adapters/fix/index.js';
import { MarketDataServer } from '../../src/adapters/ws/index.js';
import { SystemClock } from '../../src/cli/context.js';
import { DEMO_SCALES } from '../../src/cli/demo/demo-world.js';
import { FixVenueClient } from '../../src/cli/demo/fix-venue-client.js';
import { WsFeedClient } from '../../src/cli/demo/ws-feed-client.js';
import { SeededRng } from '../../src/core/index.js';
import { MarketSimulator, Venue } from '../../src/exchange/index.js';
import type { PipelineInput } from '../../src/pipeline/index.js';
import { SystemScheduler } from '../../src/runtime/system-scheduler.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function world() {
  const scheduler = new SystemScheduler(new SystemClock());
  cleanups.push(() => scheduler.cancelAll());
  const venue = new Venue({ mic: 'XSIM1', instruments: ['ACME'], scheduler });
  return { scheduler, venue };
}

describe('FixVenueClient', () => {
  it('reports a garbled message and a sequence gap as session status, and the session carries on', async () => {
    const { scheduler, venue } = world();
    let venueSocket: Socket | undefined;
    const acceptor = new FixAcceptor({
      sessions: [
        new FixSession({
          config: {
            role: 'acceptor',
            senderCompId: 'XSIM1',
            targetCompId: 'DTCLIENT',
            resetOnLogon: true,
          },
          scheduler,
          store: new MemorySessionStore(),
          application: new FixVenueGateway({ venue, scheduler, scales: { ACME: DEMO_SCALES } }),
        }),
      ],
      scheduler,
      bind: (socket, session, initial) => {
        venueSocket = socket;
        bindSocket(socket, session, initial);
      },
    });
    const port = await acceptor.listen();
    cleanups.push(() => acceptor.close());
    const inputs: PipelineInput[] = [];
    const holder: { client?: FixVenueClient } = {};
    const session = new FixSession({
      config: {
        role: 'initiator',
        senderCompId: 'DTCLIENT',
        targetCompId: 'XSIM1',
        resetOnLogon: true,
      },
      scheduler,
      store: new MemorySessionStore(),
      application: {
        onMessage: (message, handle) => holder.client?.onMessage(message, handle),
        onLogon: (handle) => holder.client?.onLogon(handle),
      },
    });
    holder.client = new FixVenueClient({
      venue: 'XSIM1',
      session,
      scales: DEMO_SCALES,
      scheduler,
      deliver: (input) => inputs.push(input),
      marketData: ['ACME'],
    });
    const initiator = new FixInitiator({ session, host: '127.0.0.1', port });
    cleanups.push(() => initiator.stop());
    initiator.start();
    await until(() => session.isLoggedOn, 'logon');
    const statuses = () => inputs.flatMap((i) => (i.kind === 'session-status' ? [i.status] : []));
    await until(() => statuses().includes('logon'), 'logon status');

    // A message whose checksum is wrong: garbled, ignored, reported.
    venueSocket!.write('8=FIX.4.4\x019=5\x0135=0\x0110=000\x01');
    await until(() => statuses().includes('garbled'), 'garbled status');

    // A heartbeat far ahead of the sequence: a gap the session asks to be resent.
    const ahead = encodeFixMessage(
      [
        [35, '0'],
        [34, '500'],
        [49, 'XSIM1'],
        [52, formatUtcTimestamp(scheduler.clock.wallNs())],
        [56, 'DTCLIENT'],
      ],
      { beginString: 'FIX.4.4' },
    );
    venueSocket!.write(ahead);
    await until(() => statuses().includes('gap'), 'gap status');

    // Orders still go through: the session is alive.
    holder.client.send({
      kind: 'new-order',
      venue: 'XSIM1',
      orderId: 'C1',
      instrument: 'ACME',
      side: 'buy',
      qtyLots: 5,
      orderType: 'limit',
      limitPx: 9_000,
      tif: 'day',
      ref: 0,
    });
    await until(() => inputs.some((i) => i.kind === 'ack' && i.orderId === 'C1'), 'ack');
  });
});

describe('WsFeedClient', () => {
  it('reports a frame that is not JSON and a lost update, resyncs, and keeps ticking', async () => {
    const { scheduler, venue } = world();
    let frameNo = 0;
    let snapshots = 0;
    let updatesSinceResync = 0;
    const server = await MarketDataServer.start({
      venue,
      scheduler,
      // The third frame is garbage; the second update after the snapshot that resync brings is
      // lost (counted from that snapshot: how many updates precede it depends on timing).
      tap: (io) => ({
        send: (frame) => {
          frameNo++;
          const type = (JSON.parse(frame) as { type?: string }).type;
          if (type === 'snapshot') snapshots++;
          else if (type === 'update' && snapshots === 2) updatesSinceResync++;
          if (frameNo === 3) io.write('{not json');
          else if (updatesSinceResync !== 2) io.write(frame);
        },
        receive: io.deliver,
        close: () => undefined,
      }),
    });
    cleanups.push(() => server.close());
    const inputs: PipelineInput[] = [];
    const feed = new WsFeedClient({
      url: server.url,
      scheduler,
      rng: new SeededRng(1),
      venue: 'XSIM1',
      instruments: ['ACME'],
      deliver: (input) => inputs.push(input),
    });
    cleanups.push(() => feed.close());
    feed.start();
    const simulator = new MarketSimulator({
      venue,
      scheduler,
      rng: new SeededRng(2),
      instruments: [{ instrument: 'ACME' }],
    });
    simulator.start();
    cleanups.push(() => simulator.stop());
    const statuses = () => inputs.flatMap((i) => (i.kind === 'feed-status' ? [i.status] : []));
    await until(
      () => statuses().includes('bad-frame') && statuses().includes('gap'),
      'bad frame and gap',
    );
    expect(statuses()).toContain('resync');
    const ticksBefore = inputs.filter((i) => i.kind === 'tick').length;
    await until(
      () => inputs.filter((i) => i.kind === 'tick').length > ticksBefore + 3,
      'more ticks',
    );
    expect(feed.client.isSynced('ACME')).toBe(true);
  });
});
