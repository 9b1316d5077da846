/**
 * The recorded contract fixtures (test/fixtures/contracts) and the real adapters' conformance on
 * them. The fixtures are pinned: a fresh recording must reproduce them byte for byte, so a change
 * of what an adapter puts on the wire shows up here. Regenerate them (and the published JSON
 * Schemas) with `DELTATRACE_UPDATE_FIXTURES=1 npx vitest run test/contracts/fixtures.test.ts`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import prettier from 'prettier';
import { describe, expect, it } from 'vitest';

import {
  readFixtureSet,
  SCHEMA_SUFFIX,
  SCHEMAS_DIR,
} from '../../src/cli/contracts/fixture-files.js';
import { buildContractGraph } from '../../src/cli/contracts/graph.js';
import {
  checkContracts,
  type ContractRegistry,
  type LocatedFixture,
} from '../../src/contracts/index.js';
import { recordContractFixtures } from './fixture-recorder.js';

const FIXTURES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'contracts',
);
const UPDATE = process.env['DELTATRACE_UPDATE_FIXTURES'] === '1';

/** Publishes every contract's JSON Schema, formatted as the repository's Prettier would. */
async function writePublishedSchemas(registry: ContractRegistry): Promise<void> {
  const dir = path.join(FIXTURES_DIR, SCHEMAS_DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const contract of registry.contracts()) {
    const file = path.join(dir, `${contract.key}${SCHEMA_SUFFIX}`);
    const options = (await prettier.resolveConfig(file)) ?? {};
    const text = await prettier.format(JSON.stringify(contract.jsonSchema), {
      ...options,
      parser: 'json',
    });
    writeFileSync(file, text);
  }
}

describe('recorded contract fixtures', () => {
  it('are what a sandbox session records today, byte for byte', async () => {
    const recorded = await recordContractFixtures();
    const { registry } = buildContractGraph();
    if (UPDATE) {
      mkdirSync(FIXTURES_DIR, { recursive: true });
      for (const [name, text] of recorded) writeFileSync(path.join(FIXTURES_DIR, name), text);
      await writePublishedSchemas(registry);
    }
    for (const [name, text] of recorded) {
      expect(readFileSync(path.join(FIXTURES_DIR, name), 'utf8'), name).toBe(text);
    }
    const published = readFixtureSet(FIXTURES_DIR).publishedSchemas;
    expect([...published.keys()]).toEqual(
      registry
        .contracts()
        .map((c) => c.key)
        .sort(),
    );
    for (const contract of registry.contracts()) {
      expect(published.get(contract.key), contract.key).toEqual(contract.jsonSchema);
    }
  }, 30_000);

  it('pass the contract check with the real adapters, round trips included', () => {
    const { registry, suites } = buildContractGraph();
    const report = checkContracts(registry, { suites, ...readFixtureSet(FIXTURES_DIR) });
    const failed = report.conformance.filter((r) => r.status === 'fail');
    expect(failed).toEqual([]);
    expect(report.schemas.filter((s) => s.status === 'fail')).toEqual([]);
    expect(report.compatibility.edges.filter((e) => !e.compatible)).toEqual([]);
    expect(report.ok).toBe(true);
    const tested = report.conformance.filter((r) => r.status === 'pass');
    for (const result of tested) expect(result.round_trips, result.contract).toBe(result.fixtures);
    const covered = (party: string): string[] =>
      tested.filter((r) => r.party === party).map((r) => r.contract);
    expect(covered('fix.gateway')).toHaveLength(9);
    expect(covered('exchange.venue')).toEqual(['exchange.command', 'exchange.venue-report']);
    expect(covered('ws.server')).toEqual(['ws.client-request', 'ws.server-message']);
    expect(covered('core.ledger')).toEqual(
      expect.arrayContaining(['deltatrace.event', 'plan.delta', 'privacy.budget', 'privacy.spend']),
    );
  });

  describe('when a fixture is damaged', () => {
    const damaged = (
      contract: string,
      change: (data: string) => string,
    ): ReturnType<typeof checkContracts> => {
      const { registry, suites } = buildContractGraph();
      const set = readFixtureSet(FIXTURES_DIR);
      let done = false;
      const fixtures = set.fixtures.map((f): LocatedFixture => {
        if (done || f.fixture.contract !== contract) return f;
        done = true;
        return { ...f, fixture: { ...f.fixture, data: change(f.fixture.data) } };
      });
      return checkContracts(registry, { suites, fixtures, publishedSchemas: set.publishedSchemas });
    };
    const failuresOf = (report: ReturnType<typeof checkContracts>, contract: string) =>
      report.conformance.filter((r) => r.contract === contract).flatMap((r) => r.failures);

    it('fails a FIX message whose checksum no longer matches, at decode', () => {
      const report = damaged('fix.new-order-single', (d) =>
        d.replace('38=10\u0001', '38=19\u0001'),
      );
      expect(report.ok).toBe(false);
      expect(failuresOf(report, 'fix.new-order-single')[0]?.message).toMatch(/^FIX_BAD_CHECKSUM/);
    });

    it('fails a WebSocket frame that breaks the schema, at decode', () => {
      const report = damaged('ws.server-message', (d) => d.replace('"v":1', '"v":2'));
      expect(failuresOf(report, 'ws.server-message')[0]?.message).toMatch(/^WS_BAD_FRAME_SCHEMA/);
    });

    it('fails a ledger entry changed in place, at decode', () => {
      const report = damaged('deltatrace.event', (d) => d.replace('"ACME"', '"ACMF"'));
      expect(failuresOf(report, 'deltatrace.event')[0]?.message).toMatch(/^CHAIN_VERIFY_FAILED/);
    });

    it('fails a venue report with an extra member, at decode', () => {
      const report = damaged('exchange.venue-report', (d) => d.replace('{', '{"extra":1,'));
      expect(failuresOf(report, 'exchange.venue-report')[0]?.stage).toBe('decode');
    });

    it('fails a routing IR whose PlanDeltas no longer fold into one plan, at decode', () => {
      const report = damaged('routing.ir', (d) =>
        d.replace('"base_version":1', '"base_version":0'),
      );
      const [failure] = failuresOf(report, 'routing.ir');
      expect(failure?.stage).toBe('decode');
      expect(failure?.message).toMatch(/^ROUTE_DELTA_/);
    });
  });
});
