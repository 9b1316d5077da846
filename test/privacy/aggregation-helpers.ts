/**
 * Participants of secure-aggregation rounds with keys from fixed seeds, so every run derives the
 * same keys and the same masks.
 */
import { SeededRng } from '../../src/core/index.js';
import {
  AggregationCoordinator,
  aggregationKeyPairFromSeed,
  AggregationParticipant,
  type AggregationRound,
  createAggregationRound,
} from '../../src/privacy/index.js';

export function participant(id: string, seed: number): AggregationParticipant {
  return new AggregationParticipant({
    id,
    keyPair: aggregationKeyPairFromSeed(new SeededRng(seed).fill(new Uint8Array(32))),
  });
}

export function venues(count: number): AggregationParticipant[] {
  return Array.from({ length: count }, (_, i) => participant(`XSIM${i + 1}`, 100 + i));
}

export function roundOf(
  roundId: string,
  parties: readonly AggregationParticipant[],
): AggregationRound {
  return createAggregationRound(
    roundId,
    parties.map((p) => ({ id: p.id, publicKey: p.publicKey })),
  );
}

/** One complete round without drops; returns the coordinator's total and the masked values. */
export function aggregate(
  roundId: string,
  parties: readonly AggregationParticipant[],
  values: readonly bigint[],
): { total: bigint; masked: bigint[] } {
  const round = roundOf(roundId, parties);
  const coordinator = new AggregationCoordinator(round);
  const masked: bigint[] = [];
  parties.forEach((p, i) => {
    const input = p.maskInput(round, values[i]!);
    masked.push(input.masked);
    coordinator.submit(input);
  });
  return { total: coordinator.total(), masked };
}
