/**
 * @module
 * A participant of secure aggregation (a venue with a private value, e.g. its available
 * liquidity). It masks its input once per round and reveals a pairwise mask only for the one
 * participant the coordinator declares dropped. Shared secrets are cached per peer key; masks are
 * fresh per round, which is why a round id is never masked twice: two inputs under the same masks
 * would give away their difference.
 */
import { InputError } from '../core/index.js';
import { type AggregationKeyPair, agreeSharedSecret, derivePairMask } from './aggregation-keys.js';
import {
  AGGREGATION_FORMAT_VERSION,
  type AggregationPeer,
  type AggregationRound,
  compareIds,
  type MaskedInput,
  type MaskReveal,
  MAX_AGGREGATION_INPUT,
  mod64,
} from './aggregation-round.js';

export interface AggregationParticipantOptions {
  readonly id: string;
  readonly keyPair: AggregationKeyPair;
}

export class AggregationParticipant {
  readonly id: string;
  readonly #keyPair: AggregationKeyPair;
  readonly #secrets = new Map<string, Uint8Array>();
  /** Rounds this participant masked an input for, with the peer it revealed for (if any). */
  readonly #rounds = new Map<string, { revealedFor: string | undefined }>();

  constructor(options: AggregationParticipantOptions) {
    this.id = options.id;
    this.#keyPair = options.keyPair;
  }

  get publicKey(): Uint8Array {
    return new Uint8Array(this.#keyPair.publicKey);
  }

  /**
   * yᵢ = xᵢ + Σ_{j>i} mᵢⱼ − Σ_{j<i} mᵢⱼ (mod 2^64).
   * @throws PRIVACY_INVALID_ARGUMENT for a value outside [0, 2^53); PRIVACY_AGGREGATION_UNEXPECTED
   *   when the round does not list this participant with its key; PRIVACY_AGGREGATION_ROUND_REUSED;
   *   PRIVACY_AGGREGATION_INVALID_KEY for a peer key X25519 refuses.
   */
  maskInput(round: AggregationRound, value: bigint): MaskedInput {
    if (value < 0n || value > MAX_AGGREGATION_INPUT) {
      throw new InputError('PRIVACY_INVALID_ARGUMENT', 'an input is an integer in [0, 2^53)', {
        details: { round: round.roundId, participant: this.id },
      });
    }
    this.#assertListed(round);
    if (this.#rounds.has(round.roundId)) {
      throw new InputError(
        'PRIVACY_AGGREGATION_ROUND_REUSED',
        'this participant already masked an input for this round id',
        { details: { round: round.roundId, participant: this.id } },
      );
    }
    let masked = value;
    for (const peer of round.participants) {
      if (peer.id === this.id) continue;
      const mask = this.#maskWith(round, peer);
      masked = compareIds(this.id, peer.id) < 0 ? masked + mask : masked - mask;
    }
    this.#rounds.set(round.roundId, { revealedFor: undefined });
    return {
      v: AGGREGATION_FORMAT_VERSION,
      round: round.roundId,
      participant: this.id,
      masked: mod64(masked),
    };
  }

  /**
   * This participant's mask with `dropped`, for the coordinator to remove from the total.
   * @throws PRIVACY_AGGREGATION_UNEXPECTED when this participant did not mask an input for the
   *   round, or `dropped` is itself or not in the round; PRIVACY_AGGREGATION_SECOND_DROP when it
   *   already revealed for another participant of the round (two reveals could unmask a third).
   */
  revealMask(round: AggregationRound, dropped: string): MaskReveal {
    const state = this.#rounds.get(round.roundId);
    const peer = round.participants.find((p) => p.id === dropped);
    if (state === undefined || peer === undefined || dropped === this.id) {
      throw new InputError('PRIVACY_AGGREGATION_UNEXPECTED', 'no mask to reveal for this request', {
        details: { round: round.roundId, participant: this.id, dropped: dropped.slice(0, 128) },
      });
    }
    if (state.revealedFor !== undefined && state.revealedFor !== dropped) {
      throw new InputError(
        'PRIVACY_AGGREGATION_SECOND_DROP',
        'a round tolerates one dropped participant; redo it',
        { details: { round: round.roundId, dropped: [state.revealedFor, dropped] } },
      );
    }
    state.revealedFor = dropped;
    return {
      v: AGGREGATION_FORMAT_VERSION,
      round: round.roundId,
      participant: this.id,
      dropped,
      mask: this.#maskWith(round, peer),
    };
  }

  #assertListed(round: AggregationRound): void {
    const self = round.participants.find((p) => p.id === this.id);
    const own = this.#keyPair.publicKey;
    if (self === undefined || !self.publicKey.every((byte, i) => byte === own[i])) {
      throw new InputError(
        'PRIVACY_AGGREGATION_UNEXPECTED',
        'the round does not list this participant with its key',
        { details: { round: round.roundId, participant: this.id } },
      );
    }
  }

  #maskWith(round: AggregationRound, peer: AggregationPeer): bigint {
    const cacheKey = Buffer.from(peer.publicKey).toString('hex');
    let secret = this.#secrets.get(cacheKey);
    if (secret === undefined) {
      secret = agreeSharedSecret(this.#keyPair.privateKey, peer.publicKey);
      this.#secrets.set(cacheKey, secret);
    }
    const [low, high] = compareIds(this.id, peer.id) < 0 ? [this.id, peer.id] : [peer.id, this.id];
    return derivePairMask(secret, round.roundId, low, high);
  }
}
