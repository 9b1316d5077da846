import { describe, expect, it } from 'vitest';

import { VirtualScheduler } from '../../../src/core/index.js';
import { expectErrorCode } from '../../helpers/errors.js';

function scheduler(): VirtualScheduler {
  return new VirtualScheduler({ wallOriginNs: 1_000_000_000n });
}

describe('VirtualScheduler', () => {
  it('runs tasks in due order, ties in the order they were set, moving the clock', () => {
    const s = scheduler();
    const seen: string[] = [];
    s.setTimer(30n, () => seen.push(`c@${s.nowNs}`));
    s.setTimer(10n, () => seen.push(`a@${s.nowNs}`));
    s.setTimer(10n, () => seen.push(`b@${s.nowNs}`));
    expect(s.advanceTo(100n)).toBe(3);
    expect(seen).toEqual(['a@10', 'b@10', 'c@30']);
    expect(s.nowNs).toBe(100n);
    expect(s.clock.wallNs()).toBe(1_000_000_100n);
  });

  it('runs tasks that tasks set, when they fall inside the window', () => {
    const s = scheduler();
    const seen: bigint[] = [];
    const tick = (): void => {
      seen.push(s.nowNs);
      s.setTimer(25n, tick);
    };
    s.setTimer(0n, tick);
    s.advanceTo(100n);
    expect(seen).toEqual([0n, 25n, 50n, 75n, 100n]);
    expect(s.pending).toBe(1);
  });

  it('skips cancelled timers, and a cancel after firing does nothing', () => {
    const s = scheduler();
    const seen: number[] = [];
    const first = s.setTimer(5n, () => seen.push(1));
    const second = s.setTimer(6n, () => seen.push(2));
    second.cancel();
    expect(s.nextDueNs()).toBe(5n);
    s.advanceBy(10n);
    first.cancel();
    expect(seen).toEqual([1]);
    expect(s.pending).toBe(0);
    expect(s.runNext()).toBe(false);
  });

  it('orders a thousand random timers exactly like a stable sort by due time', () => {
    const s = scheduler();
    const seen: number[] = [];
    const due: bigint[] = [];
    let x = 12345;
    for (let i = 0; i < 1000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const d = BigInt(x % 97);
      due.push(d);
      s.setTimer(d, () => seen.push(i));
    }
    s.advanceTo(1000n);
    const expected = due
      .map((d, i) => ({ d, i }))
      .sort((a, b) => (a.d === b.d ? a.i - b.i : a.d < b.d ? -1 : 1))
      .map(({ i }) => i);
    expect(seen).toEqual(expected);
  });

  it('awaits settle() before every task in run()', async () => {
    const s = scheduler();
    const log: string[] = [];
    s.setTimer(1n, () => log.push('t1'));
    s.setTimer(2n, () => log.push('t2'));
    const ran = await s.run({
      settle: () => {
        log.push('settle');
        return Promise.resolve();
      },
    });
    expect(ran).toBe(2);
    expect(log).toEqual(['settle', 't1', 'settle', 't2', 'settle']);
  });

  it('stops run() at limitNs', async () => {
    const s = scheduler();
    s.setTimer(5n, () => undefined);
    s.setTimer(50n, () => undefined);
    expect(await s.run({ limitNs: 10n })).toBe(1);
    expect(s.pending).toBe(1);
  });

  describe('when misused', () => {
    it('reports INPUT_INVALID_ARGUMENT for a negative delay or going backwards', () => {
      const s = scheduler();
      expectErrorCode(() => s.setTimer(-1n, () => undefined), 'INPUT_INVALID_ARGUMENT');
      s.advanceTo(10n);
      expectErrorCode(() => s.advanceTo(9n), 'INPUT_INVALID_ARGUMENT');
    });
  });
});
