import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  checkCompatibility,
  checkMinorEvolution,
  compareVersions,
  ContractRegistry,
  defineContract,
  parseContractVersion,
} from '../../src/contracts/index.js';
import { expectErrorCode } from '../helpers/errors.js';

const QuoteV10 = z.strictObject({ instrument: z.string(), bid_px: z.number().int() });
const QuoteV11 = z.strictObject({
  instrument: z.string(),
  bid_px: z.number().int(),
  ask_px: z.number().int().optional(),
});
const QuoteV20 = z.strictObject({ instrument: z.string(), bid: z.string() });

function quote(version: string, schema: z.ZodType) {
  return defineContract({ name: 'toy.quote', version, description: 'a quote', schema });
}

function registry(): ContractRegistry {
  return new ContractRegistry()
    .registerContract(quote('1.0', QuoteV10))
    .registerContract(quote('1.1', QuoteV11))
    .registerContract(quote('2.0', QuoteV20));
}

describe('defineContract', () => {
  it('generates the JSON Schema from the zod schema, bigints as integers', () => {
    const contract = defineContract({
      name: 'toy.timed',
      version: '1.0',
      description: 'decoded value with a bigint time',
      schema: z.strictObject({ at_ns: z.bigint(), what: z.string().min(1) }),
      jsonSchemaSide: 'output',
    });
    expect(contract.key).toBe('toy.timed@1.0');
    expect(contract.jsonSchema).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { at_ns: { type: 'integer' }, what: { type: 'string', minLength: 1 } },
      required: ['at_ns', 'what'],
      additionalProperties: false,
    });
  });

  it.each([
    ['a bad name', { name: 'Toy Quote', version: '1.0' }],
    ['a bad version', { name: 'toy.quote', version: '1' }],
    ['a leading zero', { name: 'toy.quote', version: '1.01' }],
  ])('reports CONTRACT_INVALID for %s', (_what, spec) => {
    expectErrorCode(
      () => defineContract({ ...spec, description: '', schema: QuoteV10 }),
      'CONTRACT_INVALID',
    );
  });

  it('reports CONTRACT_INVALID for a schema without a JSON Schema form', () => {
    const schema = z.string().transform((s) => s.length);
    expectErrorCode(
      () =>
        defineContract({
          name: 'toy.len',
          version: '1.0',
          description: '',
          schema,
          jsonSchemaSide: 'output',
        }),
      'CONTRACT_INVALID',
    );
  });

  it('parses versions numerically', () => {
    expect(parseContractVersion('10.2')).toEqual({ major: 10, minor: 2 });
  });
});

describe('ContractRegistry', () => {
  it('lists one line per contract version with its producers, consumers and engines', () => {
    const r = registry()
      .registerParty({
        id: 'feed.server',
        kind: 'adapter',
        description: 'publishes quotes',
        produces: [{ contract: 'toy.quote', version: '1.1' }],
      })
      .registerParty({
        id: 'router',
        kind: 'engine',
        description: 'reads quotes',
        consumes: [{ contract: 'toy.quote', version: '1.0' }],
      });
    expect(r.listContracts()).toEqual([
      {
        contract: 'toy.quote',
        version: '1.0',
        description: 'a quote',
        producers: [],
        consumers: ['router'],
        engines: ['router'],
      },
      {
        contract: 'toy.quote',
        version: '1.1',
        description: 'a quote',
        producers: ['feed.server'],
        consumers: [],
        engines: [],
      },
      {
        contract: 'toy.quote',
        version: '2.0',
        description: 'a quote',
        producers: [],
        consumers: [],
        engines: [],
      },
    ]);
  });

  it('reports CONTRACT_DUPLICATE for a contract, a party or a role listed twice', () => {
    expectErrorCode(
      () => registry().registerContract(quote('1.0', QuoteV10)),
      'CONTRACT_DUPLICATE',
    );
    const r = registry().registerParty({ id: 'p', kind: 'engine', description: '' });
    expectErrorCode(
      () => r.registerParty({ id: 'p', kind: 'engine', description: '' }),
      'CONTRACT_DUPLICATE',
    );
    expectErrorCode(
      () =>
        r.registerParty({
          id: 'q',
          kind: 'engine',
          description: '',
          consumes: [
            { contract: 'toy.quote', version: '1.0' },
            { contract: 'toy.quote', version: '1.1' },
          ],
        }),
      'CONTRACT_DUPLICATE',
    );
  });

  it('reports CONTRACT_UNKNOWN for an unregistered contract version or party', () => {
    expectErrorCode(
      () =>
        registry().registerParty({
          id: 'p',
          kind: 'adapter',
          description: '',
          produces: [{ contract: 'toy.quote', version: '1.2' }],
        }),
      'CONTRACT_UNKNOWN',
    );
    expectErrorCode(() => registry().party('nobody'), 'CONTRACT_UNKNOWN');
  });

  it('reports CONTRACT_INVALID for a bad party id', () => {
    expectErrorCode(
      () => registry().registerParty({ id: 'Bad Id', kind: 'adapter', description: '' }),
      'CONTRACT_INVALID',
    );
  });
});

describe('compareVersions', () => {
  it.each([
    ['1.0', '1.0', true],
    ['1.3', '1.1', true],
    ['1.0', '1.1', false],
    ['2.0', '1.0', false],
    ['1.5', '2.0', false],
  ])('producer %s, consumer %s: compatible %s', (producer, consumer, compatible) => {
    const verdict = compareVersions(parseContractVersion(producer), parseContractVersion(consumer));
    expect(verdict.compatible).toBe(compatible);
  });
});

describe('checkCompatibility', () => {
  it('reports every edge with its verdict and reason', () => {
    const r = registry()
      .registerParty({
        id: 'feed.new',
        kind: 'adapter',
        description: '',
        produces: [{ contract: 'toy.quote', version: '1.1' }],
      })
      .registerParty({
        id: 'feed.next',
        kind: 'adapter',
        description: '',
        produces: [{ contract: 'toy.quote', version: '2.0' }],
      })
      .registerParty({
        id: 'router',
        kind: 'engine',
        description: '',
        consumes: [{ contract: 'toy.quote', version: '1.0' }],
      })
      .registerParty({
        id: 'risk',
        kind: 'engine',
        description: '',
        consumes: [{ contract: 'toy.quote', version: '1.1' }],
      });
    const report = checkCompatibility(r);
    expect(report.ok).toBe(false);
    expect(report.edges.map((e) => [e.producer, e.consumer, e.compatible])).toEqual([
      ['feed.new', 'risk', true],
      ['feed.new', 'router', true],
      ['feed.next', 'risk', false],
      ['feed.next', 'router', false],
    ]);
    expect(report.edges[1]!.reason).toMatch(/minor 1 ≥ 0/);
    expect(report.edges[3]!.reason).toMatch(/major mismatch/);
    expect(report.evolution).toEqual([
      {
        contract: 'toy.quote',
        from_version: '1.0',
        to_version: '1.1',
        compatible: true,
        reason: 'optional fields added: ask_px',
      },
    ]);
    expect(report.unconnected).toContainEqual({
      contract: 'toy.quote',
      version: '1.0',
      missing: 'producer',
    });
  });
});

describe('checkMinorEvolution', () => {
  const older = quote('1.0', QuoteV10);
  it.each([
    [
      'a new required field',
      z.strictObject({ ...QuoteV10.shape, venue: z.string() }),
      /required: venue/,
    ],
    ['a removed field', z.strictObject({ instrument: z.string() }), /bid_px was removed/],
    ['a changed field', z.strictObject({ instrument: z.string(), bid_px: z.string() }), /changed/],
    [
      'a field made optional',
      z.strictObject({ instrument: z.string(), bid_px: z.number().int().optional() }),
      /made optional|changed/,
    ],
  ])('refuses %s in a minor version', (_what, schema, reason) => {
    const finding = checkMinorEvolution(older, quote('1.1', schema));
    expect(finding.compatible).toBe(false);
    expect(finding.reason).toMatch(reason);
  });
});
