/**
 * Lets the worker's event loop turn between tests. Tests that run the CLI with spawnSync block
 * it, and vitest moves on to the next test without an I/O turn: a file whose synchronous tests
 * add up to a minute (the CLI suite on a loaded machine) never reads the answers to its progress
 * reports, and vitest fails the run with "Timeout calling onTaskUpdate" though every test passed.
 */
import { afterEach } from 'vitest';

// Taken before any test can install fake timers.
const realSetImmediate = globalThis.setImmediate;

afterEach(() => new Promise<void>((resolve) => realSetImmediate(resolve)));
