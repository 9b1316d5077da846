/**
 * @module
 * Capture into a ledger in the same process: each record is resolved to its body and content id
 * at once (later records name it as a cause), validated against the type registry, and appended
 * in batches in the background — the pipeline never awaits a write. `flush()` waits for every
 * batch to be durable and reports the first failure, if any.
 */
import {
  type AppendResult,
  InternalError,
  type Ledger,
  prepareBody,
  type PreparedBody,
} from '../core/index.js';
import { type CaptureRecord, type CaptureSink, type EventRef, toEventBody } from './capture.js';

export interface LedgerCaptureOptions {
  readonly run: string;
  /** Records per appended batch (default 1000). */
  readonly batchSize?: number;
}

export class LedgerCapture implements CaptureSink {
  readonly run: string;
  readonly #ledger: Ledger;
  readonly #batchSize: number;
  readonly #ids: string[] = [];
  #pending: PreparedBody[] = [];
  #writes: Promise<AppendResult | undefined> = Promise.resolve(undefined);
  #failure: unknown;

  constructor(ledger: Ledger, options: LedgerCaptureOptions) {
    this.#ledger = ledger;
    this.run = options.run;
    this.#batchSize = options.batchSize ?? 1000;
  }

  /**
   * @throws INPUT_SCHEMA_VIOLATION / INPUT_UNKNOWN_EVENT_TYPE when the record's payload does not
   *   match its registered type: a bug of the producer, refused before anything is written.
   */
  record(record: CaptureRecord): EventRef {
    const registry = this.#ledger.registry;
    const typeV = registry.latestVersion(record.type);
    const draft = toEventBody(record, this.run, typeV, (ref) => this.#ids[ref]);
    const body = { ...draft, payload: registry.parsePayload(record.type, typeV, record.payload) };
    const prepared = prepareBody(body);
    this.#ids.push(prepared.encoded.id);
    this.#pending.push(prepared);
    if (this.#pending.length >= this.#batchSize) this.#startWrite();
    return this.#ids.length - 1;
  }

  /** Content id of a captured record. */
  idOf(ref: EventRef): string | undefined {
    return this.#ids[ref];
  }

  get count(): number {
    return this.#ids.length;
  }

  /** Appends what is pending and resolves when everything captured is durable. */
  async flush(): Promise<void> {
    this.#startWrite();
    await this.#writes;
    if (this.#failure !== undefined) {
      throw this.#failure instanceof Error
        ? this.#failure
        : new InternalError('INTERNAL', 'a capture write failed with a non-error value');
    }
  }

  #startWrite(): void {
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    // Started now, so sealing overlaps the previous batch's write; the ledger keeps call order.
    const write = this.#ledger.appendPrepared(batch).catch((error: unknown) => {
      this.#failure ??= error;
      return undefined;
    });
    this.#writes = this.#writes.then(() => write);
  }
}
