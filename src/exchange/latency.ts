/**
 * @module
 * Seeded delays for simulated processing and network latency. Draws use only the Rng's uniform
 * [0, 1) and integer arithmetic (no logarithms or other transcendental functions, whose last bit
 * may differ between platforms), so the same seed gives the same nanoseconds everywhere.
 */
import { InputError, type Rng } from '../core/index.js';

/** A fixed part plus a uniform jitter in `[0, jitterNs]`. */
export interface LatencyModel {
  readonly baseNs: bigint;
  readonly jitterNs: bigint;
}

/** No delay at all. */
export const ZERO_LATENCY: LatencyModel = { baseNs: 0n, jitterNs: 0n };

/** Largest span a draw covers: every nanosecond of it stays addressable by a double. */
const MAX_SPAN_NS = 1n << 52n;

/**
 * @throws InputError `code` (the caller's domain code) when a part is negative or the jitter is
 * beyond 2^52 ns (52 days).
 */
export function assertLatencyModel(
  model: LatencyModel,
  code: 'VENUE_INVALID_CONFIG' | 'NET_INVALID_LINK',
): void {
  if (model.baseNs < 0n || model.jitterNs < 0n || model.jitterNs >= MAX_SPAN_NS) {
    throw new InputError(code, 'latency and jitter must be non-negative and below 2^52 ns', {
      details: { base_ns: model.baseNs.toString(), jitter_ns: model.jitterNs.toString() },
    });
  }
}

/**
 * A uniform integer in `[minNs, maxNs]`; `maxNs` below `minNs` is read as `minNs`. Spans beyond
 * 2^52 ns are clamped to it (a double no longer addresses every nanosecond there).
 */
export function drawUniformNs(rng: Rng, minNs: bigint, maxNs: bigint): bigint {
  if (maxNs <= minNs) return minNs;
  let span = maxNs - minNs + 1n;
  if (span > MAX_SPAN_NS) span = MAX_SPAN_NS;
  return minNs + BigInt(Math.floor(rng.next() * Number(span)));
}

/** One delay drawn from the model. */
export function drawLatencyNs(model: LatencyModel, rng: Rng): bigint {
  return model.baseNs + drawUniformNs(rng, 0n, model.jitterNs);
}

/**
 * Release times of a FIFO queue: an item is never released before the one sent ahead of it,
 * like bytes on one TCP connection, so a large jitter delays later items instead of reordering
 * them.
 */
export class FifoReleaseClock {
  #lastNs: bigint | undefined;

  /** `max(previous release, readyNs)`; remembers the result. */
  next(readyNs: bigint): bigint {
    const releaseNs = this.#lastNs !== undefined && this.#lastNs > readyNs ? this.#lastNs : readyNs;
    this.#lastNs = releaseNs;
    return releaseNs;
  }
}
