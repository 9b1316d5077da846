/**
 * The transparency-dev/merkle probe set (../shared/vectors/merkle/testdata, 98 inclusion and 98
 * consistency files): each file is a valid proof or one mutation of it. The verdict must equal the
 * file's `wantErr`, and a failure must carry the code for the reason the mutation implies, as
 * tabulated below; the table was derived by hand from each file's name and content, not from the
 * implementation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { fromBase64 } from '../../../src/core/bytes.js';
import type { ErrorCode } from '../../../src/core/errors.js';
import { verifyConsistency, verifyInclusion } from '../../../src/core/merkle/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { vectorsPath } from '../../helpers/vectors.js';

type Verdict = ErrorCode | 'ok';
/** A probe that the folder does not have: keeps the table a complete picture of the set. */
const NO = 'absent';
type Cell = Verdict | typeof NO;

const OK = 'ok';
const IDX = 'MERKLE_INDEX_OUT_OF_RANGE';
const HASH = 'MERKLE_BAD_HASH_SIZE';
const LEN = 'MERKLE_PROOF_WRONG_LENGTH';
const ROOT = 'MERKLE_ROOT_MISMATCH';
const EMPTY = 'MERKLE_CONSISTENCY_FROM_EMPTY';
const ORDER = 'MERKLE_CONSISTENCY_SIZE_ORDER';

/**
 * Columns are folders 0–4, whose happy paths are (leafIdx/treeSize) 0/1, 0/8, 5/8, 2/3, 1/5.
 * A changed index or size leads to IDX when it leaves the tree, else to LEN when the proof length
 * for the new (index, size) differs (RFC 9162 §2.1.3.1: inner + border), else to ROOT. Garbage
 * is an empty element (HASH, checked before the length); an added root or component is a 32-byte
 * element too many (LEN).
 */
const INCLUSION: Readonly<Record<string, readonly Cell[]>> = {
  'happy-path': [OK, OK, OK, OK, OK],
  'empty-root': [ROOT, ROOT, ROOT, ROOT, ROOT],
  'random-root': [ROOT, ROOT, ROOT, ROOT, ROOT],
  'wrong-leaf': [HASH, HASH, HASH, HASH, HASH], // a 9-byte leaf hash
  // index/size become 2/1, 2/8, 7/8, 0/3 (needs 2 elements), 3/5
  'leafIdx-XOR-@2': [IDX, ROOT, ROOT, LEN, ROOT],
  // index/size become 1/1, 1/8, 6/8, 3/3, 2/5
  'leafIdx-plus-@1': [IDX, ROOT, ROOT, IDX, ROOT],
  // index 0 wraps to 2^64 − 1 (beyond any size); else 4/8, 1/3 (needs 2), 0/5
  'leafIdx-sub-@1': [IDX, IDX, ROOT, LEN, ROOT],
  // index/size become 0/0, 0/4 (needs 2), 5/4, 2/1, 1/2 (needs 1)
  'treeSize-div-@2': [IDX, LEN, IDX, IDX, LEN],
  // index/size become 0/2 (needs 1), 0/16 (needs 4), 5/16 (needs 4), 2/6 (needs 3), 1/10 (4)
  'treeSize-mul-@2': [LEN, LEN, LEN, LEN, LEN],
  'modified-proof[0]-bit-@3': [NO, ROOT, ROOT, ROOT, ROOT],
  'modified-proof[1]-bit-@3': [NO, ROOT, ROOT, NO, ROOT],
  'modified-proof[2]-bit-@3': [NO, ROOT, ROOT, NO, ROOT],
  'inserted-component': [NO, LEN, LEN, NO, LEN],
  'removed-component': [NO, LEN, LEN, LEN, LEN],
  'preceding-garbage': [HASH, HASH, HASH, HASH, HASH],
  'trailing-garbage': [HASH, HASH, HASH, HASH, HASH],
  'preceding-root': [LEN, LEN, LEN, LEN, LEN],
  'trailing-root': [LEN, LEN, LEN, LEN, LEN],
};

/** Columns: additional/0–3, (leafIdx/treeSize) 0/0, 0/1, 1/0, 2/1, all with an empty proof. */
const INCLUSION_ADDITIONAL: Readonly<Record<string, readonly Cell[]>> = {
  'empty-root-and-random-leaf': [IDX, ROOT, IDX, IDX],
  'empty-root': [IDX, HASH, IDX, IDX], // the leaf hash is empty
  'random-leaf': [IDX, HASH, IDX, IDX], // the root is empty
};

/** single-entry: leafIdx 0, treeSize 1, empty proof. */
const INCLUSION_SINGLE: Readonly<Record<string, Verdict>> = {
  'empty-leaf': HASH,
  'empty-root-and-leaf': HASH,
  'empty-root': HASH,
  'matching-root-and-leaf': OK,
};

/**
 * Columns are folders 0–4, whose happy paths are (size1→size2) 1→1, 1→8, 6→8, 2→5, 6→7.
 * A changed size leads to EMPTY (size1 0) or ORDER (size1 > size2), else to LEN when the proof
 * length for the new sizes (RFC 9162 §2.1.4.1) differs; in this set it always does.
 */
const CONSISTENCY: Readonly<Record<string, readonly Cell[]>> = {
  'happy-path': [OK, OK, OK, OK, OK],
  'empty-proof': [NO, LEN, LEN, LEN, LEN],
  'modified-proof@0-bit-@4': [NO, ROOT, ROOT, ROOT, ROOT],
  'modified-proof@1-bit-@4': [NO, ROOT, ROOT, ROOT, ROOT],
  'modified-proof@2-bit-@4': [NO, ROOT, ROOT, NO, ROOT],
  'preceding-garbage': [NO, HASH, HASH, HASH, HASH],
  'trailing-garbage': [NO, HASH, HASH, HASH, HASH],
  'preceding-proof-@0': [NO, LEN, LEN, LEN, LEN],
  'preceding-root1': [NO, LEN, LEN, LEN, LEN],
  'preceding-root2': [NO, LEN, LEN, LEN, LEN],
  'trailing-root1': [NO, LEN, LEN, LEN, LEN],
  'trailing-root2': [NO, LEN, LEN, LEN, LEN],
  'truncated-proof': [NO, LEN, LEN, LEN, LEN],
  'wrong-root1': [NO, HASH, HASH, HASH, HASH], // a 9-byte root
  'wrong-root2': [NO, HASH, HASH, HASH, HASH],
  'swapped-roots': [NO, ROOT, ROOT, ROOT, ROOT],
  // sizes become 3→8 (needs 4 elements), 4→8 (needs 1), 0→5, 4→7 (needs 1)
  'size1-XOR-@2': [NO, LEN, LEN, EMPTY, LEN],
  // sizes become 2→8 (needs 2), 7→8 (needs 4), 3→5 (needs 4), 7→7 (needs none)
  'size1-plus-@1': [NO, LEN, LEN, LEN, LEN],
  // sizes become 0→8, 5→8 (needs 4), 1→5 (needs 3), 5→7 (needs 4)
  'size1-sub-@1': [NO, EMPTY, LEN, LEN, LEN],
  // sizes become 1→4 (needs 2), 6→4, 2→2 (needs none), 6→3
  'size2-div-@2': [NO, LEN, ORDER, LEN, ORDER],
  // sizes become 1→16 (needs 4), 6→16 (needs 4), 2→10 (needs 3), 6→14 (needs 4)
  'size2-mul-@2': [NO, LEN, LEN, LEN, LEN],
};

/** consistency/additional: hand-written edge cases; many roots are 12-byte placeholders. */
const CONSISTENCY_ADDITIONAL: Readonly<Record<string, Verdict>> = {
  'consistency-check-on-empty-tree-size1-is-zero-is-useless': EMPTY,
  'roots-do-not-match-and-sizes-are-zero': EMPTY,
  'roots-do-not-not-match-and-sizes-are-one': ROOT,
  'size1-is-greater-than-size2-again': ORDER,
  'size1-is-greater-than-size2': ORDER,
  'size1-is-zero-and-does-not-equal-size2': EMPTY,
  'size1-is-zero-and-size2-is-not-zero': EMPTY,
  // Equal sizes: nothing is hashed, so equal placeholder roots pass (the probe's wantErr: false).
  'sizes-are-equal-one-and-proof-is-empty': OK,
  'sizes-are-equal-one-but-roots-are-not': ROOT,
  'sizes-are-equal-zero-and-proof-is-empty': EMPTY,
  'sizes-are-equal-zero-but-roots-are-not': EMPTY,
  // 1→2 needs one element; the length is checked before the placeholder roots' sizes.
  'sizes-do-not-watch-and-proof-is-empty': LEN,
  'sizes-match-but-proof-is-not-empty-and-sizes-are-one': LEN,
  'sizes-match-but-proof-is-not-empty-and-sizes-are-zero': EMPTY,
};

/** Expected verdict of the probe at `relative` (e.g. `inclusion/2/wrong-leaf.json`). */
function expectedVerdict(relative: string): Verdict {
  const parts = relative.replace(/\.json$/, '').split('/');
  const [kind, folder = '', second = '', third = ''] = parts;
  let cell: Cell | undefined;
  if (kind === 'inclusion' && folder === 'additional') {
    cell = INCLUSION_ADDITIONAL[third]?.[Number(second)];
  } else if (kind === 'inclusion' && folder === 'single-entry') {
    cell = INCLUSION_SINGLE[second];
  } else if (kind === 'consistency' && folder === 'additional') {
    cell = CONSISTENCY_ADDITIONAL[second];
  } else {
    const table = kind === 'inclusion' ? INCLUSION : CONSISTENCY;
    cell = table[second]?.[Number(folder)];
  }
  if (cell === undefined || cell === NO) throw new Error(`no expected verdict for ${relative}`);
  return cell;
}

/** Every probe the tables promise, so a missing file fails as loudly as an unexpected one. */
function tabulatedProbes(): string[] {
  const probes: string[] = [];
  const matrix = (kind: string, table: Readonly<Record<string, readonly Cell[]>>, under = '') => {
    for (const [name, cells] of Object.entries(table)) {
      cells.forEach((cell, column) => {
        if (cell !== NO) probes.push(`${kind}/${under}${column}/${name}.json`);
      });
    }
  };
  matrix('inclusion', INCLUSION);
  matrix('inclusion', INCLUSION_ADDITIONAL, 'additional/');
  matrix('consistency', CONSISTENCY);
  for (const name of Object.keys(INCLUSION_SINGLE))
    probes.push(`inclusion/single-entry/${name}.json`);
  for (const name of Object.keys(CONSISTENCY_ADDITIONAL)) {
    probes.push(`consistency/additional/${name}.json`);
  }
  return probes.sort();
}

const Base64Schema = z.string().transform((text) => fromBase64(text));
const ProofSchema = z
  .array(Base64Schema)
  .nullable()
  .transform((proof) => proof ?? []);

const InclusionProbeSchema = z.strictObject({
  leafIdx: z.number(),
  treeSize: z.number(),
  root: Base64Schema,
  leafHash: Base64Schema,
  proof: ProofSchema,
  desc: z.string(),
  wantErr: z.boolean(),
});

const ConsistencyProbeSchema = z.strictObject({
  size1: z.number(),
  size2: z.number(),
  root1: Base64Schema,
  root2: Base64Schema,
  proof: ProofSchema,
  desc: z.string(),
  wantErr: z.boolean(),
});

function walk(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
    return entry.isDirectory() ? walk(root, relative) : [relative];
  });
}

const testdata = vectorsPath('merkle', 'testdata');
const probes = testdata === undefined ? [] : walk(testdata).sort();

/** Runs the probe through our verifier. */
function check(relative: string): () => void {
  const json: unknown = JSON.parse(readFileSync(path.join(testdata!, relative), 'utf8'));
  if (relative.startsWith('inclusion/')) {
    const p = InclusionProbeSchema.parse(json);
    return () => verifyInclusion(p.leafHash, p.leafIdx, p.treeSize, p.proof, p.root);
  }
  const p = ConsistencyProbeSchema.parse(json);
  return () => verifyConsistency(p.size1, p.size2, p.proof, p.root1, p.root2);
}

function wantErr(relative: string): boolean {
  const json = JSON.parse(readFileSync(path.join(testdata!, relative), 'utf8')) as unknown;
  return z.object({ wantErr: z.boolean() }).parse(json).wantErr;
}

describe.skipIf(testdata === undefined)('transparency-dev/merkle probes', () => {
  it('holds 98 inclusion and 98 consistency probes, exactly those tabulated', () => {
    expect(probes.filter((p) => p.startsWith('inclusion/'))).toHaveLength(98);
    expect(probes.filter((p) => p.startsWith('consistency/'))).toHaveLength(98);
    expect(probes).toEqual(tabulatedProbes());
  });

  describe.each(probes)('%s', (relative) => {
    const verdict = expectedVerdict(relative);

    it('is tabulated in agreement with its wantErr', () => {
      expect(wantErr(relative)).toBe(verdict !== OK);
    });

    it(verdict === OK ? 'verifies' : `fails with ${verdict}`, () => {
      const run = check(relative);
      if (verdict === OK) expect(run).not.toThrow();
      else expectErrorCode(run, verdict);
    });
  });
});
