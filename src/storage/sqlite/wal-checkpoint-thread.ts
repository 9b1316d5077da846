/**
 * The thread of a WalCheckpointer: a connection of its own to the store's file that checkpoints
 * the log whenever asked. Passive rounds copy the frames back beside the writer; a last RESTART
 * round, over the few frames left, briefly holds the writer so that the log starts over from its
 * beginning (a passive checkpoint alone never got to: the writer restarts the log only when no
 * reader holds it, and the ledger's own lookups were reading just then).
 */
import { parentPort, workerData } from 'node:worker_threads';

import Database from 'better-sqlite3';

import { FAILED, IDLE } from './wal-checkpointer.js';

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

function checkpoint(): void {
  db ??= new Database(file, { fileMustExist: true, timeout: 5000 });
  let row: CheckpointRow | undefined;
  for (let round = 0; round < PASSIVE_ROUNDS; round++) {
    [row] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[];
    if (row === undefined || row.log === row.checkpointed) break;
  }
  if (row !== undefined && row.log - row.checkpointed < RESTART_BELOW_FRAMES) {
    db.pragma('wal_checkpoint(RESTART)');
  }
}

port.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db?.close();
    port.close();
    return;
  }
  let outcome = IDLE;
  try {
    checkpoint();
  } catch {
    // The writer's own automatic checkpoint takes over (WalCheckpointer gives up on a failure).
    outcome = FAILED;
  }
  Atomics.store(flags, 0, outcome);
});
