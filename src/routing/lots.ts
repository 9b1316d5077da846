/**
 * @module
 * Continuous solutions to integer lots that sum exactly to the total (the largest-remainder method,
 * Hamilton's apportionment): floor every share, then give the lots still missing to the largest
 * remainders, ties to the lower index, never above a capacity. Solvers' quantities sum to the
 * total within rounding, so one pass settles it; the greedy passes after it only make the result
 * exact for inputs that do not. Pure and deterministic.
 */
import { InputError } from '../core/index.js';

/** How far below an integer a float may fall and still count as that integer. */
const INTEGER_SLACK = 1e-9;

function assertLotInputs(
  quantities: readonly number[],
  totalLots: number,
  capacityLots: readonly number[],
): void {
  const invalid = (message: string, details: Record<string, string | number>): never => {
    throw new InputError('ROUTE_INVALID_PROBLEM', message, { details });
  };
  if (!Number.isSafeInteger(totalLots) || totalLots < 0) {
    invalid('the total must be a whole number of lots ≥ 0', { total_lots: String(totalLots) });
  }
  if (quantities.length !== capacityLots.length) {
    invalid('one capacity per quantity', {
      quantities: quantities.length,
      capacities: capacityLots.length,
    });
  }
  let capacity = 0;
  capacityLots.forEach((cap, i) => {
    if (!Number.isSafeInteger(cap) || cap < 0) {
      invalid('capacities must be whole numbers of lots ≥ 0', { index: i, capacity: String(cap) });
    }
    if (!Number.isFinite(quantities[i])) invalid('quantities must be finite', { index: i });
    capacity += cap;
  });
  if (capacity < totalLots) {
    throw new InputError('ROUTE_INFEASIBLE', 'the capacities cannot hold the total', {
      details: { total_lots: totalLots, total_capacity: capacity },
    });
  }
}

/**
 * Integer lots per entry, in the order given, summing to `totalLots`, each within [0, capacity].
 * No entry moves by a lot or more from its (clamped) share when the shares sum to the total.
 * @throws ROUTE_INVALID_PROBLEM for a non-integer total or capacity, or mismatched lengths;
 *   ROUTE_INFEASIBLE when Σ capacities < totalLots.
 * @example toLots([0.5, 1.5, 1], 3, [10, 10, 10]) // [1, 1, 1]: the tie goes to the first entry
 */
export function toLots(
  quantities: readonly number[],
  totalLots: number,
  capacityLots: readonly number[],
): number[] {
  assertLotInputs(quantities, totalLots, capacityLots);
  const lots = quantities.map((q, i) =>
    Math.min(capacityLots[i]!, Math.max(0, Math.floor(q + INTEGER_SLACK))),
  );
  const remainders = quantities.map((q, i) => q - lots[i]!);
  let left = totalLots - lots.reduce((a, b) => a + b, 0);
  if (left === 0) return lots;

  const indices = quantities.map((_, i) => i);
  if (left > 0) {
    indices.sort((a, b) => remainders[b]! - remainders[a]! || a - b);
    for (const i of indices) {
      if (left === 0) break;
      if (lots[i]! < capacityLots[i]!) {
        lots[i]!++;
        left--;
      }
    }
    for (const i of indices) {
      if (left === 0) break;
      const add = Math.min(left, capacityLots[i]! - lots[i]!);
      lots[i]! += add;
      left -= add;
    }
  } else {
    indices.sort((a, b) => remainders[a]! - remainders[b]! || a - b);
    for (const i of indices) {
      if (left === 0) break;
      if (lots[i]! > 0) {
        lots[i]!--;
        left++;
      }
    }
    for (const i of indices) {
      if (left === 0) break;
      const remove = Math.min(-left, lots[i]!);
      lots[i]! -= remove;
      left += remove;
    }
  }
  return lots;
}
