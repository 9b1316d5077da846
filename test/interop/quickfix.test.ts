/**
 * Interop with QuickFIX/C++: its initiator trades through our acceptor and venue gateway, and our
 * initiator trades with its acceptor. QuickFIX validates what we send against FIX44.xml (from the
 * reference vectors) where it is present. Skips with a notice without g++ or libquickfix-dev,
 * unless DELTATRACE_REQUIRE_QUICKFIX=1, which turns the skip into a failure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { SystemClock } from '../../src/cli/context.js';
import { SystemScheduler } from '../../src/runtime/system-scheduler.js';
import { GatewayWorld } from '../adapters/fix/gateway-harness.js';
import { vectorsPath } from '../helpers/vectors.js';
import { ChildProgram } from './quickfix/child-program.js';
import { runOurInitiator } from './quickfix/our-initiator.js';
import { buildProgram, missingToolchain, writeSettings } from './quickfix/toolchain.js';

const missing = missingToolchain();
const required = process.env['DELTATRACE_REQUIRE_QUICKFIX'] === '1';
if (missing !== undefined && !required) {
  process.stderr.write(`NOTICE: QuickFIX interop suite skipped: ${missing}\n`);
}
const PROCESS_TIMEOUT_MS = 30_000;
const scheduler = new SystemScheduler(new SystemClock());

describe.runIf(missing !== undefined && required)('QuickFIX/C++ interop toolchain', () => {
  it('is installed, as DELTATRACE_REQUIRE_QUICKFIX=1 demands', () => {
    expect.fail(`QuickFIX interop required but unavailable: ${missing}`);
  });
});

describe.runIf(missing === undefined)('QuickFIX/C++ interop', () => {
  const binaries = { initiator: '', acceptor: '' };
  let dictionary: string | undefined;
  let workDir = '';
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    [binaries.initiator, binaries.acceptor] = await Promise.all([
      buildProgram('qf-initiator'),
      buildProgram('qf-acceptor'),
    ]);
    dictionary = vectorsPath('quickfix', 'spec', 'FIX44.xml');
    if (dictionary === undefined) {
      process.stderr.write(
        'NOTICE: QuickFIX runs without a DataDictionary (UseDataDictionary=N)\n',
      );
    }
    workDir = await mkdtemp(path.join(tmpdir(), 'deltatrace-interop-'));
  }, 300_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    if (workDir !== '') await rm(workDir, { recursive: true, force: true });
  });

  describe('a QuickFIX initiator against our acceptor and venue gateway', () => {
    /** One qf-initiator run: three buys of 20 at 10.05; its JSON lines, once it has exited. */
    async function runQuickfixInitiator(port: number, resetOnLogon: boolean) {
      const config = await writeSettings(path.join(workDir, 'initiator.cfg'), {
        connectionType: 'initiator',
        senderCompId: 'QFCLIENT',
        targetCompId: 'XSIM',
        port,
        storeDir: path.join(workDir, 'initiator-store'),
        dataDictionary: dictionary,
        resetOnLogon,
      });
      const program = new ChildProgram(
        binaries.initiator,
        [config, '3', 'ACME', '10.05', '20', '20'],
        workDir,
      );
      cleanups.push(() => program.stop());
      const exit = await program.exited(PROCESS_TIMEOUT_MS);
      expect(exit, program.stderr).toEqual({ code: 0, signal: null });
      return program.lines.map((line) => JSON.parse(line) as Record<string, string>);
    }

    it('gets New and then Fill(s) for every order, as the venue filled them', async () => {
      const world = await GatewayWorld.start({ scheduler, clients: ['QFCLIENT'] });
      cleanups.push(() => world.close());
      const venueSession = world.sessions.get('QFCLIENT')!;
      const restAsks = (first: number): void => {
        for (const [n, qtyLots, priceTicks] of [
          [first, 30, 1000],
          [first + 1, 50, 1001],
        ] as const) {
          world.venue.apply('ACME', {
            type: 'new',
            orderId: `mm-${n}`,
            side: 'sell',
            orderType: 'limit',
            tif: 'day',
            qtyLots,
            priceTicks,
            ownerId: 'market-maker',
          });
        }
      };
      const summary = (r: Record<string, string>) => [
        r['clOrdId'],
        r['execType'],
        r['ordStatus'],
        r['lastQty'],
        r['lastPx'],
        r['cumQty'],
        r['leavesQty'],
        r['avgPx'],
        r['commission'],
      ];
      // Taker fees: 30 centiticks a lot, so 0.06 for 20 lots and 0.03 for 10 at a 0.01 tick.
      const expected = [
        ['QF-1', '0', '0', '', '', '0', '20', '0', ''],
        ['QF-1', 'F', '2', '20', '10.00', '20', '0', '10.00', '0.06'],
        ['QF-2', '0', '0', '', '', '0', '20', '0', ''],
        ['QF-2', 'F', '1', '10', '10.00', '10', '10', '10.00', '0.03'],
        ['QF-2', 'F', '2', '10', '10.01', '20', '0', '10.005', '0.03'],
        ['QF-3', '0', '0', '', '', '0', '20', '0', ''],
        ['QF-3', 'F', '2', '20', '10.01', '20', '0', '10.01', '0.06'],
      ];

      restAsks(1);
      const first = await runQuickfixInitiator(world.acceptor.port, true);
      expect(first.map(summary)).toEqual(expected);
      // Commission absolute (13 = 3), liquidity removed (851 = 2): QuickFIX reads both as sent.
      const fills = first.filter((r) => r['execType'] === 'F');
      expect(fills.map((r) => [r['commType'], r['lastLiquidityInd'], r['text']])).toEqual(
        Array.from({ length: 4 }, () => ['3', '2', 'taker']),
      );
      expect(new Set(first.map((r) => r['execId'])).size).toBe(first.length);

      // A restart without a reset: both sides carry their sequence numbers over (QuickFIX in its
      // file store, ours in memory), and the reused ClOrdIDs get fresh OrderIDs.
      const expectedSeq = venueSession.store.nextTargetSeq;
      expect(expectedSeq).toBeGreaterThan(1);
      const logons: boolean[] = [];
      venueSession.addObserver({
        onEvent: (event) => event.type === 'logon' && logons.push(event.resetSeqNum),
      });
      world.venue.apply('ACME', { type: 'cancel', orderId: 'mm-2' });
      restAsks(3);
      const second = await runQuickfixInitiator(world.acceptor.port, false);
      expect(second.map(summary)).toEqual(expected);
      expect(logons).toEqual([false]);
      expect(venueSession.store.nextTargetSeq).toBe(expectedSeq + 5);
      const orderIds = (lines: Record<string, string>[]) => new Set(lines.map((r) => r['orderId']));
      expect([...orderIds(first)]).toEqual([
        'QFCLIENT:XSIM:1',
        'QFCLIENT:XSIM:2',
        'QFCLIENT:XSIM:3',
      ]);
      expect([...orderIds(second)]).toEqual([
        'QFCLIENT:XSIM:4',
        'QFCLIENT:XSIM:5',
        'QFCLIENT:XSIM:6',
      ]);
      // QuickFIX found nothing to Reject in what we sent, nor we in what it sent.
      const events = world.venueEvents.get('QFCLIENT') ?? [];
      expect(
        events.filter((e) => e.type === 'reject-received' || e.type === 'reject-sent'),
      ).toEqual([]);
    });
  });

  describe('our initiator against a QuickFIX acceptor', () => {
    it('gets New then Fill for every order, and an OrderCancelReject for a late cancel', async () => {
      const result = await runOurInitiator({
        acceptorBinary: binaries.acceptor,
        workDir,
        dictionary,
        scheduler,
        orders: [
          { clOrdId: 'c1', qtyLots: 100, priceTicks: 1025 },
          { clOrdId: 'c2', qtyLots: 7, priceTicks: 999 },
          { clOrdId: 'c3', qtyLots: 1, priceTicks: 100_001 },
        ],
        timeoutMs: PROCESS_TIMEOUT_MS,
        onCleanup: (cleanup) => cleanups.push(cleanup),
      });
      expect(
        result.reports.map((r) => [r.clOrdId, r.execType, r.ordStatus, r.cumLots, r.leavesLots]),
      ).toEqual([
        ['c1', 'new', 'new', 0, 100],
        ['c1', 'trade', 'filled', 100, 0],
        ['c2', 'new', 'new', 0, 7],
        ['c2', 'trade', 'filled', 7, 0],
        ['c3', 'new', 'new', 0, 1],
        ['c3', 'trade', 'filled', 1, 0],
      ]);
      expect(
        result.reports.filter((r) => r.execType === 'trade').map((r) => r.lastPriceTicks),
      ).toEqual([1025, 999, 100_001]);
      expect(result.cancelReject).toMatchObject({
        clOrdId: 'c1-x',
        origClOrdId: 'c1',
        ordStatus: 'filled',
        responseTo: 'cancel',
        cxlRejReason: 0,
      });
      expect(result.sessionRejects).toEqual([]);
    });
  });
});
