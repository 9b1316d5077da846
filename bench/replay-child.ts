/**
 * Replays one run of a store in a process of its own and reports time and peak RSS as JSON.
 * Usage: replay-child.ts <store-dir> <run>
 */
import { createCoreRegistry } from '../dist/core/index.js';
import { BUILT_IN_CATALOG, registerPipelineEventTypes } from '../dist/pipeline/index.js';
import { parseRecordedEvent, type RecordedEvent, replayRun } from '../dist/replay/index.js';
import { openStore } from '../dist/storage/index.js';

const [dir, run] = process.argv.slice(2);
const store = await openStore(dir!, { readonly: true });
const registry = registerPipelineEventTypes(createCoreRegistry());
let read = 0;
async function* chunks(): AsyncGenerator<readonly RecordedEvent[]> {
  for await (const lines of store.query({ run: run! }, 2000)) {
    read += lines.length;
    if (read % 200_000 < lines.length) process.stderr.write(`replayed ${read}\n`);
    yield lines.map(parseRecordedEvent);
  }
}
const start = process.hrtime.bigint();
const report = await replayRun(chunks, { catalog: BUILT_IN_CATALOG, registry });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
await store.close();
process.stdout.write(
  `${JSON.stringify({
    identical: report.identical,
    events: report.events,
    outputs: report.outputs,
    seconds,
    rss_mb_peak: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
