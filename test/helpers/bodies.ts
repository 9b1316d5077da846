/**
 * Small deterministic event bodies for pure tests of the chain and the auditor.
 */
import { type SealedEntry, sealEntry } from '../../src/core/chain/entry-codec.js';
import { type EventBody, GENESIS_PREV } from '../../src/core/events/envelope.js';
import { toTsNs } from '../../src/core/events/primitives.js';

export function tickBody(index: number, run = 'test-run'): EventBody {
  return {
    type: 'md.tick',
    type_v: 1,
    run,
    ts: {
      wall_ns: toTsNs(1_767_225_600_000_000_000n + BigInt(index) * 1000n),
      mono_ns: toTsNs(BigInt(index) * 1000n),
    },
    source: { node: 'n1', venue: 'XNAS-SIM' },
    causes: [],
    payload: {
      instrument: 'ACME',
      venue: 'XNAS-SIM',
      bid_px: 10_000 + index,
      ask_px: 10_002 + index,
      feed_seq: index,
    },
  };
}

/** A chain of `count` sealed tick entries. */
export function sealChain(count: number, run = 'test-run'): SealedEntry[] {
  const entries: SealedEntry[] = [];
  let prev = GENESIS_PREV;
  for (let seq = 0; seq < count; seq++) {
    const entry = sealEntry(tickBody(seq, run), seq, prev);
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}
