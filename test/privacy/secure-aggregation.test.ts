import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  AggregationCoordinator,
  aggregationKeyPairFromSeed,
  createAggregationRound,
  MaskedInputSchema,
  MaskRevealSchema,
  MAX_AGGREGATION_INPUT,
} from '../../src/privacy/index.js';
import { expectErrorCode } from '../helpers/errors.js';
import { aggregate, participant, roundOf, venues } from './aggregation-helpers.js';

describe('secure aggregation', () => {
  it('gives the coordinator the exact total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.bigInt({ min: 0n, max: MAX_AGGREGATION_INPUT }), {
          minLength: 6,
          maxLength: 6,
        }),
        fc.nat(),
        (count, values, round) => {
          const parties = venues(count);
          const used = values.slice(0, count);
          const { total, masked } = aggregate(`round-${round}`, parties, used);
          expect(total).toBe(used.reduce((s, v) => s + v, 0n));
          // No masked value is its input (a 2^-64 chance each, for a fixed seed: never).
          masked.forEach((m, i) => expect(m).not.toBe(used[i]));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('derives the same keys and masks from the same seeds', () => {
    const first = aggregate('r1', venues(3), [5n, 6n, 7n]).masked;
    expect(aggregate('r1', venues(3), [5n, 6n, 7n]).masked).toEqual(first);
    expect(aggregate('r2', venues(3), [5n, 6n, 7n]).masked).not.toEqual(first);
  });

  it('round-trips its messages through their wire schemas', () => {
    const parties = venues(3);
    const round = roundOf('wire', parties);
    const input = parties[0]!.maskInput(round, 42n);
    const wire = MaskedInputSchema.encode(input);
    expect(typeof wire.masked).toBe('string');
    expect(MaskedInputSchema.parse(JSON.parse(JSON.stringify(wire)))).toEqual(input);
    expect(MaskedInputSchema.safeParse({ ...wire, masked: '18446744073709551616' }).success).toBe(
      false,
    );
    parties[1]!.maskInput(round, 1n);
    const reveal = parties[1]!.revealMask(round, 'XSIM3');
    expect(MaskRevealSchema.parse(MaskRevealSchema.encode(reveal))).toEqual(reveal);
  });

  describe('when one participant drops out', () => {
    it('recovers the survivors’ exact total from their revealed masks', () => {
      const parties = venues(4);
      const round = roundOf('drop-1', parties);
      const coordinator = new AggregationCoordinator(round);
      const values = [100n, 250n, 75n, 9n];
      for (const i of [0, 1, 3]) coordinator.submit(parties[i]!.maskInput(round, values[i]!));
      expect(coordinator.missing).toEqual(['XSIM3']);
      expectErrorCode(() => coordinator.total(), 'PRIVACY_AGGREGATION_INCOMPLETE');
      expect(coordinator.dropParticipant('XSIM3')).toEqual(['XSIM1', 'XSIM2', 'XSIM4']);
      expect(coordinator.pendingReveals).toEqual(['XSIM1', 'XSIM2', 'XSIM4']);
      for (const i of [0, 1, 3]) coordinator.submitReveal(parties[i]!.revealMask(round, 'XSIM3'));
      expect(coordinator.total()).toBe(100n + 250n + 9n);
    });

    it('refuses the dropped participant’s late input with PRIVACY_AGGREGATION_UNEXPECTED', () => {
      const parties = venues(3);
      const round = roundOf('late', parties);
      const coordinator = new AggregationCoordinator(round);
      coordinator.submit(parties[0]!.maskInput(round, 1n));
      coordinator.submit(parties[1]!.maskInput(round, 2n));
      coordinator.dropParticipant('XSIM3');
      expectErrorCode(
        () => coordinator.submit(parties[2]!.maskInput(round, 3n)),
        'PRIVACY_AGGREGATION_UNEXPECTED',
      );
    });

    it('refuses to drop a participant whose input arrived (its masks would unmask it)', () => {
      const parties = venues(3);
      const round = roundOf('arrived', parties);
      const coordinator = new AggregationCoordinator(round);
      coordinator.submit(parties[0]!.maskInput(round, 1n));
      expectErrorCode(() => coordinator.dropParticipant('XSIM1'), 'PRIVACY_AGGREGATION_UNEXPECTED');
    });

    it('reports PRIVACY_AGGREGATION_SECOND_DROP for a second drop, at both ends', () => {
      const parties = venues(4);
      const round = roundOf('two-drops', parties);
      const coordinator = new AggregationCoordinator(round);
      coordinator.submit(parties[0]!.maskInput(round, 1n));
      coordinator.submit(parties[1]!.maskInput(round, 2n));
      coordinator.dropParticipant('XSIM4');
      expectErrorCode(
        () => coordinator.dropParticipant('XSIM3'),
        'PRIVACY_AGGREGATION_SECOND_DROP',
      );
      parties[0]!.revealMask(round, 'XSIM4');
      expectErrorCode(
        () => parties[0]!.revealMask(round, 'XSIM3'),
        'PRIVACY_AGGREGATION_SECOND_DROP',
      );
    });

    it('reports PRIVACY_AGGREGATION_TOO_FEW when one survivor would be left', () => {
      const parties = venues(2);
      const round = roundOf('pair', parties);
      const coordinator = new AggregationCoordinator(round);
      coordinator.submit(parties[0]!.maskInput(round, 1n));
      expectErrorCode(() => coordinator.dropParticipant('XSIM2'), 'PRIVACY_AGGREGATION_TOO_FEW');
    });

    it('refuses reveals nobody asked for', () => {
      const parties = venues(3);
      const round = roundOf('unasked', parties);
      const coordinator = new AggregationCoordinator(round);
      coordinator.submit(parties[0]!.maskInput(round, 1n));
      coordinator.submit(parties[1]!.maskInput(round, 1n));
      const reveal = parties[0]!.revealMask(round, 'XSIM3');
      expectErrorCode(() => coordinator.submitReveal(reveal), 'PRIVACY_AGGREGATION_UNEXPECTED');
      coordinator.dropParticipant('XSIM3');
      coordinator.submitReveal(reveal);
      expectErrorCode(() => coordinator.submitReveal(reveal), 'PRIVACY_AGGREGATION_UNEXPECTED');
      expectErrorCode(
        () => parties[2]!.revealMask(round, 'XSIM1'),
        'PRIVACY_AGGREGATION_UNEXPECTED',
      );
    });
  });

  describe('misuse', () => {
    it('reports PRIVACY_AGGREGATION_TOO_FEW for a round of one', () => {
      const [only] = venues(1);
      expectErrorCode(
        () => createAggregationRound('solo', [{ id: only!.id, publicKey: only!.publicKey }]),
        'PRIVACY_AGGREGATION_TOO_FEW',
      );
    });

    it('reports PRIVACY_AGGREGATION_ROUND_MISMATCH for a message of another round', () => {
      const parties = venues(3);
      const coordinator = new AggregationCoordinator(roundOf('r-a', parties));
      const other = parties[0]!.maskInput(roundOf('r-b', parties), 5n);
      expectErrorCode(() => coordinator.submit(other), 'PRIVACY_AGGREGATION_ROUND_MISMATCH');
    });

    it('reports PRIVACY_AGGREGATION_ROUND_REUSED when a round id would be masked twice', () => {
      const parties = venues(2);
      const round = roundOf('again', parties);
      parties[0]!.maskInput(round, 5n);
      expectErrorCode(() => parties[0]!.maskInput(round, 6n), 'PRIVACY_AGGREGATION_ROUND_REUSED');
    });

    it('reports PRIVACY_AGGREGATION_UNEXPECTED for a stranger or a repeated input', () => {
      const parties = venues(3);
      const round = roundOf('strangers', parties.slice(0, 2));
      const coordinator = new AggregationCoordinator(round);
      expectErrorCode(() => parties[2]!.maskInput(round, 1n), 'PRIVACY_AGGREGATION_UNEXPECTED');
      const input = parties[0]!.maskInput(round, 1n);
      coordinator.submit(input);
      expectErrorCode(() => coordinator.submit(input), 'PRIVACY_AGGREGATION_UNEXPECTED');
      expectErrorCode(
        () => coordinator.submit({ ...input, participant: 'XSIM9' }),
        'PRIVACY_AGGREGATION_UNEXPECTED',
      );
      expectErrorCode(() => coordinator.dropParticipant('XSIM9'), 'PRIVACY_AGGREGATION_UNEXPECTED');
    });

    it('reports PRIVACY_AGGREGATION_INVALID_KEY for bad seeds and keys', () => {
      expectErrorCode(
        () => aggregationKeyPairFromSeed(new Uint8Array(31)),
        'PRIVACY_AGGREGATION_INVALID_KEY',
      );
      const a = participant('A', 1);
      expectErrorCode(
        () =>
          createAggregationRound('short', [
            { id: 'A', publicKey: a.publicKey },
            { id: 'B', publicKey: new Uint8Array(16) },
          ]),
        'PRIVACY_AGGREGATION_INVALID_KEY',
      );
      // u = 0 is a point of small order: its shared secret is all zeros (RFC 7748 §6.1).
      const round = createAggregationRound('low-order', [
        { id: 'A', publicKey: a.publicKey },
        { id: 'B', publicKey: new Uint8Array(32) },
      ]);
      expectErrorCode(() => a.maskInput(round, 1n), 'PRIVACY_AGGREGATION_INVALID_KEY');
    });

    it('reports PRIVACY_INVALID_ARGUMENT for repeated ids and out-of-range inputs', () => {
      const [a, b] = venues(2);
      expectErrorCode(
        () =>
          createAggregationRound('dup', [
            { id: 'X', publicKey: a!.publicKey },
            { id: 'X', publicKey: b!.publicKey },
          ]),
        'PRIVACY_INVALID_ARGUMENT',
      );
      const round = roundOf('range', [a!, b!]);
      expectErrorCode(() => a!.maskInput(round, -1n), 'PRIVACY_INVALID_ARGUMENT');
      expectErrorCode(
        () => a!.maskInput(round, MAX_AGGREGATION_INPUT + 1n),
        'PRIVACY_INVALID_ARGUMENT',
      );
    });
  });
});
