/**
 * @module
 * One entry point for an application's inbound side: the typed form of any supported application
 * message, or FIX_UNSUPPORTED_MSG_TYPE, which a session answers with a BusinessMessageReject
 * (380 = 3) when an application lets it propagate.
 */
import { fixError, type FixMessage } from '../message.js';
import type { InstrumentScales } from './decimal-scale.js';
import {
  type BusinessMessageReject,
  type ExecutionReport,
  type OrderCancelReject,
  parseBusinessMessageReject,
  parseExecutionReport,
  parseOrderCancelReject,
} from './executions.js';
import {
  type MarketDataIncrementalRefresh,
  type MarketDataRequest,
  type MarketDataSnapshot,
  parseMarketDataIncrementalRefresh,
  parseMarketDataRequest,
  parseMarketDataSnapshot,
} from './market-data.js';
import {
  type NewOrderSingle,
  type OrderCancelReplaceRequest,
  type OrderCancelRequest,
  parseNewOrderSingle,
  parseOrderCancelReplaceRequest,
  parseOrderCancelRequest,
} from './orders.js';

export type AppMessage =
  | { readonly type: 'new-order-single'; readonly value: NewOrderSingle }
  | { readonly type: 'order-cancel-request'; readonly value: OrderCancelRequest }
  | { readonly type: 'order-cancel-replace-request'; readonly value: OrderCancelReplaceRequest }
  | { readonly type: 'execution-report'; readonly value: ExecutionReport }
  | { readonly type: 'order-cancel-reject'; readonly value: OrderCancelReject }
  | { readonly type: 'market-data-request'; readonly value: MarketDataRequest }
  | { readonly type: 'market-data-snapshot'; readonly value: MarketDataSnapshot }
  | {
      readonly type: 'market-data-incremental-refresh';
      readonly value: MarketDataIncrementalRefresh;
    }
  | { readonly type: 'business-message-reject'; readonly value: BusinessMessageReject };

/**
 * Parses any supported application message.
 * @throws InputError FIX_UNSUPPORTED_MSG_TYPE for another MsgType; otherwise what the message's
 * own parser throws (FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT, FIX_GROUP_COUNT_MISMATCH).
 */
export function parseAppMessage(message: FixMessage, scales: InstrumentScales): AppMessage {
  switch (message.msgType) {
    case 'D':
      return { type: 'new-order-single', value: parseNewOrderSingle(message, scales) };
    case 'F':
      return { type: 'order-cancel-request', value: parseOrderCancelRequest(message, scales) };
    case 'G':
      return {
        type: 'order-cancel-replace-request',
        value: parseOrderCancelReplaceRequest(message, scales),
      };
    case '8':
      return { type: 'execution-report', value: parseExecutionReport(message, scales) };
    case '9':
      return { type: 'order-cancel-reject', value: parseOrderCancelReject(message) };
    case 'V':
      return { type: 'market-data-request', value: parseMarketDataRequest(message) };
    case 'W':
      return { type: 'market-data-snapshot', value: parseMarketDataSnapshot(message, scales) };
    case 'X':
      return {
        type: 'market-data-incremental-refresh',
        value: parseMarketDataIncrementalRefresh(message, scales),
      };
    case 'j':
      return { type: 'business-message-reject', value: parseBusinessMessageReject(message) };
    default:
      throw fixError('FIX_UNSUPPORTED_MSG_TYPE', `unsupported MsgType ${message.msgType}`, {
        tag: 35,
        actual: message.msgType,
      });
  }
}
