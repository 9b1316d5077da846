import { describe, expect, it } from 'vitest';

import { createCoreRegistry, SeededRng } from '../../src/core/index.js';
import {
  drawOpenUnit,
  PrivacyAccountant,
  PrivacyBudgetSchema,
  type PrivacySpendPayload,
  registerPrivacyEventTypes,
  sampleLaplace,
} from '../../src/privacy/index.js';
import { expectErrorCode } from '../helpers/errors.js';

function accountant(seed = 7): PrivacyAccountant {
  const a = new PrivacyAccountant({ rng: new SeededRng(seed) });
  a.openBudget({ signal: 'liquidity.XSIM1', epsilonTotal: '1', sensitivity: '50' });
  return a;
}

describe('PrivacyAccountant', () => {
  describe('openBudget', () => {
    it('returns a privacy.budget payload that the event registry accepts', () => {
      const registry = registerPrivacyEventTypes(createCoreRegistry());
      const a = new PrivacyAccountant({ rng: new SeededRng(1) });
      const payload = a.openBudget({ signal: 'imbalance', epsilonTotal: '2.50', sensitivity: '1' });
      expect(payload).toEqual({
        signal: 'imbalance',
        epsilon_total: '2.5',
        sensitivity: '1',
        mechanism: 'laplace',
        composition: 'basic',
      });
      expect(registry.parsePayload('privacy.budget', 1, payload)).toEqual(payload);
    });

    it('reports PRIVACY_DUPLICATE_BUDGET for a second budget of one signal', () => {
      const a = accountant();
      expectErrorCode(
        () => a.openBudget({ signal: 'liquidity.XSIM1', epsilonTotal: '1', sensitivity: '1' }),
        'PRIVACY_DUPLICATE_BUDGET',
      );
    });

    it.each([
      ['a zero ε', { signal: 's', epsilonTotal: '0', sensitivity: '1' }],
      ['a negative ε', { signal: 's', epsilonTotal: '-1', sensitivity: '1' }],
      ['ten decimals', { signal: 's', epsilonTotal: '0.0000000001', sensitivity: '1' }],
      ['an exponent', { signal: 's', epsilonTotal: '1e-3', sensitivity: '1' }],
      ['a zero sensitivity', { signal: 's', epsilonTotal: '1', sensitivity: '0.0' }],
      ['an empty name', { signal: '', epsilonTotal: '1', sensitivity: '1' }],
    ])('reports PRIVACY_INVALID_ARGUMENT for %s', (_what, spec) => {
      const a = new PrivacyAccountant({ rng: new SeededRng(1) });
      expectErrorCode(() => a.openBudget(spec), 'PRIVACY_INVALID_ARGUMENT');
    });
  });

  describe('share', () => {
    it('spends ε under basic composition, exactly, in decimal strings', () => {
      const a = accountant();
      const events: PrivacySpendPayload[] = [];
      for (const epsilon of ['0.1', '0.2', '0.3', '0.4']) {
        events.push(a.share({ signal: 'liquidity.XSIM1', value: '1200', epsilon }).event);
      }
      // 0.1 + 0.2 + 0.3 + 0.4 is exactly 1 in nano-ε (in binary floats it is 0.9999999999999999).
      expect(events.map((e) => e.epsilon_spent)).toEqual(['0.1', '0.3', '0.6', '1']);
      expect(events.at(-1)?.epsilon_remaining).toBe('0');
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(a.usage('liquidity.XSIM1')).toMatchObject({
        budget: { epsilon_spent: '1' },
        shares: 4,
      });
      expect(PrivacyBudgetSchema.parse(a.budget('liquidity.XSIM1'))).toEqual(
        a.budget('liquidity.XSIM1'),
      );
    });

    it('records the released value and the Laplace scale, never the raw value', () => {
      const registry = registerPrivacyEventTypes(createCoreRegistry());
      const share = accountant().share({
        signal: 'liquidity.XSIM1',
        value: '1234.5',
        epsilon: '0.5',
      });
      expect(share.event).toMatchObject({ outcome: 'shared', scale: '100', mechanism: 'laplace' });
      expect(share.event).toHaveProperty('released_value', share.releasedValue);
      expect(JSON.stringify(share.event)).not.toContain('1234.5');
      expect(registry.parsePayload('privacy.spend', 1, share.event)).toEqual(share.event);
    });

    it('refuses a share beyond the budget with PRIVACY_BUDGET_EXHAUSTED and records it', () => {
      const registry = registerPrivacyEventTypes(createCoreRegistry());
      const a = accountant();
      a.share({ signal: 'liquidity.XSIM1', value: '10', epsilon: '0.75' });
      const error = expectErrorCode(
        () => a.share({ signal: 'liquidity.XSIM1', value: '10', epsilon: '0.250000001' }),
        'PRIVACY_BUDGET_EXHAUSTED',
      );
      expect(error.exitCode).toBe(3);
      const refusal = error.details?.['event'];
      expect(refusal).toEqual({
        signal: 'liquidity.XSIM1',
        seq: 2,
        epsilon: '0.250000001',
        epsilon_spent: '0.75',
        epsilon_remaining: '0.25',
        outcome: 'refused',
        reason: 'budget-exhausted',
      });
      expect(registry.parsePayload('privacy.spend', 1, refusal)).toEqual(refusal);
      // What remains can still be spent; the refusal counted in the sequence.
      const next = a.share({ signal: 'liquidity.XSIM1', value: '10', epsilon: '0.25' });
      expect(next.event.seq).toBe(3);
      expect(a.usage('liquidity.XSIM1')).toMatchObject({ refusals: 1, shares: 2 });
    });

    it('reports PRIVACY_UNKNOWN_SIGNAL for a signal without a budget', () => {
      expectErrorCode(
        () => accountant().share({ signal: 'other', value: '1', epsilon: '0.1' }),
        'PRIVACY_UNKNOWN_SIGNAL',
      );
      expectErrorCode(() => accountant().budget('other'), 'PRIVACY_UNKNOWN_SIGNAL');
    });

    it.each([
      ['a float value', { value: '1e3', epsilon: '0.1' }],
      ['a huge value', { value: '10000000000000', epsilon: '0.1' }],
      ['a zero ε', { value: '1', epsilon: '0' }],
    ])('reports PRIVACY_INVALID_ARGUMENT for %s', (_what, request) => {
      expectErrorCode(
        () => accountant().share({ signal: 'liquidity.XSIM1', ...request }),
        'PRIVACY_INVALID_ARGUMENT',
      );
    });

    it('releases the same values for the same seed (a replay), other values for another', () => {
      const run = (seed: number): string[] => {
        const a = accountant(seed);
        return [1, 2, 3, 4, 5].map(
          (i) =>
            a.share({ signal: 'liquidity.XSIM1', value: `${i * 100}`, epsilon: '0.2' })
              .releasedValue,
        );
      };
      expect(run(11)).toEqual(run(11));
      expect(run(11)).not.toEqual(run(12));
    });

    it('pins the noise of seed 42, so a change of the sampling cannot pass unseen', () => {
      const a = new PrivacyAccountant({ rng: new SeededRng(42) });
      a.openBudget({ signal: 's', epsilonTotal: '10', sensitivity: '1' });
      const released = [0, 1, 2].map(
        () => a.share({ signal: 's', value: '0', epsilon: '1' }).releasedValue,
      );
      expect(released).toEqual(['0.454749', '-0.715258', '1.942693']);
    });

    it('lists budgets by signal name', () => {
      const a = accountant();
      a.openBudget({ signal: 'a.first', epsilonTotal: '1', sensitivity: '1' });
      expect(a.budgets().map((b) => b.signal)).toEqual(['a.first', 'liquidity.XSIM1']);
    });
  });
});

describe('sampleLaplace', () => {
  it('draws uniforms strictly inside (0, 1)', () => {
    const rng = new SeededRng(3);
    for (let i = 0; i < 10_000; i++) {
      const u = drawOpenUnit(rng);
      expect(u > 0 && u < 1).toBe(true);
    }
  });

  it('follows Laplace(0, b): Kolmogorov-Smirnov distance below the 1% critical value', () => {
    const rng = new SeededRng(2024);
    const b = 3;
    const n = 20_000;
    const draws = Array.from({ length: n }, () => sampleLaplace(b, rng)).sort((x, y) => x - y);
    const cdf = (x: number): number => (x < 0 ? 0.5 * Math.exp(x / b) : 1 - 0.5 * Math.exp(-x / b));
    let d = 0;
    draws.forEach((x, i) => {
      d = Math.max(d, Math.abs(cdf(x) - i / n), Math.abs(cdf(x) - (i + 1) / n));
    });
    // D_n critical value at α = 0.01 is 1.628/√n.
    expect(d).toBeLessThan(1.628 / Math.sqrt(n));
    const meanAbs = draws.reduce((s, x) => s + Math.abs(x), 0) / n;
    expect(meanAbs).toBeGreaterThan(b * 0.97);
    expect(meanAbs).toBeLessThan(b * 1.03);
  });
});
