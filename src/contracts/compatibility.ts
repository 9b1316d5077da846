/**
 * @module
 * The compatibility check of the contract graph. A consumer of v1.x accepts a producer of v1.y
 * when y ≥ x: minor versions only add optional fields, so what the consumer relies on is there. A
 * major mismatch is incompatible. Beside the edges, each pair of consecutive minor versions of a
 * contract registered together is checked to keep that promise, on their JSON Schemas.
 */
import { canonicalize, type JsonObject, type JsonValue } from '../core/index.js';
import type { ContractVersion, DataContract } from './contract.js';
import type { ContractRegistry } from './registry.js';

export interface VersionVerdict {
  readonly compatible: boolean;
  readonly reason: string;
}

export interface CompatibilityEdge {
  readonly contract: string;
  readonly producer: string;
  readonly producer_version: string;
  readonly consumer: string;
  readonly consumer_version: string;
  readonly compatible: boolean;
  readonly reason: string;
}

/** Whether a minor version kept the promise of its predecessor. */
export interface EvolutionFinding {
  readonly contract: string;
  readonly from_version: string;
  readonly to_version: string;
  readonly compatible: boolean;
  readonly reason: string;
}

/** A contract version nobody produces, or nobody consumes: not a failure, but worth seeing. */
export interface UnconnectedContract {
  readonly contract: string;
  readonly version: string;
  readonly missing: 'producer' | 'consumer';
}

export interface CompatibilityReport {
  readonly ok: boolean;
  readonly edges: readonly CompatibilityEdge[];
  readonly evolution: readonly EvolutionFinding[];
  readonly unconnected: readonly UnconnectedContract[];
}

export function compareVersions(
  producer: ContractVersion,
  consumer: ContractVersion,
): VersionVerdict {
  if (producer.major !== consumer.major) {
    return {
      compatible: false,
      reason: `major mismatch: producer ${producer.major}.x, consumer ${consumer.major}.x`,
    };
  }
  if (producer.minor < consumer.minor) {
    return {
      compatible: false,
      reason: `producer ${producer.major}.${producer.minor} lacks what ${consumer.major}.${consumer.minor} added`,
    };
  }
  return {
    compatible: true,
    reason:
      producer.minor === consumer.minor
        ? 'same version'
        : `minor ${producer.minor} ≥ ${consumer.minor}: later minors only add optional fields`,
  };
}

function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    canonicalize(a, { allowUnsafeIntegers: true }) ===
    canonicalize(b, { allowUnsafeIntegers: true })
  );
}

function objectParts(schema: JsonObject): { properties: JsonObject; required: string[] } | null {
  const properties = schema['properties'];
  if (schema['type'] !== 'object' || typeof properties !== 'object' || properties === null) {
    return null;
  }
  if (Array.isArray(properties)) return null;
  const required = schema['required'];
  return {
    properties: properties as JsonObject,
    required: Array.isArray(required)
      ? required.filter((r): r is string => typeof r === 'string')
      : [],
  };
}

/** Checks that `newer` (a later minor of the same major) only adds optional fields to `older`. */
export function checkMinorEvolution(older: DataContract, newer: DataContract): EvolutionFinding {
  const finding = (compatible: boolean, reason: string): EvolutionFinding => ({
    contract: older.name,
    from_version: older.version,
    to_version: newer.version,
    compatible,
    reason,
  });
  const before = objectParts(older.jsonSchema);
  const after = objectParts(newer.jsonSchema);
  if (before === null || after === null) {
    return same(older.jsonSchema, newer.jsonSchema)
      ? finding(true, 'identical schemas')
      : finding(false, 'a minor version of a schema that is not one object must keep it identical');
  }
  for (const [name, schema] of Object.entries(before.properties)) {
    if (!same(schema, after.properties[name])) {
      return finding(
        false,
        `field ${name} was ${name in after.properties ? 'changed' : 'removed'}`,
      );
    }
  }
  const required = [...after.required].sort();
  if (!same(required, [...before.required].sort())) {
    const added = required.filter((name) => !before.required.includes(name));
    return finding(
      false,
      added.length > 0
        ? `fields made required: ${added.join(', ')}`
        : 'a required field was made optional',
    );
  }
  const added = Object.keys(after.properties).filter((name) => !(name in before.properties));
  return finding(
    true,
    added.length === 0 ? 'no fields added' : `optional fields added: ${added.sort().join(', ')}`,
  );
}

/** Every producer → contract → consumer edge of the graph, and the evolution of each contract. */
export function checkCompatibility(registry: ContractRegistry): CompatibilityReport {
  const contracts = registry.contracts();
  const parties = registry.parties();
  const edges: CompatibilityEdge[] = [];
  for (const name of [...new Set(contracts.map((c) => c.name))]) {
    const uses = (role: 'produces' | 'consumes'): { id: string; contract: DataContract }[] =>
      parties.flatMap((party) =>
        party[role]
          .filter((ref) => ref.contract === name)
          .map((ref) => ({ id: party.id, contract: registry.contract(ref.contract, ref.version) })),
      );
    for (const producer of uses('produces')) {
      for (const consumer of uses('consumes')) {
        if (producer.id === consumer.id) continue;
        edges.push({
          contract: name,
          producer: producer.id,
          producer_version: producer.contract.version,
          consumer: consumer.id,
          consumer_version: consumer.contract.version,
          ...compareVersions(producer.contract, consumer.contract),
        });
      }
    }
  }
  const evolution: EvolutionFinding[] = [];
  for (let i = 1; i < contracts.length; i++) {
    const [older, newer] = [contracts[i - 1]!, contracts[i]!];
    if (older.name === newer.name && older.major === newer.major) {
      evolution.push(checkMinorEvolution(older, newer));
    }
  }
  const unconnected: UnconnectedContract[] = [];
  for (const listing of registry.listContracts()) {
    const { contract, version } = listing;
    if (listing.producers.length === 0)
      unconnected.push({ contract, version, missing: 'producer' });
    if (listing.consumers.length === 0)
      unconnected.push({ contract, version, missing: 'consumer' });
  }
  return {
    ok: edges.every((e) => e.compatible) && evolution.every((f) => f.compatible),
    edges,
    evolution,
    unconnected,
  };
}
