/**
 * @module
 * The Graph-of-Contracts registry: data contracts, and the parties that produce or consume them —
 * adapters (protocol ends such as the FIX gateway or the WebSocket feed) and engines (the matching
 * engine, the pipeline, the routing solver, the ledger). The graph's edges run producer →
 * contract → consumer. Built by a composition root and handed to the checks; no global registry.
 */
import { z } from 'zod';

import { InputError } from '../core/index.js';
import {
  compareContracts,
  contractKey,
  type DataContract,
  parseContractVersion,
} from './contract.js';

export const PARTY_KINDS = ['adapter', 'engine'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

const PartyIdSchema = z
  .string()
  .max(96)
  .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'expected a dotted lowercase party id');

/** A party's use of one contract version. */
export interface ContractRef {
  readonly contract: string;
  readonly version: string;
}

export interface PartySpec {
  readonly id: string;
  readonly kind: PartyKind;
  readonly description: string;
  readonly produces?: readonly ContractRef[];
  readonly consumes?: readonly ContractRef[];
}

export interface Party {
  readonly id: string;
  readonly kind: PartyKind;
  readonly description: string;
  /** Sorted by contract name, then version. */
  readonly produces: readonly ContractRef[];
  readonly consumes: readonly ContractRef[];
}

/** One line of `contracts list`. */
export interface ContractListing {
  readonly contract: string;
  readonly version: string;
  readonly description: string;
  /** Ids of the parties that produce this contract version, sorted. */
  readonly producers: readonly string[];
  readonly consumers: readonly string[];
  /** The engines among producers and consumers, sorted. */
  readonly engines: readonly string[];
}

function compareRefs(a: ContractRef, b: ContractRef): number {
  if (a.contract !== b.contract) return a.contract < b.contract ? -1 : 1;
  const va = parseContractVersion(a.version);
  const vb = parseContractVersion(b.version);
  return va.major - vb.major || va.minor - vb.minor;
}

export class ContractRegistry {
  readonly #contracts = new Map<string, DataContract>();
  readonly #parties = new Map<string, Party>();

  /** @throws CONTRACT_DUPLICATE when this name and version are registered already. */
  registerContract(contract: DataContract): this {
    if (this.#contracts.has(contract.key)) {
      throw new InputError('CONTRACT_DUPLICATE', `contract ${contract.key} is already registered`, {
        details: { contract: contract.key },
      });
    }
    this.#contracts.set(contract.key, contract);
    return this;
  }

  /**
   * @throws CONTRACT_INVALID for a bad id or kind; CONTRACT_DUPLICATE for a known id or a contract
   *   listed twice in one role; CONTRACT_UNKNOWN for a contract version not registered.
   */
  registerParty(spec: PartySpec): this {
    if (!PartyIdSchema.safeParse(spec.id).success || !PARTY_KINDS.includes(spec.kind)) {
      throw new InputError('CONTRACT_INVALID', 'a party has a dotted lowercase id and a kind', {
        details: { id: spec.id.slice(0, 96), kind: String(spec.kind) },
      });
    }
    if (this.#parties.has(spec.id)) {
      throw new InputError('CONTRACT_DUPLICATE', `party ${spec.id} is already registered`, {
        details: { party: spec.id },
      });
    }
    const produces = this.#checkRefs(spec.id, spec.produces ?? []);
    const consumes = this.#checkRefs(spec.id, spec.consumes ?? []);
    this.#parties.set(spec.id, {
      id: spec.id,
      kind: spec.kind,
      description: spec.description,
      produces,
      consumes,
    });
    return this;
  }

  /** @throws CONTRACT_UNKNOWN */
  contract(name: string, version: string): DataContract {
    const contract = this.#contracts.get(contractKey(name, version));
    if (contract === undefined) {
      throw new InputError(
        'CONTRACT_UNKNOWN',
        `contract ${contractKey(name, version)} is unknown`,
        {
          details: { contract: contractKey(name, version).slice(0, 128) },
        },
      );
    }
    return contract;
  }

  /** @throws CONTRACT_UNKNOWN */
  party(id: string): Party {
    const party = this.#parties.get(id);
    if (party === undefined) {
      throw new InputError('CONTRACT_UNKNOWN', `party ${id} is unknown`, {
        details: { party: id.slice(0, 96) },
      });
    }
    return party;
  }

  /** Every contract version, by name, then major, then minor. */
  contracts(): readonly DataContract[] {
    return [...this.#contracts.values()].sort(compareContracts);
  }

  /** Every party, by id. */
  parties(): readonly Party[] {
    return [...this.#parties.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** One listing per contract version, in {@link contracts} order. */
  listContracts(): readonly ContractListing[] {
    const parties = this.parties();
    return this.contracts().map((contract) => {
      const uses = (role: 'produces' | 'consumes'): string[] =>
        parties.flatMap((party) =>
          party[role]
            .filter((ref) => ref.contract === contract.name && ref.version === contract.version)
            .map(() => party.id),
        );
      const producers = uses('produces');
      const consumers = uses('consumes');
      const engines = parties
        .filter((p) => p.kind === 'engine' && [...producers, ...consumers].includes(p.id))
        .map((p) => p.id);
      return {
        contract: contract.name,
        version: contract.version,
        description: contract.description,
        producers,
        consumers,
        engines,
      };
    });
  }

  #checkRefs(party: string, refs: readonly ContractRef[]): readonly ContractRef[] {
    const seen = new Set<string>();
    for (const ref of refs) {
      this.contract(ref.contract, ref.version);
      if (seen.has(ref.contract)) {
        throw new InputError(
          'CONTRACT_DUPLICATE',
          'a party uses one version of a contract per role',
          {
            details: { party, contract: ref.contract },
          },
        );
      }
      seen.add(ref.contract);
    }
    return [...refs]
      .map((ref) => ({ contract: ref.contract, version: ref.version }))
      .sort(compareRefs);
  }
}
