import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../helpers/cli.js';

const ALLOCATION = {
  kind: 'allocation',
  total_qty: 1000,
  venues: [
    { id: 'XSIM1', fee_per_lot: 0.3, impact: 0.002, capacity: 800 },
    { id: 'XSIM2', fee_per_lot: 0.5, impact: 0.001, capacity: 800 },
    { id: 'XSIM3', fee_per_lot: 1.5, impact: 0.004, capacity: 100 },
  ],
};

const SCHEDULE = {
  kind: 'schedule',
  total_qty: 1000000,
  periods: 5,
  tau: 1,
  sigma: 0.95,
  eta: 2.5e-6,
  gamma: 2.5e-7,
  epsilon: 0.0625,
  lambda: 2e-6,
};

describe('deltatrace route', () => {
  let work: string;
  const file = (name: string, content: string): string => {
    const target = path.join(work, name);
    writeFileSync(target, content);
    return target;
  };

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-route-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('solves an allocation file: integer lots per venue and the solver metadata', () => {
    const result = runCli([
      'route',
      'solve',
      '--problem',
      file('a.json', JSON.stringify(ALLOCATION)),
    ]);
    expect(result.code).toBe(0);
    expect(result.json.ok).toBe(true);
    const data = result.json.data as Record<string, unknown>;
    const allocations = data.allocations as Record<string, number>;
    expect(Object.keys(allocations)).toEqual(['XSIM1', 'XSIM2', 'XSIM3']);
    expect(Object.values(allocations).reduce((a, b) => a + b, 0)).toBe(1000);
    for (const key of ['objective', 'iterations', 'primal_residual', 'dual_residual']) {
      expect(typeof data[key]).toBe('number');
    }
  });

  it('solves a schedule file: trades, holdings, E, V and E + λV', () => {
    const result = runCli([
      'route',
      'solve',
      '--problem',
      file('s.json', JSON.stringify(SCHEDULE)),
    ]);
    expect(result.code).toBe(0);
    const data = result.json.data as Record<string, number | number[]>;
    expect(data.trades).toHaveLength(5);
    expect(data.holdings).toHaveLength(6);
    expect((data.holdings as number[])[0]).toBe(1000000);
    expect(data.utility as number).toBeCloseTo(
      (data.expected_cost as number) + 2e-6 * (data.variance as number),
      3,
    );
  });

  it('prints the JSON Schemas, all or one', () => {
    const all = runCli(['route', 'schema']);
    expect(all.code).toBe(0);
    expect(Object.keys(all.json.data as object)).toContain('route_problem');
    const one = runCli(['route', 'schema', '--name', 'plan_delta']);
    expect((one.json.data as { title: string }).title).toBe('plan_delta');
  });

  it('exits 2 with a typed error, never a stack trace, for bad files', () => {
    const cases: [string, string][] = [
      [file('bad.json', '{"kind": "allocation",'), 'INPUT_INVALID_JSON'],
      [
        file('shape.json', JSON.stringify({ ...ALLOCATION, total_qty: -1 })),
        'INPUT_SCHEMA_VIOLATION',
      ],
      [file('short.json', JSON.stringify({ ...ALLOCATION, total_qty: 1701 })), 'ROUTE_INFEASIBLE'],
      [
        file('eta.json', JSON.stringify({ ...SCHEDULE, eta: 1e-9, gamma: 1 })),
        'ROUTE_INVALID_PROBLEM',
      ],
      [path.join(work, 'missing.json'), 'INPUT_INVALID_ARGUMENT'],
    ];
    for (const [problem, code] of cases) {
      const result = runCli(['route', 'solve', '--problem', problem]);
      expect(result.code, code).toBe(2);
      expect(result.json.ok).toBe(false);
      expect(result.json.error?.code).toBe(code);
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});
