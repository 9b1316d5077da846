/**
 * @module
 * The coordinator of a secure-aggregation round: it collects masked inputs and, once every
 * participant has sent one (or one has dropped and every survivor has revealed its mask with
 * it), returns the exact total. It never sees an unmasked input. A participant whose input has
 * arrived cannot be declared dropped, and a dropped one's late input is refused: either would let
 * the revealed masks unmask it.
 */
import { InputError } from '../core/index.js';
import {
  type AggregationRound,
  assertSameRound,
  compareIds,
  type MaskedInput,
  type MaskReveal,
  mod64,
} from './aggregation-round.js';

function unexpected(round: AggregationRound, message: string, participant: string): InputError {
  return new InputError('PRIVACY_AGGREGATION_UNEXPECTED', message, {
    details: { round: round.roundId, participant: participant.slice(0, 128) },
  });
}

export class AggregationCoordinator {
  readonly round: AggregationRound;
  readonly #ids: ReadonlySet<string>;
  readonly #inputs = new Map<string, bigint>();
  readonly #reveals = new Map<string, bigint>();
  #dropped: string | undefined;

  constructor(round: AggregationRound) {
    this.round = round;
    this.#ids = new Set(round.participants.map((p) => p.id));
  }

  /** Participants whose input has not arrived and who are not dropped, sorted. */
  get missing(): readonly string[] {
    return this.round.participants
      .map((p) => p.id)
      .filter((id) => id !== this.#dropped && !this.#inputs.has(id));
  }

  /** Survivors that still owe a reveal for the dropped participant, sorted. */
  get pendingReveals(): readonly string[] {
    if (this.#dropped === undefined) return [];
    return [...this.#inputs.keys()].filter((id) => !this.#reveals.has(id)).sort(compareIds);
  }

  /**
   * @throws PRIVACY_AGGREGATION_ROUND_MISMATCH; PRIVACY_AGGREGATION_UNEXPECTED for an unknown,
   *   dropped or repeated participant.
   */
  submit(input: MaskedInput): void {
    assertSameRound(this.round, input.round);
    if (!this.#ids.has(input.participant)) {
      throw unexpected(this.round, 'not a participant of this round', input.participant);
    }
    if (input.participant === this.#dropped) {
      throw unexpected(this.round, 'this participant was declared dropped', input.participant);
    }
    if (this.#inputs.has(input.participant)) {
      throw unexpected(this.round, 'this participant already sent its input', input.participant);
    }
    this.#inputs.set(input.participant, input.masked);
  }

  /**
   * Declares a participant whose input never came dropped; returns the survivors that must reveal
   * their mask with it.
   * @throws PRIVACY_AGGREGATION_SECOND_DROP when one is dropped already (redo the round);
   *   PRIVACY_AGGREGATION_UNEXPECTED for an unknown participant or one whose input arrived;
   *   PRIVACY_AGGREGATION_TOO_FEW when fewer than two would remain (their total is one's value).
   */
  dropParticipant(id: string): readonly string[] {
    if (this.#dropped !== undefined) {
      throw new InputError(
        'PRIVACY_AGGREGATION_SECOND_DROP',
        'a round tolerates one dropped participant; redo it',
        { details: { round: this.round.roundId, dropped: [this.#dropped, id.slice(0, 128)] } },
      );
    }
    if (!this.#ids.has(id)) throw unexpected(this.round, 'not a participant of this round', id);
    if (this.#inputs.has(id)) {
      throw unexpected(this.round, 'its input arrived: revealing masks would unmask it', id);
    }
    if (this.#ids.size - 1 < 2) {
      throw new InputError(
        'PRIVACY_AGGREGATION_TOO_FEW',
        'a round needs two survivors: the total of one is its value',
        { details: { round: this.round.roundId, participants: this.#ids.size } },
      );
    }
    this.#dropped = id;
    return this.round.participants.map((p) => p.id).filter((other) => other !== id);
  }

  /**
   * @throws PRIVACY_AGGREGATION_ROUND_MISMATCH; PRIVACY_AGGREGATION_UNEXPECTED for a reveal that was
   *   not asked for (no drop, another dropped participant, a participant without an input, or a
   *   repeat).
   */
  submitReveal(reveal: MaskReveal): void {
    assertSameRound(this.round, reveal.round);
    if (
      this.#dropped === undefined ||
      reveal.dropped !== this.#dropped ||
      !this.#inputs.has(reveal.participant) ||
      this.#reveals.has(reveal.participant)
    ) {
      throw unexpected(this.round, 'this reveal was not asked for', reveal.participant);
    }
    this.#reveals.set(reveal.participant, reveal.mask);
  }

  /**
   * The exact Σ xᵢ over the participants (the survivors, after a drop).
   * @throws PRIVACY_AGGREGATION_INCOMPLETE while an input or a reveal is missing.
   */
  total(): bigint {
    const missing = this.missing;
    const reveals = this.pendingReveals;
    if (missing.length > 0 || reveals.length > 0) {
      throw new InputError('PRIVACY_AGGREGATION_INCOMPLETE', 'the round is not complete', {
        details: {
          round: this.round.roundId,
          missing: [...missing],
          pending_reveals: [...reveals],
        },
      });
    }
    let sum = 0n;
    for (const [id, masked] of this.#inputs) {
      sum += masked;
      const mask = this.#reveals.get(id);
      if (mask === undefined || this.#dropped === undefined) continue;
      // The survivor added its mask with a later id and subtracted it for an earlier one.
      sum += compareIds(id, this.#dropped) < 0 ? -mask : mask;
    }
    return mod64(sum);
  }
}
