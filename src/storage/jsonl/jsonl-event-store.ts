/**
 * @module
 * The JSONL backend: the inspectable exchange format, a directory holding `events.jsonl` (one
 * canonical entry per line), `checkpoints.jsonl` and `state-snapshot.json` (the acknowledged
 * snapshot and byte lengths). An append writes all of the batch's lines in one write, fsyncs,
 * then replaces the state file atomically: the batch is committed when the state file says so.
 * Bytes past the acknowledged length belong to an append that never completed; opening for
 * writing cuts them off, opening read-only leaves them and reports them in notes().
 */
import type { FileHandle } from 'node:fs/promises';

import {
  type AppendBatch,
  type EntryFilter,
  type EventStore,
  InternalError,
  sealedEntriesOf,
  type SealedEntry,
  sealedNodesOf,
  StorageError,
  type StoredCheckpoint,
  type StoreSnapshot,
} from '../../core/index.js';
import { parseCheckpointLine, toCheckpointLine } from './checkpoint-lines.js';
import {
  completeLinesEnd,
  encodeLines,
  guardAsync,
  lineEnd,
  readLines,
  toStorageError,
  writeFully,
} from './files.js';
import { LineIndex } from './line-index.js';
import { type JsonlState, readState, readStateText, stateText, writeState } from './state-file.js';
import { createStoreFiles, type OpenedFiles, openStoreFiles, tailNotes } from './store-files.js';

export interface JsonlCreateOptions {
  /** Checkpoint origin line: the log's unique name. */
  readonly origin: string;
}

export interface JsonlOpenOptions {
  /** Open without modifying anything (verification); appends fail with STORE_READONLY. */
  readonly readonly?: boolean;
}

const DEFAULT_CHUNK = 1000;

export class JsonlEventStore implements EventStore {
  readonly backend = 'jsonl';
  readonly keepsTree = false;
  readonly keepsChain = false;
  readonly dir: string;
  readonly readonly: boolean;
  readonly #events: FileHandle;
  readonly #checkpoints: FileHandle;
  #state: JsonlState;
  #index: LineIndex | undefined;
  /** Serialises appends and checkpoints: each one writes at the acknowledged end. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(dir: string, files: OpenedFiles, readonly: boolean) {
    this.dir = dir;
    this.readonly = readonly;
    this.#events = files.events;
    this.#checkpoints = files.checkpoints;
    this.#state = files.state;
  }

  /**
   * Creates a store in `dir` (made if missing) holding an empty log.
   * @throws STORE_ALREADY_EXISTS, STORE_IO
   */
  static async create(dir: string, options: JsonlCreateOptions): Promise<JsonlEventStore> {
    return new JsonlEventStore(dir, await createStoreFiles(dir, options.origin), false);
  }

  /**
   * Opens the store in `dir`. For writing, cuts off bytes that no acknowledged append wrote.
   * @throws STORE_NOT_FOUND, STORE_CORRUPT (files shorter than acknowledged, or a cut that would
   *   not fall on a line boundary), STORE_FORMAT_UNSUPPORTED, STORE_IO
   */
  static async open(dir: string, options: JsonlOpenOptions = {}): Promise<JsonlEventStore> {
    const readonly = options.readonly ?? false;
    return new JsonlEventStore(dir, await openStoreFiles(dir, readonly), readonly);
  }

  snapshot(): Promise<StoreSnapshot> {
    return this.#io('reading the snapshot', async () => (await this.#currentState()).snapshot);
  }

  append(batch: AppendBatch): Promise<StoreSnapshot> {
    return this.#exclusive('appending a batch', async () => {
      this.#assertWritable();
      // The nodes are not stored (the line index recomputes them), but the snapshot must be whole.
      sealedNodesOf(batch, this.backend);
      const entries = sealedEntriesOf(batch, this.backend);
      const state = this.#state;
      const size = state.snapshot.size;
      const firstSeq = entries[0]?.seq ?? batch.snapshot.size;
      if (firstSeq !== size || batch.snapshot.size !== size + entries.length) {
        throw new StorageError('STORE_CONFLICT', 'the batch does not continue the stored log', {
          details: { stored_size: size, batch_first_seq: firstSeq },
        });
      }
      for (const [offset, entry] of entries.entries()) {
        if (entry.seq !== size + offset || entry.line.includes('\n')) {
          throw new InternalError('INTERNAL', 'batch entries are not consecutive entry lines', {
            details: { expected: size + offset, seq: entry.seq },
          });
        }
      }
      const { bytes, ends } = encodeLines(entries.map((entry) => entry.line));
      const next: JsonlState = {
        ...state,
        events_bytes: state.events_bytes + bytes.length,
        snapshot: batch.snapshot,
      };
      await this.#commit(this.#events, state.events_bytes, bytes, next);
      this.#indexAppended(entries, ends, state.events_bytes);
      return batch.snapshot;
    });
  }

  findIds(ids: readonly string[]): Promise<ReadonlySet<string>> {
    return this.#io('looking up ids', async () => {
      const index = await this.#lineIndex();
      return new Set(ids.filter((id) => index.has(id)));
    });
  }

  async *scan(chunkSize = DEFAULT_CHUNK): AsyncIterable<readonly string[]> {
    for await (const chunk of this.#chunks(chunkSize)) yield chunk.lines;
  }

  async *query(filter: EntryFilter, chunkSize = DEFAULT_CHUNK): AsyncIterable<readonly string[]> {
    const from = filter.fromSeq ?? 0;
    const to = filter.toSeq ?? Number.MAX_SAFE_INTEGER;
    let position = 0;
    let page: string[] = [];
    for await (const { lines } of this.#chunks(DEFAULT_CHUNK)) {
      for (const line of lines) {
        const seq = position++;
        if (seq < from) continue;
        if (seq > to) break;
        if (matches(line, filter)) page.push(line);
        if (page.length >= chunkSize) {
          yield page;
          page = [];
        }
      }
      if (position > to) break;
    }
    if (page.length > 0) yield page;
  }

  readEntry(seq: number): Promise<string | undefined> {
    return this.#io('reading an entry', async () => {
      const range = (await this.#lineIndex()).lineRange(seq);
      if (range === undefined) return undefined;
      const [start, end] = range;
      const bytes = Buffer.alloc(end - start - 1);
      await this.#events.read(bytes, 0, bytes.length, start);
      return bytes.toString('utf8');
    });
  }

  readNodes(level: number, from: number, to: number): Promise<readonly Uint8Array[]> {
    return this.#io('reading Merkle nodes', async () =>
      (await this.#lineIndex()).readNodes(level, from, to),
    );
  }

  putCheckpoint(checkpoint: StoredCheckpoint, snapshot: StoreSnapshot): Promise<void> {
    return this.#exclusive('storing a checkpoint', async () => {
      this.#assertWritable();
      const state = this.#state;
      const bytes = Buffer.from(toCheckpointLine(checkpoint), 'utf8');
      const next: JsonlState = {
        ...state,
        checkpoints_bytes: state.checkpoints_bytes + bytes.length,
        snapshot,
      };
      await this.#commit(this.#checkpoints, state.checkpoints_bytes, bytes, next);
    });
  }

  listCheckpoints(): Promise<readonly StoredCheckpoint[]> {
    return this.#io('listing checkpoints', async () => {
      const handle = this.#checkpoints;
      const size = this.readonly ? (await handle.stat()).size : this.#state.checkpoints_bytes;
      const end = await completeLinesEnd(handle, 0, size);
      const checkpoints: StoredCheckpoint[] = [];
      for await (const { lines } of readLines(handle, 0, end, DEFAULT_CHUNK)) {
        for (const line of lines) checkpoints.push(parseCheckpointLine(line, this.dir));
      }
      return checkpoints
        .map((checkpoint, order) => ({ checkpoint, order }))
        .sort((a, b) => a.checkpoint.size - b.checkpoint.size || a.order - b.order)
        .map(({ checkpoint }) => checkpoint);
    });
  }

  notes(): Promise<readonly string[]> {
    return this.#io('reading store notes', async () => {
      const state = await this.#currentState();
      return [
        ...(await tailNotes(this.#events, state.events_bytes, 'events.jsonl', 'entries')),
        ...(await tailNotes(
          this.#checkpoints,
          state.checkpoints_bytes,
          'checkpoints.jsonl',
          'checkpoints',
        )),
      ];
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    await Promise.all([this.#events.close(), this.#checkpoints.close()]);
  }

  /**
   * Writes `bytes` at the acknowledged end `at`, fsyncs, then commits `next` by replacing the
   * state file. On failure before the state file is replaced, the bytes are cut off again.
   */
  async #commit(
    handle: FileHandle,
    at: number,
    bytes: Uint8Array,
    next: JsonlState,
  ): Promise<void> {
    const text = stateText(next);
    try {
      // A previous failed write may have left bytes past `at` that its rollback could not cut.
      await handle.truncate(at);
      await writeFully(handle, bytes, at);
      await handle.datasync();
      await writeState(this.dir, text);
    } catch (error) {
      if ((await readStateText(this.dir)) === text) {
        // The rename happened (only the directory fsync failed): the batch is in the log.
        this.#state = next;
      } else {
        await handle.truncate(at).catch(() => undefined);
      }
      throw error;
    }
    this.#state = next;
  }

  async *#chunks(chunkSize: number): AsyncGenerator<{ lines: string[]; offsets: number[] }> {
    try {
      this.#assertOpen();
      const handle = this.#events;
      const size = this.readonly ? (await handle.stat()).size : this.#state.events_bytes;
      const end = await completeLinesEnd(handle, 0, size);
      yield* readLines(handle, 0, end, Math.max(1, Math.floor(chunkSize)));
    } catch (error) {
      throw toStorageError(error, 'scanning entries', this.dir);
    }
  }

  /** The line index, built on first use and caught up with lines written since. */
  async #lineIndex(): Promise<LineIndex> {
    const handle = this.#events;
    const size = this.readonly ? (await handle.stat()).size : this.#state.events_bytes;
    if (this.#index === undefined || size < this.#index.end) this.#index = new LineIndex();
    const index = this.#index;
    if (size > index.end) {
      const end = await completeLinesEnd(handle, index.end, size);
      for await (const { lines, offsets } of readLines(handle, index.end, end, DEFAULT_CHUNK)) {
        for (const [i, line] of lines.entries()) {
          index.add(line, offsets[i]!, offsets[i + 1] ?? lineEnd(offsets[i]!, line));
        }
      }
    }
    return index;
  }

  #indexAppended(entries: readonly SealedEntry[], ends: readonly number[], at: number): void {
    const index = this.#index;
    if (index === undefined || index.end !== at) return;
    let offset = at;
    for (const [i, entry] of entries.entries()) {
      index.addEntry(entry.id, entry.hashBytes, offset, at + ends[i]!);
      offset = at + ends[i]!;
    }
  }

  async #currentState(): Promise<JsonlState> {
    return this.readonly ? readState(this.dir) : this.#state;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageError('STORE_IO', `the store in ${this.dir} is closed`);
  }

  #assertWritable(): void {
    if (this.readonly) {
      throw new StorageError('STORE_READONLY', `the store in ${this.dir} was opened read-only`);
    }
  }

  #io<T>(action: string, step: () => Promise<T>): Promise<T> {
    return guardAsync(action, this.dir, () => {
      this.#assertOpen();
      return step();
    });
  }

  #exclusive<T>(action: string, step: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => this.#io(action, step));
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function matches(line: string, filter: EntryFilter): boolean {
  if (filter.type === undefined && filter.run === undefined) return true;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as { type?: unknown; run?: unknown };
  return (
    (filter.type === undefined || fields.type === filter.type) &&
    (filter.run === undefined || fields.run === filter.run)
  );
}
