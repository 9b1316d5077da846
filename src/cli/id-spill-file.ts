/**
 * @module
 * The id spill (IdBlockSpill) of a replay or a capture writer as a temporary file: made in the system's temp folder and
 * unlinked at once, so it goes with the process however that ends; what is read back often stays
 * in the page cache, outside the process.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { StorageError } from '../core/index.js';
import { ID_BLOCK_BYTES, type IdBlockSpill } from '../replay/id-table.js';

function ioError(owner: string, action: string, error: unknown): StorageError {
  return new StorageError('STORE_IO', `the ${owner}'s id spill file: ${action} failed`, {
    details: { reason: error instanceof Error ? error.message : String(error) },
    cause: error,
  });
}

export class FileIdSpill implements IdBlockSpill {
  readonly #fd: number;
  readonly #owner: string;

  private constructor(fd: number, owner: string) {
    this.#fd = fd;
    this.#owner = owner;
  }

  /**
   * @param owner who spills (`replay`, `capture`): names the file and its errors
   * @throws STORE_IO when the temp folder cannot take the file
   */
  static create(owner = 'replay'): FileIdSpill {
    let dir: string | undefined;
    try {
      dir = mkdtempSync(path.join(os.tmpdir(), `deltatrace-${owner}-ids-`));
      return new FileIdSpill(openSync(path.join(dir, 'ids'), 'w+', 0o600), owner);
    } catch (error) {
      throw ioError(owner, 'creating it', error);
    } finally {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }
  }

  write(index: number, block: Uint8Array): void {
    try {
      const at = index * ID_BLOCK_BYTES;
      for (let done = 0; done < block.length;) {
        done += writeSync(this.#fd, block, done, block.length - done, at + done);
      }
    } catch (error) {
      throw ioError(this.#owner, 'writing', error);
    }
  }

  read(index: number, offset: number, into: Uint8Array): void {
    const at = index * ID_BLOCK_BYTES + offset;
    let done = 0;
    try {
      while (done < into.length) {
        const n = readSync(this.#fd, into, done, into.length - done, at + done);
        if (n === 0) break;
        done += n;
      }
    } catch (error) {
      throw ioError(this.#owner, 'reading', error);
    }
    if (done < into.length)
      throw ioError(this.#owner, 'reading', new Error('the file ends before the block'));
  }

  close(): void {
    closeSync(this.#fd);
  }
}
