/**
 * Verifies one store in a process of its own and reports time and peak RSS as JSON on stdout.
 * Usage: verify-child.ts <store-dir> <signer-name> [workers] (the bench's fixed test key).
 */
import { openCheckpoint, signerKeyFromSeed, verifyLog } from '../dist/core/index.js';
import { startAnalysisPool } from '../dist/runtime/analysis-pool.js';
import { openStore } from '../dist/storage/index.js';
import { peakRssMb } from './peak-rss.js';

const [dir, name, workers] = process.argv.slice(2);
const verifier = signerKeyFromSeed(name!, new Uint8Array(32).fill(7));
const store = await openStore(dir!, { readonly: true });
const pool = startAnalysisPool(workers === undefined ? undefined : Number(workers));
const start = process.hrtime.bigint();
const report = await verifyLog(store, {
  openCheckpoint: (note) => {
    const checkpoint = openCheckpoint(note, verifier);
    return { size: checkpoint.size, root: checkpoint.rootHash };
  },
  analyze: pool.analyze,
  depth: pool.size * 2,
  chunkSize: 2000,
});
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
await pool.close();
await store.close();
process.stdout.write(
  `${JSON.stringify({
    ok: report.ok,
    findings: report.findings.length,
    entries: report.entries_scanned,
    seconds: elapsed,
    workers: pool.size,
    rss_mb_peak: peakRssMb(),
  })}\n`,
);
