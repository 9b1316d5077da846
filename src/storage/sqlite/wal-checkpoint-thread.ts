/**
 * The thread of a WalCheckpointer: a connection of its own to the store's file that checkpoints
 * the log whenever asked. Passive rounds copy the frames back beside the writer; a last RESTART
 * round, over the few frames left, briefly holds the writer so that the log starts over from its
 * beginning (a passive checkpoint alone never got to: the writer restarts the log only when no
 * reader holds it, and the ledger's own lookups were reading just then).
 */
import { parentPort, workerData } from 'node:worker_threads';

import Database from 'better-sqlite3';

import { type CheckpointReply, FAILED, IDLE } from './wal-checkpointer.js';

const { file, state } = workerData as { file: string; state: SharedArrayBuffer };
const flags = new Int32Array(state);
const port = parentPort!;
let db: Database.Database | undefined;

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

/** Passive rounds per request: frames keep arriving while one runs, each round copies fewer. */
const PASSIVE_ROUNDS = 4;
/** Frames left after the passive rounds that a RESTART may hold the writer for. */
const RESTART_BELOW_FRAMES = 1024;

function checkpoint(): CheckpointReply {
  db ??= new Database(file, { fileMustExist: true, timeout: 5000 });
  let row: CheckpointRow | undefined;
  for (let round = 0; round < PASSIVE_ROUNDS; round++) {
    [row] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[];
    if (row === undefined || row.log === row.checkpointed) break;
  }
  if (row !== undefined && row.log - row.checkpointed < RESTART_BELOW_FRAMES) {
    [row] = db.pragma('wal_checkpoint(RESTART)') as CheckpointRow[];
  }
  return { kind: 'done', log: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
}

port.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db?.close();
    port.close();
    return;
  }
  let reply: CheckpointReply;
  try {
    reply = checkpoint();
  } catch (error) {
    reply = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  // The writer reads the flag, not the message: a writer that never yields to its event loop
  // (an inline store under a tight append loop) would see the message only at the end.
  Atomics.store(flags, 0, reply.kind === 'done' ? IDLE : FAILED);
  port.postMessage(reply);
});
