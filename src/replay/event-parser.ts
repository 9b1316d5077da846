/**
 * @module
 * Reading stored entry texts as recorded events: one text alone, or the texts of one long read
 * (a replay's), which share their parsed sources and where the native scan's decoded ids are kept.
 */
import { IdArena, nativeEntryScanner } from './entry-scan.js';
import type { SourceCache } from './entry-text.js';
import { type RecordedEvent, StoredEvent } from './recorded-event.js';

/**
 * One stored entry text as a recorded event. The ledger has verified the text; this only reads it.
 * @throws INPUT_INVALID_JSON when the text is not an entry.
 */
export function parseRecordedEvent(line: string): RecordedEvent {
  return new StoredEvent(line, undefined, nativeEntryScanner);
}

/**
 * {@link parseRecordedEvent} for the entries of one long read: events with the same source share
 * its parsed object (a handful of sources make up a run). `scanner: 'text'` reads every text in
 * JavaScript even where the native scan is built (the same events, more slowly: for comparing
 * the two); the native scan is tried first otherwise.
 */
export function createRecordedEventParser(
  options: { readonly scanner?: 'native' | 'text' } = {},
): (line: string) => RecordedEvent {
  const sources: SourceCache = { byKey: new Map(), size: 0, byId: [] };
  const scanner = options.scanner === 'text' ? undefined : nativeEntryScanner;
  const ids = new IdArena();
  return (line) => new StoredEvent(line, sources, scanner, ids);
}
