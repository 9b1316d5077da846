/**
 * The writer process of a BackgroundCapture: owns the store's write connection and the ledger,
 * resolves each record's causes to content ids, validates its payload, and appends in batches.
 * Batches arrive as frames on stdin; answers leave as JSON lines on stdout. The first failure
 * stops the capture: every later flush answers with it. When stdin ends (the pipeline finished,
 * or died), whatever was received is written before the process exits.
 *
 * Usage: capture-writer <CaptureWriterConfig as JSON>
 */
import {
  createCoreRegistry,
  type EventStore,
  isDeltaTraceError,
  Ledger,
  prepareBody,
  type PreparedBody,
} from '../../core/index.js';
import { registerPipelineEventTypes, toEventBody } from '../../pipeline/index.js';
// The table alone: the replay's index would load the whole replayer into the writer.
import { IdTable } from '../../replay/id-table.js';
import { openStore } from '../../storage/index.js';
import { FileIdSpill } from '../id-spill-file.js';
import type { CaptureWriterConfig, FromWriter, ToWriter } from './capture-protocol.js';
import { FrameReader } from './frames.js';
import { RecordDecoder } from './record-codec.js';

const config = JSON.parse(process.argv[2] ?? '{}') as CaptureWriterConfig;
const registry = registerPipelineEventTypes(createCoreRegistry());
const versions = new Map<string, number>();
/** The latest version of a type, looked up once per type rather than per record. */
function versionOf(type: string): number {
  let version = versions.get(type);
  if (version === undefined) {
    version = registry.latestVersion(type);
    versions.set(type, version);
  }
  return version;
}
const decoder = new RecordDecoder();
const reader = new FrameReader();
let pending: PreparedBody[] = [];
let writes: Promise<unknown> = Promise.resolve();
let failure: FromWriter | undefined;

function answer(message: FromWriter): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

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

/**
 * The store, the ledger and the id table. Whatever fails here (no store, a locked one, no room
 * for the spill) is answered with its code before the process exits, for the capture to report.
 */
async function open(): Promise<{ store: EventStore; ledger: Ledger; ids: IdTable }> {
  const store = await openStore(config.dir);
  try {
    const ledger = await Ledger.open(store, {
      registry,
      // Every record carries its own capture timestamps; the ledger's clock is never read.
      clock: { wallNs: () => 0n, monoNs: () => 0n },
      durability: config.durability,
    });
    // Every id by ref, as any earlier event may be named as a cause; all but the newest blocks
    // in a temporary file, so the writer's memory stays flat however long the capture runs.
    const ids = new IdTable({ spill: FileIdSpill.create('capture') });
    return { store, ledger, ids };
  } catch (error) {
    await store.close();
    throw error;
  }
}

let opened: Awaited<ReturnType<typeof open>>;
try {
  opened = await open();
} catch (error) {
  answer(fail(error, null));
  process.exit(1);
}
const { store, ledger, ids } = opened;

function startWrite(): void {
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  const write = ledger.appendPrepared(batch).catch((error: unknown) => {
    failure ??= fail(error, null);
  });
  writes = writes.then(() => write);
}

function take(message: ToWriter): void {
  if (message.kind === 'records') {
    if (failure !== undefined) return;
    try {
      for (const record of decoder.decode(message.batch)) {
        const typeV = versionOf(record.type);
        const draft = toEventBody(record, config.run, typeV, (ref) => ids.at(ref));
        const payload = registry.acceptOwnedPayload(record.type, typeV, record.payload);
        const prepared = prepareBody({ ...draft, payload });
        ids.pushComputed(prepared.encoded.id);
        pending.push(prepared);
        if (pending.length >= config.batchSize) startWrite();
      }
    } catch (error) {
      failure = fail(error, null);
    }
    return;
  }
  startWrite();
  const id = message.id;
  void writes.then(() => {
    const { size, root } = ledger.snapshot;
    answer(
      failure === undefined
        ? { kind: 'flushed', id, size, root, captured: ids.size }
        : { ...failure, id },
    );
  });
}

process.stdin.on('data', (chunk: Buffer) => {
  for (const message of reader.push(chunk)) take(message);
});
process.stdin.on('end', () => {
  startWrite();
  void writes.then(async () => {
    ids.close();
    await store.close();
    process.exitCode = failure === undefined ? 0 : 1;
  });
});
