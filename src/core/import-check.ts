/**
 * @module
 * The checks of an import: entry texts taken verbatim from another log's export must continue
 * this log's chain exactly, each a valid entry of a registered type.
 */
import { fromHex } from './bytes.js';
import { analyzeEntryLine } from './chain/entry-analysis.js';
import type { SealedEntry } from './chain/entry-codec.js';
import { InputError, IntegrityError } from './errors.js';
import type { EventTypeRegistry } from './events/registry.js';
import type { StoreSnapshot } from './ports.js';

/** Checks entry texts one by one as continuing a chain. Errors carry `details.index`. */
export interface ImportChecker {
  /** @throws CHAIN_BROKEN, INPUT_UNKNOWN_EVENT_TYPE, INPUT_SCHEMA_VIOLATION */
  check(line: string, index: number): SealedEntry;
}

/** A checker of the entries to import after `head`. */
export function checkerFrom(head: StoreSnapshot, registry: EventTypeRegistry): ImportChecker {
  let seq = head.size;
  let expectedPrev = head.head_hash;
  return {
    check(line, index) {
      const analyzed = analyzeEntryLine(line);
      if (!analyzed.selfValid || analyzed.seq !== seq || analyzed.prev !== expectedPrev) {
        throw new IntegrityError('CHAIN_BROKEN', 'the entry does not continue the chain', {
          details: {
            index,
            expected_seq: seq,
            problem: analyzed.problem ?? `claims seq ${analyzed.seq} with another prev`,
          },
        });
      }
      const value = JSON.parse(line) as { type_v: number; payload: unknown; run: string };
      // Only the verdict is wanted, and the parsed payload is this function's own.
      atIndex(index, () => registry.acceptOwnedPayload(analyzed.type, value.type_v, value.payload));
      seq++;
      expectedPrev = analyzed.storedHash;
      return {
        seq: analyzed.seq,
        id: analyzed.id,
        type: analyzed.type,
        run: value.run,
        prev: analyzed.prev,
        hash: analyzed.storedHash,
        hashBytes: fromHex(analyzed.actualHash),
        line,
      };
    },
  };
}

/** Runs `work`, adding the batch position to the details of an input error it throws. */
export function atIndex<T>(index: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(error.code, error.message, {
        details: { index, ...(error.details ?? {}) },
        cause: error,
      });
    }
    throw error;
  }
}
