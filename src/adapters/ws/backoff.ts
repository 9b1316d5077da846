/**
 * @module
 * Reconnection delays: exponential growth to a cap, with seeded "equal jitter" (half the delay
 * fixed, half uniform) so that many clients do not reconnect in lockstep, yet a seeded run
 * waits exactly the same nanoseconds every time.
 */
import { InputError, type Rng } from '../../core/index.js';

export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  readonly initialDelayNs: bigint;
  readonly maxDelayNs: bigint;
  /** Integer growth factor per attempt (≥ 1). */
  readonly multiplier: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialDelayNs: 100_000_000n,
  maxDelayNs: 10_000_000_000n,
  multiplier: 2,
};

/** @throws InputError `INPUT_INVALID_ARGUMENT` for a non-positive delay or a bad multiplier. */
export function assertBackoffPolicy(policy: BackoffPolicy): void {
  if (
    policy.initialDelayNs <= 0n ||
    policy.maxDelayNs < policy.initialDelayNs ||
    !Number.isSafeInteger(policy.multiplier) ||
    policy.multiplier < 1
  ) {
    throw new InputError('INPUT_INVALID_ARGUMENT', 'invalid reconnect backoff policy', {
      details: {
        initial_delay_ns: policy.initialDelayNs.toString(),
        max_delay_ns: policy.maxDelayNs.toString(),
        multiplier: String(policy.multiplier),
      },
    });
  }
}

/** The delay before retry number `attempt` (1-based): in `[d/2, d]`, d = min(max, initial·m^(attempt−1)). */
export function backoffDelayNs(policy: BackoffPolicy, attempt: number, rng: Rng): bigint {
  let delayNs = policy.initialDelayNs;
  for (let i = 1; i < attempt && delayNs < policy.maxDelayNs; i++) {
    delayNs *= BigInt(policy.multiplier);
  }
  if (delayNs > policy.maxDelayNs) delayNs = policy.maxDelayNs;
  const halfNs = delayNs / 2n;
  const spanNs = delayNs - halfNs;
  return halfNs + BigInt(Math.floor(rng.next() * Number(spanNs + 1n)));
}
