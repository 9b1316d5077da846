/**
 * @module
 * Order entry of the FIX venue gateway: NewOrderSingle (D), OrderCancelRequest (F) and
 * OrderCancelReplaceRequest (G) become venue commands, and every venue event on a client's order
 * becomes its ExecutionReport (8) or OrderCancelReject (9). A venue report carries the command it
 * answers, so requests are matched to answers by that object, not by arrival order. OrderIDs are
 * `<session key>:<n>`, counted per session: unique across sessions, whatever order they talk in.
 */
import type {
  Command,
  NewOrderCommand,
  RejectReason,
  ReplaceCommand,
  Venue,
  VenueEvent,
  VenueReport,
} from '../../../exchange/index.js';
import type { InstrumentScales } from '../app/decimal-scale.js';
import type { ExecType } from '../app/executions.js';
import { FieldReader } from '../app/fields.js';
import {
  parseNewOrderSingle,
  parseOrderCancelReplaceRequest,
  parseOrderCancelRequest,
  SIDE_CODES,
} from '../app/orders.js';
import type { FixMessage } from '../message.js';
import type { OutboundMessage } from '../session/ports.js';
import { OrderRecord, type ReportDetail } from './order-record.js';
import {
  CANCEL_TEXT,
  cancelRejectOf,
  type CancelRequestRef,
  CXL_REJ,
  ORD_REJ,
  type Refusal,
  refusedValue,
  UNIT_SCALES,
  VENUE_REJECT_REASON,
} from './refusals.js';

type Request =
  | { readonly kind: 'new'; readonly record: OrderRecord }
  | { readonly kind: 'amend'; readonly record: OrderRecord; readonly ref: CancelRequestRef };

interface ClientOrders {
  /** Every ClOrdID an order of the session has been known by, to its order. */
  readonly byClOrdId: Map<string, OrderRecord>;
  orderNo: number;
}

export interface OrderEntryContext {
  readonly venue: Venue;
  readonly scales: ReadonlyMap<string, InstrumentScales>;
  nowWallNs(): bigint;
  /** Sends to a client session now, or once it is logged on again. */
  deliver(sessionKey: string, message: OutboundMessage): void;
}

export class OrderEntry {
  readonly #ctx: OrderEntryContext;
  readonly #clients = new Map<string, ClientOrders>();
  /** Orders that may still see venue events, by OrderID. */
  readonly #live = new Map<string, OrderRecord>();
  readonly #requests = new Map<Command, Request>();

  constructor(context: OrderEntryContext) {
    this.#ctx = context;
  }

  /** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT for the session to answer. */
  onNewOrderSingle(message: FixMessage, sessionKey: string): void {
    const client = this.#client(sessionKey);
    const r = new FieldReader(message);
    const clOrdId = r.required(11);
    const symbol = r.required(55);
    const side = r.code(54, SIDE_CODES);
    const orderId = `${sessionKey}:${++client.orderNo}`;
    const scales = this.#ctx.scales.get(symbol);
    const ids = { sessionKey, orderId, clOrdId, symbol, side };
    const refuse = (
      refusal: Refusal,
      record = new OrderRecord({ ...ids, scales: UNIT_SCALES }),
    ) => {
      record.ended('rejected');
      this.#report(record, 'rejected', { ordRejReason: refusal.reason, text: refusal.text });
    };
    if (scales === undefined) {
      return refuse({ reason: ORD_REJ.UNKNOWN_SYMBOL, text: `unknown symbol ${symbol}` });
    }
    let order;
    try {
      order = parseNewOrderSingle(message, scales);
    } catch (error) {
      const refused = refusedValue(error);
      if (refused === undefined) throw error;
      return refuse(refused, new OrderRecord({ ...ids, scales }));
    }
    const priced = order.priceTicks === undefined ? {} : { priceTicks: order.priceTicks };
    const record = new OrderRecord({
      ...ids,
      orderType: order.orderType,
      tif: order.tif,
      orderQtyLots: order.qtyLots,
      ...priced,
      scales,
    });
    if (client.byClOrdId.get(clOrdId)?.isOpen === true) {
      return refuse(
        { reason: ORD_REJ.DUPLICATE_ORDER, text: `ClOrdID ${clOrdId} is in use` },
        record,
      );
    }
    client.byClOrdId.set(clOrdId, record);
    this.#live.set(orderId, record);
    const command: NewOrderCommand = {
      type: 'new',
      orderId,
      side,
      orderType: order.orderType,
      tif: order.tif,
      qtyLots: order.qtyLots,
      ...priced,
      ownerId: sessionKey,
    };
    this.#submit(command, { kind: 'new', record });
  }

  /** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT for the session to answer. */
  onCancelRequest(message: FixMessage, sessionKey: string): void {
    const { ref, record } = this.#target(message, sessionKey, 'cancel');
    if (record === undefined) return;
    // Checks the rest of the request (Side, TransactTime, OrderQty) before acting on it.
    parseOrderCancelRequest(message, record.scales);
    record.pending = 'cancel';
    this.#submit({ type: 'cancel', orderId: record.orderId }, { kind: 'amend', record, ref });
  }

  /** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT for the session to answer. */
  onReplaceRequest(message: FixMessage, sessionKey: string): void {
    const { ref, record } = this.#target(message, sessionKey, 'replace');
    if (record === undefined) return;
    const refuse = (refusal: Refusal): void =>
      this.#ctx.deliver(sessionKey, cancelRejectOf(ref, record, refusal));
    let replace;
    try {
      replace = parseOrderCancelReplaceRequest(message, record.scales);
    } catch (error) {
      const refused = refusedValue(error);
      if (refused === undefined) throw error;
      return refuse({ reason: CXL_REJ.OTHER, text: refused.text });
    }
    if (
      replace.symbol !== record.symbol ||
      replace.side !== record.side ||
      replace.orderType !== record.orderType ||
      replace.tif !== record.tif
    ) {
      return refuse({ reason: CXL_REJ.OTHER, text: 'Symbol, Side, OrdType and TimeInForce stay' });
    }
    // The venue replaces the open quantity; FIX states the order's total (FIX 4.4 Vol. 4).
    const leavesLots = replace.qtyLots - record.cumLots;
    if (leavesLots <= 0)
      return refuse({ reason: CXL_REJ.OTHER, text: 'OrderQty must exceed CumQty' });
    const command: ReplaceCommand = {
      type: 'replace',
      orderId: record.orderId,
      qtyLots: leavesLots,
      ...(replace.priceTicks === undefined ? {} : { priceTicks: replace.priceTicks }),
    };
    record.pending = 'replace';
    this.#submit(command, { kind: 'amend', record, ref });
  }

  /** Every execution the report holds on a client's order, in the venue's order. */
  onReport(report: VenueReport): void {
    const request = this.#requests.get(report.command);
    if (request !== undefined) {
      this.#requests.delete(report.command);
      if (request.kind !== 'new') request.record.pending = undefined;
    }
    for (const event of report.events) this.#onEvent(event, request);
  }

  #onEvent(event: VenueEvent, request: Request | undefined): void {
    switch (event.type) {
      case 'ack':
        if (request?.kind === 'new' && request.record.orderId === event.orderId) {
          request.record.acknowledged();
          this.#report(request.record, 'new');
        }
        return;
      case 'reject':
        if (request?.record.orderId === event.orderId) this.#rejected(request, event.reason);
        return;
      case 'fill': {
        const record = this.#live.get(event.orderId);
        if (record === undefined) return;
        record.filled(event);
        if (!record.isOpen) this.#live.delete(record.orderId);
        this.#report(record, 'trade', { fill: event });
        return;
      }
      case 'cancelled': {
        const record = this.#live.get(event.orderId);
        if (record === undefined) return;
        this.#live.delete(record.orderId);
        const text = CANCEL_TEXT[event.reason];
        const origClOrdId = record.clOrdId;
        const requested =
          request?.kind === 'amend' && request.record === record && event.reason === 'user';
        if (requested) this.#renamed(record, request.ref.clOrdId);
        record.ended('canceled');
        this.#report(record, 'canceled', requested ? { origClOrdId, text } : { text });
        return;
      }
      case 'replaced': {
        const record = this.#live.get(event.orderId);
        if (request?.kind !== 'amend' || request.record !== record) return;
        const origClOrdId = record.clOrdId;
        this.#renamed(record, request.ref.clOrdId);
        record.replaced(event.priceTicks, event.leavesLots);
        this.#report(record, 'replaced', { origClOrdId });
        return;
      }
      case 'trade':
      case 'book':
        return;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }

  #rejected(request: Request, reason: RejectReason): void {
    const record = request.record;
    if (request.kind === 'new') {
      this.#live.delete(record.orderId);
      const orders = this.#client(record.sessionKey).byClOrdId;
      if (orders.get(record.clOrdId) === record) orders.delete(record.clOrdId);
      record.ended('rejected');
      const detail = { ordRejReason: VENUE_REJECT_REASON[reason], text: `venue: ${reason}` };
      this.#report(record, 'rejected', detail);
      return;
    }
    // Unknown to the venue: the order ended there while the request was on its way.
    const refusal = {
      reason: reason === 'unknown-order' ? CXL_REJ.TOO_LATE : CXL_REJ.OTHER,
      text: `venue: ${reason}`,
    };
    this.#ctx.deliver(record.sessionKey, cancelRejectOf(request.ref, record, refusal));
  }

  /** The order a cancel or replace names, or undefined once it has been answered with a 9. */
  #target(
    message: FixMessage,
    sessionKey: string,
    responseTo: CancelRequestRef['responseTo'],
  ): { ref: CancelRequestRef; record: OrderRecord | undefined } {
    const r = new FieldReader(message);
    const ref = { responseTo, clOrdId: r.required(11), origClOrdId: r.required(41) };
    const client = this.#client(sessionKey);
    const record = client.byClOrdId.get(ref.origClOrdId);
    let refusal: Refusal | undefined;
    if (record === undefined) refusal = { reason: CXL_REJ.UNKNOWN_ORDER, text: 'unknown order' };
    else if (!record.isOpen) refusal = { reason: CXL_REJ.TOO_LATE, text: `order ${record.status}` };
    else if (record.pending !== undefined) {
      refusal = { reason: CXL_REJ.ALREADY_PENDING, text: `a ${record.pending} is pending` };
    } else if (client.byClOrdId.get(ref.clOrdId)?.isOpen === true) {
      refusal = { reason: CXL_REJ.DUPLICATE_ID, text: `ClOrdID ${ref.clOrdId} is in use` };
    }
    if (refusal === undefined) return { ref, record };
    this.#ctx.deliver(sessionKey, cancelRejectOf(ref, record, refusal));
    return { ref, record: undefined };
  }

  #renamed(record: OrderRecord, clOrdId: string): void {
    this.#client(record.sessionKey).byClOrdId.set(clOrdId, record);
    record.clOrdId = clOrdId;
  }

  #submit(command: Command, request: Request): void {
    this.#requests.set(command, request);
    this.#ctx.venue.submit(request.record.symbol, command);
  }

  #report(record: OrderRecord, execType: ExecType, detail?: ReportDetail): void {
    this.#ctx.deliver(record.sessionKey, record.report(execType, this.#ctx.nowWallNs(), detail));
  }

  #client(sessionKey: string): ClientOrders {
    let client = this.#clients.get(sessionKey);
    if (client === undefined) {
      client = { byClOrdId: new Map(), orderNo: 0 };
      this.#clients.set(sessionKey, client);
    }
    return client;
  }
}
