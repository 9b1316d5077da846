/**
 * @module
 * The ledger's own contracts: the entry format `deltatrace.event` (v1, DESIGN.md §3) and one
 * contract per registered event payload type (`plan.delta`, `fill`, `privacy.spend`, …), version
 * `<type_v>.0`. Their codecs are the ledger's parsers: a stored entry line is re-derived by the
 * code `verify` uses (id and hash recomputed) and must be its own canonical text; a payload is
 * validated by the event type registry.
 */
import {
  type ContractCodec,
  type ContractFixture,
  type ContractRef,
  type DataContract,
  defineContract,
} from '../../contracts/index.js';
import {
  analyzeEntryLine,
  canonicalize,
  ENTRY_FORMAT_NAME,
  ENTRY_FORMAT_VERSION,
  EntryWireSchema,
  type EventTypeRegistry,
  IntegrityError,
} from '../../core/index.js';
import { cliEventRegistry } from '../session.js';
import { canonicalJsonText } from './ws-contracts.js';

/** `deltatrace.event.v1` as a contract: the name, and v1 as version 1.0. */
export const ENTRY_CONTRACT = ENTRY_FORMAT_NAME.replace(/\.v[0-9]+$/, '');
export const ENTRY_CONTRACT_VERSION = `${ENTRY_FORMAT_VERSION}.0`;

/** The event types a composed ledger knows: core, pipeline and privacy. */
export function createComposedEventRegistry(): EventTypeRegistry {
  return cliEventRegistry();
}

/** Contract version of an event payload type version. */
export function payloadContractVersion(typeVersion: number): string {
  return `${typeVersion}.0`;
}

export function eventContracts(registry: EventTypeRegistry): readonly DataContract[] {
  return [
    defineContract({
      name: ENTRY_CONTRACT,
      version: ENTRY_CONTRACT_VERSION,
      description: 'a log entry as stored: RFC 8785 canonical JSON, hash-chained',
      schema: EntryWireSchema,
    }),
    ...registry.list().map((definition) =>
      defineContract({
        name: definition.type,
        version: payloadContractVersion(definition.version),
        description: `payload of the ${definition.type} event (${definition.description})`,
        schema: definition.payload,
      }),
    ),
  ];
}

/** The refs of every payload contract in a registry. */
export function payloadRefs(registry: EventTypeRegistry): readonly ContractRef[] {
  return registry.list().map((d) => ({
    contract: d.type,
    version: payloadContractVersion(d.version),
  }));
}

const entryCodec: ContractCodec = {
  contract: { contract: ENTRY_CONTRACT, version: ENTRY_CONTRACT_VERSION },
  decode: (fixture) => {
    const analyzed = analyzeEntryLine(fixture.data);
    if (!analyzed.selfValid || !analyzed.canonical) {
      throw new IntegrityError(
        'CHAIN_VERIFY_FAILED',
        'the entry does not re-derive its id and hash',
        {
          details: { problem: analyzed.problem ?? 'not canonical' },
        },
      );
    }
    return JSON.parse(fixture.data) as unknown;
  },
  encode: (entry) => canonicalize(entry),
};

/**
 * The ledger's codecs: its entry line parser, and the registry's payload validation for the given
 * payload types (the ones with recorded fixtures).
 */
export function ledgerCodecs(
  registry: EventTypeRegistry,
  payloadTypes: readonly string[],
): readonly ContractCodec[] {
  const payloadCodecs = registry
    .list()
    .filter((definition) => payloadTypes.includes(definition.type))
    .map((definition): ContractCodec => ({
      contract: { contract: definition.type, version: payloadContractVersion(definition.version) },
      decode: (fixture: ContractFixture) =>
        registry.parsePayload(
          definition.type,
          definition.version,
          JSON.parse(canonicalJsonText(fixture.data)),
        ),
      encode: (payload) => canonicalize(payload),
      encodedPart: (fixture) => canonicalJsonText(fixture.data),
    }));
  return [entryCodec, ...payloadCodecs];
}
