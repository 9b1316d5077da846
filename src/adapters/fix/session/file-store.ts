/**
 * @module
 * A file-backed SessionStore: one append-only file per session. Each change is a record
 * `kind u8 | seq u32 | length u32 | crc32 u32 | payload`, little-endian, the CRC-32 covering kind,
 * seq, length and payload; with `sync: 'always'` every record is fdatasync'ed before the call
 * returns. Opening replays the records, so a session reopens where it left off. A torn last record
 * (a crash mid-append) is cut off; a bad record followed by more data is STORE_CORRUPT. A reset
 * replaces the file atomically (temp file, fsync, rename, fsync of the directory).
 */
import { Buffer } from 'node:buffer';
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

import { DeltaTraceError, IntegrityError, StorageError } from '../../../core/index.js';
import type { SessionStore, StoredMessage } from './store.js';

/** File format name and version: the first bytes of every store file. */
const MAGIC = Buffer.from('deltatrace.fix-session-store.v1\n', 'latin1');
const RECORD_HEADER_BYTES = 13;
const KIND_SENT_APP = 1;
const KIND_SENT_ADMIN = 2;
const KIND_TARGET = 3;

export interface FileSessionStoreOptions {
  /** `always` (default): fdatasync every record; `never`: leave flushing to the OS. */
  readonly sync?: 'always' | 'never';
}

function toStoreError(error: unknown, action: string, file: string): DeltaTraceError {
  if (error instanceof DeltaTraceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError('STORE_IO', `${action} failed: ${message}`, {
    details: { file },
    cause: error,
  });
}

function guard<T>(action: string, file: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw toStoreError(error, action, file);
  }
}

function recordCrc(record: Buffer): number {
  return crc32(record.subarray(RECORD_HEADER_BYTES), crc32(record.subarray(0, 9)));
}

export class FileSessionStore implements SessionStore {
  readonly #file: string;
  readonly #sync: boolean;
  #fd: number;
  #size: number;
  #nextSenderSeq = 1;
  #nextTargetSeq = 1;
  /** seq → [payload offset, payload length] in the file. */
  readonly #sent = new Map<number, readonly [number, number]>();

  /**
   * Opens (or creates) the store file.
   * @throws StorageError STORE_IO; IntegrityError STORE_CORRUPT for a file that is not a store or
   * holds a damaged record before its end.
   */
  constructor(file: string, options: FileSessionStoreOptions = {}) {
    this.#file = file;
    this.#sync = (options.sync ?? 'always') === 'always';
    if (!guard('stat', file, () => existsSync(file))) this.#replaceWithEmpty();
    this.#fd = guard('open', file, () => openSync(file, 'r+'));
    this.#size = this.#replay();
  }

  get nextSenderSeq(): number {
    return this.#nextSenderSeq;
  }

  get nextTargetSeq(): number {
    return this.#nextTargetSeq;
  }

  recordSent(seq: number, bytes: Uint8Array | undefined): void {
    const payloadAt = this.#append(
      bytes === undefined ? KIND_SENT_ADMIN : KIND_SENT_APP,
      seq,
      bytes,
    );
    if (bytes !== undefined) this.#sent.set(seq, [payloadAt, bytes.length]);
    this.#nextSenderSeq = seq + 1;
  }

  setNextTargetSeq(seq: number): void {
    this.#append(KIND_TARGET, seq, undefined);
    this.#nextTargetSeq = seq;
  }

  sentMessages(begin: number, end: number): readonly StoredMessage[] {
    const seqs = [...this.#sent.keys()].filter((seq) => seq >= begin && seq <= end);
    return seqs
      .sort((a, b) => a - b)
      .map((seq) => {
        const [offset, length] = this.#sent.get(seq)!;
        const bytes = new Uint8Array(length);
        guard('read', this.#file, () => readSync(this.#fd, bytes, 0, length, offset));
        return { seq, bytes };
      });
  }

  reset(): void {
    guard('close', this.#file, () => closeSync(this.#fd));
    this.#replaceWithEmpty();
    this.#fd = guard('open', this.#file, () => openSync(this.#file, 'r+'));
    this.#size = MAGIC.length;
    this.#nextSenderSeq = 1;
    this.#nextTargetSeq = 1;
    this.#sent.clear();
  }

  close(): void {
    guard('close', this.#file, () => closeSync(this.#fd));
  }

  /** Appends one record; returns the file offset of its payload. */
  #append(kind: number, seq: number, payload: Uint8Array | undefined): number {
    const length = payload?.length ?? 0;
    const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + length);
    record.writeUInt8(kind, 0);
    record.writeUInt32LE(seq, 1);
    record.writeUInt32LE(length, 5);
    if (payload !== undefined) record.set(payload, RECORD_HEADER_BYTES);
    record.writeUInt32LE(recordCrc(record), 9);
    const at = this.#size;
    guard('append', this.#file, () => {
      writeSync(this.#fd, record, 0, record.length, at);
      if (this.#sync) fdatasyncSync(this.#fd);
    });
    this.#size += record.length;
    return at + RECORD_HEADER_BYTES;
  }

  /** Reads every record into memory state; returns the size of the valid prefix. */
  #replay(): number {
    const size = guard('stat', this.#file, () => fstatSync(this.#fd).size);
    const data = Buffer.alloc(size);
    guard('read', this.#file, () => readSync(this.#fd, data, 0, size, 0));
    if (size < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new IntegrityError('STORE_CORRUPT', 'not a FIX session store file', {
        details: { file: this.#file },
      });
    }
    let at = MAGIC.length;
    while (at < size) {
      const end = at + RECORD_HEADER_BYTES + (at + 9 <= size ? data.readUInt32LE(at + 5) : 0);
      const record = data.subarray(at, end);
      if (end > size) break;
      if (record.readUInt32LE(9) !== recordCrc(record)) {
        if (end === size) break;
        throw new IntegrityError('STORE_CORRUPT', `damaged record at byte ${at}`, {
          details: { file: this.#file, offset: at },
        });
      }
      const kind = record.readUInt8(0);
      const seq = record.readUInt32LE(1);
      if (kind === KIND_TARGET) {
        this.#nextTargetSeq = seq;
      } else if (kind === KIND_SENT_APP || kind === KIND_SENT_ADMIN) {
        const length = end - at - RECORD_HEADER_BYTES;
        if (kind === KIND_SENT_APP) this.#sent.set(seq, [at + RECORD_HEADER_BYTES, length]);
        this.#nextSenderSeq = seq + 1;
      } else {
        throw new IntegrityError('STORE_CORRUPT', `unknown record kind ${kind} at byte ${at}`, {
          details: { file: this.#file, offset: at },
        });
      }
      at = end;
    }
    if (at < size) guard('truncate', this.#file, () => ftruncateSync(this.#fd, at));
    return at;
  }

  #replaceWithEmpty(): void {
    const temp = `${this.#file}.tmp`;
    guard('reset', this.#file, () => {
      const fd = openSync(temp, 'w');
      try {
        writeSync(fd, MAGIC);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.#file);
      const dir = openSync(path.dirname(this.#file), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    });
  }
}
