/**
 * `deltatrace contracts list|check` as a user runs them: a real child process, real fixture files.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../helpers/cli.js';

const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'contracts',
);

interface Listing {
  contract: string;
  version: string;
  producers: string[];
  consumers: string[];
  engines: string[];
}

interface CheckReport {
  ok: boolean;
  summary: { conformance_failed: number; schema_failures: number; incompatible_edges: number };
  conformance: { party: string; contract: string; status: string }[];
}

describe('deltatrace contracts', () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-contracts-cli-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('lists one NDJSON line per contract, with producers, consumers and engines', () => {
    const result = runCli(['contracts', 'list']);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Listing);
    const byKey = new Map(lines.map((l) => [`${l.contract}@${l.version}`, l]));
    expect(byKey.get('deltatrace.event@1.0')).toMatchObject({
      producers: ['core.ledger', 'storage.jsonl', 'storage.sqlite'],
      engines: ['core.ledger'],
    });
    expect(byKey.get('plan.delta@1.0')).toMatchObject({
      producers: ['pipeline', 'routing'],
      consumers: ['core.ledger', 'routing'],
    });
    expect(byKey.get('fix.execution-report@1.0')).toMatchObject({
      producers: ['fix.gateway'],
      consumers: ['fix.venue-client'],
    });
    const keys = lines.map((l) => `${l.contract}@${l.version}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('checks the recorded fixtures: ok, exit 0', () => {
    const result = runCli(['contracts', 'check']);
    expect(result.code).toBe(0);
    const report = result.json.data as CheckReport;
    expect(report.ok).toBe(true);
    expect(report.summary).toMatchObject({
      conformance_failed: 0,
      schema_failures: 0,
      incompatible_edges: 0,
    });
    expect(result.stderr).toMatch(/conformance \d+ passed, 0 failed/);
  });

  it('exits 3 with CONTRACT_CHECK_FAILED when a recorded frame no longer decodes', () => {
    const dir = path.join(work, 'damaged');
    cpSync(FIXTURES, dir, { recursive: true });
    const file = path.join(dir, 'ws.ndjson');
    // A heartbeat whose seqs map is no longer a record of integers.
    const text = readFileSync(file, 'utf8').replace(
      '\\"seqs\\":{\\"ACME\\":',
      '\\"seqs\\":{\\"ACME\\":-',
    );
    writeFileSync(file, text);
    const result = runCli(['contracts', 'check', '--fixtures', dir]);
    expect(result.code).toBe(3);
    expect(result.json.ok).toBe(false);
    expect(result.json.error?.code).toBe('CONTRACT_CHECK_FAILED');
    const report = result.json.error?.details['report'] as CheckReport;
    expect(
      report.conformance.filter((r) => r.status === 'fail').map((r) => [r.party, r.contract]),
    ).toEqual([
      ['ws.client', 'ws.server-message'],
      ['ws.server', 'ws.server-message'],
    ]);
    expect(result.stderr).toMatch(/ws\.server on ws\.server-message@1\.0: decode/);
  });

  it('exits 3 when a published JSON Schema drifted from the zod schema', () => {
    const dir = path.join(work, 'drifted');
    cpSync(FIXTURES, dir, { recursive: true });
    const file = path.join(dir, 'schemas', 'plan.delta@1.0.json');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { required: string[] };
    writeFileSync(file, JSON.stringify({ ...schema, required: schema.required.slice(1) }));
    const result = runCli(['contracts', 'check', '--fixtures', dir]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/schema plan\.delta@1\.0: the zod schema changed/);
  });

  it('reports a damaged fixture line with CONTRACT_FIXTURE_INVALID and exit 2', () => {
    const dir = path.join(work, 'garbled');
    cpSync(FIXTURES, dir, { recursive: true });
    writeFileSync(path.join(dir, 'extra.ndjson'), '{"v":1,\n');
    const result = runCli(['contracts', 'check', '--fixtures', dir]);
    expect(result.code).toBe(2);
    expect(result.json.error?.code).toBe('CONTRACT_FIXTURE_INVALID');
    expect(result.json.error?.details['location']).toBe('extra.ndjson:1');
  });

  it('reports a missing fixture directory with INPUT_INVALID_ARGUMENT', () => {
    const result = runCli(['contracts', 'check', '--fixtures', path.join(work, 'nowhere')]);
    expect(result.code).toBe(2);
    expect(result.json.error?.code).toBe('INPUT_INVALID_ARGUMENT');
  });
});
