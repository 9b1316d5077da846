import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { ParityReport } from '../../src/replay/index.js';
import { runCli } from '../helpers/cli.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-parity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('deltatrace parity', () => {
  const scenario = path.join(work, 'scenario.json');
  writeFileSync(scenario, JSON.stringify({ name: 'ci', seed: 5, ticks: 1200 }));

  it('writes a passing report (JSON and Markdown) whose hash two runs share', () => {
    const first = runCli(['parity', '--scenario', scenario, '--output', path.join(work, 'a')]);
    expect(first.code, first.stderr).toBe(0);
    const report = first.json.data as ParityReport;
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'phase_order',
      'cycle_counts',
      'shadow_refused',
      'no_live_orders',
      'ledger_integrity',
      'snapshot_consistency',
      'shared_idempotency_keys',
    ]);
    const onDisk = JSON.parse(
      readFileSync(path.join(work, 'a', 'parity-report.json'), 'utf8'),
    ) as ParityReport;
    expect(onDisk.parity_hash).toBe(report.parity_hash);
    expect(readFileSync(path.join(work, 'a', 'parity-report.md'), 'utf8')).toContain(
      'Claim boundary',
    );
    const second = runCli(['parity', '--scenario', scenario, '--output', path.join(work, 'b')]);
    expect((second.json.data as ParityReport).parity_hash).toBe(report.parity_hash);
  });

  it('refuses a scenario that does not match its schema, exit 2', () => {
    const bad = path.join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ticks: -1 }));
    const result = runCli(['parity', '--scenario', bad, '--output', path.join(work, 'c')]);
    expect(result.code).toBe(2);
    expect(result.json.error?.code).toBe('INPUT_SCHEMA_VIOLATION');
  });
});
