/**
 * @module
 * The routing planner's data as contracts: the canonical IR document (objects: local problems;
 * morphisms: shared and dual variables; the plan's deltas) and the seeds' primitives it is made
 * of. The codecs are the planner's own reader (`fromRoutingIr`, which also checks that the deltas
 * fold into one plan) and writer (`toRoutingIr`); the round trip compares canonical JSON.
 */
import type { z } from 'zod';

import {
  type ContractCodec,
  type ContractFixture,
  type DataContract,
  defineContract,
} from '../../contracts/index.js';
import { canonicalize } from '../../core/index.js';
import {
  DualVariablesSchema,
  fromRoutingIr,
  LocalProblemSchema,
  parseWithSchema,
  PrivacyBudgetSchema,
  type RoutingIr,
  RoutingIrSchema,
  SharedVariablesSchema,
  toRoutingIr,
} from '../../routing/index.js';
import { canonicalJsonText } from './ws-contracts.js';

export const ROUTING_IR_CONTRACT = 'routing.ir';
/** The IR document carries `v: 1`; the contract is 1.0 until an optional field is added. */
export const ROUTING_CONTRACT_VERSION = '1.0';

const PRIMITIVES = {
  'routing.local-problem': {
    schema: LocalProblemSchema,
    description: 'LocalProblem (LocalExecutionTask): one venue × instrument planning unit',
  },
  'routing.shared-variables': {
    schema: SharedVariablesSchema,
    description: 'SharedVariables (SharedMarketContext): what the local problems share',
  },
  'routing.dual-variables': {
    schema: DualVariablesSchema,
    description: 'DualVariables: the multipliers of the coupling constraints',
  },
  'routing.privacy-budget': {
    schema: PrivacyBudgetSchema,
    description: 'PrivacyBudget: a shared signal’s ε granted, spent and left',
  },
} as const satisfies Record<string, { schema: z.ZodType; description: string }>;

export type RoutingPrimitiveContract = keyof typeof PRIMITIVES;
export const ROUTING_PRIMITIVE_CONTRACTS = Object.keys(PRIMITIVES) as RoutingPrimitiveContract[];

export const ROUTING_CONTRACTS: readonly DataContract[] = [
  defineContract({
    name: ROUTING_IR_CONTRACT,
    version: ROUTING_CONTRACT_VERSION,
    description: 'canonical routing IR: local problems, shared and dual variables, PlanDeltas',
    schema: RoutingIrSchema,
  }),
  ...ROUTING_PRIMITIVE_CONTRACTS.map((name) =>
    defineContract({
      name,
      version: ROUTING_CONTRACT_VERSION,
      description: PRIMITIVES[name].description,
      schema: PRIMITIVES[name].schema,
    }),
  ),
];

const ref = (contract: string) => ({ contract, version: ROUTING_CONTRACT_VERSION });
const canonicalPart = (fixture: ContractFixture): string => canonicalJsonText(fixture.data);

export const ROUTING_CODECS: readonly ContractCodec[] = [
  {
    contract: ref(ROUTING_IR_CONTRACT),
    // The planner's reader checks what the schema cannot (ids, domains, that the deltas fold);
    // the harness then validates the document itself against the contract.
    decode: (fixture): RoutingIr => toRoutingIr(fromRoutingIr(JSON.parse(canonicalPart(fixture)))),
    encode: (ir) => canonicalize(toRoutingIr(fromRoutingIr(ir))),
    encodedPart: canonicalPart,
  } satisfies ContractCodec<RoutingIr>,
  ...ROUTING_PRIMITIVE_CONTRACTS.map((name): ContractCodec => ({
    contract: ref(name),
    decode: (fixture) =>
      parseWithSchema(PRIMITIVES[name].schema, JSON.parse(canonicalPart(fixture)), name),
    encode: (value) => canonicalize(value),
    encodedPart: canonicalPart,
  })),
];

/** What the routing engine produces and consumes. */
export const ROUTING_REFS = [ROUTING_IR_CONTRACT, ...ROUTING_PRIMITIVE_CONTRACTS].map(ref);
