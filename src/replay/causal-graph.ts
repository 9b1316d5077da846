/**
 * @module
 * The causal graph of a recorded run, read on demand: a divergence report walks the ancestry of
 * one event, so the graph is built by a second pass over the run up to that event, not kept in
 * memory during the replay.
 */
import type { RecordedEvent } from './recorded-event.js';

export interface EventSummary {
  readonly id: string;
  readonly seq: number;
  readonly type: string;
  readonly causes: readonly string[];
}

export class CausalGraph {
  readonly #events = new Map<string, EventSummary>();

  /** The run's events up to and including `uptoSeq`. */
  static async read(
    chunks: AsyncIterable<readonly RecordedEvent[]>,
    uptoSeq: number,
  ): Promise<CausalGraph> {
    const graph = new CausalGraph();
    for await (const chunk of chunks) {
      for (const event of chunk) {
        if (event.seq > uptoSeq) return graph;
        graph.#events.set(event.id, {
          id: event.id,
          seq: event.seq,
          type: event.type,
          causes: event.causes,
        });
      }
    }
    return graph;
  }

  get(id: string): EventSummary | undefined {
    return this.#events.get(id);
  }

  /** The recorded events `ids` derive from, transitively (the ids themselves when recorded), by seq. */
  ancestry(
    ids: readonly string[],
    unrecorded: (id: string) => readonly string[] = () => [],
  ): EventSummary[] {
    const found = new Map<string, EventSummary>();
    const stack = [...ids];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const summary = this.#events.get(id);
      if (summary === undefined) {
        stack.push(...unrecorded(id));
        continue;
      }
      found.set(id, summary);
      stack.push(...summary.causes);
    }
    return [...found.values()].sort((a, b) => a.seq - b.seq);
  }
}
