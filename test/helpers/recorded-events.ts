/**
 * The events of an in-memory capture as a replay reads them from a store: what the tests of
 * replay, parity and backtest feed `replayRun`.
 */
import type { EventBody } from '../../src/core/index.js';
import type { RecordedEvent } from '../../src/replay/index.js';

export function recordedEvents(capture: {
  readonly bodies: readonly EventBody[];
  readonly ids: readonly string[];
}): RecordedEvent[] {
  return capture.bodies.map((body, seq) => ({
    seq,
    id: capture.ids[seq]!,
    type: body.type,
    run: body.run,
    wallNs: body.ts.wall_ns,
    monoNs: body.ts.mono_ns,
    source: body.source,
    causes: body.causes,
    payload: body.payload as Record<string, unknown>,
  }));
}
