/**
 * Creating and opening the JSONL store's files. Opening for writing reconciles each append-only
 * file with the state file: bytes past the acknowledged length are cut off (an append that never
 * completed), but only at a line boundary; a file shorter than acknowledged is refused, because
 * writing on would bury the loss under new entries.
 */
import { existsSync } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import path from 'node:path';

import { emptySnapshot, StorageError } from '../../core/index.js';
import {
  CHECKPOINTS_FILE_NAME,
  completeLinesEnd,
  EVENTS_FILE_NAME,
  guardAsync,
  readLines,
  STATE_FILE_NAME,
  syncDirectory,
} from './files.js';
import {
  JSONL_STATE_FORMAT,
  type JsonlState,
  readState,
  stateText,
  writeState,
} from './state-file.js';

export interface OpenedFiles {
  readonly events: FileHandle;
  readonly checkpoints: FileHandle;
  readonly state: JsonlState;
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

export async function createStoreFiles(dir: string, origin: string): Promise<OpenedFiles> {
  return guardAsync('creating the store', dir, async () => {
    await mkdir(dir, { recursive: true });
    const names = [STATE_FILE_NAME, EVENTS_FILE_NAME, CHECKPOINTS_FILE_NAME];
    if (names.some((name) => existsSync(path.join(dir, name)))) {
      throw new StorageError('STORE_ALREADY_EXISTS', `a store already exists in ${dir}`, {
        details: { dir },
      });
    }
    const opened: FileHandle[] = [];
    try {
      for (const name of names) {
        const file = path.join(dir, name);
        // 'wx' fails if the file exists, so two creators cannot both succeed.
        const handle = await open(file, name === STATE_FILE_NAME ? 'wx' : 'wx+');
        if (name === STATE_FILE_NAME) await handle.close();
        else opened.push(handle);
      }
    } catch (error) {
      await Promise.all(opened.map((handle) => handle.close()));
      if (isErrno(error, 'EEXIST')) {
        throw new StorageError('STORE_ALREADY_EXISTS', `a store already exists in ${dir}`, {
          details: { dir },
          cause: error,
        });
      }
      throw error;
    }
    const [events, checkpoints] = opened as [FileHandle, FileHandle];
    const state: JsonlState = {
      format: JSONL_STATE_FORMAT,
      events_bytes: 0,
      checkpoints_bytes: 0,
      snapshot: emptySnapshot(origin),
    };
    await Promise.all([events.sync(), checkpoints.sync()]);
    await writeState(dir, stateText(state));
    await syncDirectory(dir);
    return { events, checkpoints, state };
  });
}

export async function openStoreFiles(dir: string, readonly: boolean): Promise<OpenedFiles> {
  const state = await readState(dir);
  return guardAsync('opening the store', dir, async () => {
    const opened: FileHandle[] = [];
    try {
      for (const name of [EVENTS_FILE_NAME, CHECKPOINTS_FILE_NAME]) {
        try {
          opened.push(await open(path.join(dir, name), readonly ? 'r' : 'r+'));
        } catch (error) {
          if (!isErrno(error, 'ENOENT')) throw error;
          throw new StorageError('STORE_CORRUPT', `${name} is missing from ${dir}`, {
            details: { dir, file: name },
            cause: error,
          });
        }
      }
      const [events, checkpoints] = opened as [FileHandle, FileHandle];
      if (!readonly) {
        await dropUnacknowledged(events, state.events_bytes, EVENTS_FILE_NAME, dir);
        await dropUnacknowledged(checkpoints, state.checkpoints_bytes, CHECKPOINTS_FILE_NAME, dir);
      }
      return { events, checkpoints, state };
    } catch (error) {
      await Promise.all(opened.map((handle) => handle.close()));
      throw error;
    }
  });
}

async function dropUnacknowledged(
  handle: FileHandle,
  acknowledged: number,
  name: string,
  dir: string,
): Promise<void> {
  const size = (await handle.stat()).size;
  if (size === acknowledged) return;
  const boundary = Buffer.alloc(1);
  if (acknowledged > 0) await handle.read(boundary, 0, 1, acknowledged - 1);
  if (size < acknowledged || (acknowledged > 0 && boundary[0] !== 0x0a)) {
    throw new StorageError(
      'STORE_CORRUPT',
      `${name} (${size} bytes) does not extend its acknowledged ${acknowledged} bytes; verify it read-only`,
      { details: { dir, file: name, size, acknowledged } },
    );
  }
  await handle.truncate(acknowledged);
  await handle.sync();
}

/** Newline-terminated lines in [start, end). */
export async function countLines(handle: FileHandle, start: number, end: number): Promise<number> {
  let count = 0;
  for await (const { lines } of readLines(handle, start, end, 4096)) count += lines.length;
  return count;
}

/** What lies past the acknowledged end of an append-only file, for EventStore#notes. */
export async function tailNotes(
  handle: FileHandle,
  acknowledged: number,
  file: string,
  what: string,
): Promise<string[]> {
  const size = (await handle.stat()).size;
  if (size < acknowledged) {
    return [`${file} is ${acknowledged - size} bytes shorter than its acknowledged length`];
  }
  const end = await completeLinesEnd(handle, acknowledged, size);
  const notes: string[] = [];
  const extra = await countLines(handle, acknowledged, end);
  if (extra > 0) {
    notes.push(
      `${file} holds ${extra} complete ${what} after its acknowledged ${acknowledged} bytes, from an append that was never acknowledged`,
    );
  }
  if (size > end) {
    notes.push(
      `${file} ends with a torn line of ${size - end} bytes (no newline): not part of the log`,
    );
  }
  return notes;
}
