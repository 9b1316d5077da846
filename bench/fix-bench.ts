/**
 * The FIX order round-trip benchmark: NewOrderSingle from our initiator to our acceptor over
 * loopback TCP, an ExecutionReport back, with a pipelining window of orders in flight. Both
 * sessions run in this process on real timers, parse with the typed application parsers and
 * validate against the dictionary, as in production. `--observe` attaches a per-message observer
 * to both sessions (where a capture layer hooks in) to measure its cost; `--capture` records the
 * order path into a ledger through the background capture, as live runs do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import hdr from 'hdr-histogram-js';

import {
  buildExecutionReport,
  buildNewOrderSingle,
  DecimalScale,
  FileSessionStore,
  FixAcceptor,
  type FixApplication,
  FixInitiator,
  FixSession,
  MemorySessionStore,
  parseExecutionReport,
  parseNewOrderSingle,
  type SessionObserver,
  type SessionStore,
} from '../dist/adapters/fix/index.js';
import { BackgroundCapture } from '../dist/cli/capture/background-capture.js';
import { SystemClock } from '../dist/cli/context.js';
import { HybridStamper } from '../dist/pipeline/index.js';
import { SystemScheduler } from '../dist/runtime/system-scheduler.js';
import { createStore } from '../dist/storage/index.js';

export interface FixBenchOptions {
  /** Measured round trips. */
  readonly orders: number;
  /** Orders in flight at once. */
  readonly window: number;
  /** Round trips before measuring, to warm the JIT. */
  readonly warmup: number;
  readonly store: 'memory' | 'file';
  /** With the file store: fdatasync every record, or leave flushing to the OS. */
  readonly sync: 'always' | 'never';
  readonly observe: boolean;
  /**
   * Capture the order path as the pipeline does: each NewOrderSingle as an `order.new` event,
   * each ExecutionReport as an `order.ack` caused by it, handed to a writer process that appends
   * them to a SQLite ledger.
   */
  readonly capture: boolean;
}

const SCALES = { price: new DecimalScale('0.01'), qty: new DecimalScale('1') };

/** Acknowledges every order with an ExecutionReport (ExecType new). */
const venue: FixApplication = {
  onMessage(message, session) {
    const order = parseNewOrderSingle(message, SCALES);
    session.send(
      buildExecutionReport(
        {
          orderId: `o-${order.clOrdId}`,
          clOrdId: order.clOrdId,
          execId: `e-${order.clOrdId}`,
          execType: 'new',
          ordStatus: 'new',
          symbol: order.symbol,
          side: order.side,
          orderQtyLots: order.qtyLots,
          ...(order.priceTicks === undefined ? {} : { priceTicks: order.priceTicks }),
          leavesLots: order.qtyLots,
          cumLots: 0,
          avgPx: '0',
        },
        SCALES,
      ),
    );
  },
};

function waitForLogon(session: FixSession): Promise<void> {
  return new Promise((resolve) => {
    const remove = session.addObserver({
      onEvent: (event) => {
        if (event.type !== 'logon') return;
        remove();
        resolve();
      },
    });
  });
}

export async function runFixBench(options: FixBenchOptions): Promise<Record<string, unknown>> {
  const clock = new SystemClock();
  const scheduler = new SystemScheduler(clock);
  const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-fix-bench-'));
  const openStore = (name: string): SessionStore =>
    options.store === 'file'
      ? new FileSessionStore(path.join(work, `${name}.store`), { sync: options.sync })
      : new MemorySessionStore();
  const observed = { messages: 0, bytes: 0 };
  const observer: SessionObserver = {
    onMessage: (_direction, bytes) => {
      observed.messages++;
      observed.bytes += bytes.length;
    },
  };

  let capture: BackgroundCapture | undefined;
  if (options.capture) {
    const dir = path.join(work, 'ledger');
    await (await createStore(dir, { backend: 'sqlite', origin: 'deltatrace/bench-fix' })).close();
    capture = BackgroundCapture.start({ dir, run: 'bench-fix' });
  }
  const stamper = new HybridStamper();
  const orderRefs: number[] = [];
  const record = (type: string, causes: number[], payload: Record<string, unknown>): number => {
    const wallNs = clock.wallNs();
    return capture!.record({
      type,
      wallNs,
      monoNs: clock.monoNs(),
      hlcCounter: stamper.next(wallNs),
      source: { node: 'bench', adapter: 'fix', venue: 'VENUE' },
      causes,
      payload,
    });
  };

  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const total = options.warmup + options.orders;
  const sentAtNs = new Array<bigint>(total);
  let sent = 0;
  let received = 0;
  let measureStartNs = 0n;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => (finished = resolve));

  const acceptorSession = new FixSession({
    config: { role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'FIRM' },
    scheduler,
    store: openStore('venue'),
    application: venue,
  });
  const firm = new FixSession({
    config: { role: 'initiator', senderCompId: 'FIRM', targetCompId: 'VENUE', resetOnLogon: true },
    scheduler,
    store: openStore('firm'),
    application: {
      onMessage(message) {
        const report = parseExecutionReport(message, SCALES);
        const index = Number(report.clOrdId?.slice(1));
        if (capture !== undefined) {
          record('order.ack', [orderRefs[index]!], {
            order_id: report.clOrdId ?? '',
            venue: 'VENUE',
            venue_order_id: report.orderId,
          });
        }
        if (index >= options.warmup) {
          histogram.recordValue(Math.max(1, Number(process.hrtime.bigint() - sentAtNs[index]!)));
        }
        received++;
        if (received === options.warmup) measureStartNs = process.hrtime.bigint();
        if (received === total) finished();
        else if (sent < total) sendOrder();
      },
    },
  });
  if (options.observe) {
    acceptorSession.addObserver(observer);
    firm.addObserver(observer);
  }

  function sendOrder(): void {
    const index = sent++;
    sentAtNs[index] = process.hrtime.bigint();
    const side = index % 2 === 0 ? 'buy' : 'sell';
    const qtyLots = 100 + (index % 10);
    const priceTicks = 10_000 + (index % 50);
    if (capture !== undefined) {
      orderRefs[index] = record('order.new', [], {
        order_id: `c${index}`,
        venue: 'VENUE',
        instrument: 'ACME',
        side,
        qty_lots: qtyLots,
        order_type: 'limit',
        limit_px: priceTicks,
        tif: 'day',
      });
    }
    firm.send(
      buildNewOrderSingle(
        {
          clOrdId: `c${index}`,
          symbol: 'ACME',
          side,
          orderType: 'limit',
          tif: 'day',
          qtyLots,
          priceTicks,
          transactTimeNs: clock.wallNs(),
        },
        SCALES,
      ),
    );
  }

  const acceptor = new FixAcceptor({ sessions: [acceptorSession], scheduler });
  const initiator = new FixInitiator({
    session: firm,
    host: '127.0.0.1',
    port: await acceptor.listen(),
  });
  try {
    const loggedOn = waitForLogon(firm);
    initiator.start();
    await loggedOn;
    const startNs = process.hrtime.bigint();
    if (options.warmup === 0) measureStartNs = startNs;
    for (let i = 0; i < Math.min(options.window, total); i++) sendOrder();
    await done;
    const endNs = process.hrtime.bigint();
    const seconds = Number(endNs - measureStartNs) / 1e9;
    const captured = capture === undefined ? undefined : await capture.close();
    const drainSeconds = Number(process.hrtime.bigint() - endNs) / 1e9;
    return {
      bench: 'fix',
      orders: options.orders,
      window: options.window,
      warmup: options.warmup,
      store: options.store === 'file' ? `file-${options.sync}` : 'memory',
      observer: options.observe,
      round_trips_per_s: Math.round(options.orders / seconds),
      latency_ns: {
        p50: histogram.getValueAtPercentile(50),
        p99: histogram.getValueAtPercentile(99),
        p999: histogram.getValueAtPercentile(99.9),
        max: histogram.maxValue,
      },
      ...(options.observe ? { observed_messages: observed.messages } : {}),
      capture: options.capture,
      ...(captured === undefined
        ? {}
        : {
            captured_events: captured.size,
            capture_drain_s: Math.round(drainSeconds * 1000) / 1000,
          }),
      node: process.version,
    };
  } finally {
    await initiator.stop();
    await acceptor.close();
    scheduler.cancelAll();
    acceptorSession.store.close();
    firm.store.close();
    rmSync(work, { recursive: true, force: true });
  }
}
