/**
 * Entry texts for the tests of reading them in place: the entry as parsed JSON, a text with given
 * members, and the sealed texts of a simulated run.
 */
import { expect } from 'vitest';

import { canonicalize, GENESIS_PREV, sealEntry } from '../../src/core/index.js';
import type { RecordedEvent } from '../../src/replay/index.js';
import { runSimulation } from '../pipeline/simulation.js';

/** An entry as `JSON.parse` gives it. */
export interface EntryMembers {
  seq: number;
  id: string;
  type: string;
  type_v: number;
  run: string;
  ts: { wall_ns: string; mono_ns: string; hlc?: string };
  /** Any members: the tests give sources members a source does not have. */
  source: Record<string, unknown>;
  causes: string[];
  payload: Record<string, unknown>;
}

/** An entry text with these members (hash and prev arbitrary: reading does not check them). */
export function entryText(entry: EntryMembers): string {
  return canonicalize({ ...entry, hash: 'a'.repeat(64), prev: 'b'.repeat(64), v: 1 });
}

/** The sealed entry texts of a simulated run of `steps` steps. */
export function simulatedEntryTexts(steps: number): string[] {
  const { capture } = runSimulation({ steps });
  let prev = GENESIS_PREV;
  return capture.bodies.map((body, seq) => {
    const entry = sealEntry(body, seq, prev);
    prev = entry.hash;
    return entry.line;
  });
}

/** Every member as the event gives it, beside the same member parsed from the whole text. */
export function expectReadAsParsed(event: RecordedEvent, line: string): void {
  const entry = JSON.parse(line) as EntryMembers;
  expect({
    seq: event.seq,
    id: event.id,
    type: event.type,
    typeV: event.typeV,
    run: event.run,
    wallNs: event.wallNs,
    monoNs: event.monoNs,
    hlc: event.hlc,
    source: event.source,
    causes: event.causes,
    payload: event.payload,
  }).toEqual({
    seq: entry.seq,
    id: entry.id,
    type: entry.type,
    typeV: entry.type_v,
    run: entry.run,
    wallNs: BigInt(entry.ts.wall_ns),
    monoNs: BigInt(entry.ts.mono_ns),
    hlc: entry.ts.hlc,
    source: entry.source,
    causes: entry.causes,
    payload: entry.payload,
  });
}
