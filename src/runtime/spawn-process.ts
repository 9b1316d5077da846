/**
 * @module
 * Starts a Node.js child process on a module that sits next to the caller's: the built `.js`, or
 * under a TypeScript loader (tests, benchmarks) the `.ts` source through tsx.
 */
import { type ChildProcess, spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface SiblingProcessOptions {
  readonly stdio: StdioOptions;
  /** Niceness of the child; 0 (the default) keeps the caller's priority. */
  readonly niceness?: number;
  /**
   * `last`: the child runs on one CPU only, the highest this process may use, so that none of its
   * threads (its garbage collector's included) lands on the CPU the caller's thread is using. Has
   * no effect where there is a single CPU or no taskset(1).
   */
  readonly cpu?: 'last' | 'any';
}

/**
 * @param callerUrl `import.meta.url` of the module asking
 * @param name the child module's file name without extension, in the caller's folder
 */
export function spawnSiblingProcess(
  callerUrl: string,
  name: string,
  args: readonly string[],
  options: SiblingProcessOptions,
): ChildProcess {
  const self = new URL(callerUrl);
  const typescript = self.pathname.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./${name}.${typescript ? 'ts' : 'js'}`, self));
  const loader = typescript ? ['--import', 'tsx'] : [];
  let command = [process.execPath, ...loader, entry, ...args];
  const niceness = options.niceness ?? 0;
  // Started under nice(1) and taskset(1), so every thread of the child has that priority and
  // affinity; setpriority(2) or sched_setaffinity(2) after the start would reach only its main
  // thread.
  if (niceness !== 0 && NICE !== undefined) command = [NICE, '-n', String(niceness), ...command];
  const cpu = options.cpu === 'last' ? confinableCpu() : undefined;
  if (cpu !== undefined) command = [TASKSET!, '-c', String(cpu), ...command];
  return spawn(command[0]!, command.slice(1), { stdio: options.stdio });
}

const NICE = ['/usr/bin/nice', '/bin/nice'].find((file) => existsSync(file));
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((file) => existsSync(file));

/**
 * The highest CPU in a Linux CPU list (`0-3,8,10-11`), when the list names at least two CPUs:
 * with one, confining a child to it would only take it from the caller.
 */
export function lastCpuOfList(list: string): number | undefined {
  let count = 0;
  let last = -1;
  for (const part of list.trim().split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (match === null) return undefined;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return undefined;
    count += to - from + 1;
    last = Math.max(last, to);
  }
  return count >= 2 ? last : undefined;
}

let confinable: { readonly cpu: number | undefined } | undefined;

/**
 * The CPU a child can be confined to: the highest this process may use, where taskset(1) exists
 * and works here (a sandbox may refuse sched_setaffinity; a child that fails to start is worse
 * than one that runs anywhere). Probed once per process.
 */
function confinableCpu(): number | undefined {
  if (confinable === undefined) {
    const cpu = TASKSET === undefined ? undefined : lastAllowedCpu();
    const works =
      cpu !== undefined &&
      spawnSync(TASKSET!, ['-c', String(cpu), 'true'], { stdio: 'ignore' }).status === 0;
    confinable = { cpu: works ? cpu : undefined };
  }
  return confinable.cpu;
}

/** This process's allowed CPUs, from /proc (Linux); undefined where that cannot be read. */
function lastAllowedCpu(): number | undefined {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(status);
    return line === null ? undefined : lastCpuOfList(line[1]!);
  } catch {
    return undefined;
  }
}
