/**
 * @module
 * The recorded events of a run as a replay walks them: read ahead in chunks from a stream (so
 * memory stays flat), and consumed one at a time as the replayed pipeline records.
 */
import type { RecordedEvent } from './recorded-event.js';

export class ReplayLog {
  readonly #chunks: AsyncIterator<readonly RecordedEvent[]>;
  #queue: RecordedEvent[] = [];
  #head = 0;
  #ended = false;
  #last: RecordedEvent | undefined;

  constructor(chunks: AsyncIterable<readonly RecordedEvent[]>) {
    this.#chunks = chunks[Symbol.asyncIterator]();
  }

  /** An event not yet consumed, if read (`offset` 0: the next one). */
  peek(offset = 0): RecordedEvent | undefined {
    return this.#queue[this.#head + offset];
  }

  get buffered(): number {
    return this.#queue.length - this.#head;
  }

  /** The last event consumed (its stamps stand in for the clock past the end). */
  get last(): RecordedEvent | undefined {
    return this.#last;
  }

  /** Reads one more chunk; false at the end of the stream. */
  async readMore(): Promise<boolean> {
    if (this.#ended) return false;
    const next = await this.#chunks.next();
    if (next.done === true) {
      this.#ended = true;
      return false;
    }
    if (this.#head > 4096) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    for (const event of next.value) this.#queue.push(event);
    return true;
  }

  /** Consumes the next event. */
  take(): RecordedEvent | undefined {
    const event = this.#queue[this.#head];
    if (event !== undefined) {
      this.#head++;
      this.#last = event;
    }
    return event;
  }

  /** Stops reading the stream. */
  async close(): Promise<void> {
    await this.#chunks.return?.();
  }
}
