/**
 * The writer process of a SQLite store opened with `writer: 'process'`: owns the store's write
 * connection and runs each batch's transaction, so the caller's thread keeps only the ledger's
 * own work. Requests arrive as frames in the spool file, each announced by a notice on stdin
 * (./writer-frames.ts), and are written in order; each is answered on stdout by a JSON line once
 * durable (./writer-protocol.ts). When stdin ends (the store closed, or its process died) the
 * connection is closed and the process exits; a frame whose notice never arrived is never
 * written, so a batch is still all or nothing.
 *
 * Usage: sqlite-writer <dir> <busyTimeoutMs> <spool file>
 */
import { openSync, readSync } from 'node:fs';

import type Database from 'better-sqlite3';

import { isDeltaTraceError } from '../../core/index.js';
import { SqliteBatchWriter, type TreeHead } from './batch-writer.js';
import { openDatabase } from './connection.js';
import { toStorageError } from './schema.js';
import {
  decodeFrame,
  NoticeReader,
  type SpoolNotice,
  type WriterRequest,
} from './writer-frames.js';
import type { WriterReply } from './writer-protocol.js';

const [dir = '', busyTimeoutArg = '5000', spoolPath = ''] = process.argv.slice(2);

function answer(reply: WriterReply): void {
  // Writes to a pipe are synchronous on Linux: the answer is out before the next step begins.
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

function failure(id: number | null, error: unknown, action: string): WriterReply {
  const wrapped = toStorageError(error, action, dir);
  return {
    kind: 'failed',
    id,
    code: wrapped.code,
    message: wrapped.message,
    details: wrapped.details ?? null,
    internal: isDeltaTraceError(error) && error.code === 'INTERNAL',
  };
}

let db: Database.Database;
let writer: SqliteBatchWriter;
let spool: number;
try {
  // Opened before answering: the store removes the file's name once the writer is ready.
  spool = openSync(spoolPath, 'r');
  db = openDatabase(dir, false, Number(busyTimeoutArg));
  writer = new SqliteBatchWriter(db);
  answer({ kind: 'ready', id: null, indexed_upto: writer.indexedUpto, tree: null });
} catch (error) {
  answer(failure(null, error, 'opening the store'));
  process.exit(1);
}

function handle(request: WriterRequest): void {
  if (request.kind === 'checkpoint') {
    try {
      writer.putCheckpoint(request.checkpoint, request.snapshotText);
      answer({ kind: 'done', id: request.id, indexed_upto: writer.indexedUpto, tree: null });
    } catch (error) {
      answer(failure(request.id, error, 'storing a checkpoint'));
    }
    return;
  }
  let tree: TreeHead | null;
  try {
    tree = writer.appendFrame(request);
  } catch (error) {
    answer(failure(request.id, error, 'appending a batch'));
    return;
  }
  // Answered before the id index merge step, which is upkeep: the next answer carries how far the
  // merges got.
  answer({ kind: 'done', id: request.id, indexed_upto: writer.indexedUpto, tree });
  writer.upkeep(request.firstPos + request.count, request.count);
}

function readRequest(notice: SpoolNotice): WriterRequest {
  const frame = Buffer.allocUnsafeSlow(notice.length);
  let read = 0;
  while (read < frame.length) {
    const n = readSync(spool, frame, read, frame.length - read, notice.offset + read);
    if (n === 0) throw new Error('the spool file ends inside a frame');
    read += n;
  }
  return decodeFrame(frame);
}

const reader = new NoticeReader();
process.stdin.on('data', (chunk: Buffer) => {
  for (const notice of reader.push(chunk)) {
    let request: WriterRequest;
    try {
      request = readRequest(notice);
    } catch (error) {
      answer(failure(null, error, 'reading a request'));
      process.exit(1);
    }
    handle(request);
  }
});
process.stdin.on('end', () => {
  void writer.close().finally(() => db.close());
});
