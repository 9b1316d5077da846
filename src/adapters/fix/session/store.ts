/**
 * @module
 * The SessionStore port: what a FIX session must keep across restarts (both sequence numbers and
 * the application messages it sent, to answer ResendRequests), and an in-memory implementation.
 * Sequence numbers are `number`: FIX SEQNUM values stay far below 2^53.
 */

/** A sent application message, as its exact wire bytes. */
export interface StoredMessage {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/**
 * Storage of one session's state. Calls are synchronous: the session is a state machine whose
 * next step may depend on what was just stored. A durable store has stored a change when the call
 * returns.
 */
export interface SessionStore {
  /** MsgSeqNum (34) of the next message we send. */
  readonly nextSenderSeq: number;
  /** MsgSeqNum expected on the next message received. */
  readonly nextTargetSeq: number;
  /**
   * Records that message `seq` was sent (the next sender seq becomes seq + 1). Application
   * messages pass their bytes for resending; administrative ones, which are never resent, do not.
   */
  recordSent(seq: number, bytes: Uint8Array | undefined): void;
  setNextTargetSeq(seq: number): void;
  /** Stored application messages with begin ≤ seq ≤ end, ascending. */
  sentMessages(begin: number, end: number): readonly StoredMessage[];
  /** Both sequence numbers back to 1, sent messages forgotten (ResetSeqNumFlag 141=Y). */
  reset(): void;
  close(): void;
}

export class MemorySessionStore implements SessionStore {
  #nextSenderSeq = 1;
  #nextTargetSeq = 1;
  readonly #sent = new Map<number, Uint8Array>();

  get nextSenderSeq(): number {
    return this.#nextSenderSeq;
  }

  get nextTargetSeq(): number {
    return this.#nextTargetSeq;
  }

  recordSent(seq: number, bytes: Uint8Array | undefined): void {
    if (bytes !== undefined) this.#sent.set(seq, bytes);
    this.#nextSenderSeq = seq + 1;
  }

  setNextTargetSeq(seq: number): void {
    this.#nextTargetSeq = seq;
  }

  sentMessages(begin: number, end: number): readonly StoredMessage[] {
    const out: StoredMessage[] = [];
    if (end - begin < this.#sent.size) {
      for (let seq = begin; seq <= end; seq++) {
        const bytes = this.#sent.get(seq);
        if (bytes !== undefined) out.push({ seq, bytes });
      }
      return out;
    }
    for (const [seq, bytes] of this.#sent) if (seq >= begin && seq <= end) out.push({ seq, bytes });
    return out.sort((a, b) => a.seq - b.seq);
  }

  reset(): void {
    this.#nextSenderSeq = 1;
    this.#nextTargetSeq = 1;
    this.#sent.clear();
  }

  close(): void {}
}
