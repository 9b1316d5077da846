/**
 * @module
 * A FIX 4.4 session as a state machine: fed inbound bytes (`receive`), transport changes (`attach`,
 * `detach`) and timer firings from the injected Scheduler, it writes outbound bytes to its
 * transport and reports what happened to its observers. It reads time only from the scheduler's
 * clock, so on a VirtualScheduler the same inputs at the same instants give byte-identical output.
 * It owns no socket. Inbound rules follow FIX 4.4 Vol. 2 and the behaviour QuickFIX acceptance
 * scripts pin down; see inbound.ts for the per-message handling.
 *
 * Every call from outside (attach, detach, receive, send, logout, close, a timer firing) is one
 * step: the clock is read once when it begins, and every reading while it is handled returns that
 * instant. A step's output is then a function of its input and that one instant, which is what a
 * SessionRecorder captures (./session-steps.ts) and a replay (./session-replay.ts) presents again.
 */
import { type Clock, InputError, type Scheduler, type TimerHandle } from '../../../core/index.js';
import { FixFramer } from '../framer.js';
import { fixError, type FixField } from '../message.js';
import { UtcTimestampFormatter } from '../timestamps.js';
import { parseSessionConfig, type SessionConfig, type SessionConfigInput } from './config.js';
import { InboundHandler } from './inbound.js';
import { LivenessTimer } from './liveness.js';
import { MessageStamper, type StampOptions } from './outbound.js';
import type {
  DisconnectReason,
  FixApplication,
  FixSessionHandle,
  FixTransport,
  OutboundMessage,
  SessionEvent,
  SessionObserver,
  SessionState,
} from './ports.js';
import type { SessionRecorder } from './recorder.js';
import { SessionSteps } from './session-steps.js';
import type { SessionStore } from './store.js';

const NS_PER_MS = 1_000_000n;
/** Administrative MsgTypes (FIX 4.4 Vol. 2): the session's own, never resent. */
export const ADMIN_MSG_TYPES: ReadonlySet<string> = new Set(['0', '1', '2', '3', '4', '5', 'A']);

export interface FixSessionOptions {
  readonly config: SessionConfigInput;
  readonly scheduler: Scheduler;
  readonly store: SessionStore;
  readonly application?: FixApplication;
  readonly observer?: SessionObserver;
  /** Records the session from construction on (see {@link FixSession.startRecording}). */
  readonly recorder?: SessionRecorder;
}

export class FixSession implements FixSessionHandle {
  readonly config: SessionConfig;
  readonly scheduler: Scheduler;
  readonly store: SessionStore;
  readonly application: FixApplication | undefined;
  /** `application` as the session calls it (see SessionSteps.observed). */
  readonly #application: FixApplication | undefined;
  /** Replaced, never mutated, so that an observer may remove itself while being called. */
  #observers: readonly SessionObserver[] = [];
  readonly #stamper: MessageStamper;
  readonly #formatter = new UtcTimestampFormatter();
  readonly #liveness: LivenessTimer;
  readonly #inbound: InboundHandler;
  #state: SessionState = 'disconnected';
  #transport: FixTransport | undefined;
  #framer = new FixFramer();
  #phaseTimer: TimerHandle | undefined;
  #heartBtIntSec: number;
  readonly #steps: SessionSteps;
  /** What the session reads as now: the instant of the step being handled. */
  readonly #clock: Clock;

  /** @throws InputError INPUT_SCHEMA_VIOLATION for a bad configuration. */
  constructor(options: FixSessionOptions) {
    this.config = parseSessionConfig(options.config);
    this.scheduler = options.scheduler;
    this.store = options.store;
    this.application = options.application;
    this.#steps = new SessionSteps(options.scheduler);
    this.#clock = this.#steps.clock;
    this.#application =
      options.application === undefined ? undefined : this.#steps.observed(options.application);
    if (options.observer !== undefined) this.#observers = [options.observer];
    this.#heartBtIntSec = this.config.heartBtIntSec;
    this.#stamper = new MessageStamper(
      this.config.beginString,
      this.config.senderCompId,
      this.config.targetCompId,
    );
    const timers: Scheduler = {
      clock: this.#clock,
      setTimer: (delayNs, task) => this.#steps.setTimer(delayNs, task),
    };
    this.#liveness = new LivenessTimer(timers, {
      sendHeartbeat: () => this.#sendAdmin('0', []),
      sendTestRequest: () => {
        this.#sendAdmin('1', [[112, this.config.testRequestId]]);
        this.#emit({ type: 'test-request-sent', testReqId: this.config.testRequestId });
      },
      timedOut: () => this.#disconnect('heartbeat-timeout'),
    });
    this.#inbound = new InboundHandler({
      config: this.config,
      store: this.store,
      application: this.#application,
      handle: this,
      state: () => this.#state,
      nowWallNs: () => this.#clock.wallNs(),
      emit: (event) => this.#emit(event),
      sendAdmin: (msgType, body, header) => this.#sendAdmin(msgType, body, header),
      sendStored: (msgType, body, header) => this.#sendStored(msgType, body, header),
      sendPossDup: (msgType, seq, body, stamp) =>
        this.#write(this.#stamp(msgType, seq, body, stamp)),
      sendLogout: (text) => this.#sendLogout(text),
      loggedOn: (heartBtIntSec, resetSeqNum) => this.#loggedOn(heartBtIntSec, resetSeqNum),
      disconnect: (reason) => this.#disconnect(reason),
    });
    if (options.recorder !== undefined) this.startRecording(options.recorder);
  }

  get senderCompId(): string {
    return this.config.senderCompId;
  }

  get targetCompId(): string {
    return this.config.targetCompId;
  }

  get state(): SessionState {
    return this.#state;
  }

  get isLoggedOn(): boolean {
    return this.#state === 'active' || this.#state === 'logout-sent';
  }

  get isAttached(): boolean {
    return this.#transport !== undefined;
  }

  /** HeartBtInt in force: ours as an initiator, the counterparty's once an acceptor is logged on. */
  get heartBtIntSec(): number {
    return this.#heartBtIntSec;
  }

  /** Adds an observer; returns a function that removes it. */
  addObserver(observer: SessionObserver): () => void {
    this.#observers = [...this.#observers, observer];
    return () => {
      this.#observers = this.#observers.filter((o) => o !== observer);
    };
  }

  get isRecording(): boolean {
    return this.#steps.isRecording;
  }

  /**
   * Starts recording: `recorder` receives the configuration and store state now, then every step.
   * @throws InputError INPUT_INVALID_ARGUMENT while a connection is attached (a log starts between
   * connections, so that a replay can start from the store alone) or a recording is on.
   */
  startRecording(recorder: SessionRecorder): void {
    if (this.#transport !== undefined || this.#steps.isRecording || this.#steps.inStep) {
      throw new InputError(
        'INPUT_INVALID_ARGUMENT',
        'a recording starts while the session has no connection and no other recording',
        { details: { sender_comp_id: this.senderCompId, target_comp_id: this.targetCompId } },
      );
    }
    const store = this.store;
    this.#steps.startRecording(recorder, {
      config: this.config,
      application: this.application !== undefined,
      nextSenderSeq: store.nextSenderSeq,
      nextTargetSeq: store.nextTargetSeq,
      sent: store.sentMessages(1, store.nextSenderSeq - 1),
    });
  }

  /**
   * Stops recording; the recorder receives nothing more.
   * @throws InputError INPUT_INVALID_ARGUMENT from inside a step (the step would be cut in two).
   */
  stopRecording(): void {
    if (this.#steps.inStep) {
      throw new InputError('INPUT_INVALID_ARGUMENT', 'a recording cannot stop inside a step');
    }
    this.#steps.stopRecording();
  }

  /**
   * A connection is up. An initiator sends its Logon; an acceptor waits for one.
   * @throws InputError FIX_SESSION_BUSY when a transport is already attached.
   */
  attach(transport: FixTransport): void {
    if (this.#transport !== undefined) {
      throw new InputError('FIX_SESSION_BUSY', 'the session already has a connection', {
        details: { sender_comp_id: this.senderCompId, target_comp_id: this.targetCompId },
      });
    }
    this.#steps.run({ type: 'connect' }, () => this.#attach(transport));
  }

  #attach(transport: FixTransport): void {
    this.#transport = transport;
    this.#framer = new FixFramer();
    this.#inbound.reset();
    this.#emit({ type: 'connected' });
    this.#startPhaseTimer(this.config.logonTimeoutMs, 'logon-timeout');
    if (this.config.role === 'acceptor') {
      this.#state = 'awaiting-logon';
      return;
    }
    this.#state = 'logon-sent';
    this.#heartBtIntSec = this.config.heartBtIntSec;
    const reset = this.config.resetOnLogon;
    if (reset) this.store.reset();
    this.#inbound.sentReset = reset;
    const body: FixField[] = [
      [98, '0'],
      [108, String(this.#heartBtIntSec)],
    ];
    if (reset) body.push([141, 'Y']);
    this.#sendAdmin('A', body);
  }

  /** The connection `transport` is gone (closed by the peer or the network). */
  detach(transport: FixTransport): void {
    // A stale transport changes nothing, so it is no input either.
    if (transport !== this.#transport) return;
    this.#steps.run({ type: 'disconnect' }, () => this.#disconnect('transport-closed'));
  }

  /** Bytes from the connection, in any chunking. */
  receive(chunk: Uint8Array): void {
    this.#steps.run({ type: 'receive', bytes: chunk }, () => this.#receive(chunk));
  }

  #receive(chunk: Uint8Array): void {
    if (this.#transport === undefined) return;
    for (const event of this.#framer.push(chunk)) {
      if (this.#transport === undefined) return;
      if (event.type === 'message') {
        for (const observer of this.#observers) observer.onMessage?.('in', event.bytes);
        this.#liveness.received();
        this.#frame(event.bytes);
      } else {
        this.#emit({ type: 'garbled', code: event.error.code, skippedBytes: event.skippedBytes });
        if (!this.isLoggedOn) this.#disconnect('invalid-logon');
      }
    }
  }

  /**
   * Sends an application message; returns its MsgSeqNum.
   * @throws InputError FIX_SESSION_NOT_LOGGED_ON unless logged on; INPUT_INVALID_ARGUMENT for an
   * administrative MsgType; FIX_GARBLED for a field that cannot be encoded.
   */
  send(message: OutboundMessage): number {
    return this.#steps.run({ type: 'send', message }, () => this.#send(message));
  }

  #send(message: OutboundMessage): number {
    if (ADMIN_MSG_TYPES.has(message.msgType)) {
      throw new InputError(
        'INPUT_INVALID_ARGUMENT',
        'administrative messages belong to the session',
        {
          details: { msg_type: message.msgType },
        },
      );
    }
    if (this.#state !== 'active') {
      throw fixError('FIX_SESSION_NOT_LOGGED_ON', `cannot send ${message.msgType}: not logged on`, {
        actual: this.#state,
      });
    }
    return this.#sendStored(message.msgType, message.body, message.header);
  }

  /** Sends a Logout and waits for the answer (or the logout timeout). */
  logout(text?: string): void {
    this.#steps.run(text === undefined ? { type: 'logout' } : { type: 'logout', text }, () => {
      if (this.#state === 'active') this.#sendLogout(text);
    });
  }

  /** Ends the connection now, without a Logout. */
  close(): void {
    this.#steps.run({ type: 'close' }, () => this.#disconnect('closed-locally'));
  }

  /** A bug must not take the process down with it: it ends this connection, and says why. */
  #frame(bytes: Uint8Array): void {
    try {
      this.#inbound.frame(bytes);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#emit({ type: 'application-error', message });
      this.#disconnect('internal-error', message);
    }
  }

  #emit(event: SessionEvent): void {
    for (const observer of this.#observers) observer.onEvent?.(event);
  }

  /** Sends an administrative message (never stored for resending); returns its MsgSeqNum. */
  #sendAdmin(msgType: string, body: readonly FixField[], header?: readonly FixField[]): number {
    const seq = this.store.nextSenderSeq;
    const bytes = this.#stamp(msgType, seq, body, header === undefined ? {} : { header });
    this.store.recordSent(seq, undefined);
    this.#write(bytes);
    return seq;
  }

  #sendLogout(text?: string): void {
    this.#sendAdmin('5', text === undefined ? [] : [[58, text]]);
    this.#emit(text === undefined ? { type: 'logout-sent' } : { type: 'logout-sent', text });
    if (this.#state !== 'logout-sent') {
      this.#startPhaseTimer(this.config.logoutTimeoutMs, 'logout-timeout');
    }
    this.#state = 'logout-sent';
  }

  /** Logon completed: timers start. */
  #loggedOn(heartBtIntSec: number, resetSeqNum: boolean): void {
    this.#heartBtIntSec = heartBtIntSec;
    this.#state = 'active';
    this.#phaseTimer?.cancel();
    this.#phaseTimer = undefined;
    this.#liveness.start(heartBtIntSec);
    this.#emit({ type: 'logon', heartBtIntSec, resetSeqNum });
  }

  #disconnect(reason: DisconnectReason, detail?: string): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    const wasLoggedOn = this.isLoggedOn;
    this.#transport = undefined;
    this.#state = 'disconnected';
    this.#phaseTimer?.cancel();
    this.#phaseTimer = undefined;
    this.#liveness.stop();
    this.#inbound.reset();
    this.#emit(
      detail === undefined
        ? { type: 'disconnected', reason }
        : { type: 'disconnected', reason, detail },
    );
    transport.close();
    if (wasLoggedOn) this.#application?.onLogout?.(this);
  }

  #sendStored(msgType: string, body: readonly FixField[], header?: readonly FixField[]): number {
    const seq = this.store.nextSenderSeq;
    const bytes = this.#stamp(msgType, seq, body, header === undefined ? {} : { header });
    this.store.recordSent(seq, bytes);
    this.#write(bytes);
    return seq;
  }

  #stamp(
    msgType: string,
    seq: number,
    body: readonly FixField[],
    options: StampOptions,
  ): Uint8Array {
    const sendingTime = this.#formatter.format(this.#clock.wallNs());
    return this.#stamper.encode(msgType, seq, sendingTime, body, options);
  }

  #write(bytes: Uint8Array): void {
    this.#steps.recordOutbound(bytes);
    for (const observer of this.#observers) observer.onMessage?.('out', bytes);
    this.#liveness.sent();
    this.#transport?.send(bytes);
  }

  #startPhaseTimer(timeoutMs: number, reason: DisconnectReason): void {
    this.#phaseTimer?.cancel();
    this.#phaseTimer = this.#steps.setTimer(BigInt(timeoutMs) * NS_PER_MS, () => {
      this.#phaseTimer = undefined;
      this.#disconnect(reason);
    });
  }
}
