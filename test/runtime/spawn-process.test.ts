import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

import { describe, expect, it } from 'vitest';

import { lastCpuOfList, spawnSiblingProcess } from '../../src/runtime/spawn-process.js';

const FIXTURE = new URL('./fixtures/caller.ts', import.meta.url).href;
const LINUX = existsSync('/proc/self/status');
const ALLOWED = LINUX
  ? (/^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '')
  : '';

async function childView(
  options: Parameters<typeof spawnSiblingProcess>[3],
): Promise<{ cpus: string; niceness: number }> {
  const child = spawnSiblingProcess(FIXTURE, 'print-affinity', [], options);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out) as { cpus: string; niceness: number };
}

describe('Linux CPU lists', () => {
  it('give their highest CPU when they name two or more', () => {
    expect(lastCpuOfList('0-1')).toBe(1);
    expect(lastCpuOfList('0,2-3,8\n')).toBe(8);
    expect(lastCpuOfList('4-7,1')).toBe(7);
  });

  it('give nothing for a single CPU or a list that does not parse', () => {
    expect(lastCpuOfList('3')).toBeUndefined();
    expect(lastCpuOfList('2-2')).toBeUndefined();
    expect(lastCpuOfList('')).toBeUndefined();
    expect(lastCpuOfList('0-a')).toBeUndefined();
    expect(lastCpuOfList('3-1')).toBeUndefined();
  });
});

describe.runIf(LINUX)('a sibling process', () => {
  it('started with cpu last runs on the highest allowed CPU only, at its niceness', async () => {
    const view = await childView({
      stdio: ['ignore', 'pipe', 'inherit'],
      niceness: 5,
      cpu: 'last',
    });
    const last = lastCpuOfList(ALLOWED);
    const taskset = ['/usr/bin/taskset', '/bin/taskset'].find((file) => existsSync(file));
    // Where taskset is missing or refused (some sandboxes), the child runs unconfined.
    const confinable =
      last !== undefined &&
      taskset !== undefined &&
      spawnSync(taskset, ['-c', String(last), 'true']).status === 0;
    expect(view.cpus).toBe(confinable ? String(last) : ALLOWED);
    expect(view.niceness).toBe(Math.min(19, os.getPriority() + 5));
  });

  it('started with cpu any keeps the caller’s CPUs', async () => {
    const view = await childView({ stdio: ['ignore', 'pipe', 'inherit'], cpu: 'any' });
    expect(view.cpus).toBe(ALLOWED);
    expect(view.niceness).toBe(os.getPriority());
  });
});
