/**
 * A real appending process for the crash tests: opens the store in `<dir>`, then appends batches
 * of generated events through the Ledger forever, printing `write <first seq>` just before each
 * store write starts and `ack <size>` after each append has resolved (so after it is durable).
 * The parent kills it with SIGKILL. Writes to a pipe are synchronous on Linux, so a line is out
 * before the step it announces begins.
 *
 * Usage: node --import tsx test/helpers/append-child.ts <sqlite|jsonl> <dir> [batch] [inline|process]
 */
import { batchFirstSeq, createCoreRegistry, Ledger } from '../../src/core/index.js';
import { openStore } from '../../src/storage/index.js';
import { EventFactory } from './event-factory.js';

const [backend, dir, batchArg, writerArg] = process.argv.slice(2);
if (
  dir === undefined ||
  (backend !== 'sqlite' && backend !== 'jsonl') ||
  (writerArg !== undefined && writerArg !== 'inline' && writerArg !== 'process')
) {
  process.stderr.write('usage: append-child.ts <sqlite|jsonl> <dir> [batch] [inline|process]\n');
  process.exit(2);
}
const batch = Number(batchArg ?? 2000);

const store = await openStore(dir, writerArg === undefined ? {} : { writer: writerArg });
if (store.backend !== backend) throw new Error(`expected a ${backend} store in ${dir}`);
const write = store.append.bind(store);
store.append = (batch) => {
  process.stdout.write(`write ${batchFirstSeq(batch)}\n`);
  return write(batch);
};
const ledger = await Ledger.open(store, {
  registry: createCoreRegistry(),
  clock: { wallNs: () => 0n, monoNs: () => 0n },
});
// Each run starts its event stream far past every earlier run's, so nothing repeats.
const events = new EventFactory({ seed: 42, start: ledger.snapshot.size * 1000 });
for (;;) {
  const result = await ledger.append(ledger.parseInputs(events.inputs(batch)));
  process.stdout.write(`ack ${result.size}\n`);
}
