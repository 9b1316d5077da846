import { describe, expect, it } from 'vitest';

import { fromBase64, fromHex, toHex } from '../../../src/core/bytes.js';
import {
  type Checkpoint,
  formatCheckpoint,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  signCheckpoint,
  signerKeyFromSeed,
  signNote,
} from '../../../src/core/signing/index.js';
import { expectErrorCode } from '../../helpers/errors.js';

// A real sum.golang.org checkpoint, from transparency-dev/trillian-tessera
// internal/parse/parse_test.go (BenchmarkCheckpointUnsafe); the source string omits the final
// newline that C2SP signed-note requires, restored here. Its key is knownGOSUMDB in golang/go
// src/cmd/go/internal/modfetch/key.go.
const SUMDB_VERIFIER_KEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
const SUMDB_BODY = 'go.sum database tree\n31700353\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n';
const SUMDB_NOTE = `${SUMDB_BODY}\n— sum.golang.org Az3grnmrIUEDFqHzAElIQCPNoRFRAAdFo47fooyWKMHb89k11GJh5zHIfNCOBmwn/C3YI8oW9/C8DJ87F61QqspBYwM=\n`;

// The example of C2SP tlog-checkpoint; its public key is not published.
const C2SP_EXAMPLE = `example.com/behind-the-sofa
20852163
CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
`;

const ROOT = fromHex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
const ROOT_B64 = 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=';
const signer = signerKeyFromSeed('log.example/deltatrace', new Uint8Array(32).fill(9));
const checkpoint: Checkpoint = { origin: 'log.example/deltatrace', size: 8, rootHash: ROOT };

describe('formatCheckpoint', () => {
  it('writes origin, decimal size and base64 root, one per line', () => {
    expect(formatCheckpoint(checkpoint)).toBe(`log.example/deltatrace\n8\n${ROOT_B64}\n`);
  });

  it('appends extension lines', () => {
    expect(formatCheckpoint({ ...checkpoint, extensions: ['ext one', 'ext two'] })).toBe(
      `log.example/deltatrace\n8\n${ROOT_B64}\next one\next two\n`,
    );
  });

  describe('when a field cannot be written', () => {
    it.each<[string, Partial<Checkpoint>]>([
      ['an empty origin', { origin: '' }],
      ['a two-line origin', { origin: 'a\nb' }],
      ['a negative size', { size: -1 }],
      ['a fractional size', { size: 1.5 }],
      ['a size above 2^53 - 1', { size: 2 ** 53 }],
      ['a 31-byte root', { rootHash: new Uint8Array(31) }],
      ['an empty extension line', { extensions: [''] }],
      ['an extension line with a control character', { extensions: ['a\tb'] }],
    ])('reports CHECKPOINT_MALFORMED for %s', (_label, change) => {
      expectErrorCode(() => formatCheckpoint({ ...checkpoint, ...change }), 'CHECKPOINT_MALFORMED');
    });
  });
});

describe('parseCheckpoint', () => {
  it.each([0, 1, 8, Number.MAX_SAFE_INTEGER])('round-trips size %i', (size) => {
    const value = { ...checkpoint, size };
    expect(parseCheckpoint(formatCheckpoint(value))).toEqual(value);
  });

  it('round-trips extension lines', () => {
    const value = { ...checkpoint, extensions: ['— cosigned', 'x'] };
    expect(parseCheckpoint(formatCheckpoint(value))).toEqual(value);
  });

  it('reads the C2SP tlog-checkpoint example body', () => {
    const opened = parseCheckpoint(C2SP_EXAMPLE.slice(0, C2SP_EXAMPLE.indexOf('\n\n') + 1));
    expect(opened.origin).toBe('example.com/behind-the-sofa');
    expect(opened.size).toBe(20852163);
    expect(toHex(opened.rootHash)).toBe(
      toHex(fromBase64('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=')),
    );
  });

  describe('when the body is malformed (C2SP tlog-checkpoint)', () => {
    const body = (size: string, root = ROOT_B64, origin = 'o') => `${origin}\n${size}\n${root}\n`;
    it.each([
      ['has no final newline', body('8').slice(0, -1)],
      ['has only two lines', `o\n8\n`],
      ['has an empty origin', body('8', ROOT_B64, '')],
      ['has a size with a leading zero', body('08')],
      ['has a negative size', body('-1')],
      ['has a size with a plus sign', body('+1')],
      ['has a fractional size', body('1.0')],
      ['has a size in exponent form', body('1e3')],
      ['has an empty size', body('')],
      ['has a size with a space', body(' 1')],
      ['has a size above 2^53 - 1', body('9007199254740992')],
      ['has the largest uint64 size', body('18446744073709551615')],
      ['has a 31-byte root', body('8', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==')],
      ['has a 33-byte root', body('8', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')],
      ['has an unpadded root', body('8', ROOT_B64.slice(0, -1))],
      ['has a base64url root', body('8', ROOT_B64.replace('+', '-').replace('/', '_'))],
      ['has non-canonical padding bits in the root', body('8', ROOT_B64.replace('yg=', 'yh='))],
      ['has an empty extension line', `${body('8')}\n`],
      ['has a carriage return', body('8\r')],
    ])('reports CHECKPOINT_MALFORMED when it %s', (_label, text) => {
      expectErrorCode(() => parseCheckpoint(text), 'CHECKPOINT_MALFORMED');
    });
  });
});

describe('signCheckpoint and openCheckpoint', () => {
  it('round-trip a checkpoint through a signed note', () => {
    const note = signCheckpoint(checkpoint, signer);
    expect(note.startsWith(`${formatCheckpoint(checkpoint)}\n— log.example/deltatrace `)).toBe(
      true,
    );
    expect(openCheckpoint(note, signer, 'log.example/deltatrace')).toEqual(checkpoint);
  });

  it('verifies a real sum.golang.org checkpoint', () => {
    const verifier = parseVerifierKey(SUMDB_VERIFIER_KEY);
    const opened = openCheckpoint(SUMDB_NOTE, verifier, 'go.sum database tree');
    expect(opened.size).toBe(31700353);
    expect(toHex(opened.rootHash)).toBe(
      toHex(fromBase64('qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=')),
    );
    expect(formatCheckpoint(opened)).toBe(SUMDB_BODY);
  });

  it('tolerates a witness cosignature from an unknown key', () => {
    const witness = signerKeyFromSeed('witness.example/w1', new Uint8Array(32).fill(3));
    const note = signNote(formatCheckpoint(checkpoint), [signer, witness]);
    expect(openCheckpoint(note, signer)).toEqual(checkpoint);
    expect(openNote(note, [signer]).signatures.map((s) => [s.name, s.verified])).toEqual([
      ['log.example/deltatrace', true],
      ['witness.example/w1', false],
    ]);
  });

  describe('when the origin is not the expected one', () => {
    it('reports CHECKPOINT_ORIGIN_MISMATCH', () => {
      const note = signCheckpoint(checkpoint, signer);
      expectErrorCode(
        () => openCheckpoint(note, signer, 'log.example/other'),
        'CHECKPOINT_ORIGIN_MISMATCH',
      );
    });
  });

  describe('when the signed size or root is altered', () => {
    it('reports NOTE_BAD_SIGNATURE', () => {
      const verifier = parseVerifierKey(SUMDB_VERIFIER_KEY);
      const grown = SUMDB_NOTE.replace('31700353', '31700354');
      expectErrorCode(() => openCheckpoint(grown, verifier), 'NOTE_BAD_SIGNATURE');
      const note = signCheckpoint(checkpoint, signer);
      const otherRoot = note.replace(ROOT_B64, ROOT_B64.replace('X', 'Y'));
      expectErrorCode(() => openCheckpoint(otherRoot, signer), 'NOTE_BAD_SIGNATURE');
    });
  });

  describe('when the note is signed by another key only', () => {
    it('reports NOTE_NO_VERIFIABLE_SIGNATURE for the C2SP example and a foreign log', () => {
      expectErrorCode(() => openCheckpoint(C2SP_EXAMPLE, signer), 'NOTE_NO_VERIFIABLE_SIGNATURE');
      expectErrorCode(() => openCheckpoint(SUMDB_NOTE, signer), 'NOTE_NO_VERIFIABLE_SIGNATURE');
    });
  });

  describe('when a correctly signed note is not a checkpoint', () => {
    it('reports CHECKPOINT_MALFORMED', () => {
      const note = signNote('hello\n', [signer]);
      expectErrorCode(() => openCheckpoint(note, signer), 'CHECKPOINT_MALFORMED');
    });
  });

  describe('when the checkpoint cannot be written', () => {
    it('reports CHECKPOINT_MALFORMED before signing', () => {
      expectErrorCode(
        () => signCheckpoint({ ...checkpoint, size: -1 }, signer),
        'CHECKPOINT_MALFORMED',
      );
    });
  });
});
