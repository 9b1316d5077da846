/**
 * @module
 * Reading stored entry texts as recorded events: one text alone, or the texts of one long read
 * (a replay's), which share their parsed sources and where the native scan's decoded ids are kept.
 */
import type { EntryFilter, EventStore, PackedEntries } from '../core/index.js';
import { type EntryScanner, IdArena, nativeEntryScanner, SLOT } from './entry-scan.js';
import { type SourceCache, unreadable } from './entry-text.js';
import type { RecordedEvent } from './recorded-event.js';
import { StoredEvent } from './stored-event.js';

/**
 * One stored entry text as a recorded event. The ledger has verified the text; this only reads it.
 * @throws INPUT_INVALID_JSON when the text is not an entry.
 */
export function parseRecordedEvent(line: string): RecordedEvent {
  return new StoredEvent(line, undefined, nativeEntryScanner);
}

export interface RecordedEventParserOptions {
  /**
   * `text` reads every text in JavaScript even where the native scan is built (the same events,
   * more slowly: for comparing the two); the native scan is tried first otherwise.
   */
  readonly scanner?: 'native' | 'text';
}

/** What one long read shares: parsed sources, the scan, and where its decoded ids are kept. */
interface LongRead {
  readonly sources: SourceCache;
  readonly scanner: EntryScanner | undefined;
  readonly ids: IdArena;
}

function longRead(options: RecordedEventParserOptions): LongRead {
  return {
    sources: { byKey: new Map(), size: 0, byId: [] },
    scanner: options.scanner === 'text' ? undefined : nativeEntryScanner,
    ids: new IdArena(),
  };
}

/**
 * {@link parseRecordedEvent} for the entries of one long read: events with the same source share
 * its parsed object (a handful of sources make up a run).
 */
export function createRecordedEventParser(
  options: RecordedEventParserOptions = {},
): (line: string) => RecordedEvent {
  const { sources, scanner, ids } = longRead(options);
  return (line) => new StoredEvent(line, sources, scanner, ids);
}

/**
 * The events of packed texts, each read where it lies in the bytes.
 * @throws INPUT_INVALID_JSON when a text is not an entry, or the bytes do not hold `count` texts.
 */
function packedEvents(packed: PackedEntries, read: LongRead, scanner: EntryScanner): StoredEvent[] {
  const { bytes, count } = packed;
  const events = new Array<StoredEvent>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at > bytes.length) throw unreadable(bytes.toString('utf8', 0, 120));
    events[i] = new StoredEvent(bytes, read.sources, scanner, read.ids, at);
    // The constructor scans only its own text: the end is still the one it found.
    at = scanner.slots[SLOT.LINE_END]! + 1;
  }
  if (at !== bytes.length + 1) throw unreadable(bytes.toString('utf8', at, at + 120));
  return events;
}

/**
 * The entries of `store` that match `filter`, in seq order and in chunks, as the recorded events
 * of one long read (see {@link createRecordedEventParser}): read in place from the store's packed
 * pages where it hands them out and the native scan is built, parsed from its texts otherwise.
 * `onChunk` hears how many entries each chunk holds, as it is read.
 * @throws INPUT_INVALID_JSON when a stored text is not an entry; the store's own errors
 */
export async function* readRecordedEvents(
  store: Pick<EventStore, 'query' | 'queryPacked'>,
  filter: EntryFilter,
  options: RecordedEventParserOptions & { readonly onChunk?: (count: number) => void } = {},
): AsyncGenerator<readonly RecordedEvent[]> {
  const read = longRead(options);
  const { scanner } = read;
  if (scanner !== undefined && store.queryPacked !== undefined) {
    for await (const packed of store.queryPacked(filter)) {
      options.onChunk?.(packed.count);
      yield packedEvents(packed, read, scanner);
    }
    return;
  }
  for await (const lines of store.query(filter)) {
    options.onChunk?.(lines.length);
    yield lines.map((line) => new StoredEvent(line, read.sources, scanner, read.ids));
  }
}
