/**
 * @module
 * Answers a ResendRequest (FIX 4.4 Vol. 2, "Resend Request"): stored application messages go out
 * again under their own MsgSeqNum with PossDupFlag (43=Y) and OrigSendingTime (122) set to their
 * first SendingTime; every run of administrative (or unknown) numbers becomes one
 * SequenceReset-GapFill (35=4, 123=Y) whose NewSeqNo (36) is the next number resent or the one
 * after the range. EndSeqNo 0 means "through the last sent".
 */
import { decodeFixMessage } from '../codec.js';
import type { FixField, FixMessage } from '../message.js';
import { formatUtcTimestamp } from '../timestamps.js';
import { type StampOptions, toResendParts } from './outbound.js';
import type { SessionStore } from './store.js';

export interface ResendCore {
  readonly store: SessionStore;
  nowWallNs(): bigint;
  sendPossDup(msgType: string, seq: number, body: readonly FixField[], stamp: StampOptions): void;
}

export interface ResendServed {
  readonly beginSeq: number;
  readonly endSeq: number;
  readonly resent: number;
  readonly gapFills: number;
}

function decodeStored(bytes: Uint8Array): FixMessage | undefined {
  try {
    return decodeFixMessage(bytes);
  } catch {
    // A stored message that no longer decodes is gap-filled rather than resent damaged.
    return undefined;
  }
}

/** Serves [beginSeq, endSeq]; undefined when nothing in that range has been sent. */
export function serveResendRequest(
  core: ResendCore,
  beginSeq: number,
  endSeq: number,
): ResendServed | undefined {
  const last = core.store.nextSenderSeq - 1;
  const begin = Math.max(1, beginSeq);
  const end = endSeq === 0 || endSeq > last ? last : endSeq;
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin > end) return undefined;
  const now = formatUtcTimestamp(core.nowWallNs());
  let cursor = begin;
  let resent = 0;
  let gapFills = 0;
  const gapFill = (seq: number, newSeqNo: number): void => {
    const body: FixField[] = [
      [36, String(newSeqNo)],
      [123, 'Y'],
    ];
    core.sendPossDup('4', seq, body, { origSendingTime: now });
    gapFills++;
  };
  for (const stored of core.store.sentMessages(begin, end)) {
    const message = decodeStored(stored.bytes);
    if (message === undefined) continue;
    if (stored.seq > cursor) gapFill(cursor, stored.seq);
    const parts = toResendParts(message);
    core.sendPossDup(message.msgType, stored.seq, parts.body, {
      origSendingTime: parts.sendingTime,
      header: parts.header,
    });
    resent++;
    cursor = stored.seq + 1;
  }
  if (cursor <= end) gapFill(cursor, end + 1);
  return { beginSeq: begin, endSeq: end, resent, gapFills };
}
