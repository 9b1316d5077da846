/**
 * @module
 * Cross-venue routing: how a quantity is split across venues. Pure: no I/O, clocks or randomness.
 */
export {
  allocationObjective,
  type AllocationProblem,
  type AllocationVenue,
  assertAllocationProblem,
  type ContinuousAllocation,
  roundAllocation,
  solveAllocationExact,
} from './water-filling.js';
