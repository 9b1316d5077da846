/**
 * The registry of event types. Each type has one zod payload schema per version; producers get the
 * latest, while entries written under an older version keep validating against theirs. Other
 * domains extend a registry they are given (no global registry); an unregistered type is rejected.
 */
import type { z } from 'zod';

import { InputError } from '../errors.js';
import { compileFastCheck, type FastCheck } from './fast-check.js';
import {
  ApprovalPayloadSchema,
  FillPayloadSchema,
  GovernanceTriggerPayloadSchema,
  MdTickPayloadSchema,
  OrderAckPayloadSchema,
  OrderCancelPayloadSchema,
  OrderNewPayloadSchema,
  OrderRejectPayloadSchema,
  OrderReplacePayloadSchema,
  PlanDeltaPayloadSchema,
  RiskCheckPayloadSchema,
  SignalPayloadSchema,
} from './payloads.js';

export interface EventTypeDefinition {
  readonly type: string;
  readonly version: number;
  readonly payload: z.ZodType;
  readonly description: string;
}

/** The core event types of DESIGN.md §3, version 1 each. */
export const CORE_EVENT_TYPES: readonly EventTypeDefinition[] = [
  { type: 'md.tick', version: 1, payload: MdTickPayloadSchema, description: 'market-data tick' },
  { type: 'signal', version: 1, payload: SignalPayloadSchema, description: 'strategy signal' },
  {
    type: 'plan.delta',
    version: 1,
    payload: PlanDeltaPayloadSchema,
    description: 'incremental routing plan change',
  },
  { type: 'order.new', version: 1, payload: OrderNewPayloadSchema, description: 'new order' },
  { type: 'order.ack', version: 1, payload: OrderAckPayloadSchema, description: 'venue ack' },
  {
    type: 'order.reject',
    version: 1,
    payload: OrderRejectPayloadSchema,
    description: 'venue or risk reject',
  },
  {
    type: 'order.cancel',
    version: 1,
    payload: OrderCancelPayloadSchema,
    description: 'order cancel',
  },
  {
    type: 'order.replace',
    version: 1,
    payload: OrderReplacePayloadSchema,
    description: 'cancel/replace',
  },
  { type: 'fill', version: 1, payload: FillPayloadSchema, description: 'execution' },
  { type: 'risk.check', version: 1, payload: RiskCheckPayloadSchema, description: 'risk check' },
  { type: 'approval', version: 1, payload: ApprovalPayloadSchema, description: 'signed approval' },
  {
    type: 'governance.trigger',
    version: 1,
    payload: GovernanceTriggerPayloadSchema,
    description: 'governance trigger',
  },
];

export class EventTypeRegistry {
  readonly #byType = new Map<string, Map<number, EventTypeDefinition>>();
  /** Compiled payload checks, made on first use. */
  readonly #checks = new Map<EventTypeDefinition, FastCheck>();

  register(definition: EventTypeDefinition): this {
    let versions = this.#byType.get(definition.type);
    if (versions === undefined) {
      versions = new Map();
      this.#byType.set(definition.type, versions);
    }
    if (versions.has(definition.version)) {
      throw new InputError(
        'INPUT_INVALID_ARGUMENT',
        `event type ${definition.type} v${definition.version} is already registered`,
      );
    }
    versions.set(definition.version, definition);
    return this;
  }

  has(type: string): boolean {
    return this.#byType.has(type);
  }

  latestVersion(type: string): number {
    const versions = this.#requireType(type);
    return Math.max(...versions.keys());
  }

  /** Registered definitions sorted by type then version. */
  list(): readonly EventTypeDefinition[] {
    return [...this.#byType.values()]
      .flatMap((versions) => [...versions.values()])
      .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.version - b.version));
  }

  /**
   * Validates a payload against its type and version.
   * @throws INPUT_UNKNOWN_EVENT_TYPE, INPUT_SCHEMA_VIOLATION
   */
  parsePayload(type: string, version: number, payload: unknown): unknown {
    return parseWith(this.#definition(type, version), payload);
  }

  /**
   * {@link parsePayload} of a payload the caller owns and will not change afterwards (one it has
   * just decoded): when the schema's compiled check shows zod would accept it unchanged, it is
   * returned itself, without zod's copy — the same value, the same canonical bytes, a fraction of
   * the cost. Anything the check does not accept goes through zod, which decides and explains.
   * @throws INPUT_UNKNOWN_EVENT_TYPE, INPUT_SCHEMA_VIOLATION
   */
  acceptOwnedPayload(type: string, version: number, payload: unknown): unknown {
    const definition = this.#definition(type, version);
    let check = this.#checks.get(definition);
    if (check === undefined) {
      check = compileFastCheck(definition.payload) ?? NEVER_FAST;
      this.#checks.set(definition, check);
    }
    return check(payload) ? payload : parseWith(definition, payload);
  }

  #definition(type: string, version: number): EventTypeDefinition {
    const definition = this.#requireType(type).get(version);
    if (definition === undefined) {
      throw new InputError(
        'INPUT_UNKNOWN_EVENT_TYPE',
        `event type ${type} has no version ${version}`,
        {
          details: { type, version },
        },
      );
    }
    return definition;
  }

  #requireType(type: string): Map<number, EventTypeDefinition> {
    const versions = this.#byType.get(type);
    if (versions === undefined) {
      throw new InputError('INPUT_UNKNOWN_EVENT_TYPE', `unknown event type "${type}"`, {
        details: { type },
      });
    }
    return versions;
  }
}

/** The check of a schema that does not compile: every payload goes through zod. */
const NEVER_FAST: FastCheck = () => false;

/** @throws INPUT_SCHEMA_VIOLATION */
function parseWith(definition: EventTypeDefinition, payload: unknown): unknown {
  const result = definition.payload.safeParse(payload);
  if (!result.success) {
    throw new InputError('INPUT_SCHEMA_VIOLATION', `invalid ${definition.type} payload`, {
      details: { type: definition.type, issues: formatIssues(result.error.issues, ['payload']) },
    });
  }
  return result.data;
}

/** A registry holding the core types; other domains register theirs on top. */
export function createCoreRegistry(): EventTypeRegistry {
  const registry = new EventTypeRegistry();
  for (const definition of CORE_EVENT_TYPES) registry.register(definition);
  return registry;
}

export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
  [key: string]: string;
}

/** zod issues as JSON-safe `{path, message}` pairs, path in dotted form. */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly (string | number)[] = [],
): SchemaIssue[] {
  return issues.slice(0, 20).map((issue) => ({
    path: [...prefix, ...issue.path.map((part) => String(part))].join('.') || '(root)',
    message: issue.message,
  }));
}
