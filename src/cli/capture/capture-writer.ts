/**
 * Writer thread of a ThreadedLedgerCapture: owns the store's write connection and the ledger,
 * resolves each record's causes to content ids, validates its payload, and appends in batches.
 * The first failure stops the capture: every later flush answers with it.
 */
import { parentPort, workerData } from 'node:worker_threads';

import {
  createCoreRegistry,
  isDeltaTraceError,
  Ledger,
  prepareBody,
  type PreparedBody,
} from '../../core/index.js';
import { registerPipelineEventTypes, toEventBody } from '../../pipeline/index.js';
import { openStore } from '../../storage/index.js';
import type { CaptureWorkerData, FromWriter, ToWriter } from './capture-protocol.js';
import { RecordDecoder } from './record-codec.js';

const data = workerData as CaptureWorkerData;
const port = parentPort!;
const registry = registerPipelineEventTypes(createCoreRegistry());
const store = await openStore(data.dir);
const ledger = await Ledger.open(store, {
  registry,
  // Every record carries its own capture timestamps; the ledger's clock is never read.
  clock: { wallNs: () => 0n, monoNs: () => 0n },
  durability: data.durability,
});
const decoder = new RecordDecoder();
const ids: string[] = [];
let pending: PreparedBody[] = [];
let writes: Promise<unknown> = Promise.resolve();
let failure: FromWriter | undefined;

function fail(error: unknown, id: number | null): FromWriter {
  return isDeltaTraceError(error)
    ? {
        kind: 'failed',
        id,
        code: error.code,
        message: error.message,
        details: error.details ?? null,
      }
    : { kind: 'failed', id, code: 'INTERNAL', message: String(error), details: null };
}

function startWrite(): void {
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  const write = ledger.appendPrepared(batch).catch((error: unknown) => {
    failure ??= fail(error, null);
  });
  writes = writes.then(() => write);
}

port.on('message', (message: ToWriter) => {
  if (message.kind === 'records') {
    if (failure !== undefined) return;
    try {
      for (const record of decoder.decode(message.batch)) {
        const typeV = registry.latestVersion(record.type);
        const draft = toEventBody(record, data.run, typeV, (ref) => ids[ref]);
        const prepared = prepareBody({
          ...draft,
          payload: registry.parsePayload(record.type, typeV, record.payload),
        });
        ids.push(prepared.encoded.id);
        pending.push(prepared);
        if (pending.length >= data.batchSize) startWrite();
      }
    } catch (error) {
      failure = fail(error, null);
    }
    return;
  }
  startWrite();
  void writes.then(() => {
    const { size, root } = ledger.snapshot;
    const reply: FromWriter =
      failure === undefined
        ? { kind: 'flushed', id: message.id, size, root, captured: ids.length }
        : { ...failure, id: message.id };
    port.postMessage(reply);
  });
});
