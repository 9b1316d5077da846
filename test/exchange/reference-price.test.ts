import { describe, expect, it } from 'vitest';

import { SeededRng, VirtualScheduler } from '../../src/core/index.js';
import { MarketSimulator, ReferencePrice, Venue } from '../../src/exchange/index.js';
import { expectErrorCode } from '../helpers/errors.js';

const MS = 1_000_000n;

function reference(seed = 3): ReferencePrice {
  return new ReferencePrice({
    rng: new SeededRng(seed),
    initialMidTicks: 10_000,
    stepNs: 10n * MS,
    maxStepTicks: 2,
    minMidTicks: 100,
  });
}

describe('ReferencePrice', () => {
  it('gives every caller the same value at the same time, whatever the order they ask in', () => {
    const forward = reference();
    const values = Array.from({ length: 200 }, (_, i) => forward.midTicksAt(BigInt(i) * 5n * MS));
    const jumping = reference();
    expect(jumping.midTicksAt(995n * MS)).toBe(values[199]);
    expect(values.map((_, i) => jumping.midTicksAt(BigInt(i) * 5n * MS))).toEqual(values);
    expect(new Set(values).size).toBeGreaterThan(5);
  });

  it('keeps two venues that follow it within a few ticks of each other', () => {
    const scheduler = new VirtualScheduler({ wallOriginNs: 0n });
    const shared = reference();
    const simulators = ['XSIM1', 'XSIM2'].map(
      (mic, i) =>
        new MarketSimulator({
          venue: new Venue({ mic, instruments: ['ACME'], scheduler }),
          scheduler,
          rng: new SeededRng(10 + i),
          instruments: [{ instrument: 'ACME', reference: shared }],
        }),
    );
    for (const simulator of simulators) simulator.start();
    let worst = 0;
    for (let t = 1n; t <= 600n; t++) {
      scheduler.advanceTo(t * 100n * MS);
      const [a, b] = simulators.map((s) => s.midTicks('ACME')!);
      worst = Math.max(worst, Math.abs(a! - b!));
    }
    expect(worst).toBeLessThanOrEqual(2 * 2 + 2);
    expect(Math.abs(simulators[0]!.midTicks('ACME')! - 10_000)).toBeGreaterThan(0);
  });

  it('reports VENUE_INVALID_CONFIG for a zero step', () => {
    expectErrorCode(
      () =>
        new ReferencePrice({
          rng: new SeededRng(1),
          initialMidTicks: 10,
          stepNs: 0n,
          maxStepTicks: 1,
          minMidTicks: 1,
        }),
      'VENUE_INVALID_CONFIG',
    );
  });
});
