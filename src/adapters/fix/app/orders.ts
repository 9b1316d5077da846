/**
 * @module
 * Order entry: NewOrderSingle (D), OrderCancelRequest (F) and OrderCancelReplaceRequest (G), with
 * prices in integer ticks and quantities in integer lots. Builders emit body fields in tag order.
 */
import { z } from 'zod';

import type { OrderType, Side, TimeInForce } from '../../../exchange/index.js';
import type { FixField, FixMessage } from '../message.js';
import type { OutboundMessage } from '../session/ports.js';
import type { InstrumentScales } from './decimal-scale.js';
import {
  checkParsed,
  expectMsgType,
  fieldIf,
  FieldReader,
  MISSING,
  optionalEntry,
  toWireTimestamp,
  WireCodes,
} from './fields.js';

/** Side (54). */
export const SIDE_CODES = new WireCodes<Side>({ buy: '1', sell: '2' });
/** OrdType (40). */
export const ORD_TYPE_CODES = new WireCodes<OrderType>({ market: '1', limit: '2' });
/** TimeInForce (59); absent means day. */
export const TIME_IN_FORCE_CODES = new WireCodes<TimeInForce>({ day: '0', ioc: '3', fok: '4' });

const IdSchema = z.string().min(1);
const SideSchema = z.enum(['buy', 'sell']);
const OrderTypeSchema = z.enum(['limit', 'market']);
const TifSchema = z.enum(['day', 'ioc', 'fok']);
const LotsSchema = z.number().int().positive();
const TicksSchema = z.number().int();
const TimeSchema = z.bigint().nonnegative();

/** A limit order needs a price (44); a market order must not carry one. */
function priceMatchesType(
  order: { readonly orderType: OrderType; readonly priceTicks?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  if (order.orderType === 'limit' && order.priceTicks === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['priceTicks'],
      message: 'a limit order needs a price',
      params: MISSING,
    });
  }
  if (order.orderType === 'market' && order.priceTicks !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['priceTicks'], message: 'a market order has no price' });
  }
}

export const NewOrderSingleSchema = z
  .strictObject({
    clOrdId: IdSchema,
    account: IdSchema.optional(),
    symbol: IdSchema,
    side: SideSchema,
    orderType: OrderTypeSchema,
    tif: TifSchema,
    qtyLots: LotsSchema,
    priceTicks: TicksSchema.optional(),
    transactTimeNs: TimeSchema,
  })
  .superRefine(priceMatchesType);
export type NewOrderSingle = z.infer<typeof NewOrderSingleSchema>;

export const OrderCancelRequestSchema = z.strictObject({
  origClOrdId: IdSchema,
  clOrdId: IdSchema,
  orderId: IdSchema.optional(),
  symbol: IdSchema,
  side: SideSchema,
  qtyLots: LotsSchema.optional(),
  transactTimeNs: TimeSchema,
});
export type OrderCancelRequest = z.infer<typeof OrderCancelRequestSchema>;

export const OrderCancelReplaceRequestSchema = z
  .strictObject({
    origClOrdId: IdSchema,
    clOrdId: IdSchema,
    orderId: IdSchema.optional(),
    account: IdSchema.optional(),
    symbol: IdSchema,
    side: SideSchema,
    orderType: OrderTypeSchema,
    tif: TifSchema,
    qtyLots: LotsSchema,
    priceTicks: TicksSchema.optional(),
    transactTimeNs: TimeSchema,
  })
  .superRefine(priceMatchesType);
export type OrderCancelReplaceRequest = z.infer<typeof OrderCancelReplaceRequestSchema>;

const TAGS = {
  clOrdId: 11,
  origClOrdId: 41,
  orderId: 37,
  account: 1,
  symbol: 55,
  side: 54,
  orderType: 40,
  tif: 59,
  qtyLots: 38,
  priceTicks: 44,
  transactTimeNs: 60,
} as const;

function byTag(fields: FixField[]): FixField[] {
  return fields.sort((a, b) => a[0] - b[0]);
}

export function buildNewOrderSingle(
  order: NewOrderSingle,
  scales: InstrumentScales,
): OutboundMessage {
  return {
    msgType: 'D',
    body: byTag([
      ...fieldIf(1, order.account),
      [11, order.clOrdId],
      [38, scales.qty.toWire(order.qtyLots)],
      [40, ORD_TYPE_CODES.toWire(order.orderType)],
      ...fieldIf(
        44,
        order.priceTicks === undefined ? undefined : scales.price.toWire(order.priceTicks),
      ),
      [54, SIDE_CODES.toWire(order.side)],
      [55, order.symbol],
      [59, TIME_IN_FORCE_CODES.toWire(order.tif)],
      [60, toWireTimestamp(order.transactTimeNs)],
    ]),
  };
}

/**
 * @throws InputError FIX_MISSING_TAG (a required or conditionally required tag), FIX_BAD_VALUE
 * (unsupported code, off-tick price, non-positive quantity), FIX_BAD_FORMAT, each naming the tag.
 */
export function parseNewOrderSingle(message: FixMessage, scales: InstrumentScales): NewOrderSingle {
  expectMsgType(message, 'D');
  const r = new FieldReader(message, scales);
  return checkParsed(
    NewOrderSingleSchema,
    {
      clOrdId: r.required(11),
      ...optionalEntry('account', r.optional(1)),
      symbol: r.required(55),
      side: r.code(54, SIDE_CODES),
      orderType: r.code(40, ORD_TYPE_CODES),
      tif: r.optionalCode(59, TIME_IN_FORCE_CODES) ?? 'day',
      qtyLots: r.lots(38),
      ...optionalEntry('priceTicks', r.optionalTicks(44)),
      transactTimeNs: r.timestamp(60),
    },
    TAGS,
  );
}

export function buildOrderCancelRequest(
  cancel: OrderCancelRequest,
  scales: InstrumentScales,
): OutboundMessage {
  return {
    msgType: 'F',
    body: byTag([
      [11, cancel.clOrdId],
      ...fieldIf(37, cancel.orderId),
      ...fieldIf(38, cancel.qtyLots === undefined ? undefined : scales.qty.toWire(cancel.qtyLots)),
      [41, cancel.origClOrdId],
      [54, SIDE_CODES.toWire(cancel.side)],
      [55, cancel.symbol],
      [60, toWireTimestamp(cancel.transactTimeNs)],
    ]),
  };
}

/** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT, each naming the tag. */
export function parseOrderCancelRequest(
  message: FixMessage,
  scales: InstrumentScales,
): OrderCancelRequest {
  expectMsgType(message, 'F');
  const r = new FieldReader(message, scales);
  return checkParsed(
    OrderCancelRequestSchema,
    {
      origClOrdId: r.required(41),
      clOrdId: r.required(11),
      ...optionalEntry('orderId', r.optional(37)),
      symbol: r.required(55),
      side: r.code(54, SIDE_CODES),
      ...optionalEntry('qtyLots', r.optionalLots(38)),
      transactTimeNs: r.timestamp(60),
    },
    TAGS,
  );
}

export function buildOrderCancelReplaceRequest(
  replace: OrderCancelReplaceRequest,
  scales: InstrumentScales,
): OutboundMessage {
  const price =
    replace.priceTicks === undefined ? undefined : scales.price.toWire(replace.priceTicks);
  return {
    msgType: 'G',
    body: byTag([
      ...fieldIf(1, replace.account),
      [11, replace.clOrdId],
      ...fieldIf(37, replace.orderId),
      [38, scales.qty.toWire(replace.qtyLots)],
      [40, ORD_TYPE_CODES.toWire(replace.orderType)],
      [41, replace.origClOrdId],
      ...fieldIf(44, price),
      [54, SIDE_CODES.toWire(replace.side)],
      [55, replace.symbol],
      [59, TIME_IN_FORCE_CODES.toWire(replace.tif)],
      [60, toWireTimestamp(replace.transactTimeNs)],
    ]),
  };
}

/** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT, each naming the tag. */
export function parseOrderCancelReplaceRequest(
  message: FixMessage,
  scales: InstrumentScales,
): OrderCancelReplaceRequest {
  expectMsgType(message, 'G');
  const r = new FieldReader(message, scales);
  return checkParsed(
    OrderCancelReplaceRequestSchema,
    {
      origClOrdId: r.required(41),
      clOrdId: r.required(11),
      ...optionalEntry('orderId', r.optional(37)),
      ...optionalEntry('account', r.optional(1)),
      symbol: r.required(55),
      side: r.code(54, SIDE_CODES),
      orderType: r.code(40, ORD_TYPE_CODES),
      tif: r.optionalCode(59, TIME_IN_FORCE_CODES) ?? 'day',
      qtyLots: r.lots(38),
      ...optionalEntry('priceTicks', r.optionalTicks(44)),
      transactTimeNs: r.timestamp(60),
    },
    TAGS,
  );
}
