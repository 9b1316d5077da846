/**
 * @module
 * The session log on disk: a SessionRecorder that appends each step as one record of the v1 format
 * (session-log.ts) when the step ends, and the reader of such a file. The session never waits on
 * the disk beyond one write per step; with `sync: 'never'` (the default) a process crash loses
 * nothing written (the kernel holds it) and a power loss at most a tail, which reading cuts off.
 * A failed write stops the recording rather than the session: the file then holds a whole prefix.
 */
import { closeSync, fdatasyncSync, openSync, readFileSync, writeSync } from 'node:fs';

import { type DeltaTraceError, isDeltaTraceError, StorageError } from '../../../core/index.js';
import type {
  SessionInstant,
  SessionLog,
  SessionLogEntry,
  SessionLogStart,
  SessionRecorder,
} from './recorder.js';
import {
  decodeSessionLog,
  encodeSessionLogHeader,
  encodeSessionLogStart,
  encodeSessionLogStep,
} from './session-log.js';

export interface FileSessionLogOptions {
  /** `always`: fdatasync every step before the session goes on; `never` (default): the OS flushes. */
  readonly sync?: 'always' | 'never';
  /**
   * Hears of the first failure to write (STORE_IO), from inside the session's processing; the
   * recording stops there.
   */
  readonly onError?: (error: DeltaTraceError) => void;
}

function ioError(error: unknown, action: string, file: string): DeltaTraceError {
  if (isDeltaTraceError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  return new StorageError(
    code === 'EEXIST' ? 'STORE_ALREADY_EXISTS' : 'STORE_IO',
    `${action} failed: ${message}`,
    { details: { file }, cause: error },
  );
}

export class FileSessionLog implements SessionRecorder {
  readonly file: string;
  readonly #sync: boolean;
  readonly #onError: ((error: DeltaTraceError) => void) | undefined;
  #fd: number | undefined;
  #at: SessionInstant | undefined;
  #entries: SessionLogEntry[] = [];
  #failure: DeltaTraceError | undefined;

  /**
   * Creates the log file; it must not exist (a log is one recording, never appended to).
   * @throws StorageError STORE_ALREADY_EXISTS, STORE_IO.
   */
  constructor(file: string, options: FileSessionLogOptions = {}) {
    this.file = file;
    this.#sync = options.sync === 'always';
    this.#onError = options.onError;
    try {
      this.#fd = openSync(file, 'wx');
      writeSync(this.#fd, encodeSessionLogHeader());
    } catch (error) {
      if (this.#fd !== undefined) closeSync(this.#fd);
      throw ioError(error, 'create', file);
    }
  }

  /** The write failure that stopped the recording, if one did. */
  get failure(): DeltaTraceError | undefined {
    return this.#failure;
  }

  start(start: SessionLogStart): void {
    this.#write(encodeSessionLogStart(start));
  }

  beginStep(at: SessionInstant): void {
    this.#at = at;
    this.#entries = [];
  }

  record(entry: SessionLogEntry): void {
    // Encoded at the end of the step, so bytes the caller reuses must be copied now.
    this.#entries.push(
      entry.type === 'receive' || entry.type === 'outbound'
        ? { type: entry.type, bytes: entry.bytes.slice() }
        : entry,
    );
  }

  endStep(): void {
    const at = this.#at;
    const entries = this.#entries;
    this.#at = undefined;
    this.#entries = [];
    if (at === undefined || entries.length === 0) return;
    this.#write(encodeSessionLogStep({ at, entries }));
  }

  /** Closes the file; what the session records afterwards is reported as a failure. */
  close(): void {
    const fd = this.#fd;
    if (fd === undefined) return;
    this.#fd = undefined;
    try {
      closeSync(fd);
    } catch (error) {
      this.#fail(ioError(error, 'close', this.file));
    }
  }

  #write(bytes: Uint8Array): void {
    if (this.#failure !== undefined) return;
    const fd = this.#fd;
    if (fd === undefined) {
      this.#fail(
        new StorageError('STORE_IO', 'the session log is closed', { details: { file: this.file } }),
      );
      return;
    }
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      if (this.#sync) fdatasyncSync(fd);
    } catch (error) {
      this.#fail(ioError(error, 'append', this.file));
    }
  }

  #fail(error: DeltaTraceError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#onError?.(error);
  }
}

/**
 * `<sender>-<target>.log`, each CompID with characters outside `[A-Za-z0-9._-]` as `_` (a CompID
 * may hold any character but SOH, a file name may not).
 */
export function sessionLogFileName(senderCompId: string, targetCompId: string): string {
  const safe = (id: string): string => id.replaceAll(/[^A-Za-z0-9._-]/g, '_');
  return `${safe(senderCompId)}-${safe(targetCompId)}.log`;
}

/**
 * Reads and decodes a session log file.
 * @throws StorageError STORE_IO when the file cannot be read; the errors of decodeSessionLog.
 */
export function readSessionLogFile(file: string): SessionLog {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw ioError(error, 'read', file);
  }
  return decodeSessionLog(bytes);
}
