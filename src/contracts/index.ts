/**
 * @module
 * The Graph-of-Contracts: data contracts (name, `major.minor` version, zod schema and the JSON
 * Schema generated from it), the adapters and engines that produce or consume them, the
 * compatibility check over every producer → contract → consumer edge, and the conformance
 * harness that runs a party's own parser and builder over recorded fixtures. Pure: no I/O, and
 * no adapter imports — the composition root registers the real contracts and codecs.
 */
export {
  checkContracts,
  checkPublishedSchemas,
  CONTRACTS_CHECK_FORMAT,
  type ContractsCheckInput,
  type ContractsCheckReport,
  type ContractsCheckSummary,
  type SchemaCheck,
} from './check.js';
export {
  checkCompatibility,
  checkMinorEvolution,
  compareVersions,
  type CompatibilityEdge,
  type CompatibilityReport,
  type EvolutionFinding,
  type UnconnectedContract,
  type VersionVerdict,
} from './compatibility.js';
export {
  type ConformanceResult,
  type ConformanceStage,
  type ConformanceSuite,
  type ContractCodec,
  type FixtureFailure,
  runConformance,
} from './conformance.js';
export {
  contractKey,
  ContractNameSchema,
  type ContractVersion,
  ContractVersionSchema,
  type DataContract,
  type DataContractSpec,
  defineContract,
  type JsonSchemaSide,
  parseContractVersion,
  toContractJsonSchema,
} from './contract.js';
export {
  CONTRACT_FIXTURE_FORMAT_VERSION,
  type ContractFixture,
  ContractFixtureSchema,
  formatFixtureLine,
  type LocatedFixture,
  parseFixtureLines,
} from './fixtures.js';
export {
  type ContractListing,
  type ContractRef,
  ContractRegistry,
  type Party,
  PARTY_KINDS,
  type PartyKind,
  type PartySpec,
} from './registry.js';
