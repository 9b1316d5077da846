/**
 * The replay's id spill file: blocks come back as written, the file is gone from the temp folder
 * as soon as it is made, and reading past what was written is a typed error.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';

import { describe, expect, it } from 'vitest';

import { FileIdSpill } from '../../src/cli/id-spill-file.js';
import { ID_BLOCK_BYTES } from '../../src/replay/index.js';
import { expectErrorCode } from '../helpers/errors.js';

const spillsInTmp = (): string[] =>
  readdirSync(os.tmpdir()).filter((name) => name.startsWith('deltatrace-replay-ids-'));

describe('FileIdSpill', () => {
  it('reads back what it was given, at any offset, and leaves no file behind', () => {
    const before = spillsInTmp();
    const spill = FileIdSpill.create();
    expect(spillsInTmp()).toEqual(before);
    const blocks = [0, 1, 2].map((b) => {
      const block = new Uint8Array(ID_BLOCK_BYTES);
      for (let i = 0; i < block.length; i++) block[i] = (i * 7 + b * 13) & 255;
      return block;
    });
    blocks.forEach((block, index) => spill.write(index, block));
    const into = new Uint8Array(32);
    for (const [index, offset] of [
      [0, 0],
      [1, 32 * 5],
      [2, ID_BLOCK_BYTES - 32],
    ] as const) {
      spill.read(index, offset, into);
      expect(into).toEqual(blocks[index]!.subarray(offset, offset + 32));
    }
    expect(expectErrorCode(() => spill.read(3, 0, into), 'STORE_IO').message).toMatch(/spill/);
    spill.close();
  });
});
