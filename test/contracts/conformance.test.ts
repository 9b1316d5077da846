import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  checkContracts,
  type ContractCodec,
  type ContractFixture,
  ContractRegistry,
  defineContract,
  formatFixtureLine,
  type LocatedFixture,
  parseFixtureLines,
  runConformance,
} from '../../src/contracts/index.js';
import { InputError, type JsonValue } from '../../src/core/index.js';
import { expectErrorCode } from '../helpers/errors.js';

/** A toy wire format, `instrument;bid_px`, with its parser and builder. */
const QuoteSchema = z.strictObject({ instrument: z.string().min(1), bid_px: z.number().int() });
type Quote = z.infer<typeof QuoteSchema>;

function parseQuote(text: string): Quote {
  const [instrument, bid] = text.split(';');
  if (instrument === undefined || bid === undefined) {
    throw new InputError('INPUT_INVALID_ARGUMENT', 'expected instrument;bid');
  }
  return { instrument, bid_px: Number(bid) };
}

const buildQuote = (quote: Quote): string => `${quote.instrument};${quote.bid_px}`;

const quoteContract = defineContract({
  name: 'toy.quote',
  version: '1.0',
  description: 'a quote',
  schema: QuoteSchema,
});
const tradeContract = defineContract({
  name: 'toy.trade',
  version: '1.0',
  description: 'a trade',
  schema: z.strictObject({ px: z.number().int() }),
});

function registry(): ContractRegistry {
  return new ContractRegistry()
    .registerContract(quoteContract)
    .registerContract(tradeContract)
    .registerParty({
      id: 'toy.feed',
      kind: 'adapter',
      description: 'the toy feed',
      produces: [
        { contract: 'toy.quote', version: '1.0' },
        { contract: 'toy.trade', version: '1.0' },
      ],
    });
}

const quoteCodec: ContractCodec<Quote> = {
  contract: { contract: 'toy.quote', version: '1.0' },
  decode: (fixture) => parseQuote(fixture.data),
  encode: (quote) => buildQuote(quote),
};

function fixture(data: string, contract = 'toy.quote'): ContractFixture {
  return { v: 1, contract, version: '1.0', recorded_at: 'toy.feed:out', encoding: 'json', data };
}

function located(...data: string[]): LocatedFixture[] {
  return data.map((d, i) => ({ fixture: fixture(d), location: `quotes.ndjson:${i + 1}` }));
}

describe('runConformance', () => {
  it('passes recorded fixtures that decode, validate and round-trip', () => {
    const [result] = runConformance(
      registry(),
      [{ party: 'toy.feed', codecs: [quoteCodec] }],
      located('ACME;100', 'BOLT;-3'),
    );
    expect(result).toEqual({
      party: 'toy.feed',
      contract: 'toy.quote',
      version: '1.0',
      status: 'pass',
      fixtures: 2,
      round_trips: 2,
      failures: [],
    });
  });

  it('locates a decode failure, a validation failure and a round-trip mismatch', () => {
    const [result] = runConformance(
      registry(),
      [{ party: 'toy.feed', codecs: [quoteCodec] }],
      located('no-separator', 'ACME;1.5', 'ACME;007'),
    );
    expect(result?.status).toBe('fail');
    expect(result?.failures.map((f) => [f.location, f.stage])).toEqual([
      ['quotes.ndjson:1', 'decode'],
      ['quotes.ndjson:2', 'validate'],
      ['quotes.ndjson:3', 'round-trip'],
    ]);
    expect(result?.failures[0]?.message).toMatch(/^INPUT_INVALID_ARGUMENT/);
    expect(result?.failures[1]?.message).toMatch(/^bid_px/);
    expect(result?.failures[2]?.message).toMatch(/offset 5/);
  });

  it('fails a codec without fixtures and marks a declared contract without codec untested', () => {
    const results = runConformance(registry(), [{ party: 'toy.feed', codecs: [quoteCodec] }], []);
    expect(results.map((r) => [r.contract, r.status])).toEqual([
      ['toy.quote', 'fail'],
      ['toy.trade', 'untested'],
    ]);
    expect(results[0]?.failures[0]?.stage).toBe('fixtures');
  });

  it('reports CONTRACT_UNKNOWN for a codec of a contract the party does not declare', () => {
    const r = registry().registerParty({ id: 'other', kind: 'engine', description: '' });
    expectErrorCode(
      () => runConformance(r, [{ party: 'other', codecs: [quoteCodec] }], []),
      'CONTRACT_UNKNOWN',
    );
    expectErrorCode(
      () => runConformance(r, [{ party: 'nobody', codecs: [] }], []),
      'CONTRACT_UNKNOWN',
    );
  });

  it('reports CONTRACT_DUPLICATE for two codecs of one contract', () => {
    expectErrorCode(
      () =>
        runConformance(registry(), [{ party: 'toy.feed', codecs: [quoteCodec, quoteCodec] }], []),
      'CONTRACT_DUPLICATE',
    );
  });
});

describe('checkContracts', () => {
  const published = (schema: JsonValue): Map<string, JsonValue> =>
    new Map([
      ['toy.quote@1.0', schema],
      ['toy.trade@1.0', tradeContract.jsonSchema],
    ]);

  it('is ok when everything passes', () => {
    const report = checkContracts(registry(), {
      suites: [{ party: 'toy.feed', codecs: [quoteCodec] }],
      fixtures: located('ACME;100'),
      publishedSchemas: published(quoteContract.jsonSchema),
    });
    expect(report.ok).toBe(true);
    expect(report.summary).toMatchObject({ conformance_passed: 1, conformance_untested: 1 });
  });

  it('fails on a published JSON Schema that is not the generated one, and on stale ones', () => {
    const drifted = { ...quoteContract.jsonSchema, required: ['instrument'] };
    const schemas = published(drifted);
    schemas.set('toy.gone@1.0', {});
    const report = checkContracts(registry(), {
      suites: [],
      fixtures: [],
      publishedSchemas: schemas,
    });
    expect(report.ok).toBe(false);
    expect(report.schemas.map((s) => [s.contract, s.status])).toEqual([
      ['toy.quote', 'fail'],
      ['toy.trade', 'pass'],
      ['toy.gone', 'fail'],
    ]);
  });

  it('fails on a fixture of an unregistered contract', () => {
    const report = checkContracts(registry(), {
      suites: [],
      fixtures: [{ fixture: fixture('x', 'toy.unknown'), location: 'f:1' }],
      publishedSchemas: published(quoteContract.jsonSchema),
    });
    expect(report.ok).toBe(false);
    expect(report.unknown_fixtures).toEqual(['f:1']);
  });
});

describe('parseFixtureLines', () => {
  it('reads what formatFixtureLine writes', () => {
    const lines = [fixture('ACME;1'), fixture('BOLT;2')].map(formatFixtureLine).join('\n');
    const parsed = parseFixtureLines(`${lines}\n\n`, 'quotes.ndjson');
    expect(parsed.map((f) => [f.location, f.fixture.data])).toEqual([
      ['quotes.ndjson:1', 'ACME;1'],
      ['quotes.ndjson:2', 'BOLT;2'],
    ]);
  });

  it.each([
    ['a line that is not JSON', '{"v":1,'],
    ['a line with an unknown key', JSON.stringify({ ...fixture('a'), extra: 1 })],
    ['a bad version', JSON.stringify({ ...fixture('a'), version: 'v1' })],
  ])('reports CONTRACT_FIXTURE_INVALID for %s', (_what, line) => {
    const error = expectErrorCode(
      () => parseFixtureLines(`${formatFixtureLine(fixture('ok'))}\n${line}\n`, 'f.ndjson'),
      'CONTRACT_FIXTURE_INVALID',
    );
    expect(error.details?.['location']).toBe('f.ndjson:2');
  });
});
