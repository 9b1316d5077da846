/**
 * The write side of the SQLite store: one IMMEDIATE transaction per batch holding its entries,
 * its Merkle nodes and the new snapshot, and the id index's merges. Runs wherever the write
 * connection lives: on the caller's thread, or in the writer process (./sqlite-writer.ts), which
 * receives batches as frames (./writer-frames.ts) and binds each line's UTF-8 bytes as they came
 * off the pipe.
 */
import type Database from 'better-sqlite3';

import {
  type AppendBatch,
  InternalError,
  StorageError,
  type StoredCheckpoint,
} from '../../core/index.js';
import { IdIndex, keyOfId } from './id-index.js';
import type { DecodedAppend } from './writer-frames.js';

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

interface WriteStatements {
  readonly size: Database.Statement<[], number | null>;
  readonly insertEntry: Database.Statement<[number, number, string, string, string]>;
  /** The line bound as its UTF-8 bytes: CAST makes it TEXT with exactly those bytes. */
  readonly insertEntryBytes: Database.Statement<[number, number, string, string, Buffer]>;
  readonly insertNode: Database.Statement<[number, number, Buffer]>;
  readonly putSnapshot: Database.Statement<[string]>;
  readonly insertCheckpoint: Database.Statement<[number, string]>;
}

export class SqliteBatchWriter {
  readonly #db: Database.Database;
  readonly #sql: WriteStatements;
  readonly #ids: IdIndex;
  readonly #writeBatch: Database.Transaction<(batch: AppendBatch) => number>;
  readonly #writeFrame: Database.Transaction<(frame: DecodedAppend) => void>;

  /** `ids` is the store's id index when it shares this connection, so appends extend its tail. */
  constructor(db: Database.Database, ids: IdIndex = new IdIndex(db)) {
    this.#db = db;
    this.#ids = ids;
    this.#sql = {
      size: db.prepare<[], number | null>('SELECT max(pos) + 1 FROM entries').pluck(),
      insertEntry: db.prepare(
        'INSERT INTO entries (pos, k, type, run, line) VALUES (?, ?, ?, ?, ?)',
      ),
      insertEntryBytes: db.prepare(
        'INSERT INTO entries (pos, k, type, run, line) VALUES (?, ?, ?, ?, CAST(? AS TEXT))',
      ),
      insertNode: db.prepare('INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
      putSnapshot: db.prepare<[string]>("UPDATE meta SET value = ? WHERE key = 'snapshot'"),
      insertCheckpoint: db.prepare('INSERT INTO checkpoints (size, note) VALUES (?, ?)'),
    };
    this.#writeBatch = db.transaction((batch: AppendBatch) => this.#insertBatch(batch));
    this.#writeFrame = db.transaction((frame: DecodedAppend) => this.#insertFrame(frame));
  }

  /** Appends a batch in one durable transaction, then notes its ids; returns its first pos. */
  append(batch: AppendBatch): number {
    const firstPos = this.#writeBatch.immediate(batch);
    const { entries } = batch;
    const ids: string[] = new Array<string>(entries.length);
    for (let i = 0; i < entries.length; i++) ids[i] = entries[i]!.id;
    this.#ids.noteAppended(ids, firstPos);
    this.#mergeQuietly(firstPos + entries.length);
    return firstPos;
  }

  /** {@link append} of a batch received as a frame. */
  appendFrame(frame: DecodedAppend): void {
    this.#writeFrame.immediate(frame);
  }

  /** How far id_index reaches: entries with pos below it are in it. */
  get indexedUpto(): number {
    return this.#ids.indexedUpto;
  }

  /** Merges the id index's tail into id_index when due, for a log of `size` entries. */
  upkeep(size: number): void {
    this.#mergeQuietly(size);
  }

  putCheckpoint(checkpoint: StoredCheckpoint, snapshotText: string): void {
    this.#db
      .transaction(() => {
        this.#sql.insertCheckpoint.run(checkpoint.size, checkpoint.note);
        this.#sql.putSnapshot.run(snapshotText);
      })
      .immediate();
  }

  #mergeQuietly(size: number): void {
    try {
      this.#ids.mergeIfDue(size);
    } catch {
      // The batch is committed; the merge is upkeep and is retried after the next append.
    }
  }

  /** The stored log must end where the batch begins: otherwise another writer appended. */
  #assertContinues(firstPos: number, snapshotSize: number, count: number): void {
    const size = this.#sql.size.get() ?? 0;
    if (firstPos !== size || snapshotSize !== size + count) {
      throw new StorageError(
        'STORE_CONFLICT',
        'the batch does not continue the stored log: another writer may have appended',
        { details: { stored_size: size, batch_first_seq: firstPos } },
      );
    }
  }

  /** The body of an append's transaction; returns the batch's first storage position. */
  #insertBatch(batch: AppendBatch): number {
    const { entries } = batch;
    const firstPos = entries[0]?.seq ?? batch.snapshot.size;
    this.#assertContinues(firstPos, batch.snapshot.size, entries.length);
    const insert = this.#sql.insertEntry;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.seq !== firstPos + i) {
        throw new InternalError('INTERNAL', 'batch entries are not consecutive', {
          details: { expected: firstPos + i, seq: entry.seq },
        });
      }
      insert.run(entry.seq, keyOfId(entry.id), entry.type, entry.run, entry.line);
    }
    for (const node of batch.nodes) {
      if (node.level > 0) this.#sql.insertNode.run(node.level, node.index, asBuffer(node.hash));
    }
    this.#sql.putSnapshot.run(JSON.stringify(batch.snapshot));
    return firstPos;
  }

  #insertFrame(frame: DecodedAppend): void {
    const { firstPos, count, keys, names, typeIndex, runIndex, lineEnds, lines } = frame;
    this.#assertContinues(firstPos, frame.snapshotSize, count);
    const insert = this.#sql.insertEntryBytes;
    let start = 0;
    for (let i = 0; i < count; i++) {
      const end = lineEnds[i]!;
      insert.run(
        firstPos + i,
        keys[i]!,
        names[typeIndex[i]!]!,
        names[runIndex[i]!]!,
        lines.subarray(start, end),
      );
      start = end;
    }
    for (let i = 0; i < frame.nodeLevels.length; i++) {
      const level = frame.nodeLevels[i]!;
      if (level > 0) {
        this.#sql.insertNode.run(
          level,
          frame.nodeIndexes[i]!,
          frame.nodeHashes.subarray(i * 32, i * 32 + 32),
        );
      }
    }
    this.#sql.putSnapshot.run(frame.snapshotText);
  }
}
