/**
 * @module
 * Execution reporting: ExecutionReport (8), OrderCancelReject (9) and BusinessMessageReject (j).
 * Prices are integer ticks and quantities integer lots, except AvgPx (6), which is an average off
 * the tick grid and stays a decimal string.
 */
import { z } from 'zod';

import type { FixMessage } from '../message.js';
import type { OutboundMessage } from '../session/ports.js';
import type { InstrumentScales } from './decimal-scale.js';
import {
  checkParsed,
  expectMsgType,
  fieldIf,
  FieldReader,
  optionalEntry,
  toWireTimestamp,
  WireCodes,
} from './fields.js';
import { SIDE_CODES } from './orders.js';

export const ExecTypeSchema = z.enum([
  'new',
  'trade',
  'canceled',
  'replaced',
  'pending-cancel',
  'rejected',
  'pending-new',
  'expired',
  'pending-replace',
  'order-status',
]);
export type ExecType = z.infer<typeof ExecTypeSchema>;

/** ExecType (150), FIX 4.4 values. */
export const EXEC_TYPE_CODES = new WireCodes<ExecType>({
  new: '0',
  canceled: '4',
  replaced: '5',
  'pending-cancel': '6',
  rejected: '8',
  'pending-new': 'A',
  expired: 'C',
  'pending-replace': 'E',
  trade: 'F',
  'order-status': 'I',
});

export const OrdStatusSchema = z.enum([
  'new',
  'partially-filled',
  'filled',
  'done-for-day',
  'canceled',
  'pending-cancel',
  'rejected',
  'pending-new',
  'expired',
  'pending-replace',
]);
export type OrdStatus = z.infer<typeof OrdStatusSchema>;

/** OrdStatus (39). */
export const ORD_STATUS_CODES = new WireCodes<OrdStatus>({
  new: '0',
  'partially-filled': '1',
  filled: '2',
  'done-for-day': '3',
  canceled: '4',
  'pending-cancel': '6',
  rejected: '8',
  'pending-new': 'A',
  expired: 'C',
  'pending-replace': 'E',
});

/** CxlRejResponseTo (434). */
const RESPONSE_TO_CODES = new WireCodes<'cancel' | 'replace'>({ cancel: '1', replace: '2' });

const IdSchema = z.string().min(1);
const LotsSchema = z.number().int().nonnegative();
const DecimalSchema = z.string().regex(/^-?(?:\d+\.?\d*|\.\d+)$/);

export const ExecutionReportSchema = z.strictObject({
  orderId: IdSchema,
  clOrdId: IdSchema.optional(),
  origClOrdId: IdSchema.optional(),
  execId: IdSchema,
  execType: ExecTypeSchema,
  ordStatus: OrdStatusSchema,
  symbol: IdSchema,
  side: z.enum(['buy', 'sell']),
  orderQtyLots: LotsSchema.optional(),
  priceTicks: z.number().int().optional(),
  lastQtyLots: LotsSchema.optional(),
  lastPriceTicks: z.number().int().optional(),
  leavesLots: LotsSchema,
  cumLots: LotsSchema,
  avgPx: DecimalSchema,
  ordRejReason: z.number().int().nonnegative().optional(),
  text: z.string().optional(),
  transactTimeNs: z.bigint().nonnegative().optional(),
  /** Commission (12) of this fill as an exact decimal, with CommType (13) 3 (absolute). */
  commission: DecimalSchema.optional(),
  /** LastLiquidityInd (851): the fill added liquidity (maker) or removed it (taker). */
  lastLiquidity: z.enum(['added', 'removed']).optional(),
});
export type ExecutionReport = z.infer<typeof ExecutionReportSchema>;

const EXECUTION_TAGS = {
  orderId: 37,
  clOrdId: 11,
  origClOrdId: 41,
  execId: 17,
  execType: 150,
  ordStatus: 39,
  symbol: 55,
  side: 54,
  orderQtyLots: 38,
  priceTicks: 44,
  lastQtyLots: 32,
  lastPriceTicks: 31,
  leavesLots: 151,
  cumLots: 14,
  avgPx: 6,
  ordRejReason: 103,
  text: 58,
  transactTimeNs: 60,
  commission: 12,
  lastLiquidity: 851,
} as const;

/** LastLiquidityInd (851). */
const LIQUIDITY_CODES = new WireCodes<'added' | 'removed'>({ added: '1', removed: '2' });

export function buildExecutionReport(
  report: ExecutionReport,
  scales: InstrumentScales,
): OutboundMessage {
  const qty = (lots: number | undefined): string | undefined =>
    lots === undefined ? undefined : scales.qty.toWire(lots);
  const price = (ticks: number | undefined): string | undefined =>
    ticks === undefined ? undefined : scales.price.toWire(ticks);
  return {
    msgType: '8',
    body: [
      [6, report.avgPx],
      ...fieldIf(11, report.clOrdId),
      ...fieldIf(12, report.commission),
      ...fieldIf(13, report.commission === undefined ? undefined : '3'),
      [14, scales.qty.toWire(report.cumLots)],
      [17, report.execId],
      ...fieldIf(31, price(report.lastPriceTicks)),
      ...fieldIf(32, qty(report.lastQtyLots)),
      [37, report.orderId],
      ...fieldIf(38, qty(report.orderQtyLots)),
      [39, ORD_STATUS_CODES.toWire(report.ordStatus)],
      ...fieldIf(41, report.origClOrdId),
      ...fieldIf(44, price(report.priceTicks)),
      [54, SIDE_CODES.toWire(report.side)],
      [55, report.symbol],
      ...fieldIf(58, report.text),
      ...fieldIf(
        60,
        report.transactTimeNs === undefined ? undefined : toWireTimestamp(report.transactTimeNs),
      ),
      ...fieldIf(103, report.ordRejReason === undefined ? undefined : String(report.ordRejReason)),
      [150, EXEC_TYPE_CODES.toWire(report.execType)],
      [151, scales.qty.toWire(report.leavesLots)],
      ...fieldIf(
        851,
        report.lastLiquidity === undefined
          ? undefined
          : LIQUIDITY_CODES.toWire(report.lastLiquidity),
      ),
    ],
  };
}

/** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT, each naming the tag. */
export function parseExecutionReport(
  message: FixMessage,
  scales: InstrumentScales,
): ExecutionReport {
  expectMsgType(message, '8');
  const r = new FieldReader(message, scales);
  return checkParsed(
    ExecutionReportSchema,
    {
      orderId: r.required(37),
      ...optionalEntry('clOrdId', r.optional(11)),
      ...optionalEntry('origClOrdId', r.optional(41)),
      execId: r.required(17),
      execType: r.code(150, EXEC_TYPE_CODES),
      ordStatus: r.code(39, ORD_STATUS_CODES),
      symbol: r.required(55),
      side: r.code(54, SIDE_CODES),
      ...optionalEntry('orderQtyLots', r.optionalLots(38)),
      ...optionalEntry('priceTicks', r.optionalTicks(44)),
      ...optionalEntry('lastQtyLots', r.optionalLots(32)),
      ...optionalEntry('lastPriceTicks', r.optionalTicks(31)),
      leavesLots: r.lots(151),
      cumLots: r.lots(14),
      avgPx: r.decimal(6),
      ...optionalEntry('ordRejReason', r.optionalInt(103)),
      ...optionalEntry('text', r.optional(58)),
      ...optionalEntry('transactTimeNs', r.optionalTimestamp(60)),
      ...optionalEntry('commission', message.get(12) === undefined ? undefined : r.decimal(12)),
      ...optionalEntry(
        'lastLiquidity',
        message.get(851) === undefined ? undefined : r.code(851, LIQUIDITY_CODES),
      ),
    },
    EXECUTION_TAGS,
  );
}

export const OrderCancelRejectSchema = z.strictObject({
  orderId: IdSchema,
  clOrdId: IdSchema,
  origClOrdId: IdSchema,
  ordStatus: OrdStatusSchema,
  responseTo: z.enum(['cancel', 'replace']),
  cxlRejReason: z.number().int().nonnegative().optional(),
  text: z.string().optional(),
});
export type OrderCancelReject = z.infer<typeof OrderCancelRejectSchema>;

const CANCEL_REJECT_TAGS = {
  orderId: 37,
  clOrdId: 11,
  origClOrdId: 41,
  ordStatus: 39,
  responseTo: 434,
  cxlRejReason: 102,
  text: 58,
} as const;

export function buildOrderCancelReject(reject: OrderCancelReject): OutboundMessage {
  return {
    msgType: '9',
    body: [
      [11, reject.clOrdId],
      [37, reject.orderId],
      [39, ORD_STATUS_CODES.toWire(reject.ordStatus)],
      [41, reject.origClOrdId],
      ...fieldIf(58, reject.text),
      ...fieldIf(102, reject.cxlRejReason === undefined ? undefined : String(reject.cxlRejReason)),
      [434, RESPONSE_TO_CODES.toWire(reject.responseTo)],
    ],
  };
}

/** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT, each naming the tag. */
export function parseOrderCancelReject(message: FixMessage): OrderCancelReject {
  expectMsgType(message, '9');
  const r = new FieldReader(message);
  return checkParsed(
    OrderCancelRejectSchema,
    {
      orderId: r.required(37),
      clOrdId: r.required(11),
      origClOrdId: r.required(41),
      ordStatus: r.code(39, ORD_STATUS_CODES),
      responseTo: r.code(434, RESPONSE_TO_CODES),
      ...optionalEntry('cxlRejReason', r.optionalInt(102)),
      ...optionalEntry('text', r.optional(58)),
    },
    CANCEL_REJECT_TAGS,
  );
}

export const BusinessMessageRejectSchema = z.strictObject({
  refSeqNum: z.number().int().positive().optional(),
  refMsgType: z.string().min(1),
  businessRejectRefId: z.string().min(1).optional(),
  reason: z.number().int().nonnegative(),
  text: z.string().optional(),
});
export type BusinessMessageReject = z.infer<typeof BusinessMessageRejectSchema>;

const BUSINESS_REJECT_TAGS = {
  refSeqNum: 45,
  refMsgType: 372,
  businessRejectRefId: 379,
  reason: 380,
  text: 58,
} as const;

export function buildBusinessMessageReject(reject: BusinessMessageReject): OutboundMessage {
  return {
    msgType: 'j',
    body: [
      ...fieldIf(45, reject.refSeqNum === undefined ? undefined : String(reject.refSeqNum)),
      ...fieldIf(58, reject.text),
      [372, reject.refMsgType],
      ...fieldIf(379, reject.businessRejectRefId),
      [380, String(reject.reason)],
    ],
  };
}

/** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT, each naming the tag. */
export function parseBusinessMessageReject(message: FixMessage): BusinessMessageReject {
  expectMsgType(message, 'j');
  const r = new FieldReader(message);
  return checkParsed(
    BusinessMessageRejectSchema,
    {
      ...optionalEntry('refSeqNum', r.optionalInt(45)),
      refMsgType: r.required(372),
      ...optionalEntry('businessRejectRefId', r.optional(379)),
      reason: r.int(380),
      ...optionalEntry('text', r.optional(58)),
    },
    BUSINESS_REJECT_TAGS,
  );
}
