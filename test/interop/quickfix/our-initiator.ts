/**
 * Our side of the interop run against the QuickFIX acceptor: starts qf-acceptor on a free port,
 * connects our FixInitiator, sends NewOrderSingles, reads every ExecutionReport with
 * parseExecutionReport, then cancels the first (filled) order and reads the OrderCancelReject.
 */
import path from 'node:path';

import {
  buildNewOrderSingle,
  buildOrderCancelRequest,
  type ExecutionReport,
  FixInitiator,
  type FixMessage,
  FixSession,
  MemorySessionStore,
  type OrderCancelReject,
  parseExecutionReport,
  parseOrderCancelReject,
  type SessionEvent,
} from '../../../src/adapters/fix/index.js';
import type { Scheduler } from '../../../src/core/index.js';
import { SCALES, until } from '../../adapters/fix/gateway-harness.js';
import { ChildProgram, freePort } from './child-program.js';
import { writeSettings } from './toolchain.js';

export interface OurInitiatorRun {
  readonly acceptorBinary: string;
  readonly workDir: string;
  readonly dictionary: string | undefined;
  readonly scheduler: Scheduler;
  readonly orders: readonly {
    readonly clOrdId: string;
    readonly qtyLots: number;
    readonly priceTicks: number;
  }[];
  readonly timeoutMs: number;
  /** Registers what must run when the test ends, failed or not. */
  readonly onCleanup: (cleanup: () => Promise<unknown>) => void;
}

export interface OurInitiatorResult {
  readonly reports: readonly ExecutionReport[];
  readonly cancelReject: OrderCancelReject;
  /** Session-level Rejects either way: what one side found wrong with the other's messages. */
  readonly sessionRejects: readonly SessionEvent[];
}

export async function runOurInitiator(run: OurInitiatorRun): Promise<OurInitiatorResult> {
  const port = await freePort();
  const config = await writeSettings(path.join(run.workDir, 'acceptor.cfg'), {
    connectionType: 'acceptor',
    senderCompId: 'QFVENUE',
    targetCompId: 'DTCLIENT',
    port,
    storeDir: path.join(run.workDir, 'acceptor-store'),
    dataDictionary: run.dictionary,
    resetOnLogon: true,
  });
  const program = new ChildProgram(run.acceptorBinary, [config], run.workDir);
  run.onCleanup(async () => {
    program.closeStdin();
    await program.exited(5000);
  });
  await program.waitForLine((line) => line === 'ready', run.timeoutMs);

  const received: FixMessage[] = [];
  const events: SessionEvent[] = [];
  const wakers = new Set<() => void>();
  const wake = (): void => {
    for (const waker of [...wakers]) waker();
  };
  const session = new FixSession({
    config: {
      role: 'initiator',
      senderCompId: 'DTCLIENT',
      targetCompId: 'QFVENUE',
      resetOnLogon: true,
    },
    scheduler: run.scheduler,
    store: new MemorySessionStore(),
    application: {
      onMessage: (message) => {
        received.push(message);
        wake();
      },
    },
    observer: {
      onEvent: (event) => {
        events.push(event);
        wake();
      },
    },
  });
  const waitFor = (condition: () => boolean, what: string): Promise<void> =>
    until(
      condition,
      (waker) => {
        wakers.add(waker);
        return () => wakers.delete(waker);
      },
      what,
      run.timeoutMs,
    );
  const initiator = new FixInitiator({ session, host: '127.0.0.1', port, initialDelayMs: 50 });
  run.onCleanup(() => initiator.stop());
  initiator.start();
  await waitFor(() => session.isLoggedOn, 'logon at the QuickFIX acceptor');

  const transactTimeNs = (): bigint => run.scheduler.clock.wallNs();
  for (const order of run.orders) {
    const fields = { clOrdId: order.clOrdId, symbol: 'ACME', side: 'buy' as const };
    session.send(
      buildNewOrderSingle(
        {
          ...fields,
          orderType: 'limit',
          tif: 'day',
          qtyLots: order.qtyLots,
          priceTicks: order.priceTicks,
          transactTimeNs: transactTimeNs(),
        },
        SCALES.ACME,
      ),
    );
  }
  const reportCount = 2 * run.orders.length;
  await waitFor(() => received.length >= reportCount, `${reportCount} ExecutionReports`);
  const first = run.orders[0]!;
  session.send(
    buildOrderCancelRequest(
      {
        clOrdId: `${first.clOrdId}-x`,
        origClOrdId: first.clOrdId,
        symbol: 'ACME',
        side: 'buy',
        transactTimeNs: transactTimeNs(),
      },
      SCALES.ACME,
    ),
  );
  await waitFor(() => received.length > reportCount, 'the OrderCancelReject');
  return {
    reports: received.slice(0, reportCount).map((m) => parseExecutionReport(m, SCALES.ACME)),
    cancelReject: parseOrderCancelReject(received[reportCount]!),
    sessionRejects: events.filter((e) => e.type === 'reject-received' || e.type === 'reject-sent'),
  };
}
