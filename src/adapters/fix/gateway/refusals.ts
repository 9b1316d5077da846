/**
 * @module
 * How the gateway words a refusal: the FIX 4.4 reason codes of OrdRejReason (103) and
 * CxlRejReason (102) it uses, the venue's reasons in those terms, and which parse failures are
 * the venue's to refuse (a price off the tick, a quantity it cannot take) rather than the
 * session's to Reject.
 */
import { isDeltaTraceError } from '../../../core/index.js';
import type { CancelReason, RejectReason } from '../../../exchange/index.js';
import { DecimalScale, type InstrumentScales } from '../app/decimal-scale.js';
import { buildOrderCancelReject, type OrdStatus } from '../app/executions.js';
import type { OutboundMessage } from '../session/ports.js';

export interface Refusal {
  readonly reason: number;
  readonly text: string;
}

/** Scales of a refusal for a symbol we do not list: it carries only zero quantities. */
export const UNIT_SCALES: InstrumentScales = {
  price: new DecimalScale('1'),
  qty: new DecimalScale('1'),
};

/** OrdRejReason (103). */
export const ORD_REJ = {
  UNKNOWN_SYMBOL: 1,
  DUPLICATE_ORDER: 6,
  UNSUPPORTED_CHARACTERISTIC: 11,
  INCORRECT_QUANTITY: 13,
  OTHER: 99,
} as const;
/** CxlRejReason (102). */
export const CXL_REJ = {
  TOO_LATE: 0,
  UNKNOWN_ORDER: 1,
  ALREADY_PENDING: 3,
  DUPLICATE_ID: 6,
  OTHER: 99,
} as const;

/**
 * Tags whose value the venue cannot take, answered with a rejection of the order rather than a
 * session Reject, and the OrdRejReason: 13 incorrect quantity, 11 unsupported characteristic.
 */
const REFUSABLE_TAGS: ReadonlyMap<number, number> = new Map([
  [38, ORD_REJ.INCORRECT_QUANTITY],
  [40, ORD_REJ.UNSUPPORTED_CHARACTERISTIC],
  [44, ORD_REJ.OTHER],
  [59, ORD_REJ.UNSUPPORTED_CHARACTERISTIC],
]);

export const VENUE_REJECT_REASON: Readonly<Record<RejectReason, number>> = {
  'invalid-qty': ORD_REJ.INCORRECT_QUANTITY,
  'invalid-price': ORD_REJ.OTHER,
  'duplicate-order-id': ORD_REJ.DUPLICATE_ORDER,
  'unknown-order': ORD_REJ.OTHER,
  'no-change': ORD_REJ.OTHER,
};

export const CANCEL_TEXT: Readonly<Record<CancelReason, string>> = {
  user: 'canceled on request',
  'ioc-remainder': 'immediate-or-cancel remainder',
  'fok-unfilled': 'fill-or-kill order not fillable',
  'market-remainder': 'market order remainder',
  'self-trade': 'self-trade prevention',
};

/** The tag a FIX_BAD_VALUE names, or undefined for any other error. */
export function badValueTag(error: unknown): number | undefined {
  if (!isDeltaTraceError(error) || error.code !== 'FIX_BAD_VALUE') return undefined;
  const tag = error.details?.['tag'];
  return typeof tag === 'number' ? tag : undefined;
}

/** A FIX_BAD_VALUE on a tag the venue judges, as the order's refusal; else undefined. */
export function refusedValue(error: unknown): Refusal | undefined {
  const tag = badValueTag(error);
  const reason = tag === undefined ? undefined : REFUSABLE_TAGS.get(tag);
  if (reason === undefined || !(error instanceof Error)) return undefined;
  return { reason, text: error.message };
}

/** The request an OrderCancelReject (9) answers. */
export interface CancelRequestRef {
  readonly responseTo: 'cancel' | 'replace';
  readonly clOrdId: string;
  readonly origClOrdId: string;
}

/** The OrderCancelReject of a request; `order` is absent when the request names none we know. */
export function cancelRejectOf(
  ref: CancelRequestRef,
  order: { readonly orderId: string; readonly status: OrdStatus } | undefined,
  refusal: Refusal,
): OutboundMessage {
  return buildOrderCancelReject({
    orderId: order?.orderId ?? 'NONE',
    clOrdId: ref.clOrdId,
    origClOrdId: ref.origClOrdId,
    // FIX 4.4 has no status for an order it never saw; Rejected is the usual answer.
    ordStatus: order?.status ?? 'rejected',
    responseTo: ref.responseTo,
    cxlRejReason: refusal.reason,
    text: refusal.text,
  });
}
