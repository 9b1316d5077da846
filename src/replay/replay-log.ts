/**
 * @module
 * The recorded events of a run as a replay walks them: read ahead in chunks from a stream (so
 * memory stays flat), consumed one at a time as the replayed pipeline records, and remembered
 * compactly (seq, type, causes) for the causal ancestry of a divergence.
 */
import type { RecordedEvent } from './recorded-event.js';

export interface EventSummary {
  readonly id: string;
  readonly seq: number;
  readonly type: string;
  readonly causes: readonly string[];
}

export class ReplayLog {
  readonly #chunks: AsyncIterator<readonly RecordedEvent[]>;
  #queue: RecordedEvent[] = [];
  #head = 0;
  #ended = false;
  #last: RecordedEvent | undefined;
  /** Every event read so far, by id: the causal graph a divergence report walks. */
  readonly graph = new Map<string, EventSummary>();

  constructor(chunks: AsyncIterable<readonly RecordedEvent[]>) {
    this.#chunks = chunks[Symbol.asyncIterator]();
  }

  /** The next event not yet consumed, if read. */
  peek(offset = 0): RecordedEvent | undefined {
    return this.#queue[this.#head + offset];
  }

  get buffered(): number {
    return this.#queue.length - this.#head;
  }

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
    const next = await this.#chunks.next();
    if (next.done === true) {
      this.#ended = true;
      return false;
    }
    if (this.#head > 4096) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    for (const event of next.value) {
      this.#queue.push(event);
      this.graph.set(event.id, {
        id: event.id,
        seq: event.seq,
        type: event.type,
        causes: event.causes,
      });
    }
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

  /** The recorded events `id` derives from, transitively, sorted by seq. */
  ancestry(id: string): EventSummary[] {
    const seen = new Map<string, EventSummary>();
    const stack = [...(this.graph.get(id)?.causes ?? [])];
    while (stack.length > 0) {
      const cause = stack.pop()!;
      if (seen.has(cause)) continue;
      const summary = this.graph.get(cause);
      if (summary === undefined) continue;
      seen.set(cause, summary);
      stack.push(...summary.causes);
    }
    return [...seen.values()].sort((a, b) => a.seq - b.seq);
  }
}
