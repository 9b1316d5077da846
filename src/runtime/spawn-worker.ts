/**
 * @module
 * Starts a worker thread on a module that sits next to the caller's: the built `.js`, or under a
 * TypeScript loader (tests, benchmarks) the `.ts` source, registering tsx inside the worker since
 * loader flags are not inherited by worker threads.
 */
import { Worker } from 'node:worker_threads';

/**
 * @param callerUrl `import.meta.url` of the module asking
 * @param name the worker module's file name without extension, in the caller's folder
 */
export function spawnSiblingWorker(callerUrl: string, name: string, workerData?: unknown): Worker {
  const self = new URL(callerUrl);
  const options = workerData === undefined ? {} : { workerData };
  if (!self.pathname.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, self), options);
  const source = new URL(`./${name}.ts`, self).href;
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`,
    { eval: true, ...options },
  );
}
