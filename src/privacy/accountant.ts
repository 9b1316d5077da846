/**
 * @module
 * The privacy accountant: one PrivacyBudget per signal name, spent under basic composition (the
 * ε of every share adds up) through the Laplace mechanism. It returns the payloads of the
 * `privacy.budget` and `privacy.spend` events to record and keeps no log itself; the caller
 * records them. A refused share draws no noise, so refusals never shift the random stream.
 */
import {
  InputError,
  IntegrityError,
  NameSchema,
  numberToDecimal,
  type Rng,
} from '../core/index.js';
import type { PrivacyBudget, PrivacyBudgetPayload, PrivacySpendPayload } from './event-types.js';
import {
  formatUnits,
  laplaceScale,
  parsePositiveUnits,
  parseSignalValue,
  RELEASE_DECIMALS,
  sampleLaplace,
} from './laplace.js';

export interface PrivacyBudgetSpec {
  readonly signal: string;
  /** Total ε the signal may spend, a decimal string with at most 9 decimals. */
  readonly epsilonTotal: string;
  /** Δ of the signal, a decimal string with at most 9 decimals. */
  readonly sensitivity: string;
}

/** How often a signal was shared and refused, beside its {@link PrivacyBudget}. */
export interface PrivacyBudgetUsage {
  readonly budget: PrivacyBudget;
  readonly shares: number;
  readonly refusals: number;
}

export interface ShareRequest {
  readonly signal: string;
  /** The raw value, a decimal string; it stays here, only the noisy value leaves. */
  readonly value: string;
  /** ε to spend on this share. */
  readonly epsilon: string;
}

export interface PrivacyShare {
  readonly releasedValue: string;
  /** The `privacy.spend` payload to record. */
  readonly event: PrivacySpendPayload;
}

/** What {@link PrivacyAccountant.offer} returns: a share, or a refusal to record. */
export type PrivacyOffer =
  | {
      readonly outcome: 'shared';
      readonly releasedValue: string;
      readonly event: PrivacySpendPayload;
    }
  | { readonly outcome: 'refused'; readonly event: PrivacySpendPayload };

/** The accountant's books, as {@link PrivacyAccountant.snapshot} writes them. */
export type PrivacyAccountantState = readonly {
  readonly signal: string;
  readonly total_units: string;
  readonly sensitivity_units: string;
  readonly spent_units: string;
  readonly shares: number;
  readonly refusals: number;
}[];

interface BudgetState {
  readonly signal: string;
  readonly totalUnits: bigint;
  readonly sensitivityUnits: bigint;
  spentUnits: bigint;
  shares: number;
  refusals: number;
}

export interface PrivacyAccountantOptions {
  /** Seeded source of the Laplace noise: a replay with the same seed releases the same values. */
  readonly rng: Rng;
}

export class PrivacyAccountant {
  readonly #rng: Rng;
  readonly #budgets = new Map<string, BudgetState>();

  constructor(options: PrivacyAccountantOptions) {
    this.#rng = options.rng;
  }

  /**
   * Opens a signal's budget; returns the `privacy.budget` payload to record.
   * @throws PRIVACY_INVALID_ARGUMENT for a bad name, ε or sensitivity; PRIVACY_DUPLICATE_BUDGET.
   */
  openBudget(spec: PrivacyBudgetSpec): PrivacyBudgetPayload {
    if (!NameSchema.safeParse(spec.signal).success) {
      throw new InputError('PRIVACY_INVALID_ARGUMENT', 'a signal name is 1-128 printable chars', {
        details: { signal: spec.signal.slice(0, 128) },
      });
    }
    if (this.#budgets.has(spec.signal)) {
      throw new InputError('PRIVACY_DUPLICATE_BUDGET', 'this signal already has a budget', {
        details: { signal: spec.signal },
      });
    }
    const state: BudgetState = {
      signal: spec.signal,
      totalUnits: parsePositiveUnits(spec.epsilonTotal, 'epsilon_total'),
      sensitivityUnits: parsePositiveUnits(spec.sensitivity, 'sensitivity'),
      spentUnits: 0n,
      shares: 0,
      refusals: 0,
    };
    this.#budgets.set(spec.signal, state);
    return {
      signal: state.signal,
      epsilon_total: formatUnits(state.totalUnits),
      sensitivity: formatUnits(state.sensitivityUnits),
      mechanism: 'laplace',
      composition: 'basic',
    };
  }

  /**
   * Releases `value` plus Laplace(Δ/ε) noise and spends ε.
   * @throws PRIVACY_UNKNOWN_SIGNAL; PRIVACY_INVALID_ARGUMENT for a bad ε or value;
   *   PRIVACY_BUDGET_EXHAUSTED when ε exceeds what remains, with the refusal's `privacy.spend`
   *   payload in `details.event` for the caller to record.
   */
  share(request: ShareRequest): PrivacyShare {
    const outcome = this.offer(request);
    if (outcome.outcome === 'refused') {
      throw new IntegrityError(
        'PRIVACY_BUDGET_EXHAUSTED',
        `sharing ${request.signal} would exceed its privacy budget`,
        { details: { signal: request.signal, event: outcome.event } },
      );
    }
    return { releasedValue: outcome.releasedValue, event: outcome.event };
  }

  /**
   * {@link share} for a caller to whom a refusal is an expected outcome (a router that falls back
   * on what was already released): the refusal is returned, with its payload, instead of thrown.
   * @throws PRIVACY_UNKNOWN_SIGNAL; PRIVACY_INVALID_ARGUMENT for a bad ε or value.
   */
  offer(request: ShareRequest): PrivacyOffer {
    const state = this.#state(request.signal);
    const epsilonUnits = parsePositiveUnits(request.epsilon, 'epsilon');
    const value = parseSignalValue(request.value);
    const seq = state.shares + state.refusals + 1;
    if (state.spentUnits + epsilonUnits > state.totalUnits) {
      state.refusals++;
      return {
        outcome: 'refused',
        event: {
          signal: state.signal,
          seq,
          epsilon: formatUnits(epsilonUnits),
          epsilon_spent: formatUnits(state.spentUnits),
          epsilon_remaining: formatUnits(state.totalUnits - state.spentUnits),
          outcome: 'refused',
          reason: 'budget-exhausted',
        },
      };
    }
    const scale = laplaceScale(state.sensitivityUnits, epsilonUnits);
    const released = numberToDecimal(value + sampleLaplace(scale, this.#rng), RELEASE_DECIMALS);
    state.spentUnits += epsilonUnits;
    state.shares++;
    return {
      outcome: 'shared',
      releasedValue: released,
      event: {
        signal: state.signal,
        seq,
        epsilon: formatUnits(epsilonUnits),
        epsilon_spent: formatUnits(state.spentUnits),
        epsilon_remaining: formatUnits(state.totalUnits - state.spentUnits),
        outcome: 'shared',
        mechanism: 'laplace',
        scale: numberToDecimal(scale, RELEASE_DECIMALS),
        released_value: released,
      },
    };
  }

  /** @throws PRIVACY_UNKNOWN_SIGNAL */
  budget(signal: string): PrivacyBudget {
    return toBudget(this.#state(signal));
  }

  /** @throws PRIVACY_UNKNOWN_SIGNAL */
  usage(signal: string): PrivacyBudgetUsage {
    const state = this.#state(signal);
    return { budget: toBudget(state), shares: state.shares, refusals: state.refusals };
  }

  /**
   * Every budget's accounting, by signal (ε in 10⁻⁹ units as decimal strings), for a state
   * snapshot. The noise stream is the caller's: its position is saved with the caller's Rng.
   */
  snapshot(): PrivacyAccountantState {
    return [...this.#budgets.values()]
      .sort((a, b) => (a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : 0))
      .map((b) => ({
        signal: b.signal,
        total_units: b.totalUnits.toString(),
        sensitivity_units: b.sensitivityUnits.toString(),
        spent_units: b.spentUnits.toString(),
        shares: b.shares,
        refusals: b.refusals,
      }));
  }

  /**
   * Puts back what {@link snapshot} returned, replacing every budget.
   * @throws PRIVACY_INVALID_ARGUMENT for units that are not non-negative integers.
   */
  restore(state: PrivacyAccountantState): void {
    const units = (text: string): bigint => {
      if (!/^(0|[1-9][0-9]{0,30})$/.test(text)) {
        throw new InputError('PRIVACY_INVALID_ARGUMENT', 'ε units are a non-negative integer', {
          details: { value: text.slice(0, 40) },
        });
      }
      return BigInt(text);
    };
    this.#budgets.clear();
    for (const b of state) {
      this.#budgets.set(b.signal, {
        signal: b.signal,
        totalUnits: units(b.total_units),
        sensitivityUnits: units(b.sensitivity_units),
        spentUnits: units(b.spent_units),
        shares: b.shares,
        refusals: b.refusals,
      });
    }
  }

  /** Every budget, by signal name. */
  budgets(): readonly PrivacyBudget[] {
    return [...this.#budgets.values()]
      .sort((a, b) => (a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : 0))
      .map(toBudget);
  }

  #state(signal: string): BudgetState {
    const state = this.#budgets.get(signal);
    if (state === undefined) {
      throw new InputError('PRIVACY_UNKNOWN_SIGNAL', 'no privacy budget is open for this signal', {
        details: { signal: signal.slice(0, 128) },
      });
    }
    return state;
  }
}

function toBudget(state: BudgetState): PrivacyBudget {
  return {
    signal: state.signal,
    epsilon_total: formatUnits(state.totalUnits),
    epsilon_spent: formatUnits(state.spentUnits),
    epsilon_remaining: formatUnits(state.totalUnits - state.spentUnits),
    sensitivity: formatUnits(state.sensitivityUnits),
    mechanism: 'laplace',
    composition: 'basic',
  };
}
