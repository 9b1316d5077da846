/**
 * The write side of the SQLite store: one IMMEDIATE transaction per batch holding its entries,
 * its Merkle nodes and the new snapshot, and the id index's merges. Runs wherever the write
 * connection lives: on the caller's thread, or in the writer process (./sqlite-writer.ts), which
 * receives batches as frames (./writer-frames.ts) and binds each line's UTF-8 bytes as they came
 * off the pipe. A frame may come without its Merkle nodes: then this writer extends the tree
 * itself, from the frontier of what it last committed, and fills in the snapshot's root and
 * frontier. It may come unlinked as well: then this writer also links and hashes each entry after
 * the head it last committed, and fills in the snapshot's head hash.
 */
import type Database from 'better-sqlite3';

import {
  type AppendBatch,
  batchFirstSeq,
  HASH_MEMBER_BYTES,
  hashLeafOfHex,
  InternalError,
  linkEntryInPlace,
  MerkleFrontier,
  sealedEntriesOf,
  sealedNodesOf,
  StorageError,
  type StoredCheckpoint,
  type StoreSnapshot,
  toHex,
} from '../../core/index.js';
import { entryLeafOf } from './entry-line-bytes.js';
import { IdIndex, keyOfId } from './id-index.js';
import { parseSnapshot } from './snapshot-codec.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import type { DecodedAppend } from './writer-frames.js';

/**
 * The tree and chain after a batch whose nodes the writer computed: what the caller's snapshot
 * lacks (its head hash too, when the writer sealed the batch).
 */
export interface TreeHead {
  readonly root: string;
  readonly frontier: readonly string[];
  readonly head_hash: string;
}

/** The tree and chain head as this connection committed them, or as a frame extends them. */
interface CommittedHead {
  readonly frontier: MerkleFrontier;
  readonly headHash: string;
}

/** A frame's tree and head as computed inside its transaction, adopted once that commits. */
interface ExtendedTree extends CommittedHead {
  readonly head: TreeHead;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Entry rows per multi-row INSERT: one statement step per 32 rows costs a quarter less per row. */
const ROWS_PER_INSERT = 32;
const ENTRY_COLUMNS = 5;
type EntryParam = number | string | Buffer;

function entryInsertSql(rows: number, line: string): string {
  const row = `(?, ?, ?, ?, ${line})`;
  return `INSERT INTO entries (pos, k, type, run, line) VALUES ${Array<string>(rows).fill(row).join(', ')}`;
}

interface WriteStatements {
  readonly size: Database.Statement<[], number | null>;
  readonly insertEntry: Database.Statement<EntryParam[]>;
  readonly insertEntries: Database.Statement<EntryParam[]>;
  /** The line bound as its UTF-8 bytes: CAST makes it TEXT with exactly those bytes. */
  readonly insertEntryBytes: Database.Statement<EntryParam[]>;
  readonly insertEntriesBytes: Database.Statement<EntryParam[]>;
  readonly insertNode: Database.Statement<[number, number, Buffer]>;
  readonly snapshot: Database.Statement<[], string>;
  readonly putSnapshot: Database.Statement<[string]>;
  readonly insertCheckpoint: Database.Statement<[number, string]>;
}

export class SqliteBatchWriter {
  readonly #db: Database.Database;
  readonly #sql: WriteStatements;
  readonly #ids: IdIndex;
  readonly #writeBatch: Database.Transaction<(batch: AppendBatch) => number>;
  readonly #writeFrame: Database.Transaction<(frame: DecodedAppend) => ExtendedTree | null>;
  /**
   * The tree and head as this connection last committed them, for frames that come without nodes
   * or unsealed; loaded from the stored snapshot when missing or not at the frame's start.
   */
  #committed: CommittedHead | undefined;
  readonly #checkpointer: WalCheckpointer;
  /** The lookup keys of the batch being written by {@link append}. */
  #batchKeys = new Float64Array(1024);
  /** The parameters of one multi-row INSERT, refilled for each. */
  readonly #rowParams: EntryParam[] = new Array<EntryParam>(ROWS_PER_INSERT * ENTRY_COLUMNS);

  /** `ids` is the store's id index when it shares this connection, so appends extend its tail. */
  constructor(db: Database.Database, ids: IdIndex = new IdIndex(db)) {
    this.#db = db;
    this.#ids = ids;
    this.#checkpointer = new WalCheckpointer(db);
    this.#sql = {
      size: db.prepare<[], number | null>('SELECT max(pos) + 1 FROM entries').pluck(),
      insertEntry: db.prepare(entryInsertSql(1, '?')),
      insertEntries: db.prepare(entryInsertSql(ROWS_PER_INSERT, '?')),
      insertEntryBytes: db.prepare(entryInsertSql(1, 'CAST(? AS TEXT)')),
      insertEntriesBytes: db.prepare(entryInsertSql(ROWS_PER_INSERT, 'CAST(? AS TEXT)')),
      insertNode: db.prepare('INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
      snapshot: db.prepare<[], string>("SELECT value FROM meta WHERE key = 'snapshot'").pluck(),
      putSnapshot: db.prepare<[string]>("UPDATE meta SET value = ? WHERE key = 'snapshot'"),
      insertCheckpoint: db.prepare('INSERT INTO checkpoints (size, note) VALUES (?, ?)'),
    };
    this.#writeBatch = db.transaction((batch: AppendBatch) => this.#insertBatch(batch));
    this.#writeFrame = db.transaction((frame: DecodedAppend) => this.#insertFrame(frame));
  }

  /** Appends a batch in one durable transaction, then notes its ids; returns its first pos. */
  append(batch: AppendBatch): number {
    const entries = sealedEntriesOf(batch, 'inline SQLite');
    const firstPos = this.#writeBatch.immediate(batch);
    const ids: string[] = new Array<string>(entries.length);
    for (let i = 0; i < entries.length; i++) ids[i] = entries[i]!.id;
    this.#ids.noteAppended(ids, firstPos);
    this.#ids.noteWritten(firstPos, this.#batchKeys, entries.length);
    let bytes = 0;
    for (const entry of entries) bytes += entry.line.length;
    this.#checkpointer.noteWritten(bytes);
    this.#mergeQuietly(firstPos + entries.length, entries.length);
    return firstPos;
  }

  /**
   * {@link append} of a batch received as a frame. Returns the tree after it when the frame came
   * without nodes; null when it brought them.
   */
  appendFrame(frame: DecodedAppend): TreeHead | null {
    const tree = this.#writeFrame.immediate(frame);
    // Committed: the tree is this connection's from now on. Nodes the caller computed leave it
    // to be loaded again from the snapshot, should a frame without them follow.
    this.#committed = tree ?? undefined;
    this.#ids.noteWritten(frame.firstPos, frame.keys, frame.count);
    this.#checkpointer.noteWritten(frame.lines.length);
    return tree?.head ?? null;
  }

  /** Ends the checkpoint thread, if one was started; before the connection is closed. */
  close(): Promise<void> {
    return this.#checkpointer.close();
  }

  /** How far id_index reaches: entries with pos below it are in it. */
  get indexedUpto(): number {
    return this.#ids.indexedUpto;
  }

  /**
   * A step of merging the id index's tail into id_index when due, for a log of `size` entries
   * whose last append wrote `appended`.
   */
  upkeep(size: number, appended: number): void {
    this.#mergeQuietly(size, appended);
  }

  putCheckpoint(checkpoint: StoredCheckpoint, snapshotText: string): void {
    this.#db
      .transaction(() => {
        this.#sql.insertCheckpoint.run(checkpoint.size, checkpoint.note);
        this.#sql.putSnapshot.run(snapshotText);
      })
      .immediate();
  }

  #mergeQuietly(size: number, appended: number): void {
    try {
      this.#ids.mergeIfDue(size, appended);
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
    const entries = sealedEntriesOf(batch, 'inline SQLite');
    const firstPos = batchFirstSeq(batch);
    this.#assertContinues(firstPos, batch.snapshot.size, entries.length);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.seq !== firstPos + i) {
        throw new InternalError('INTERNAL', 'batch entries are not consecutive', {
          details: { expected: firstPos + i, seq: entry.seq },
        });
      }
    }
    if (this.#batchKeys.length < entries.length) this.#batchKeys = new Float64Array(entries.length);
    const keys = this.#batchKeys;
    this.#insertRows(entries.length, this.#sql.insertEntries, this.#sql.insertEntry, (i, row) => {
      const entry = entries[i]!;
      keys[i] = keyOfId(entry.id);
      this.#setRow(row, entry.seq, keys[i], entry.type, entry.run, entry.line);
    });
    for (const node of sealedNodesOf(batch, 'SQLite')) {
      if (node.level > 0) this.#sql.insertNode.run(node.level, node.index, asBuffer(node.hash));
    }
    this.#sql.putSnapshot.run(JSON.stringify(batch.snapshot));
    return firstPos;
  }

  #insertFrame(frame: DecodedAppend): ExtendedTree | null {
    const { firstPos, count, keys, names, typeIndex, runIndex, lineEnds, lines } = frame;
    this.#assertContinues(firstPos, frame.snapshotSize, count);
    if (frame.unlinked) return this.#linkFrame(frame);
    const rows = this.#sql;
    this.#insertRows(count, rows.insertEntriesBytes, rows.insertEntryBytes, (i, row) => {
      const start = i === 0 ? 0 : lineEnds[i - 1]!;
      const line = lines.subarray(start, lineEnds[i]);
      this.#setRow(row, firstPos + i, keys[i]!, names[typeIndex[i]!]!, names[runIndex[i]!]!, line);
    });
    if (frame.untreed) return this.#extendTree(frame);
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
    return null;
  }

  /**
   * The rest of {@link #insertFrame} for a frame without nodes: extends a copy of the committed
   * tree with the entries' leaves, and stores the nodes that completes and the snapshot with the
   * tree's root and frontier in place of the caller's.
   */
  #extendTree(frame: DecodedAppend): ExtendedTree {
    const { firstPos, count, lineEnds, lines } = frame;
    const frontier = this.#committedAt(firstPos).frontier.clone();
    for (let i = 0; i < count; i++) {
      const leaf = entryLeafOf(lines, i === 0 ? 0 : lineEnds[i - 1]!, lineEnds[i]!, firstPos + i);
      this.#insertNodes(frontier.append(leaf));
    }
    // The caller sealed the batch: its snapshot's head hash is the batch's last.
    const caller = JSON.parse(frame.snapshotText) as StoreSnapshot;
    return this.#putExtended(caller, frontier, caller.head_hash);
  }

  /**
   * {@link #insertFrame} for an unlinked frame: links and hashes each entry in place after the
   * committed head (linkEntryInPlace, so the lines are byte for byte what the ledger seals),
   * extends a copy of the committed tree with them, and stores the entries, the nodes completed
   * and the snapshot with this writer's head hash, root and frontier in place of the caller's.
   */
  #linkFrame(frame: DecodedAppend): ExtendedTree {
    const { firstPos, count, keys, names, typeIndex, runIndex, lineEnds, lines, linkOffsets } =
      frame;
    const committed = this.#committedAt(firstPos);
    const frontier = committed.frontier.clone();
    let prev = committed.headHash;
    const rows = this.#sql;
    this.#insertRows(count, rows.insertEntriesBytes, rows.insertEntryBytes, (i, row) => {
      const start = i === 0 ? 0 : lineEnds[i - 1]!;
      const end = lineEnds[i]!;
      if (end - start <= HASH_MEMBER_BYTES + linkOffsets[2 * i + 1]! + 64) {
        throw new InternalError('INTERNAL', 'an unlinked entry is shorter than its offsets', {
          details: { pos: firstPos + i },
        });
      }
      prev = linkEntryInPlace(
        lines,
        start,
        end,
        linkOffsets[2 * i]!,
        linkOffsets[2 * i + 1]!,
        prev,
      );
      this.#insertNodes(frontier.append(hashLeafOfHex(prev)));
      const line = lines.subarray(start, end);
      this.#setRow(row, firstPos + i, keys[i]!, names[typeIndex[i]!]!, names[runIndex[i]!]!, line);
    });
    return this.#putExtended(JSON.parse(frame.snapshotText) as StoreSnapshot, frontier, prev);
  }

  #insertNodes(nodes: Iterable<{ level: number; index: number; hash: Uint8Array }>): void {
    for (const node of nodes) {
      if (node.level > 0) this.#sql.insertNode.run(node.level, node.index, asBuffer(node.hash));
    }
  }

  /** Stores the caller's snapshot with this writer's tree and head in it. */
  #putExtended(caller: StoreSnapshot, frontier: MerkleFrontier, headHash: string): ExtendedTree {
    const head: TreeHead = {
      root: toHex(frontier.root()),
      frontier: frontier.toJSON().hashes,
      head_hash: headHash,
    };
    // The caller's own snapshot, so the member order (and the text) is what an inline write keeps.
    this.#sql.putSnapshot.run(JSON.stringify({ ...caller, ...head }));
    return { frontier, headHash, head };
  }

  /** The committed tree and head of a log of `size` entries: those kept, or the stored snapshot's. */
  #committedAt(size: number): CommittedHead {
    if (this.#committed?.frontier.size === size) return this.#committed;
    const stored = parseSnapshot(this.#sql.snapshot.get(), 'the SQLite store');
    if (stored.size !== size) {
      throw new StorageError(
        'STORE_CONFLICT',
        'the stored snapshot does not end where the batch begins',
        { details: { snapshot_size: stored.size, batch_first_seq: size } },
      );
    }
    return {
      frontier: MerkleFrontier.fromJSON({ size, hashes: [...stored.frontier] }),
      headHash: stored.head_hash,
    };
  }

  /**
   * Inserts rows 0..count-1, ROWS_PER_INSERT at a time through `many` and the rest one by one
   * through `one`; `fill(i, row)` puts row i's parameters at row `row` of #rowParams.
   */
  #insertRows(
    count: number,
    many: Database.Statement<EntryParam[]>,
    one: Database.Statement<EntryParam[]>,
    fill: (i: number, row: number) => void,
  ): void {
    const params = this.#rowParams;
    let i = 0;
    for (; i + ROWS_PER_INSERT <= count; i += ROWS_PER_INSERT) {
      for (let row = 0; row < ROWS_PER_INSERT; row++) fill(i + row, row);
      many.run(...params);
    }
    for (; i < count; i++) {
      fill(i, 0);
      one.run(params[0]!, params[1]!, params[2]!, params[3]!, params[4]!);
    }
  }

  #setRow(
    row: number,
    pos: number,
    key: number,
    type: string,
    run: string,
    line: EntryParam,
  ): void {
    const params = this.#rowParams;
    const at = row * ENTRY_COLUMNS;
    params[at] = pos;
    params[at + 1] = key;
    params[at + 2] = type;
    params[at + 3] = run;
    params[at + 4] = line;
  }
}
