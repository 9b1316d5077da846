/**
 * @module
 * What a session does with each inbound message (FIX 4.4 Vol. 2 session protocol, with the
 * ordering of checks QuickFIX uses, which its acceptance scripts pin down): decode (a garbled
 * message is ignored), required CompIDs, BeginString, dictionary validation (session Reject), then
 * per MsgType: SendingTime accuracy, CompIDs, and MsgSeqNum (too high: queue and ResendRequest;
 * too low: Logout and disconnect unless PossDup), then the message itself. Queued messages are
 * processed as soon as the gap before them is filled.
 */
import { isDeltaTraceError } from '../../../core/index.js';
import { decodeFixMessage } from '../codec.js';
import type { FixField, FixMessage } from '../message.js';
import {
  FIX44_BUSINESS_REJECT_REASON as B,
  FIX44_SESSION_REJECT_REASON as R,
} from '../reject-reasons.js';
import { parseUtcTimestamp } from '../timestamps.js';
import { validateFixMessage } from '../validation.js';
import { seqOf, type SessionCore } from './core.js';
import { SessionRejecter } from './rejects.js';
import { serveResendRequest } from './resend.js';

const NS_PER_MS = 1_000_000n;

export class InboundHandler {
  readonly #core: SessionCore;
  readonly #queue = new Map<number, FixMessage>();
  /** Outstanding ResendRequest: complete once messages through `endSeq` have arrived. */
  #resend: { readonly beginSeq: number; readonly endSeq: number } | undefined;
  /** An initiator that sent ResetSeqNumFlag with its Logon. */
  sentReset = false;

  readonly #rejecter: SessionRejecter;
  readonly #toleranceNs: bigint;

  constructor(core: SessionCore) {
    this.#core = core;
    this.#toleranceNs = BigInt(core.config.sendingTimeToleranceMs) * NS_PER_MS;
    this.#rejecter = new SessionRejecter({
      core,
      loggedOn: () => this.#loggedOn(),
      expected: () => this.#expected(),
      increment: () => this.#increment(),
    });
  }

  reset(): void {
    this.#queue.clear();
    this.#resend = undefined;
    this.sentReset = false;
  }

  /** One framed message from the wire. */
  frame(bytes: Uint8Array): void {
    let message: FixMessage;
    try {
      message = decodeFixMessage(bytes);
    } catch (error) {
      const code = isDeltaTraceError(error) ? error.code : 'FIX_GARBLED';
      this.#core.emit({ type: 'garbled', code });
      if (!this.#loggedOn()) this.#core.disconnect('invalid-logon');
      return;
    }
    this.#process(message);
    this.#drainQueue();
  }

  #loggedOn(): boolean {
    const state = this.#core.state();
    return state === 'active' || state === 'logout-sent';
  }

  #expected(): number {
    return this.#core.store.nextTargetSeq;
  }

  #setExpected(seq: number): void {
    this.#core.store.setNextTargetSeq(seq);
    const resend = this.#resend;
    if (resend !== undefined && seq > resend.endSeq) {
      this.#resend = undefined;
      this.#core.emit({ type: 'resend-complete', throughSeq: resend.endSeq });
    }
  }

  #increment(): void {
    this.#setExpected(this.#expected() + 1);
  }

  #process(message: FixMessage): void {
    const core = this.#core;
    const msgType = message.msgType;
    const missingCompId =
      message.get(49) === undefined ? 49 : message.get(56) === undefined ? 56 : 0;
    if (missingCompId !== 0) {
      this.#rejecter.reject(message, R.REQUIRED_TAG_MISSING, missingCompId);
      return;
    }
    if (message.get(8) !== core.config.beginString) {
      if (msgType === '5') {
        this.#onLogout(message);
      } else if (!this.#loggedOn()) {
        core.disconnect('invalid-logon');
      } else {
        core.sendLogout('Incorrect BeginString');
        this.#increment();
      }
      return;
    }
    const state = core.state();
    if ((state === 'awaiting-logon' || state === 'logon-sent') && msgType !== 'A') {
      core.disconnect('not-logon');
      return;
    }
    if (core.config.validateMessages) {
      const violation = validateFixMessage(message);
      if (violation !== undefined) {
        this.#rejecter.reject(message, violation.reason, violation.tag);
        return;
      }
    }
    switch (msgType) {
      case 'A':
        this.#onLogon(message);
        return;
      case '0':
        if (this.#verify(message, true, true)) this.#increment();
        return;
      case '1':
        if (!this.#verify(message, true, true)) return;
        core.sendAdmin('0', [[112, message.get(112) ?? '']]);
        this.#increment();
        return;
      case '2':
        this.#onResendRequest(message);
        return;
      case '3':
        if (!this.#verify(message, true, true)) return;
        this.#onReject(message);
        this.#increment();
        return;
      case '4':
        this.#onSequenceReset(message);
        return;
      case '5':
        this.#onLogout(message);
        return;
      default:
        this.#onApplication(message);
    }
  }

  #drainQueue(): void {
    while (this.#queue.size > 0 && this.#loggedOn()) {
      const expected = this.#expected();
      const message = this.#queue.get(expected);
      if (message === undefined) break;
      this.#queue.delete(expected);
      // A queued Logon or ResendRequest was acted on when it arrived; only its number remains.
      if (message.msgType === 'A' || message.msgType === '2') this.#increment();
      else this.#process(message);
    }
    if (this.#queue.size > 0) {
      const expected = this.#expected();
      for (const seq of [...this.#queue.keys()]) if (seq < expected) this.#queue.delete(seq);
    }
  }

  /**
   * SendingTime accuracy, CompIDs, then MsgSeqNum against the expected one. False when the message
   * must not be processed further (the answer has been sent).
   */
  #verify(message: FixMessage, checkTooHigh: boolean, checkTooLow: boolean): boolean {
    const core = this.#core;
    const sendingNs = parseUtcTimestamp(message.get(52) ?? '');
    const toleranceNs = this.#toleranceNs;
    const driftNs = sendingNs === undefined ? undefined : core.nowWallNs() - sendingNs;
    if (driftNs === undefined || driftNs > toleranceNs || -driftNs > toleranceNs) {
      this.#rejecter.rejectAndLogout(message, R.SENDING_TIME_ACCURACY_PROBLEM);
      return false;
    }
    if (
      message.get(49) !== core.config.targetCompId ||
      message.get(56) !== core.config.senderCompId
    ) {
      this.#rejecter.rejectAndLogout(message, R.COMP_ID_PROBLEM);
      return false;
    }
    const seq = seqOf(message);
    if (Number.isNaN(seq)) {
      this.#rejecter.reject(message, R.REQUIRED_TAG_MISSING, 34);
      return false;
    }
    const expected = this.#expected();
    if (checkTooHigh && seq > expected) {
      this.#onTooHigh(message, seq);
      return false;
    }
    if (checkTooLow && seq < expected) {
      this.#onTooLow(message, seq);
      return false;
    }
    return true;
  }

  #onTooHigh(message: FixMessage, seq: number): void {
    const expected = this.#expected();
    this.#queue.set(seq, message);
    const outstanding = this.#resend !== undefined && seq >= this.#resend.beginSeq;
    if (!outstanding) {
      this.#core.sendAdmin('2', [
        [7, String(expected)],
        [16, '0'],
      ]);
      this.#resend = { beginSeq: expected, endSeq: seq - 1 };
    }
    this.#core.emit({
      type: 'gap-detected',
      expectedSeq: expected,
      receivedSeq: seq,
      resendRequested: !outstanding,
    });
  }

  #onTooLow(message: FixMessage, seq: number): void {
    const core = this.#core;
    if (message.get(43) !== 'Y') {
      core.sendLogout(`MsgSeqNum too low, expecting ${this.#expected()} but received ${seq}`);
      core.disconnect('seq-too-low');
      return;
    }
    if (message.msgType !== '4') {
      const orig = message.get(122);
      if (orig === undefined) {
        this.#rejecter.reject(message, R.REQUIRED_TAG_MISSING, 122);
        return;
      }
      const origNs = parseUtcTimestamp(orig);
      const sendingNs = parseUtcTimestamp(message.get(52) ?? '');
      if (origNs === undefined || sendingNs === undefined || origNs > sendingNs) {
        this.#rejecter.rejectAndLogout(message, R.SENDING_TIME_ACCURACY_PROBLEM);
        return;
      }
    }
    core.emit({ type: 'duplicate-ignored', msgSeqNum: seq });
  }

  #onLogon(message: FixMessage): void {
    const core = this.#core;
    const state = core.state();
    const resetRequested = message.get(141) === 'Y';
    if (state !== 'awaiting-logon' && state !== 'logon-sent' && !resetRequested) {
      core.disconnect('unexpected-logon');
      return;
    }
    const acceptor = core.config.role === 'acceptor';
    const resetHere =
      (resetRequested && !this.sentReset) ||
      (acceptor && core.config.resetOnLogon && state === 'awaiting-logon');
    if (resetHere) {
      core.store.reset();
      this.#queue.clear();
      this.#resend = undefined;
    }
    if (!this.#verify(message, false, true)) return;
    const heartBtIntSec = acceptor ? Number(message.get(108)) : core.config.heartBtIntSec;
    if (!Number.isSafeInteger(heartBtIntSec) || heartBtIntSec < 0) {
      core.disconnect('invalid-logon');
      return;
    }
    // The answering Logon goes out before anyone hears of the logon, so it is message 1.
    if (acceptor || (resetRequested && !this.sentReset)) {
      const body: FixField[] = [
        [98, '0'],
        [108, String(heartBtIntSec)],
      ];
      if (resetRequested) body.push([141, 'Y']);
      core.sendAdmin('A', body);
    }
    core.loggedOn(heartBtIntSec, resetRequested);
    this.sentReset = false;
    const seq = seqOf(message);
    if (seq > this.#expected() && !resetRequested) this.#onTooHigh(message, seq);
    else this.#increment();
    core.application?.onLogon?.(core.handle);
  }

  #onResendRequest(message: FixMessage): void {
    if (!this.#verify(message, false, false)) return;
    const served = serveResendRequest(
      this.#core,
      Number(message.get(7) ?? '0'),
      Number(message.get(16) ?? '0'),
    );
    if (served !== undefined) this.#core.emit({ type: 'resend-served', ...served });
    const seq = seqOf(message);
    if (seq === this.#expected()) this.#increment();
    else if (seq > this.#expected()) this.#queue.set(seq, message);
  }

  #onReject(message: FixMessage): void {
    const refSeq = Number(message.get(45));
    const text = message.get(58);
    this.#core.emit({
      type: 'reject-received',
      ...(Number.isSafeInteger(refSeq) ? { refSeqNum: refSeq } : {}),
      ...(text === undefined ? {} : { text }),
    });
  }

  #onSequenceReset(message: FixMessage): void {
    const gapFill = message.get(123) === 'Y';
    // Reset mode ignores MsgSeqNum (FIX 4.4 Vol. 2, "Sequence Reset (Reset)").
    if (!this.#verify(message, gapFill, gapFill)) return;
    const newSeqNo = Number(message.get(36));
    const expected = this.#expected();
    if (newSeqNo > expected) {
      this.#setExpected(newSeqNo);
      this.#core.emit({ type: 'sequence-reset', gapFill, newSeqNo });
    } else if (newSeqNo < expected) {
      this.#rejecter.reject(message, R.VALUE_IS_INCORRECT);
    }
  }

  #onLogout(message: FixMessage): void {
    if (!this.#verify(message, false, false)) return;
    const core = this.#core;
    const text = message.get(58);
    core.emit(text === undefined ? { type: 'logout-received' } : { type: 'logout-received', text });
    this.#increment();
    if (core.state() !== 'logout-sent') core.sendLogout();
    core.disconnect('logout-complete');
  }

  #onApplication(message: FixMessage): void {
    if (!this.#verify(message, true, true)) return;
    const application = this.#core.application;
    try {
      if (application === undefined) {
        this.#rejecter.businessReject(message, B.UNSUPPORTED_MESSAGE_TYPE);
        return;
      }
      application.onMessage(message, this.#core.handle);
    } catch (error) {
      this.#rejecter.rejectApplication(message, error);
      return;
    }
    this.#increment();
  }
}
