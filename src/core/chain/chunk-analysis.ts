/**
 * Analysis of a chunk of stored entry texts at once, in a form that is cheap to move between
 * threads: when the chunk is intact (every entry self-valid and linked to the one before it), the
 * caller needs only its ends, its type counts and its Merkle leaf hashes.
 */
import { hashLeaf } from '../merkle/index.js';
import { type AnalyzedEntry, analyzeEntryLine, analyzeIntactEntryLine } from './entry-codec.js';

export interface ChunkAnalysis {
  readonly count: number;
  /** Every entry self-valid, and each one's seq and prev follow the one before it. */
  readonly linked: boolean;
  readonly first: { readonly seq: number; readonly prev: string };
  readonly last: { readonly storedHash: string; readonly prev: string };
  /** Entries per type, counted over parsed entries. */
  readonly typeCounts: Readonly<Record<string, number>>;
  /** RFC 9162 leaf hashes of the entries, 32 bytes each, in order. */
  readonly leafHashes: Uint8Array;
  /** The entries themselves, when the chunk is not linked. */
  readonly entries: readonly AnalyzedEntry[] | undefined;
}

export function analyzeChunk(lines: readonly string[]): ChunkAnalysis {
  const count = lines.length;
  const leafHashes = new Uint8Array(count * 32);
  const typeCounts: Record<string, number> = {};
  const entries: AnalyzedEntry[] = [];
  let linked = true;
  let previous: AnalyzedEntry | undefined;
  for (let index = 0; index < count; index++) {
    const line = lines[index]!;
    const entry = analyzeIntactEntryLine(line) ?? analyzeEntryLine(line);
    entries.push(entry);
    leafHashes.set(hashLeaf(entry.leafData), index * 32);
    if (entry.parsed) typeCounts[entry.type] = (typeCounts[entry.type] ?? 0) + 1;
    if (
      !entry.selfValid ||
      (previous !== undefined &&
        (entry.seq !== previous.seq + 1 || entry.prev !== previous.storedHash))
    ) {
      linked = false;
    }
    previous = entry;
  }
  const first = entries[0];
  return {
    count,
    linked: linked && count > 0,
    first: { seq: first?.seq ?? -1, prev: first?.prev ?? '' },
    last: { storedHash: previous?.storedHash ?? '', prev: previous?.prev ?? '' },
    typeCounts,
    leafHashes,
    entries: linked && count > 0 ? undefined : entries,
  };
}
