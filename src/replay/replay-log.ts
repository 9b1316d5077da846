/**
 * @module
 * The recorded events of a run as a replay walks them: read ahead in chunks from a stream (so
 * memory stays flat), and consumed one at a time as the replayed pipeline records. A consumed
 * event is let go at once — only the chunks not yet consumed are held — so events die young and
 * the garbage collector never copies a backlog of them.
 */
import type { RecordedEvent } from './recorded-event.js';

export class ReplayLog {
  readonly #source: AsyncIterator<readonly RecordedEvent[]>;
  /** Chunks read and not yet consumed; the first from `#head` on. */
  readonly #chunks: (RecordedEvent | undefined)[][] = [];
  #first = 0;
  #head = 0;
  #buffered = 0;
  #ended = false;
  #last: RecordedEvent | undefined;

  constructor(chunks: AsyncIterable<readonly RecordedEvent[]>) {
    this.#source = chunks[Symbol.asyncIterator]();
  }

  /** An event not yet consumed, if read (`offset` 0: the next one). */
  peek(offset = 0): RecordedEvent | undefined {
    if (offset >= this.#buffered) return undefined;
    let at = this.#head + offset;
    for (let c = this.#first; c < this.#chunks.length; c++) {
      const chunk = this.#chunks[c]!;
      if (at < chunk.length) return chunk[at];
      at -= chunk.length;
    }
    return undefined;
  }

  get buffered(): number {
    return this.#buffered;
  }

  /** Whether the stream has no more chunks. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The last event consumed (its stamps stand in for the clock past the end). */
  get last(): RecordedEvent | undefined {
    return this.#last;
  }

  /** Reads one more chunk; false at the end of the stream. */
  async readMore(): Promise<boolean> {
    if (this.#ended) return false;
    const next = await this.#source.next();
    if (next.done === true) {
      this.#ended = true;
      return false;
    }
    if (next.value.length > 0) {
      this.#chunks.push([...next.value]);
      this.#buffered += next.value.length;
    }
    return true;
  }

  /** Consumes the next event. */
  take(): RecordedEvent | undefined {
    if (this.#buffered === 0) return undefined;
    const chunk = this.#chunks[this.#first]!;
    const event = chunk[this.#head];
    chunk[this.#head++] = undefined;
    this.#buffered--;
    if (this.#head === chunk.length) {
      this.#chunks[this.#first++] = [];
      this.#head = 0;
      if (this.#first > 64) {
        this.#chunks.splice(0, this.#first);
        this.#first = 0;
      }
    }
    this.#last = event;
    return event;
  }

  /** Stops reading the stream. */
  async close(): Promise<void> {
    await this.#source.return?.();
  }
}
