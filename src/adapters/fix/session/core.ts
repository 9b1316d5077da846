/**
 * @module
 * The session's own actions as its inbound handling uses them, so that the handling can live
 * apart from the FixSession class without widening the class's public surface.
 */
import type { FixField, FixMessage } from '../message.js';
import type { SessionConfig } from './config.js';
import type { StampOptions } from './outbound.js';
import type {
  DisconnectReason,
  FixApplication,
  FixSessionHandle,
  SessionEvent,
  SessionState,
} from './ports.js';
import type { SessionStore } from './store.js';

export interface SessionCore {
  readonly config: SessionConfig;
  readonly store: SessionStore;
  readonly application: FixApplication | undefined;
  readonly handle: FixSessionHandle;
  state(): SessionState;
  nowWallNs(): bigint;
  emit(event: SessionEvent): void;
  /** Sends an administrative message (never resent); returns its MsgSeqNum. */
  sendAdmin(msgType: string, body: readonly FixField[], header?: readonly FixField[]): number;
  /** Sends an application message, stored for resending; returns its MsgSeqNum. */
  sendStored(msgType: string, body: readonly FixField[], header?: readonly FixField[]): number;
  /** Writes a message under an old MsgSeqNum (a resend or a gap fill); nothing is stored. */
  sendPossDup(msgType: string, seq: number, body: readonly FixField[], stamp: StampOptions): void;
  sendLogout(text?: string): void;
  loggedOn(heartBtIntSec: number, resetSeqNum: boolean): void;
  disconnect(reason: DisconnectReason): void;
}

/** MsgSeqNum (34), or NaN when absent or not a number. */
export function seqOf(message: FixMessage): number {
  const text = message.get(34);
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
}
