/**
 * @module
 * An entry line's hash read out of its UTF-8 bytes as they came off the writer's pipe, for the
 * writer that keeps the Merkle tree (./batch-writer.ts): the line is never decoded into a string.
 */
import { hashLeafOfHexBytes, InternalError } from '../../core/index.js';

/**
 * Where an entry line's hash is: its first member is `causes`, an array of content ids, whose
 * text cannot hold this.
 */
const HASH_MEMBER = Buffer.from(',"hash":"', 'latin1');
const CAUSES_OPEN = Buffer.from('{"causes":[', 'latin1');
/** `"sha256:<64 hex>"`, a cause as the ledger writes it, quotes included. */
const QUOTED_ID_BYTES = 73;
const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

function startsWithAt(bytes: Buffer, at: number, expected: Buffer): boolean {
  if (at + expected.length > bytes.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

/**
 * Where the digits of the hash of the entry line starting at `start` begin: found by stepping over
 * the causes, ids of one length, as the ledger writes them; by a search for anything else.
 */
function hashDigitsAt(lines: Buffer, start: number): number {
  let at = start + CAUSES_OPEN.length;
  if (startsWithAt(lines, start, CAUSES_OPEN)) {
    if (lines[at] === CLOSE_BRACKET) at++;
    else
      for (;;) {
        if (lines[at] !== QUOTE || lines[at + QUOTED_ID_BYTES - 1] !== QUOTE) {
          at = -1;
          break;
        }
        at += QUOTED_ID_BYTES;
        const next = lines[at++];
        if (next === CLOSE_BRACKET) break;
        if (next !== COMMA) {
          at = -1;
          break;
        }
      }
    if (at > 0 && startsWithAt(lines, at, HASH_MEMBER)) return at + HASH_MEMBER.length;
  }
  const member = lines.indexOf(HASH_MEMBER, start);
  return member < 0 ? -1 : member + HASH_MEMBER.length;
}

/**
 * The Merkle leaf hash of the entry line `lines[start, end)`, from its hash's digits.
 * @throws INTERNAL when the line has none where an entry's is
 */
export function entryLeafOf(lines: Buffer, start: number, end: number, pos: number): Uint8Array {
  const at = hashDigitsAt(lines, start);
  const leaf = at < 0 || at + 64 > end ? undefined : hashLeafOfHexBytes(lines, at);
  if (leaf === undefined) {
    throw new InternalError('INTERNAL', 'a batch entry line has no readable hash', {
      details: { pos },
    });
  }
  return leaf;
}
