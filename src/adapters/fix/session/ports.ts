/**
 * @module
 * What a FIX session talks to: the transport that carries its bytes, the application behind it,
 * and observers that see every message and every session event (a capture layer records these).
 * A session owns none of them; the TCP binding, a network simulator or a replay supplies them.
 */
import type { ErrorCode } from '../../../core/index.js';
import type { FixField, FixMessage } from '../message.js';
import type { SessionRejectReason } from '../reject-reasons.js';

/** Where a session writes its bytes. Implemented by the TCP binding, a simulator or a replay. */
export interface FixTransport {
  /** Sends one encoded message, in order. */
  send(bytes: Uint8Array): void;
  /** Closes the connection once what was sent is flushed. The session has already detached. */
  close(): void;
}

/** An application message for the session to stamp with header fields and a MsgSeqNum. */
export interface OutboundMessage {
  /** MsgType (35); an application type. */
  readonly msgType: string;
  /** Body fields in the order they go on the wire. */
  readonly body: readonly FixField[];
  /**
   * Optional header fields (PossResend 97, OnBehalfOfCompID 115, DeliverToCompID 128, …), placed
   * in tag order among the session's own. Tags the session owns (8, 9, 10, 34, 35, 43, 49, 52,
   * 56, 122) are ignored.
   */
  readonly header?: readonly FixField[];
}

/** What sits behind a session. */
export interface FixApplication {
  /**
   * An application message, received in sequence and (unless validation is off) valid against
   * the dictionary. Throwing an InputError answers it: FIX_UNSUPPORTED_MSG_TYPE and FIX_MISSING_TAG
   * with a BusinessMessageReject (380 = 3, 5), FIX_BAD_VALUE, FIX_BAD_FORMAT and
   * FIX_GROUP_COUNT_MISMATCH with a session Reject naming `details.tag` (373 = 5, 6, 16); anything
   * else with a BusinessMessageReject 380 = 0.
   */
  onMessage(message: FixMessage, session: FixSessionHandle): void;
  onLogon?(session: FixSessionHandle): void;
  onLogout?(session: FixSessionHandle): void;
}

/** The part of a session its application uses. */
export interface FixSessionHandle {
  readonly senderCompId: string;
  readonly targetCompId: string;
  /** Sends an application message; returns its MsgSeqNum. @throws FIX_SESSION_NOT_LOGGED_ON */
  send(message: OutboundMessage): number;
  /** Starts a Logout. */
  logout(text?: string): void;
}

export type SessionState =
  'disconnected' | 'awaiting-logon' | 'logon-sent' | 'active' | 'logout-sent';

export type DisconnectReason =
  | 'transport-closed'
  | 'logout-complete'
  | 'logout-timeout'
  | 'logon-timeout'
  | 'heartbeat-timeout'
  | 'invalid-logon'
  | 'not-logon'
  | 'unexpected-logon'
  | 'seq-too-low'
  | 'internal-error'
  | 'closed-locally';

/** What happened in a session, for logs and capture. Deterministic given the same inputs. */
export type SessionEvent =
  | { readonly type: 'connected' }
  | { readonly type: 'logon'; readonly heartBtIntSec: number; readonly resetSeqNum: boolean }
  | { readonly type: 'logout-sent'; readonly text?: string }
  | { readonly type: 'logout-received'; readonly text?: string }
  | { readonly type: 'disconnected'; readonly reason: DisconnectReason; readonly detail?: string }
  | { readonly type: 'garbled'; readonly code: ErrorCode; readonly skippedBytes?: number }
  | {
      readonly type: 'gap-detected';
      readonly expectedSeq: number;
      readonly receivedSeq: number;
      readonly resendRequested: boolean;
    }
  | { readonly type: 'resend-complete'; readonly throughSeq: number }
  | {
      readonly type: 'resend-served';
      readonly beginSeq: number;
      readonly endSeq: number;
      readonly resent: number;
      readonly gapFills: number;
    }
  | { readonly type: 'sequence-reset'; readonly gapFill: boolean; readonly newSeqNo: number }
  | { readonly type: 'duplicate-ignored'; readonly msgSeqNum: number }
  | {
      readonly type: 'reject-sent';
      readonly refSeqNum?: number;
      readonly refMsgType?: string;
      readonly reason: SessionRejectReason;
      readonly tag?: number;
      readonly text: string;
    }
  | {
      readonly type: 'business-reject-sent';
      readonly refSeqNum?: number;
      readonly refMsgType: string;
      readonly reason: number;
      readonly text: string;
    }
  | { readonly type: 'reject-received'; readonly refSeqNum?: number; readonly text?: string }
  | { readonly type: 'test-request-sent'; readonly testReqId: string }
  | { readonly type: 'application-error'; readonly code?: ErrorCode; readonly message: string };

export type MessageDirection = 'in' | 'out';

/**
 * Sees a session's traffic: every framed inbound message (before decoding, garbled ones included)
 * and every outbound message (resends included), in the order they crossed the session boundary.
 */
export interface SessionObserver {
  onMessage?(direction: MessageDirection, bytes: Uint8Array): void;
  onEvent?(event: SessionEvent): void;
}
