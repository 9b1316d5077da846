/**
 * Analysis of a chunk of stored entry texts at once, in a form that is cheap to move between
 * threads: when the chunk is intact (every entry self-valid and linked to the one before it), the
 * caller needs only its ends, its type counts and its Merkle leaf data. The leaf hashes themselves
 * are left to the caller: the analysis (parse, canonicalise, two SHA-256s an entry) is the
 * busier side of a verification, the thread that reads the store the idler one.
 */
import { type AnalyzedEntry, analyzeEntryLine, analyzeIntactEntryLine } from './entry-analysis.js';

export interface ChunkAnalysis {
  readonly count: number;
  /** Every entry self-valid, and each one's seq and prev follow the one before it. */
  readonly linked: boolean;
  readonly first: { readonly seq: number; readonly prev: string };
  readonly last: { readonly storedHash: string; readonly prev: string };
  /** Entries per type, counted over parsed entries. */
  readonly typeCounts: Readonly<Record<string, number>>;
  /**
   * The Merkle leaf data of the entries (see AnalyzedEntry.leafData: the recomputed entry hash),
   * 32 bytes each, in order; RFC 9162 hashes each into its leaf hash.
   */
  readonly leafData: Uint8Array;
  /** The entries themselves, when the chunk is not linked. */
  readonly entries: readonly AnalyzedEntry[] | undefined;
}

export function analyzeChunk(lines: readonly string[]): ChunkAnalysis {
  const count = lines.length;
  const leafData = new Uint8Array(count * 32);
  const leafBytes = Buffer.from(leafData.buffer);
  const typeCounts: Record<string, number> = {};
  const entries: AnalyzedEntry[] = [];
  let linked = true;
  let previous: AnalyzedEntry | undefined;
  for (let index = 0; index < count; index++) {
    const line = lines[index]!;
    // A self-valid entry's stored hash is the one it recomputed: well-formed hex.
    const intact = analyzeIntactEntryLine(
      line,
      previous?.selfValid === true ? previous.storedHash : undefined,
    );
    const entry = intact ?? analyzeEntryLine(line);
    entries.push(entry);
    // An intact entry's leaf data is its hash's digits, decoded straight into the chunk's bytes.
    if (intact !== undefined) leafBytes.write(intact.actualHash, index * 32, 32, 'hex');
    else leafData.set(entry.leafData, index * 32);
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
    leafData,
    entries: linked && count > 0 ? undefined : entries,
  };
}
