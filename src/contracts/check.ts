/**
 * @module
 * `contracts check` as a value: the compatibility of every edge, the published JSON Schemas
 * against the ones generated from the contracts' zod schemas (so that a schema change without a
 * version change cannot pass unseen), and the conformance of every suite on the recorded
 * fixtures. The report is `ok` only when all three pass and every fixture names a known contract.
 */
import { canonicalize, type JsonValue } from '../core/index.js';
import { checkCompatibility, type CompatibilityReport } from './compatibility.js';
import { type ConformanceResult, type ConformanceSuite, runConformance } from './conformance.js';
import { contractKey } from './contract.js';
import type { LocatedFixture } from './fixtures.js';
import type { ContractRegistry } from './registry.js';

export const CONTRACTS_CHECK_FORMAT = 'deltatrace.contracts-check.v1';

export interface SchemaCheck {
  readonly contract: string;
  readonly version: string;
  readonly status: 'pass' | 'fail';
  readonly reason: string;
}

export interface ContractsCheckInput {
  readonly suites: readonly ConformanceSuite[];
  readonly fixtures: readonly LocatedFixture[];
  /** Published JSON Schemas by `name@version`. */
  readonly publishedSchemas: ReadonlyMap<string, JsonValue>;
}

export interface ContractsCheckSummary {
  readonly contracts: number;
  readonly parties: number;
  readonly edges: number;
  readonly incompatible_edges: number;
  readonly schema_failures: number;
  readonly conformance_passed: number;
  readonly conformance_failed: number;
  readonly conformance_untested: number;
  readonly fixtures: number;
}

export interface ContractsCheckReport {
  readonly format: typeof CONTRACTS_CHECK_FORMAT;
  readonly ok: boolean;
  readonly summary: ContractsCheckSummary;
  readonly compatibility: CompatibilityReport;
  readonly schemas: readonly SchemaCheck[];
  readonly conformance: readonly ConformanceResult[];
  /** Locations of fixtures whose contract version is not registered. */
  readonly unknown_fixtures: readonly string[];
}

function canonical(value: JsonValue): string {
  return canonicalize(value, { allowUnsafeIntegers: true });
}

/** Each registered contract's JSON Schema against its published one, and stale published ones. */
export function checkPublishedSchemas(
  registry: ContractRegistry,
  published: ReadonlyMap<string, JsonValue>,
): readonly SchemaCheck[] {
  const checks: SchemaCheck[] = registry.contracts().map((contract) => {
    const { name, version } = contract;
    const recorded = published.get(contract.key);
    if (recorded === undefined) {
      return { contract: name, version, status: 'fail', reason: 'no published JSON Schema' };
    }
    return canonical(recorded) === canonical(contract.jsonSchema)
      ? { contract: name, version, status: 'pass', reason: 'matches the zod schema' }
      : {
          contract: name,
          version,
          status: 'fail',
          reason: 'the zod schema changed: publish a new version, or regenerate if unreleased',
        };
  });
  const known = new Set(registry.contracts().map((c) => c.key));
  for (const key of [...published.keys()].sort()) {
    if (known.has(key)) continue;
    const [contract = key, version = ''] = key.split('@');
    checks.push({
      contract,
      version,
      status: 'fail',
      reason: 'published for no registered contract',
    });
  }
  return checks;
}

export function checkContracts(
  registry: ContractRegistry,
  input: ContractsCheckInput,
): ContractsCheckReport {
  const compatibility = checkCompatibility(registry);
  const schemas = checkPublishedSchemas(registry, input.publishedSchemas);
  const conformance = runConformance(registry, input.suites, input.fixtures);
  const known = new Set(registry.contracts().map((c) => c.key));
  const unknownFixtures = input.fixtures
    .filter(({ fixture }) => !known.has(contractKey(fixture.contract, fixture.version)))
    .map((f) => f.location);
  const count = (status: ConformanceResult['status']): number =>
    conformance.filter((r) => r.status === status).length;
  const schemaFailures = schemas.filter((s) => s.status === 'fail').length;
  const summary: ContractsCheckSummary = {
    contracts: registry.contracts().length,
    parties: registry.parties().length,
    edges: compatibility.edges.length,
    incompatible_edges: compatibility.edges.filter((e) => !e.compatible).length,
    schema_failures: schemaFailures,
    conformance_passed: count('pass'),
    conformance_failed: count('fail'),
    conformance_untested: count('untested'),
    fixtures: input.fixtures.length,
  };
  return {
    format: CONTRACTS_CHECK_FORMAT,
    ok:
      compatibility.ok &&
      schemaFailures === 0 &&
      summary.conformance_failed === 0 &&
      unknownFixtures.length === 0,
    summary,
    compatibility,
    schemas,
    conformance,
    unknown_fixtures: unknownFixtures,
  };
}
