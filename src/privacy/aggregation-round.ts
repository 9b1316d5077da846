/**
 * @module
 * A secure-aggregation round and the messages that cross it. Each participant i sends
 * yᵢ = xᵢ + Σ_{j>i} mᵢⱼ − Σ_{j<i} mᵢⱼ (mod 2^64), ids ordered by UTF-16 code unit, with mᵢⱼ the
 * pairwise mask of {@link derivePairMask}: the masks cancel in Σ yᵢ, so the coordinator learns the
 * exact total and, from each yᵢ, nothing (it is uniform whatever xᵢ is). When one participant d
 * drops out, each survivor reveals its mask with d and the coordinator removes those terms
 * (Bonawitz et al., CCS 2017, without the double masking that guards against a coordinator that
 * lies about a drop: the coordinator is trusted to be honest but curious).
 */
import { z } from 'zod';

import { InputError, NameSchema } from '../core/index.js';
import { MASK_MODULUS, X25519_KEY_SIZE } from './aggregation-keys.js';

export const AGGREGATION_FORMAT_VERSION = 1;
/** At most this many participants, so that Σ of their inputs stays below 2^64 (no wrap). */
export const MAX_AGGREGATION_PARTICIPANTS = 1024;
/** Largest private input: 2^53 − 1, a safe integer. */
export const MAX_AGGREGATION_INPUT = (1n << 53n) - 1n;

export interface AggregationPeer {
  readonly id: string;
  /** Raw X25519 public key, 32 bytes. */
  readonly publicKey: Uint8Array;
}

/** A round's id and its participants, sorted by id. */
export interface AggregationRound {
  readonly roundId: string;
  readonly participants: readonly AggregationPeer[];
}

/** A 64-bit unsigned integer as a decimal string on the wire, a bigint in memory. */
const Uint64Schema = z.codec(z.string().regex(/^(0|[1-9][0-9]{0,19})$/), z.bigint(), {
  decode: (text) => BigInt(text),
  encode: (value) => value.toString(),
});
const MaskValueSchema = Uint64Schema.refine((value) => value < MASK_MODULUS, 'must be below 2^64');

/** What a participant sends the coordinator: its masked input. */
export const MaskedInputSchema = z.strictObject({
  v: z.literal(AGGREGATION_FORMAT_VERSION),
  round: NameSchema,
  participant: NameSchema,
  masked: MaskValueSchema,
});
export type MaskedInput = z.output<typeof MaskedInputSchema>;

/** A survivor's mask with the dropped participant, revealed so that the total can be recovered. */
export const MaskRevealSchema = z.strictObject({
  v: z.literal(AGGREGATION_FORMAT_VERSION),
  round: NameSchema,
  participant: NameSchema,
  dropped: NameSchema,
  mask: MaskValueSchema,
});
export type MaskReveal = z.output<typeof MaskRevealSchema>;

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Validates and sorts a round's participants.
 * @throws PRIVACY_AGGREGATION_TOO_FEW below two participants; PRIVACY_INVALID_ARGUMENT for a bad
 *   round id, a bad or repeated participant id, or more than 1024 participants;
 *   PRIVACY_AGGREGATION_INVALID_KEY for a public key that is not 32 bytes.
 */
export function createAggregationRound(
  roundId: string,
  participants: readonly AggregationPeer[],
): AggregationRound {
  if (!NameSchema.safeParse(roundId).success) {
    throw new InputError('PRIVACY_INVALID_ARGUMENT', 'a round id is 1-128 printable chars', {
      details: { round: roundId.slice(0, 128) },
    });
  }
  if (participants.length < 2) {
    throw new InputError(
      'PRIVACY_AGGREGATION_TOO_FEW',
      'a round needs at least two participants: the total of one is its value',
      { details: { round: roundId, participants: participants.length } },
    );
  }
  if (participants.length > MAX_AGGREGATION_PARTICIPANTS) {
    throw new InputError('PRIVACY_INVALID_ARGUMENT', 'too many participants for one round', {
      details: { round: roundId, participants: participants.length },
    });
  }
  const sorted = [...participants].sort((a, b) => compareIds(a.id, b.id));
  for (let i = 0; i < sorted.length; i++) {
    const peer = sorted[i]!;
    if (!NameSchema.safeParse(peer.id).success || sorted[i + 1]?.id === peer.id) {
      throw new InputError('PRIVACY_INVALID_ARGUMENT', 'participant ids are unique names', {
        details: { round: roundId, participant: peer.id.slice(0, 128) },
      });
    }
    if (peer.publicKey.byteLength !== X25519_KEY_SIZE) {
      throw new InputError('PRIVACY_AGGREGATION_INVALID_KEY', 'a public key is 32 bytes', {
        details: { round: roundId, participant: peer.id, size: peer.publicKey.byteLength },
      });
    }
  }
  return {
    roundId,
    participants: sorted.map((peer) => ({
      id: peer.id,
      publicKey: new Uint8Array(peer.publicKey),
    })),
  };
}

/** @throws PRIVACY_AGGREGATION_ROUND_MISMATCH when a message names another round. */
export function assertSameRound(round: AggregationRound, messageRound: string): void {
  if (messageRound !== round.roundId) {
    throw new InputError('PRIVACY_AGGREGATION_ROUND_MISMATCH', 'the message is for another round', {
      details: { round: round.roundId, message_round: messageRound.slice(0, 128) },
    });
  }
}

/** x mod 2^64, in [0, 2^64). */
export function mod64(value: bigint): bigint {
  return BigInt.asUintN(64, value);
}
