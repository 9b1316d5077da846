/**
 * @module
 * The adapter conformance harness. A party's codecs bind its own parser (and builder, where it
 * has one) to the contracts it declares; each recorded fixture of a contract is decoded with the
 * parser, validated against the contract's zod schema, re-encoded with the builder and compared
 * with what was recorded. Results are values, one per declared contract; only misuse (a codec
 * for a contract the party does not declare) throws.
 */
import { InputError, isDeltaTraceError } from '../core/index.js';
import { contractKey } from './contract.js';
import type { ContractFixture, LocatedFixture } from './fixtures.js';
import type { ContractRef, ContractRegistry, Party } from './registry.js';

/**
 * Binds one contract to a party's code. Method syntax on purpose: a codec of a specific value
 * type is usable where a codec of `unknown` is expected, and the harness only ever hands
 * `encode` what `decode` of the same codec returned.
 */
export interface ContractCodec<T = unknown> {
  readonly contract: ContractRef;
  /** The party's own parser of the recorded data. */
  decode(fixture: ContractFixture): T;
  /** The party's builder; without one the round trip is not checked. */
  encode?(value: T, fixture: ContractFixture): string;
  /** What of the fixture's data an encoding must reproduce: all of it by default. */
  encodedPart?(fixture: ContractFixture): string;
}

export interface ConformanceSuite {
  readonly party: string;
  readonly codecs: readonly ContractCodec[];
}

export type ConformanceStage = 'decode' | 'validate' | 'round-trip' | 'fixtures';

export interface FixtureFailure {
  readonly location: string;
  readonly stage: ConformanceStage;
  readonly message: string;
}

export interface ConformanceResult {
  readonly party: string;
  readonly contract: string;
  readonly version: string;
  /** `untested`: the party declares the contract but has no codec for it. */
  readonly status: 'pass' | 'fail' | 'untested';
  readonly fixtures: number;
  readonly round_trips: number;
  /** The first few failures. */
  readonly failures: readonly FixtureFailure[];
}

const MAX_FAILURES = 10;

function describeError(error: unknown): string {
  if (isDeltaTraceError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Where two texts first differ, with a little of each around it. */
function describeMismatch(expected: string, actual: string): string {
  let at = 0;
  while (at < expected.length && expected[at] === actual[at]) at++;
  const show = (text: string): string => JSON.stringify(text.slice(Math.max(0, at - 16), at + 24));
  return `re-encoding differs at offset ${at}: recorded ${show(expected)}, built ${show(actual)}`;
}

function declared(party: Party): readonly ContractRef[] {
  const refs = new Map<string, ContractRef>();
  for (const ref of [...party.produces, ...party.consumes]) {
    refs.set(contractKey(ref.contract, ref.version), ref);
  }
  return [...refs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

function runCodec(
  registry: ContractRegistry,
  party: string,
  codec: ContractCodec,
  fixtures: readonly LocatedFixture[],
): ConformanceResult {
  const { contract: name, version } = codec.contract;
  const schema = registry.contract(name, version).schema;
  const failures: FixtureFailure[] = [];
  const fail = (location: string, stage: ConformanceStage, message: string): void => {
    failures.push({ location, stage, message });
  };
  const matching = fixtures.filter(
    (f) => f.fixture.contract === name && f.fixture.version === version,
  );
  let roundTrips = 0;
  for (const { fixture, location } of matching) {
    let value: unknown;
    try {
      value = codec.decode(fixture);
    } catch (error) {
      fail(location, 'decode', describeError(error));
      continue;
    }
    // The decoded value is the schema's output side; encoding it checks that side, codecs too.
    const checked = schema.safeEncode(value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      fail(
        location,
        'validate',
        `${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? ''}`,
      );
      continue;
    }
    if (codec.encode === undefined) continue;
    try {
      const built = codec.encode(value, fixture);
      const expected = codec.encodedPart?.(fixture) ?? fixture.data;
      if (built === expected) roundTrips++;
      else fail(location, 'round-trip', describeMismatch(expected, built));
    } catch (error) {
      fail(location, 'round-trip', describeError(error));
    }
  }
  if (matching.length === 0) fail('(none)', 'fixtures', 'no recorded fixtures for this contract');
  return {
    party,
    contract: name,
    version,
    status: failures.length === 0 ? 'pass' : 'fail',
    fixtures: matching.length,
    round_trips: roundTrips,
    failures: failures.slice(0, MAX_FAILURES),
  };
}

/**
 * Runs every suite against the fixtures: one result per contract each suite's party declares,
 * ordered by party, then contract key.
 * @throws CONTRACT_UNKNOWN for an unknown party, or a codec for a contract the party does not
 *   declare; CONTRACT_DUPLICATE for two codecs of one contract in a suite.
 */
export function runConformance(
  registry: ContractRegistry,
  suites: readonly ConformanceSuite[],
  fixtures: readonly LocatedFixture[],
): readonly ConformanceResult[] {
  const results: ConformanceResult[] = [];
  const ordered = [...suites].sort((a, b) => (a.party < b.party ? -1 : a.party > b.party ? 1 : 0));
  for (const suite of ordered) {
    const party = registry.party(suite.party);
    const refs = declared(party);
    const codecs = new Map<string, ContractCodec>();
    for (const codec of suite.codecs) {
      const key = contractKey(codec.contract.contract, codec.contract.version);
      if (!refs.some((ref) => contractKey(ref.contract, ref.version) === key)) {
        throw new InputError('CONTRACT_UNKNOWN', `${party.id} does not declare ${key}`, {
          details: { party: party.id, contract: key },
        });
      }
      if (codecs.has(key)) {
        throw new InputError('CONTRACT_DUPLICATE', `two codecs of ${key} for ${party.id}`, {
          details: { party: party.id, contract: key },
        });
      }
      codecs.set(key, codec);
    }
    for (const ref of refs) {
      const codec = codecs.get(contractKey(ref.contract, ref.version));
      results.push(
        codec === undefined
          ? {
              party: party.id,
              ...ref,
              status: 'untested',
              fixtures: 0,
              round_trips: 0,
              failures: [],
            }
          : runCodec(registry, party.id, codec, fixtures),
      );
    }
  }
  return results;
}
