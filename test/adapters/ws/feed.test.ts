import { once } from 'node:events';

import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import {
  type ClientEvent,
  decodeServerMessage,
  linkEndpointTap,
  MarketDataServer,
  type WsFrameTap,
} from '../../../src/adapters/ws/index.js';
import { type DeltaTraceError, VirtualScheduler } from '../../../src/core/index.js';
import { NetworkSimulator } from '../../../src/exchange/index.js';
import { expectErrorCode, expectErrorCodeAsync } from '../../helpers/errors.js';
import { churn, type Feed, startFeed } from './helpers.js';

const feeds: Feed[] = [];
afterEach(async () => {
  for (const feed of feeds.splice(0)) await feed.close();
});

async function feedWith(tap?: WsFrameTap): Promise<Feed> {
  const feed = await startFeed(tap === undefined ? {} : { tap });
  feeds.push(feed);
  return feed;
}

const isSnapshot = (instrument: string) => (e: ClientEvent) =>
  e.type === 'snapshot' && e.instrument === instrument;
/** The local book reflects `seq`: by the update itself, or a snapshot taken at or after it. */
const isSyncedTo = (instrument: string, seq: number) => (e: ClientEvent) =>
  (e.type === 'update' || e.type === 'snapshot') && e.instrument === instrument && e.seq >= seq;

/** A server tap that rewrites the frames it sends: return the frames to write instead. */
function rewritingTap(rewrite: (frame: string) => readonly string[]): WsFrameTap {
  return (io) => ({
    send: (frame) => {
      for (const out of rewrite(frame)) io.write(out);
    },
    receive: io.deliver,
    close: () => undefined,
  });
}

function updateSeq(frame: string): number | undefined {
  const message = decodeServerMessage(frame);
  return message.type === 'update' ? message.seq : undefined;
}

describe('market-data feed', () => {
  it('reproduces the venue book exactly from a snapshot and consecutive updates', async () => {
    const feed = await feedWith();
    const { client, log } = feed.client();
    client.subscribe('ACME');
    client.start();
    await log.waitFor(isSnapshot('ACME'));
    expect(client.book('ACME')).toEqual(feed.venue.depth('ACME'));
    for (let round = 0; round < 40; round++) churn(feed.venue, 'ACME', round);
    const lastSeq = feed.server.seqOf('ACME') ?? 0;
    expect(lastSeq).toBeGreaterThan(100);
    await log.waitFor(isSyncedTo('ACME', lastSeq));
    expect(client.book('ACME')).toEqual(feed.venue.depth('ACME'));
    expect(client.isSynced('ACME')).toBe(true);
    const seqs = log.of('update').map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect(log.of('update').some((e) => e.trades.length > 0)).toBe(true);
    expect(log.of('gap')).toEqual([]);
    expect(log.of('connect')).toEqual([{ type: 'connect', attempt: 1 }]);
    expect(log.of('resync')).toEqual([{ type: 'resync', instrument: 'ACME', reason: 'subscribe' }]);
  });

  it('publishes only subscribed instruments, and stops on unsubscribe', async () => {
    const feed = await feedWith();
    const { client, log } = feed.client();
    client.start();
    await log.waitFor((e) => e.type === 'connect');
    client.subscribe('BOLT');
    await log.waitFor(isSnapshot('BOLT'));
    churn(feed.venue, 'ACME', 0);
    churn(feed.venue, 'BOLT', 0);
    await log.waitFor(isSyncedTo('BOLT', feed.server.seqOf('BOLT') ?? 0));
    expect(log.of('update').every((e) => e.instrument === 'BOLT')).toBe(true);
    expect(client.book('BOLT')).toEqual(feed.venue.depth('BOLT'));
    client.unsubscribe('BOLT');
    expect(client.book('BOLT')).toBeUndefined();
  });

  describe('when an update is lost', () => {
    it('detects the gap and resynchronises from a fresh snapshot', async () => {
      let dropped = false;
      const feed = await feedWith(
        rewritingTap((frame) => {
          if (!dropped && updateSeq(frame) === 3) {
            dropped = true;
            return [];
          }
          return [frame];
        }),
      );
      const { client, log } = feed.client();
      client.subscribe('ACME');
      client.start();
      await log.waitFor(isSnapshot('ACME'));
      for (let round = 0; round < 10; round++) churn(feed.venue, 'ACME', round);
      const lastSeq = feed.server.seqOf('ACME') ?? 0;
      await log.waitFor(isSyncedTo('ACME', lastSeq));
      expect(log.of('gap')).toEqual([
        { type: 'gap', instrument: 'ACME', expectedSeq: 3, receivedSeq: 4 },
      ]);
      expect(log.of('resync').map((e) => e.reason)).toEqual(['subscribe', 'gap']);
      expect(log.of('snapshot').map((e) => e.seq)).toHaveLength(2);
      expect(client.book('ACME')).toEqual(feed.venue.depth('ACME'));
    });
  });

  describe('when the server sends a frame that is not JSON or not a message', () => {
    it('reports bad frames with their codes, resyncs, and keeps the book right', async () => {
      const feed = await feedWith(
        rewritingTap((frame) => {
          const seq = updateSeq(frame);
          if (seq === 2) return ['{"v":1,"type":"upd', frame];
          if (seq === 5) return ['{"v":1,"type":"update","instrument":"ACME","seq":"six"}', frame];
          return [frame];
        }),
      );
      const { client, log } = feed.client();
      client.subscribe('ACME');
      client.start();
      await log.waitFor(isSnapshot('ACME'));
      for (let round = 0; round < 6; round++) churn(feed.venue, 'ACME', round);
      const lastSeq = feed.server.seqOf('ACME') ?? 0;
      await log.waitFor(isSyncedTo('ACME', lastSeq));
      expect(log.of('bad-frame').map((e) => e.error.code)).toEqual([
        'WS_BAD_FRAME_JSON',
        'WS_BAD_FRAME_SCHEMA',
      ]);
      expect(log.of('resync').map((e) => e.reason)).toEqual([
        'subscribe',
        'bad-frame',
        'bad-frame',
      ]);
      expect(client.book('ACME')).toEqual(feed.venue.depth('ACME'));
      expect(client.isSynced('ACME')).toBe(true);
    });
  });

  describe('when a client asks for an instrument the venue does not list', () => {
    it('answers with a WS_UNKNOWN_INSTRUMENT error frame', async () => {
      const feed = await feedWith();
      const { client, log } = feed.client();
      client.subscribe('NOPE');
      client.start();
      const event = await log.waitFor((e) => e.type === 'server-error');
      expect(event).toMatchObject({ code: 'WS_UNKNOWN_INSTRUMENT', instrument: 'NOPE' });
    });
  });

  describe('when a client sends garbage', () => {
    it('answers with an error frame and keeps serving', async () => {
      const feed = await feedWith();
      const raw = new WebSocket(feed.server.url);
      await once(raw, 'open');
      const replies: string[] = [];
      const replied = (count: number) =>
        new Promise<void>((resolve) => {
          const check = (): void => (replies.length >= count ? resolve() : undefined);
          raw.on('message', (data: Buffer) => {
            replies.push(data.toString('utf8'));
            check();
          });
        });
      const two = replied(3);
      raw.send('not json');
      raw.send(JSON.stringify({ v: 1, type: 'subscribe' }));
      raw.send(JSON.stringify({ v: 1, type: 'subscribe', instrument: 'ACME' }));
      await two;
      raw.close();
      const codes = replies.map((text) => {
        const message = decodeServerMessage(text);
        return message.type === 'error' ? message.code : message.type;
      });
      expect(codes).toEqual(['WS_BAD_FRAME_JSON', 'WS_BAD_FRAME_SCHEMA', 'snapshot']);
    });
  });

  describe("when a connection's tap cannot open", () => {
    it('closes that connection with 1011 and reports the error', async () => {
      const scheduler = new VirtualScheduler({ wallOriginNs: 0n });
      const link = new NetworkSimulator({ scheduler, seed: 1n }).link({
        name: 'l',
        endpoints: ['XSIM1', 'client'],
        profile: { latencyNs: 0n },
      });
      const venueEnd = link.endpoint('XSIM1');
      const held = venueEnd.bindSocket({ write: () => undefined });
      const errors: DeltaTraceError[] = [];
      const feed = await startFeed({
        tap: linkEndpointTap(venueEnd),
        onError: (error) => errors.push(error),
      });
      feeds.push(feed);
      const { client, log } = feed.client();
      client.start();
      const closed = await log.waitFor((e) => e.type === 'disconnect');
      expect(closed).toMatchObject({ code: 1011 });
      expect(errors.map((e) => e.code)).toEqual(['NET_SOCKET_ALREADY_BOUND']);
      held.close();
    });
  });

  describe('when the port is taken', () => {
    it('throws WS_LISTEN_FAILED', async () => {
      const feed = await feedWith();
      await expectErrorCodeAsync(
        () =>
          MarketDataServer.start({
            venue: feed.venue,
            scheduler: feed.scheduler,
            port: feed.server.port,
          }),
        'WS_LISTEN_FAILED',
      );
    });
  });

  describe('when the client is used after close', () => {
    it('throws WS_CLIENT_CLOSED', async () => {
      const feed = await feedWith();
      const { client } = feed.client();
      client.start();
      await client.close();
      expectErrorCode(() => client.subscribe('ACME'), 'WS_CLIENT_CLOSED');
      expectErrorCode(() => client.start(), 'WS_CLIENT_CLOSED');
    });
  });
});
