/**
 * @module
 * The pipeline's side of a FIX 4.4 connection to a venue: it sends the pipeline's orders and
 * cancels as NewOrderSingle and OrderCancelRequest, turns ExecutionReports into acks, fills,
 * cancels and rejects, optionally subscribes to the venue's market data (W snapshot, X updates)
 * and turns top-of-book changes into ticks, and reports what the session goes through (logon,
 * gaps, resends, rejects, garbled input, disconnects) as session-status inputs.
 */
import {
  type AppMessage,
  buildMarketDataRequest,
  buildNewOrderSingle,
  buildOrderCancelRequest,
  type ExecutionReport,
  type FixApplication,
  type FixMessage,
  type FixSession,
  type FixSessionHandle,
  type InstrumentScales,
  parseAppMessage,
  type SessionEvent,
} from '../../adapters/fix/index.js';
import { type Clock, isDeltaTraceError, type Scheduler } from '../../core/index.js';
import type { OutboundCommand, PipelineInput, SessionStatusInput } from '../../pipeline/index.js';
import { TopOfBookTracker } from './top-of-book.js';

export interface FixVenueClientOptions {
  /** The venue id the pipeline knows. */
  readonly venue: string;
  readonly session: FixSession;
  readonly scales: InstrumentScales;
  readonly scheduler: Scheduler;
  readonly deliver: (input: PipelineInput) => void;
  /** Instruments whose market data to subscribe to at every logon (none: order entry only). */
  readonly marketData?: readonly string[];
}

function statusOf(event: SessionEvent): Pick<SessionStatusInput, 'status' | 'detail'> | undefined {
  switch (event.type) {
    case 'logon':
      return { status: 'logon', detail: `HeartBtInt=${event.heartBtIntSec}` };
    case 'logout-received':
    case 'logout-sent':
      return { status: 'logout', ...(event.text === undefined ? {} : { detail: event.text }) };
    case 'disconnected':
      return { status: 'disconnected', detail: event.reason };
    case 'gap-detected':
      return {
        status: 'gap',
        detail: `expected ${event.expectedSeq}, received ${event.receivedSeq}`,
      };
    case 'resend-served':
      return { status: 'resend', detail: `${event.beginSeq}-${event.endSeq}` };
    case 'reject-sent':
      return { status: 'reject-sent', detail: event.text };
    case 'business-reject-sent':
      return { status: 'reject-sent', detail: event.text };
    case 'reject-received':
      return {
        status: 'reject-received',
        ...(event.text === undefined ? {} : { detail: event.text }),
      };
    case 'garbled':
      return { status: 'garbled', detail: event.code };
    case 'connected':
    case 'resend-complete':
    case 'sequence-reset':
    case 'duplicate-ignored':
    case 'test-request-sent':
    case 'application-error':
      return undefined;
  }
}

export class FixVenueClient implements FixApplication {
  readonly venue: string;
  readonly #options: FixVenueClientOptions;
  readonly #clock: Clock;
  readonly #books = new Map<string, TopOfBookTracker>();
  readonly #orders = new Map<string, { instrument: string; side: 'buy' | 'sell' }>();
  #cancelNo = 0;
  #mdNo = 0;

  constructor(options: FixVenueClientOptions) {
    this.venue = options.venue;
    this.#options = options;
    this.#clock = options.scheduler.clock;
    options.session.addObserver({
      onEvent: (event) => {
        const status = statusOf(event);
        // Delivered on the scheduler, never from inside the session's own processing.
        if (status !== undefined) options.scheduler.setTimer(0n, () => this.#status(status));
      },
    });
  }

  /** Sends a pipeline command; a session that cannot send (not logged on) rejects it. */
  send(command: OutboundCommand): void {
    try {
      this.#send(command);
    } catch (error) {
      if (!isDeltaTraceError(error) || error.code !== 'FIX_SESSION_NOT_LOGGED_ON') throw error;
      if (command.kind === 'new-order') {
        this.#options.scheduler.setTimer(0n, () =>
          this.#options.deliver({
            kind: 'reject',
            venue: this.venue,
            orderId: command.orderId,
            reason: 'the order-entry session is not logged on',
            code: error.code,
          }),
        );
      }
    }
  }

  #send(command: OutboundCommand): void {
    const { session, scales } = this.#options;
    const transactTimeNs = this.#clock.wallNs();
    if (command.kind === 'new-order') {
      this.#orders.set(command.orderId, { instrument: command.instrument, side: command.side });
      session.send(
        buildNewOrderSingle(
          {
            clOrdId: command.orderId,
            symbol: command.instrument,
            side: command.side,
            orderType: command.orderType,
            tif: command.tif,
            qtyLots: command.qtyLots,
            ...(command.limitPx === undefined ? {} : { priceTicks: command.limitPx }),
            transactTimeNs,
          },
          scales,
        ),
      );
    } else {
      session.send(
        buildOrderCancelRequest(
          {
            origClOrdId: command.orderId,
            clOrdId: `${command.orderId}-X${++this.#cancelNo}`,
            symbol: command.instrument,
            side: command.side,
            transactTimeNs,
          },
          scales,
        ),
      );
    }
  }

  onLogon(session: FixSessionHandle): void {
    const instruments = this.#options.marketData ?? [];
    if (instruments.length === 0) return;
    for (const book of this.#books.values()) book.reset();
    session.send(
      buildMarketDataRequest({
        mdReqId: `${this.venue}-MD${++this.#mdNo}`,
        subscription: 'subscribe',
        marketDepth: 0,
        updateType: 'incremental',
        entryTypes: ['bid', 'offer'],
        symbols: [...instruments].sort(),
      }),
    );
  }

  onMessage(message: FixMessage, _session?: FixSessionHandle): void {
    const app = parseAppMessage(message, this.#options.scales);
    this.#handle(app);
  }

  #handle(app: AppMessage): void {
    switch (app.type) {
      case 'execution-report':
        this.#onExecution(app.value);
        return;
      case 'market-data-snapshot': {
        const book = this.#book(app.value.symbol);
        book.reset();
        for (const entry of app.value.entries) {
          if (entry.entryType === 'trade' || entry.priceTicks === undefined) continue;
          book.set(
            entry.entryType === 'bid' ? 'buy' : 'sell',
            entry.priceTicks,
            entry.sizeLots ?? 0,
          );
        }
        this.#emitTop(app.value.symbol, book);
        return;
      }
      case 'market-data-incremental-refresh': {
        const touched = new Set<string>();
        for (const entry of app.value.entries) {
          if (
            entry.entryType === 'trade' ||
            entry.priceTicks === undefined ||
            entry.symbol === undefined
          )
            continue;
          const size = entry.action === 'delete' ? 0 : (entry.sizeLots ?? 0);
          this.#book(entry.symbol).set(
            entry.entryType === 'bid' ? 'buy' : 'sell',
            entry.priceTicks,
            size,
          );
          touched.add(entry.symbol);
        }
        for (const symbol of [...touched].sort()) this.#emitTop(symbol, this.#book(symbol));
        return;
      }
      case 'order-cancel-reject':
        // The order stays as it was (usually already done); the refusal is kept as session state.
        this.#status({
          status: 'reject-received',
          detail: `OrderCancelReject ${app.value.origClOrdId}: ${app.value.text ?? `CxlRejReason=${app.value.cxlRejReason ?? '?'}`}`,
        });
        return;
      case 'business-message-reject': {
        const orderId = app.value.businessRejectRefId;
        if (app.value.refMsgType === 'D' && orderId !== undefined && this.#orders.has(orderId)) {
          this.#options.deliver({
            kind: 'reject',
            venue: this.venue,
            orderId,
            reason: app.value.text ?? 'business message reject',
            code: `BusinessRejectReason=${app.value.reason}`,
          });
        } else {
          this.#status({
            status: 'reject-received',
            detail: app.value.text ?? `BusinessRejectReason=${app.value.reason}`,
          });
        }
        return;
      }
      case 'new-order-single':
      case 'order-cancel-request':
      case 'order-cancel-replace-request':
      case 'market-data-request':
        // Requests a venue receives; a venue that sends one to its client is ignored.
        return;
    }
  }

  #status(status: Pick<SessionStatusInput, 'status' | 'detail'>): void {
    const { session } = this.#options;
    this.#options.deliver({
      kind: 'session-status',
      venue: this.venue,
      session: `${session.senderCompId}->${session.targetCompId}`,
      ...status,
    });
  }

  #onExecution(report: ExecutionReport): void {
    const orderId = report.clOrdId ?? report.origClOrdId;
    if (orderId === undefined) return;
    const venue = this.venue;
    const deliver = this.#options.deliver;
    switch (report.execType) {
      case 'new':
        deliver({ kind: 'ack', venue, orderId, venueOrderId: report.orderId });
        return;
      case 'trade':
        deliver({
          kind: 'fill',
          venue,
          orderId,
          fillId: report.execId,
          qtyLots: report.lastQtyLots ?? 0,
          priceTicks: report.lastPriceTicks ?? 0,
          leavesLots: report.leavesLots,
          liquidity:
            (report.lastLiquidity ?? (report.text === 'maker' ? 'added' : 'removed')) === 'added'
              ? 'maker'
              : 'taker',
          ...(report.commission === undefined ? {} : { fee: report.commission }),
        });
        return;
      case 'canceled':
      case 'expired':
        deliver({
          kind: 'cancelled',
          venue,
          orderId: report.origClOrdId ?? orderId,
          reason: report.text ?? report.execType,
          cancelledLots: Math.max(0, (report.orderQtyLots ?? report.cumLots) - report.cumLots),
        });
        return;
      case 'rejected':
        deliver({
          kind: 'reject',
          venue,
          orderId,
          reason: report.text ?? 'rejected by the venue',
          ...(report.ordRejReason === undefined
            ? {}
            : { code: `OrdRejReason=${report.ordRejReason}` }),
        });
        return;
      case 'replaced':
      case 'pending-cancel':
      case 'pending-new':
      case 'pending-replace':
      case 'order-status':
        return;
    }
  }

  #book(symbol: string): TopOfBookTracker {
    let book = this.#books.get(symbol);
    if (book === undefined) {
      book = new TopOfBookTracker();
      this.#books.set(symbol, book);
    }
    return book;
  }

  #emitTop(instrument: string, book: TopOfBookTracker): void {
    const top = book.takeChange();
    if (top === undefined) return;
    this.#options.deliver({ kind: 'tick', venue: this.venue, instrument, adapter: 'fix', ...top });
  }
}
