/**
 * @module
 * Starts a Node.js child process on a module that sits next to the caller's: the built `.js`, or
 * under a TypeScript loader (tests, benchmarks) the `.ts` source through tsx.
 */
import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * @param callerUrl `import.meta.url` of the module asking
 * @param name the child module's file name without extension, in the caller's folder
 */
export function spawnSiblingProcess(
  callerUrl: string,
  name: string,
  args: readonly string[],
  options: { readonly stdio: StdioOptions; readonly niceness?: number },
): ChildProcess {
  const self = new URL(callerUrl);
  const typescript = self.pathname.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./${name}.${typescript ? 'ts' : 'js'}`, self));
  const loader = typescript ? ['--import', 'tsx'] : [];
  const command = [process.execPath, ...loader, entry, ...args];
  const niceness = options.niceness ?? 0;
  // Started under nice(1), so every thread of the child (the garbage collector's too) runs at
  // that priority; setpriority(2) after the start would reach only its main thread.
  if (niceness !== 0 && NICE !== undefined) {
    return spawn(NICE, ['-n', String(niceness), ...command], { stdio: options.stdio });
  }
  return spawn(command[0]!, command.slice(1), { stdio: options.stdio });
}

const NICE = ['/usr/bin/nice', '/bin/nice'].find((file) => existsSync(file));
