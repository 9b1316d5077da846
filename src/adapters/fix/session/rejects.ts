/**
 * @module
 * The answers a session gives to messages it cannot process: the session-level Reject (35=3) and
 * the BusinessMessageReject (35=j), laid out as FIX 4.4 and QuickFIX peers lay them out, and the
 * mapping from what an application throws to one of them.
 */
import { type DeltaTraceError, isDeltaTraceError } from '../../../core/index.js';
import type { FixField, FixMessage } from '../message.js';
import {
  BUSINESS_REJECT_TEXT,
  type BusinessRejectReason,
  FIX44_BUSINESS_REJECT_REASON as B,
  FIX44_SESSION_REJECT_REASON as R,
  SESSION_REJECT_TEXT,
  type SessionRejectReason,
} from '../reject-reasons.js';
import { seqOf, type SessionCore } from './core.js';
import { reverseRoute } from './outbound.js';

/** What rejecting needs from the inbound handler: the sequence number it expects next. */
export interface RejectContext {
  readonly core: SessionCore;
  loggedOn(): boolean;
  expected(): number;
  increment(): void;
}

export class SessionRejecter {
  readonly #ctx: RejectContext;

  constructor(ctx: RejectContext) {
    this.#ctx = ctx;
  }

  /** Maps what an application threw to the answer FIX 4.4 calls for (see FixApplication). */
  rejectApplication(message: FixMessage, error: unknown): void {
    if (!isDeltaTraceError(error)) {
      const text = error instanceof Error ? error.message : String(error);
      this.#ctx.core.emit({ type: 'application-error', message: text });
      this.businessReject(message, B.OTHER, 'Application error');
      return;
    }
    const tag = tagOf(error);
    const code = error.code;
    if (code === 'FIX_UNSUPPORTED_MSG_TYPE') {
      this.businessReject(message, B.UNSUPPORTED_MESSAGE_TYPE);
    } else if (code === 'FIX_MISSING_TAG') {
      const text = BUSINESS_REJECT_TEXT[B.CONDITIONALLY_REQUIRED_FIELD_MISSING];
      this.businessReject(
        message,
        B.CONDITIONALLY_REQUIRED_FIELD_MISSING,
        tag === undefined ? text : `${text} (${tag})`,
      );
    } else if (code === 'FIX_BAD_VALUE') {
      this.reject(message, R.VALUE_IS_INCORRECT, tag);
    } else if (code === 'FIX_BAD_FORMAT') {
      this.reject(message, R.INCORRECT_DATA_FORMAT_FOR_VALUE, tag);
    } else if (code === 'FIX_GROUP_COUNT_MISMATCH') {
      this.reject(message, R.INCORRECT_NUM_IN_GROUP_COUNT_FOR_REPEATING_GROUP, tag);
    } else {
      this.#ctx.core.emit({ type: 'application-error', code, message: error.message });
      this.businessReject(message, B.OTHER, error.message);
    }
  }

  rejectAndLogout(message: FixMessage, reason: SessionRejectReason): void {
    if (!this.#ctx.loggedOn()) {
      this.#ctx.core.disconnect('invalid-logon');
      return;
    }
    this.reject(message, reason);
    this.#ctx.core.sendLogout();
  }

  /**
   * A session-level Reject: RefSeqNum (45), Text (58), RefTagID (371), RefMsgType (372),
   * SessionRejectReason (373), routing reversed. It consumes the rejected MsgSeqNum when that is
   * the expected one, except for Logon and SequenceReset. Before logon there is no one to reject
   * to: the connection is dropped instead.
   */
  reject(message: FixMessage, reason: SessionRejectReason, tag?: number): void {
    const core = this.#ctx.core;
    if (!this.#ctx.loggedOn()) {
      core.disconnect('invalid-logon');
      return;
    }
    const refSeqText = message.get(34);
    const text = SESSION_REJECT_TEXT[reason];
    const body: FixField[] = [];
    if (refSeqText !== undefined && refSeqText !== '') body.push([45, refSeqText]);
    body.push([58, text]);
    if (tag !== undefined) body.push([371, String(tag)]);
    if (message.msgType !== '') body.push([372, message.msgType]);
    body.push([373, String(reason)]);
    core.sendAdmin('3', body, reverseRoute(message));
    const seq = seqOf(message);
    if (message.msgType !== 'A' && message.msgType !== '4' && seq === this.#ctx.expected()) {
      this.#ctx.increment();
    }
    core.emit({
      type: 'reject-sent',
      ...(Number.isNaN(seq) ? {} : { refSeqNum: seq }),
      ...(message.msgType === '' ? {} : { refMsgType: message.msgType }),
      reason,
      ...(tag === undefined ? {} : { tag }),
      text,
    });
  }

  businessReject(message: FixMessage, reason: BusinessRejectReason, text?: string): void {
    const core = this.#ctx.core;
    const refSeqText = message.get(34);
    const words = text ?? BUSINESS_REJECT_TEXT[reason];
    const body: FixField[] = [];
    if (refSeqText !== undefined && refSeqText !== '') body.push([45, refSeqText]);
    body.push([58, words], [372, message.msgType], [380, String(reason)]);
    core.sendStored('j', body, reverseRoute(message));
    const seq = seqOf(message);
    if (seq === this.#ctx.expected()) this.#ctx.increment();
    core.emit({
      type: 'business-reject-sent',
      ...(Number.isNaN(seq) ? {} : { refSeqNum: seq }),
      refMsgType: message.msgType,
      reason,
      text: words,
    });
  }
}

function tagOf(error: DeltaTraceError): number | undefined {
  const tag = error.details?.['tag'];
  return typeof tag === 'number' ? tag : undefined;
}
