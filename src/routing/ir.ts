/**
 * @module
 * The canonical IR of a routing problem (the seeds' "EnergiBridge"): a language-neutral JSON
 * document in the shape of a category, as the seeds' CatOpt mapping has it — objects are the local
 * problems, morphisms the shared and dual variables that connect them (each names its domain, the
 * objects it couples), and the PlanDeltas are the plan's history. Import checks the schema, that
 * every morphism's domain names known objects, and that the deltas fold into one plan; export then
 * import is the identity. JSON Schemas (draft 2020-12, by `z.toJSONSchema`) of the IR, the
 * primitives and the problem files let tools in any language validate them; cross-field rules
 * (sorted names, one total per period, spent ≤ limit) are refinements JSON Schema cannot state,
 * which the importers check. Pure.
 */
import { z } from 'zod';

import { InputError, NameSchema } from '../core/index.js';
import { rebuildPlan } from './delta-sync.js';
import {
  type DualVariables,
  DualVariablesSchema,
  isSortedUnique,
  type LocalProblem,
  LocalProblemSchema,
  parseWithSchema,
  type PlanDelta,
  PlanDeltaSchema,
  PrivacyBudgetSchema,
  type SharedVariables,
  SharedVariablesSchema,
} from './primitives.js';
import { RouteProblemFileSchema } from './problem-files.js';

export const ROUTING_IR_FORMAT = 'deltatrace.routing-ir';
export const ROUTING_IR_VERSION = 1;

const DomainSchema = z
  .array(NameSchema)
  .min(1)
  .refine(isSortedUnique, { message: 'a domain lists object ids sorted and unique' });

export const RoutingIrSchema = z.strictObject({
  format: z.literal(ROUTING_IR_FORMAT),
  v: z.literal(ROUTING_IR_VERSION),
  objects: z.array(
    z.strictObject({ id: NameSchema, type: z.literal('local_problem'), value: LocalProblemSchema }),
  ),
  morphisms: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({
        id: NameSchema,
        type: z.literal('shared_variables'),
        domain: DomainSchema,
        value: SharedVariablesSchema,
      }),
      z.strictObject({
        id: NameSchema,
        type: z.literal('dual_variables'),
        domain: DomainSchema,
        value: DualVariablesSchema,
      }),
    ]),
  ),
  plan_deltas: z.array(PlanDeltaSchema),
});
export type RoutingIr = z.infer<typeof RoutingIrSchema>;

/** A routing problem of one instrument: its local problems, what couples them, and its plan. */
export interface RoutingModel {
  /** Sorted by venue; one per venue. */
  readonly localProblems: readonly LocalProblem[];
  readonly shared: SharedVariables;
  readonly duals?: DualVariables;
  /** In version order. */
  readonly planDeltas: readonly PlanDelta[];
}

const SHARED_ID = 'shared';
const DUAL_ID = 'duals';

function invalid(message: string, details: Record<string, string | number> = {}): never {
  throw new InputError('ROUTE_IR_INVALID', message, { details });
}

/**
 * The IR document of a model. Object ids are the venues; both morphisms couple all of them.
 * @throws ROUTE_IR_INVALID when the local problems are not sorted and unique by venue or plan
 *   another instrument than the shared variables.
 */
export function toRoutingIr(model: RoutingModel): RoutingIr {
  const ids = model.localProblems.map((p) => p.venue);
  if (!isSortedUnique(ids)) invalid('local problems must be sorted and unique by venue');
  for (const problem of model.localProblems) {
    if (problem.instrument !== model.shared.instrument) {
      invalid(`venue ${problem.venue} plans another instrument`, { venue: problem.venue });
    }
  }
  const domain = ids.length > 0 ? ids : invalid('a routing problem needs a local problem');
  return {
    format: ROUTING_IR_FORMAT,
    v: ROUTING_IR_VERSION,
    objects: model.localProblems.map((value) => ({
      id: value.venue,
      type: 'local_problem' as const,
      value,
    })),
    morphisms: [
      { id: SHARED_ID, type: 'shared_variables' as const, domain, value: model.shared },
      ...(model.duals === undefined
        ? []
        : [{ id: DUAL_ID, type: 'dual_variables' as const, domain, value: model.duals }]),
    ],
    plan_deltas: [...model.planDeltas],
  };
}

/**
 * Reads an IR document (parsed JSON) back into a model.
 * @throws INPUT_SCHEMA_VIOLATION for a malformed document; ROUTE_IR_INVALID for an object id that
 *   is not its venue, duplicate ids, a morphism naming an unknown object, or other than one shared
 *   and at most one dual morphism; the ROUTE_DELTA_* codes when the deltas do not fold into one
 *   plan.
 */
export function fromRoutingIr(value: unknown): RoutingModel {
  const ir = parseWithSchema(RoutingIrSchema, value, 'routing IR document');
  const ids = ir.objects.map((o) => o.id);
  ir.objects.forEach((object) => {
    if (object.id !== object.value.venue) {
      invalid(`object ${object.id} is the local problem of venue ${object.value.venue}`, {
        id: object.id,
      });
    }
  });
  if (!isSortedUnique(ids)) invalid('object ids must be sorted and unique');
  const known = new Set(ids);
  const morphismIds = new Set<string>();
  for (const morphism of ir.morphisms) {
    if (morphismIds.has(morphism.id)) invalid(`morphism ${morphism.id} appears twice`);
    morphismIds.add(morphism.id);
    for (const id of morphism.domain) {
      if (!known.has(id)) invalid(`morphism ${morphism.id} names unknown object ${id}`, { id });
    }
  }
  const shared = ir.morphisms.filter((m) => m.type === 'shared_variables');
  const duals = ir.morphisms.filter((m) => m.type === 'dual_variables');
  if (shared.length !== 1 || duals.length > 1) {
    invalid('a routing problem has one shared and at most one dual morphism', {
      shared: shared.length,
      dual: duals.length,
    });
  }
  const model: RoutingModel = {
    localProblems: ir.objects.map((o) => o.value),
    shared: shared[0]!.value,
    ...(duals[0] === undefined ? {} : { duals: duals[0].value }),
    planDeltas: ir.plan_deltas,
  };
  for (const problem of model.localProblems) {
    if (problem.instrument !== model.shared.instrument) {
      invalid(`venue ${problem.venue} plans another instrument`, { venue: problem.venue });
    }
  }
  for (const delta of model.planDeltas) {
    if (delta.instrument !== model.shared.instrument) {
      invalid(`plan ${delta.plan_id} is for another instrument`, { plan_id: delta.plan_id });
    }
  }
  rebuildPlan(model.planDeltas);
  return model;
}

const SCHEMAS = {
  route_problem: RouteProblemFileSchema,
  local_problem: LocalProblemSchema,
  shared_variables: SharedVariablesSchema,
  dual_variables: DualVariablesSchema,
  plan_delta: PlanDeltaSchema,
  privacy_budget: PrivacyBudgetSchema,
  routing_ir: RoutingIrSchema,
} as const;

export type RoutingSchemaName = keyof typeof SCHEMAS;

/** Every routing JSON Schema by name, in a fixed order; each carries a `title`. */
export function routingJsonSchemas(): Record<RoutingSchemaName, Record<string, unknown>> {
  const out = {} as Record<RoutingSchemaName, Record<string, unknown>>;
  for (const name of Object.keys(SCHEMAS) as RoutingSchemaName[]) {
    // The input side: what a file or document may contain.
    out[name] = { title: name, ...z.toJSONSchema(SCHEMAS[name], { io: 'input' }) };
  }
  return out;
}
