/**
 * @module
 * The capture port: how the pipeline records what it sees and decides. Recording is synchronous
 * and cheap on the pipeline's side — a record names its causes by the handles of earlier records,
 * and turning those into content ids, validating, hashing and storing happen behind the port
 * (in-process for tests and replay, on a writer thread for live runs), so the trading path never
 * waits on storage.
 */
import {
  computeEventId,
  type EventBody,
  type EventId,
  InternalError,
  type Source,
  toTsNs,
} from '../core/index.js';

/** A captured event's position in its capture run: 0, 1, 2, … in recording order. */
export type EventRef = number;

/** An event as the pipeline records it. Timestamps are the capture clock's. */
export interface CaptureRecord {
  readonly type: string;
  readonly wallNs: bigint;
  readonly monoNs: bigint;
  /**
   * Hybrid-logical-clock counter: orders events of one node that share a wall nanosecond (see
   * HybridStamper). The body's `ts.hlc` is `<wall_ns>.<counter>@<source.node>`, formatted behind
   * the port so the pipeline's thread does not pay for it.
   */
  readonly hlcCounter: number;
  readonly source: Source;
  readonly causes: readonly EventRef[];
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface CaptureSink {
  /** Records an event and returns its handle. Never blocks on storage. */
  record(record: CaptureRecord): EventRef;
}

/**
 * Hybrid logical clock counters for one node: a counter that separates events stamped in the same
 * nanosecond (a virtual clock stands still while a whole decision is made), so two events with
 * equal content but different stamps get different content ids. The node's clock is monotonic, so
 * the logical time is its wall time and only the counter needs keeping.
 */
export class HybridStamper {
  #lastWallNs = -1n;
  #counter = 0;

  /** The counter for an event stamped `wallNs`. */
  next(wallNs: bigint): number {
    if (wallNs > this.#lastWallNs) {
      this.#lastWallNs = wallNs;
      this.#counter = 0;
    } else {
      this.#counter++;
    }
    return this.#counter;
  }

  snapshot(): { last_wall_ns: string; counter: number } {
    return { last_wall_ns: this.#lastWallNs.toString(), counter: this.#counter };
  }

  restore(state: { readonly last_wall_ns: string; readonly counter: number }): void {
    this.#lastWallNs = BigInt(state.last_wall_ns);
    this.#counter = state.counter;
  }
}

/** `<wall_ns>.<counter>@<node>` (DESIGN.md §3). */
export function formatHlc(record: CaptureRecord): string {
  return `${record.wallNs}.${record.hlcCounter}@${record.source.node}`;
}

/**
 * The ledger body of a record, its causes resolved through `idOf`.
 * @throws INTERNAL when a cause is not an earlier record (a pipeline bug, not bad input).
 */
export function toEventBody(
  record: CaptureRecord,
  run: string,
  typeVersion: number,
  idOf: (ref: EventRef) => string | undefined,
): EventBody {
  const causes = record.causes.map((ref): EventId => {
    const id = idOf(ref);
    if (id === undefined) {
      throw new InternalError('INTERNAL', `cause ${ref} of a ${record.type} event is not captured`);
    }
    return id as EventId;
  });
  return {
    type: record.type,
    type_v: typeVersion,
    run,
    ts: { wall_ns: toTsNs(record.wallNs), mono_ns: toTsNs(record.monoNs), hlc: formatHlc(record) },
    source: record.source,
    causes,
    payload: record.payload,
  };
}

/**
 * Keeps every captured event in memory with its content id: tests, replay and the comparison of
 * two runs. Payloads are not validated here; the ledger validates what it stores.
 */
export class InMemoryCapture implements CaptureSink {
  readonly run: string;
  readonly #versionOf: (type: string) => number;
  readonly #bodies: EventBody[] = [];
  readonly #ids: string[] = [];

  constructor(run: string, versionOf: (type: string) => number = () => 1) {
    this.run = run;
    this.#versionOf = versionOf;
  }

  record(record: CaptureRecord): EventRef {
    const body = toEventBody(
      record,
      this.run,
      this.#versionOf(record.type),
      (ref) => this.#ids[ref],
    );
    this.#bodies.push(body);
    this.#ids.push(computeEventId(body));
    return this.#ids.length - 1;
  }

  get bodies(): readonly EventBody[] {
    return this.#bodies;
  }

  get ids(): readonly string[] {
    return this.#ids;
  }

  idOf(ref: EventRef): string | undefined {
    return this.#ids[ref];
  }
}

/** Capture switched off: hands out handles and keeps nothing (the baseline of capture cost). */
export class NullCapture implements CaptureSink {
  #next = 0;

  record(): EventRef {
    return this.#next++;
  }

  get count(): number {
    return this.#next;
  }
}
