/**
 * @module
 * What verification learns from a stored entry text, trusting nothing in it: the fast path for an
 * entry as the ledger writes it (ids and hashes recomputed from slices of the text) and the full
 * analysis of anything else, which says precisely what is wrong.
 */
import { sha256, sha256Hex } from '../bytes.js';
import { ENTRY_FORMAT_VERSION } from '../events/envelope.js';
import {
  type BodyMembers,
  bodyText,
  bodyTextInEntry,
  entryText,
  eventIdOfBodyText,
  membersOf,
  unhashedEntryText,
} from './entry-codec.js';

/** What verification learns from one stored entry text, trusting nothing in it. */
export interface AnalyzedEntry {
  /** The text parsed as an entry object with the expected member types. */
  readonly parsed: boolean;
  readonly seq: number;
  readonly type: string;
  readonly id: string;
  readonly prev: string;
  /** The hash the entry claims. */
  readonly storedHash: string;
  /** The hash recomputed from its content ('' when unparsed). */
  readonly actualHash: string;
  /** The stored text is exactly the canonical encoding of its content. */
  readonly canonical: boolean;
  /** id and hash both recompute and the text is canonical. */
  readonly selfValid: boolean;
  /** Raw Merkle leaf data: the recomputed hash, or SHA-256 of the text when it does not parse. */
  readonly leafData: Uint8Array;
  /** Why the entry is not self-valid, when it is not. */
  readonly problem: string | undefined;
}

const ENTRY_KEYS = [
  'causes',
  'hash',
  'id',
  'payload',
  'prev',
  'run',
  'seq',
  'source',
  'ts',
  'type',
  'type_v',
  'v',
] as const;

function hasExactlyEntryKeys(value: Record<string, unknown>): boolean {
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key)) count++;
  return count === ENTRY_KEYS.length && ENTRY_KEYS.every((key) => Object.hasOwn(value, key));
}
const HEX64_RE = /^[0-9a-f]{64}$/;

function unparsed(line: string, problem: string): AnalyzedEntry {
  return {
    parsed: false,
    seq: -1,
    type: '',
    id: '',
    prev: '',
    storedHash: '',
    actualHash: '',
    canonical: false,
    selfValid: false,
    leafData: sha256(line),
    problem,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SEQ_TEXT_RE = /^(0|[1-9][0-9]{0,15})$/;

/**
 * The verification fast path for an intact entry: recomputes its id and hash from slices of the
 * stored text, without parsing it. An entry's canonical text holds its body's members in two
 * contiguous runs (causes | payload … run | source ts type type_v) around the members the body
 * lacks, so the body text and the entry-without-hash text are concatenations of slices. Returns
 * undefined unless the text has the canonical shape and both hashes recompute; callers then run
 * {@link analyzeEntryLine}, which says precisely what is wrong.
 *
 * A text that passes is byte-for-byte what its writer hashed. A writer that hashed a malformed
 * text is not trusted by this either: such an entry still has to link into the chain, and the
 * chain's bytes are bound by the signed Merkle root.
 *
 * `knownPrev` is a hash known to be 64 lowercase hex digits (the one the entry before recomputed):
 * a `prev` equal to it needs no digit check.
 */
export function analyzeIntactEntryLine(
  line: string,
  knownPrev?: string,
): AnalyzedEntry | undefined {
  if (!line.startsWith('{"causes":[') || !line.endsWith(',"v":1}')) return undefined;
  const i = line.indexOf('],"hash":"', 10);
  if (
    i < 0 ||
    line.substr(i + 74, 8) !== '","id":"' ||
    line.substr(i + 153, 12) !== '","payload":'
  ) {
    return undefined;
  }
  // `"` cannot appear unescaped inside a JSON string, so these names match member boundaries:
  // of the entry, or of a nested object. Searching from the end skips the payload's nested
  // members; any other wrong match changes the sliced texts, so the hashes fail and the entry
  // goes to the full analysis.
  const j = line.lastIndexOf(',"prev":"');
  if (j < i + 165 || line.substr(j + 73, 8) !== '","run":') return undefined;
  const k = line.indexOf(',"seq":', j + 81);
  const sourceAt = k < 0 ? -1 : line.indexOf(',"source":', k + 7);
  const typeAt = line.lastIndexOf(',"type":"');
  const typeVAt = line.lastIndexOf('","type_v":');
  if (sourceAt < 0 || typeAt < sourceAt || typeVAt < typeAt) return undefined;
  const seqText = line.slice(k + 7, sourceAt);
  const type = line.slice(typeAt + 9, typeVAt);
  if (!SEQ_TEXT_RE.test(seqText) || type.includes('\\')) return undefined;
  const storedHash = line.substr(i + 10, 64);
  const id = line.substr(i + 82, 71);
  const prev = line.substr(j + 9, 64);
  const body = bodyTextInEntry(line, i + 1, i + 154, j, k, sourceAt);
  if (body === undefined || eventIdOfBodyText(body) !== id) return undefined;
  const actualHash = sha256Hex(line.slice(0, i + 2) + line.slice(i + 76));
  if (actualHash !== storedHash || (prev !== knownPrev && !HEX64_RE.test(prev))) return undefined;
  return new IntactEntry(Number(seqText), type, id, prev, actualHash);
}

/** An entry {@link analyzeIntactEntryLine} found intact; its leaf data decoded when asked for. */
class IntactEntry implements AnalyzedEntry {
  readonly parsed = true;
  readonly seq: number;
  readonly type: string;
  readonly id: string;
  readonly prev: string;
  readonly storedHash: string;
  readonly actualHash: string;
  readonly canonical = true;
  readonly selfValid = true;
  readonly problem = undefined;
  #leafData: Uint8Array | undefined;

  constructor(seq: number, type: string, id: string, prev: string, hash: string) {
    this.seq = seq;
    this.type = type;
    this.id = id;
    this.prev = prev;
    this.storedHash = hash;
    this.actualHash = hash;
  }

  get leafData(): Uint8Array {
    return (this.#leafData ??= Buffer.from(this.actualHash, 'hex'));
  }
}

/**
 * Re-derives everything about a stored entry from its text. Never throws: garbage is a finding,
 * not a crash.
 */
export function analyzeEntryLine(line: string): AnalyzedEntry {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return unparsed(line, 'not valid JSON');
  }
  if (!isRecord(value)) return unparsed(line, 'not a JSON object');
  if (!hasExactlyEntryKeys(value)) {
    return unparsed(line, 'unexpected set of entry members');
  }
  const { seq, id, prev, hash, type, v } = value;
  if (
    v !== ENTRY_FORMAT_VERSION ||
    typeof seq !== 'number' ||
    !Number.isSafeInteger(seq) ||
    seq < 0 ||
    typeof id !== 'string' ||
    typeof prev !== 'string' ||
    !HEX64_RE.test(prev) ||
    typeof hash !== 'string' ||
    typeof type !== 'string'
  ) {
    return unparsed(line, 'entry members have the wrong types');
  }
  let members: BodyMembers;
  try {
    members = membersOf({
      causes: value['causes'],
      payload: value['payload'],
      run: value['run'],
      source: value['source'],
      ts: value['ts'],
      type,
      type_v: value['type_v'],
    });
  } catch {
    return unparsed(line, 'content cannot be canonicalised');
  }
  const actualId = eventIdOfBodyText(bodyText(members));
  const actualHash = sha256Hex(unhashedEntryText(members, id, prev, seq));
  const actualBytes = Buffer.from(actualHash, 'hex');
  const canonical = entryText(members, id, prev, seq, hash) === line;
  const problem =
    actualId !== id
      ? 'content does not match its id'
      : actualHash !== hash
        ? 'entry does not match its hash'
        : canonical
          ? undefined
          : 'entry text is not canonical JSON';
  return {
    parsed: true,
    seq,
    type,
    id,
    prev,
    storedHash: hash,
    actualHash,
    canonical,
    selfValid: problem === undefined,
    leafData: actualBytes,
    problem,
  };
}
