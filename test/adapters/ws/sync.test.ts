import { describe, expect, it } from 'vitest';

import type { SnapshotMessage, UpdateMessage } from '../../../src/adapters/ws/index.js';
import { InstrumentSync } from '../../../src/adapters/ws/instrument-sync.js';
import { LocalBook } from '../../../src/adapters/ws/local-book.js';

function snapshot(seq: number): SnapshotMessage {
  return {
    v: 1,
    type: 'snapshot',
    venue: 'XSIM1',
    instrument: 'ACME',
    seq,
    tsNs: '0',
    bids: [[100, 5]],
    asks: [[101, 5]],
  };
}

function update(seq: number, priceTicks = 100, qtyLots = seq): UpdateMessage {
  return {
    v: 1,
    type: 'update',
    venue: 'XSIM1',
    instrument: 'ACME',
    seq,
    tsNs: '0',
    levels: [{ side: 'buy', priceTicks, qtyLots }],
    trades: [],
  };
}

describe('InstrumentSync', () => {
  it('buffers until the snapshot, then replays what follows it', () => {
    const sync = new InstrumentSync('ACME', 100);
    expect(sync.onUpdate(update(3))).toEqual({ kind: 'buffered' });
    expect(sync.onUpdate(update(4))).toEqual({ kind: 'buffered' });
    expect(sync.onUpdate(update(5, 99))).toEqual({ kind: 'buffered' });
    const outcome = sync.onSnapshot(snapshot(3));
    expect(outcome.kind === 'applied' && outcome.replayed.map((u) => u.seq)).toEqual([4, 5]);
    expect(sync.lastSeq).toBe(5);
    expect(sync.book.depth()).toEqual({
      bids: [
        [100, 4],
        [99, 5],
      ],
      asks: [[101, 5]],
    });
  });

  it('reports a gap in the buffered updates after a snapshot', () => {
    const sync = new InstrumentSync('ACME', 100);
    sync.onUpdate(update(5));
    sync.onUpdate(update(7));
    expect(sync.onSnapshot(snapshot(5))).toEqual({ kind: 'gap', expectedSeq: 6, receivedSeq: 7 });
    expect(sync.state).toBe('awaiting-snapshot');
  });

  it('applies the next seq, ignores stale ones and stops at a gap', () => {
    const sync = new InstrumentSync('ACME', 100);
    sync.onSnapshot(snapshot(10));
    expect(sync.onUpdate(update(11))).toEqual({ kind: 'applied' });
    expect(sync.onUpdate(update(11))).toEqual({ kind: 'stale' });
    expect(sync.onUpdate(update(9))).toEqual({ kind: 'stale' });
    expect(sync.onUpdate(update(13))).toEqual({ kind: 'gap', expectedSeq: 12, receivedSeq: 13 });
    expect(sync.state).toBe('awaiting-snapshot');
    expect(sync.lastSeq).toBe(11);
  });

  it('takes a heartbeat beyond its seq as a gap', () => {
    const sync = new InstrumentSync('ACME', 100);
    sync.onSnapshot(snapshot(4));
    expect(sync.checkHeartbeat(4)).toBeUndefined();
    expect(sync.checkHeartbeat(6)).toEqual({ kind: 'gap', expectedSeq: 5, receivedSeq: 6 });
    expect(sync.checkHeartbeat(9)).toBeUndefined();
  });

  it('keeps at most the bound of buffered updates, dropping the oldest', () => {
    const sync = new InstrumentSync('ACME', 2);
    for (const seq of [1, 2, 3, 4]) sync.onUpdate(update(seq));
    expect(sync.onSnapshot(snapshot(1))).toEqual({ kind: 'gap', expectedSeq: 2, receivedSeq: 3 });
    for (const seq of [1, 2, 3, 4]) sync.onUpdate(update(seq));
    expect(sync.onSnapshot(snapshot(2)).kind).toBe('applied');
    expect(sync.lastSeq).toBe(4);
  });
});

describe('LocalBook', () => {
  it('keeps levels sorted best first, removes emptied ones, and limits depth', () => {
    const book = new LocalBook();
    book.reset(
      [
        [99, 1],
        [100, 2],
      ],
      [[103, 1]],
    );
    book.apply([
      { side: 'sell', priceTicks: 101, qtyLots: 4 },
      { side: 'buy', priceTicks: 99, qtyLots: 0 },
      { side: 'buy', priceTicks: 98, qtyLots: 6 },
    ]);
    expect(book.depth()).toEqual({
      bids: [
        [100, 2],
        [98, 6],
      ],
      asks: [
        [101, 4],
        [103, 1],
      ],
    });
    expect(book.depth(1)).toEqual({ bids: [[100, 2]], asks: [[101, 4]] });
  });
});
