/**
 * Locates damage in a stored hash chain. Fed the analysed entries in storage order, it decides for
 * each log position whether the entry there is the one the chain expects, and when it is not,
 * what happened: a mutation in place, a deletion, an insertion or a reordering.
 *
 * The fast path (the entry has the expected seq, links to its predecessor and re-hashes to its
 * own hash) costs a few comparisons. Anything else waits for a bounded window of following entries
 * so the decision can use what comes next: a successor that links to the odd entry means the odd
 * entry sits in its slot but was changed; a later entry that fits the slot means the odd entry was
 * inserted or moved; nothing fitting the slot means entries were deleted.
 */
import type { AnalyzedEntry } from './entry-analysis.js';

export const FINDING_KINDS = [
  'mutated',
  'deleted',
  'inserted',
  'reordered',
  'truncated',
  'forked',
  'bad-signature',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** One located problem. `seq` is the log position where the log stops being what it claims. */
export interface Finding {
  readonly seq: number;
  readonly kind: FindingKind;
  readonly detail: string;
}

/** Entries a decision may look ahead; bounds memory and the cost of a long-range move. */
export const AUDIT_WINDOW = 64;

interface Pending {
  readonly entry: AnalyzedEntry;
  readonly position: number;
  /** Log position at which this entry was first found out of place. */
  displacedAt: number | undefined;
}

export class ChainAuditor {
  readonly #findings: Finding[] = [];
  readonly #pending: Pending[] = [];
  #expectedSeq = 0;
  #lastHash: string;
  /** `prev` of the last settled entry: lets a later repeat of that slot claim it back. */
  #lastPrev: string;
  #position = 0;

  constructor(genesisPrev: string) {
    this.#lastHash = genesisPrev;
    this.#lastPrev = genesisPrev;
  }

  /** Log positions settled so far. */
  get size(): number {
    return this.#expectedSeq;
  }

  get findings(): readonly Finding[] {
    return this.#findings;
  }

  push(entry: AnalyzedEntry): void {
    const position = this.#position++;
    if (this.#pending.length === 0 && this.#fits(entry)) {
      this.#accept(entry);
      return;
    }
    this.#pending.push({ entry, position, displacedAt: undefined });
    this.#resolve(false);
  }

  /**
   * Settles `count` entries at once that are known to be self-valid and linked to each other (a
   * chunk checked elsewhere), when the first of them fits the expected slot. Returns false, having
   * changed nothing, when they do not fit: the caller then pushes them one by one.
   */
  pushLinkedRun(
    first: { readonly seq: number; readonly prev: string },
    last: { readonly storedHash: string; readonly prev: string },
    count: number,
  ): boolean {
    if (
      this.#pending.length > 0 ||
      first.seq !== this.#expectedSeq ||
      first.prev !== this.#lastHash
    ) {
      return false;
    }
    this.#expectedSeq += count;
    this.#position += count;
    this.#lastHash = last.storedHash;
    this.#lastPrev = last.prev;
    return true;
  }

  /** Settles everything still pending; call once after the last entry. */
  finish(): readonly Finding[] {
    this.#resolve(true);
    return this.#findings;
  }

  #fits(entry: AnalyzedEntry): boolean {
    return entry.selfValid && entry.seq === this.#expectedSeq && entry.prev === this.#lastHash;
  }

  #accept(entry: AnalyzedEntry): void {
    this.#expectedSeq++;
    this.#lastPrev = entry.prev;
    this.#lastHash = entry.storedHash;
  }

  #report(seq: number, kind: FindingKind, detail: string): void {
    this.#findings.push({ seq, kind, detail });
  }

  #resolve(final: boolean): void {
    const pending = this.#pending;
    while (pending.length > 0) {
      const head = pending[0]!;
      if (this.#fits(head.entry)) {
        pending.shift();
        if (head.displacedAt !== undefined) {
          this.#report(
            head.displacedAt,
            'reordered',
            `entry seq ${head.entry.seq} was stored out of order, at position ${head.position}`,
          );
        }
        this.#accept(head.entry);
        continue;
      }
      const fitting = pending.findIndex((candidate) => this.#fits(candidate.entry));
      if (fitting > 0) {
        this.#settleBefore(fitting);
        continue;
      }
      if (!final && pending.length < AUDIT_WINDOW) return;
      this.#settleHead();
    }
  }

  /** pending[index] fits the expected slot; classify the entries stored ahead of it. */
  #settleBefore(index: number): void {
    const slot = this.#expectedSeq;
    const pending = this.#pending;
    const kept: Pending[] = [];
    for (const item of pending.slice(0, index)) {
      const { entry } = item;
      if (entry.selfValid && entry.seq > slot) {
        // A genuine later entry stored early; it is reported when its own slot comes.
        item.displacedAt ??= slot;
        kept.push(item);
      } else {
        this.#report(
          slot,
          'inserted',
          `entry at position ${item.position} does not belong to the chain (${describe(entry)})`,
        );
      }
    }
    const next = pending[index]!;
    pending.splice(0, index + 1, ...kept);
    this.#accept(next.entry);
  }

  /** Nothing in the window fits the expected slot: decide what the head entry is. */
  #settleHead(): void {
    const slot = this.#expectedSeq;
    const pending = this.#pending;
    const head = pending[0]!;
    const { entry } = head;
    const successor = pending[1]?.entry;
    // The successor names this slot's true hash even when the entry's own hash field is damaged.
    const successorLinks =
      successor !== undefined && successor.parsed && successor.seq === slot + 1;

    if (entry.selfValid && entry.seq > slot && head.displacedAt === undefined) {
      const missing = entry.seq - slot;
      this.#report(
        slot,
        'deleted',
        missing === 1
          ? `entry seq ${slot} is missing`
          : `entries seq ${slot}..${entry.seq - 1} are missing (${missing})`,
      );
      pending.shift();
      this.#expectedSeq = entry.seq + 1;
      this.#lastHash = entry.storedHash;
      return;
    }
    if (
      entry.selfValid &&
      entry.seq === slot - 1 &&
      entry.prev === this.#lastPrev &&
      successor?.seq === slot &&
      successor.prev === entry.storedHash
    ) {
      // Two entries claimed the previous slot and the chain goes on from this one: the entry
      // settled there was a forgery that happened to link to its predecessor.
      pending.shift();
      this.#report(
        slot - 1,
        'inserted',
        `the entry settled at seq ${slot - 1} is not the one the chain continues from (that is at position ${head.position})`,
      );
      this.#lastHash = entry.storedHash;
      return;
    }
    if (entry.selfValid && entry.seq === slot - 1 && entry.prev === this.#lastPrev) {
      // A sibling of the settled entry: both claim the same slot and predecessor, and nothing
      // after them tells which one the chain continues from. The slot is what is located.
      pending.shift();
      this.#report(
        slot - 1,
        'inserted',
        `two entries claim seq ${slot - 1} after the same predecessor (the second at position ${head.position})`,
      );
      return;
    }
    if (entry.selfValid && entry.seq < slot) {
      pending.shift();
      this.#report(
        slot,
        'inserted',
        `entry at position ${head.position} repeats seq ${entry.seq}, already settled`,
      );
      return;
    }
    if (head.displacedAt !== undefined) {
      // Moved early, and its slot never came within the window.
      pending.shift();
      this.#report(
        head.displacedAt,
        'inserted',
        `entry seq ${entry.seq} at position ${head.position} found no place in the chain`,
      );
      return;
    }
    // The entry occupies the expected slot but is not what the chain says is there.
    pending.shift();
    const reason = entry.selfValid
      ? `entry does not link to seq ${slot - 1}: its prev differs from that entry's hash`
      : (entry.problem ?? 'entry is damaged');
    this.#report(slot, 'mutated', reason);
    this.#expectedSeq = slot + 1;
    this.#lastHash =
      successorLinks && successor !== undefined
        ? successor.prev
        : entry.parsed
          ? entry.storedHash
          : this.#lastHash;
  }
}

function describe(entry: AnalyzedEntry): string {
  if (!entry.parsed) return entry.problem ?? 'unparseable';
  if (!entry.selfValid) return `claims seq ${entry.seq}; ${entry.problem ?? 'damaged'}`;
  return `claims seq ${entry.seq} but does not link`;
}
