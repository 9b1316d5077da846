/**
 * @module
 * Cross-venue routing: the seeds' primitives (LocalProblem, SharedVariables, DualVariables,
 * PlanDelta, PrivacyBudget), the allocation planner (sharing ADMM, checked against the exact
 * water-filling solution), the Almgren–Chriss schedule (closed form, and across venues by ADMM),
 * integer lots, delta-sync (a plan is the fold of its PlanDeltas) and the canonical IR with its
 * JSON Schemas. Pure: no I/O, clocks or randomness.
 */
export {
  type AllocationAdmmOptions,
  type AllocationAdmmResult,
  type AllocationWarmStart,
  solveAllocationAdmm,
} from './allocation-admm.js';
export {
  type ClosedFormSchedule,
  evaluateSchedule,
  type ScheduleParams,
  type ScheduleResult,
  solveScheduleClosedForm,
} from './almgren-chriss.js';
export {
  applyPlanDelta,
  type PlanState,
  type PlanVenue,
  rebuildPlan,
  rebuildPlans,
  toPlanDeltaPayload,
} from './delta-sync.js';
export {
  fromRoutingIr,
  ROUTING_IR_FORMAT,
  ROUTING_IR_VERSION,
  type RoutingIr,
  RoutingIrSchema,
  routingJsonSchemas,
  type RoutingModel,
  type RoutingSchemaName,
  toRoutingIr,
} from './ir.js';
export { toLots } from './lots.js';
export {
  arrivalTimes,
  diffPlan,
  measurePlanDelta,
  type PlanDeltaInput,
  type PlanDeltaSize,
  type PlanDeltaSolver,
  type PlanTarget,
} from './plan-delta.js';
export {
  ADMM_ALGORITHM,
  type AllocationPlan,
  type AllocationPlanRequest,
  type AllocationWarm,
  planAllocation,
  type SolverSummary,
  toAllocationProblem,
} from './planner.js';
export {
  type DualVariables,
  DualVariablesSchema,
  type LocalExecutionTask,
  LocalExecutionTaskSchema,
  type LocalProblem,
  LocalProblemSchema,
  parseWithSchema,
  type PlanDelta,
  PlanDeltaSchema,
  type PrivacyBudget,
  PrivacyBudgetSchema,
  type SharedMarketContext,
  SharedMarketContextSchema,
  type SharedVariables,
  SharedVariablesSchema,
} from './primitives.js';
export {
  parseRouteProblem,
  type RouteProblemFile,
  RouteProblemFileSchema,
  solveRouteProblem,
} from './problem-files.js';
export {
  type MultiVenueSchedule,
  type MultiVenueScheduleParams,
  type ScheduleVenue,
  solveScheduleAdmm,
} from './schedule-admm.js';
export { type AdmmOptions, type ConvergenceHistory } from './sharing-admm.js';
export {
  allocationObjective,
  type AllocationProblem,
  type AllocationVenue,
  assertAllocationProblem,
  type ContinuousAllocation,
  roundAllocation,
  solveAllocationExact,
} from './water-filling.js';
