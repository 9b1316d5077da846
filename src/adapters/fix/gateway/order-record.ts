/**
 * @module
 * The gateway's view of one client order: its identifiers, what has executed, and the
 * ExecutionReport (8) each change becomes. A record is mutable on purpose: there is one per
 * order, and the venue's reports move it along as they arrive.
 */
import type { OrderType, Side, TimeInForce, VenueFillEvent } from '../../../exchange/index.js';
import type { InstrumentScales } from '../app/decimal-scale.js';
import {
  buildExecutionReport,
  type ExecType,
  type ExecutionReport,
  type OrdStatus,
} from '../app/executions.js';
import type { FixField } from '../message.js';
import type { OutboundMessage } from '../session/ports.js';
import { toAvgPx, toCommission } from './scales.js';

/** CommType (13) 3: Commission is an absolute amount. */
const COMM_TYPE_ABSOLUTE = '3';
/** LastLiquidityInd (851): 1 added liquidity, 2 removed it. */
const LIQUIDITY_IND = { maker: '1', taker: '2' } as const;

export interface OrderSpec {
  /** The client session that owns the order; also its owner for self-trade prevention. */
  readonly sessionKey: string;
  /** OrderID (37), which is also the venue's order id. */
  readonly orderId: string;
  readonly clOrdId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType?: OrderType;
  readonly tif?: TimeInForce;
  /** Absent when the order is refused before its quantity could be read. */
  readonly orderQtyLots?: number;
  readonly priceTicks?: number;
  readonly scales: InstrumentScales;
}

/** What one ExecutionReport adds to the order's standing. */
export interface ReportDetail {
  readonly origClOrdId?: string;
  readonly fill?: VenueFillEvent;
  readonly ordRejReason?: number;
  readonly text?: string;
}

export class OrderRecord {
  readonly sessionKey: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly tif: TimeInForce;
  readonly scales: InstrumentScales;
  /** The ClOrdID the order is known by now: a replace or cancel moves it on. */
  clOrdId: string;
  orderQtyLots: number | undefined;
  priceTicks: number | undefined;
  cumLots = 0;
  leavesLots: number;
  status: OrdStatus = 'pending-new';
  /** A cancel or replace on its way through the venue. */
  pending: 'cancel' | 'replace' | undefined;
  /** Σ priceTicks × qtyLots over the fills, for AvgPx. */
  #notionalTickLots = 0n;
  #execs = 0;

  constructor(spec: OrderSpec) {
    this.sessionKey = spec.sessionKey;
    this.orderId = spec.orderId;
    this.clOrdId = spec.clOrdId;
    this.symbol = spec.symbol;
    this.side = spec.side;
    this.orderType = spec.orderType ?? 'limit';
    this.tif = spec.tif ?? 'day';
    this.orderQtyLots = spec.orderQtyLots;
    this.priceTicks = spec.priceTicks;
    this.leavesLots = spec.orderQtyLots ?? 0;
    this.scales = spec.scales;
  }

  /** Still able to trade, or about to be: cancels and replaces apply to it. */
  get isOpen(): boolean {
    return this.status === 'pending-new' || this.status === 'new' || this.isPartiallyFilled;
  }

  get isPartiallyFilled(): boolean {
    return this.status === 'partially-filled';
  }

  acknowledged(): void {
    this.status = 'new';
  }

  filled(fill: VenueFillEvent): void {
    this.cumLots += fill.qtyLots;
    this.leavesLots = fill.leavesLots;
    this.#notionalTickLots += BigInt(fill.priceTicks) * BigInt(fill.qtyLots);
    this.status = fill.leavesLots === 0 ? 'filled' : 'partially-filled';
  }

  /**
   * The venue took the replacement. Its leaves are what the venue now holds, so OrderQty is
   * restated as CumQty + LeavesQty, which stays true even if a fill came in between.
   */
  replaced(priceTicks: number, leavesLots: number): void {
    this.priceTicks = priceTicks;
    this.leavesLots = leavesLots;
    this.orderQtyLots = this.cumLots + leavesLots;
    this.status = this.cumLots > 0 ? 'partially-filled' : 'new';
  }

  ended(status: 'canceled' | 'rejected'): void {
    this.leavesLots = 0;
    this.status = status;
  }

  /** The ExecutionReport of the order as it stands, for an execution of `execType`. */
  report(execType: ExecType, transactTimeNs: bigint, detail: ReportDetail = {}): OutboundMessage {
    const fill = detail.fill;
    const text = detail.text ?? fill?.liquidity;
    const report: ExecutionReport = {
      orderId: this.orderId,
      clOrdId: this.clOrdId,
      ...(detail.origClOrdId === undefined ? {} : { origClOrdId: detail.origClOrdId }),
      // Unique: the OrderID is unique and the counter counts this order's executions.
      execId: `${this.orderId}:${++this.#execs}`,
      execType,
      ordStatus: this.status,
      symbol: this.symbol,
      side: this.side,
      ...(this.orderQtyLots === undefined ? {} : { orderQtyLots: this.orderQtyLots }),
      ...(this.priceTicks === undefined ? {} : { priceTicks: this.priceTicks }),
      ...(fill === undefined ? {} : { lastQtyLots: fill.qtyLots, lastPriceTicks: fill.priceTicks }),
      leavesLots: this.isOpen ? this.leavesLots : 0,
      cumLots: this.cumLots,
      avgPx: toAvgPx(this.#notionalTickLots, this.cumLots, this.scales.price),
      ...(detail.ordRejReason === undefined ? {} : { ordRejReason: detail.ordRejReason }),
      // A fill's Text names its liquidity, for readers that do not know tag 851.
      ...(text === undefined ? {} : { text }),
      transactTimeNs,
    };
    const message = buildExecutionReport(report, this.scales);
    if (fill === undefined) return message;
    return withFields(message, [
      [12, toCommission(fill.feeCentiTicks, this.scales.price)],
      [13, COMM_TYPE_ABSOLUTE],
      [851, LIQUIDITY_IND[fill.liquidity]],
    ]);
  }
}

/** `message` with `fields` merged into its body, which stays in tag order. */
function withFields(message: OutboundMessage, fields: readonly FixField[]): OutboundMessage {
  const body = [...message.body, ...fields].sort((a, b) => a[0] - b[0]);
  return { ...message, body };
}
