/**
 * Worker side of the analysis pool: analyses each chunk it is sent and transfers the leaf data
 * back without copying it.
 */
import { parentPort } from 'node:worker_threads';

import { analyzeChunk } from '../core/index.js';

parentPort?.on('message', (message: { id: number; lines: readonly string[] }) => {
  const analysis = analyzeChunk(message.lines);
  parentPort?.postMessage({ id: message.id, analysis }, [analysis.leafData.buffer as ArrayBuffer]);
});
