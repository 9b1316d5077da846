/**
 * @module
 * The events of a recorded run as a replay reads them: parsed from the ledger's canonical entry
 * texts, with nanosecond timestamps back as bigints.
 */
import { InputError, type Source } from '../core/index.js';

export interface RecordedEvent {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly run: string;
  readonly wallNs: bigint;
  readonly monoNs: bigint;
  readonly source: Source;
  readonly causes: readonly string[];
  readonly payload: Readonly<Record<string, unknown>>;
}

interface EntryShape {
  seq: number;
  id: string;
  type: string;
  run: string;
  ts: { wall_ns: string; mono_ns: string };
  source: Source;
  causes: string[];
  payload: Record<string, unknown>;
}

/**
 * One stored entry text as a recorded event. The ledger has verified the text; this only reads it.
 * @throws INPUT_INVALID_JSON when the text is not an entry.
 */
export function parseRecordedEvent(line: string): RecordedEvent {
  let entry: EntryShape;
  try {
    // Outside text: a SyntaxError becomes our code, never a raw exception.
    entry = JSON.parse(line) as EntryShape;
    return {
      seq: entry.seq,
      id: entry.id,
      type: entry.type,
      run: entry.run,
      wallNs: BigInt(entry.ts.wall_ns),
      monoNs: BigInt(entry.ts.mono_ns),
      source: entry.source,
      causes: entry.causes,
      payload: entry.payload,
    };
  } catch (error) {
    throw new InputError('INPUT_INVALID_JSON', 'a stored entry is not a readable event', {
      details: { text: line.slice(0, 120) },
      cause: error,
    });
  }
}
