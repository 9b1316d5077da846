import { describe, expect, it } from 'vitest';

import {
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signerKeyFromSeed,
  signNote,
} from '../../../src/core/signing/index.js';
import { expectErrorCode } from '../../helpers/errors.js';

// golang.org/x/mod sumdb/note/note_test.go (TestSign, TestOpen) and the package doc of note.go.
const PETER_SIGNER_KEY =
  'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VERIFIER_KEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT =
  'If you think cryptography is the answer to your problem,\n' +
  "then you don't know what your problem is.\n";
const PETER_SIG =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

const peterSigner = parseSignerKey(PETER_SIGNER_KEY);
const peter = parseVerifierKey(PETER_VERIFIER_KEY);
const enoch = parseVerifierKey(ENOCH_VERIFIER_KEY);
const peterSigned = { name: 'PeterNeumann', keyId: 0xc74f20a3 };
const enochSigned = { name: 'EnochRoot', keyId: 0xaf0cfe78 };

describe('signNote', () => {
  it('reproduces the signed note of Go TestSign byte for byte', () => {
    expect(signNote(TEXT, [peterSigner])).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('writes one line per distinct signer, in order', () => {
    const other = signerKeyFromSeed('witness.example/w1', new Uint8Array(32).fill(1));
    const note = signNote(TEXT, [other, peterSigner, other]);
    const lines = note.slice(TEXT.length + 1).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^— witness\.example\/w1 [A-Za-z0-9+/]{91}=$/);
    expect(`${lines[1]}\n`).toBe(PETER_SIG);
    expect(lines[2]).toBe('');
  });

  it('signs bodies that contain blank lines', () => {
    const body = 'first\n\nsecond\n';
    expect(openNote(signNote(body, [peterSigner]), [peter]).body).toBe(body);
  });

  describe('when the body is not a valid note text', () => {
    it.each([
      ['is empty', ''],
      ['lacks its final newline', 'abc'],
      ['holds a carriage return', 'a\r\n'],
      ['holds a lone surrogate', 'a\ud800\n'],
    ])('reports NOTE_MALFORMED when it %s', (_label, body) => {
      expectErrorCode(() => signNote(body, [peterSigner]), 'NOTE_MALFORMED');
    });
  });

  describe('when there is no signer', () => {
    it('reports NOTE_MALFORMED', () => {
      expectErrorCode(() => signNote(TEXT, []), 'NOTE_MALFORMED');
    });
  });

  describe('when a signer has an invalid name', () => {
    it('reports NOTE_BAD_KEY', () => {
      expectErrorCode(() => signNote(TEXT, [{ ...peterSigner, name: 'bad name' }]), 'NOTE_BAD_KEY');
    });
  });
});

describe('openNote', () => {
  it('verifies one signature and keeps the unknown one unverified (Go TestOpen)', () => {
    const opened = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [peter]);
    expect(opened).toEqual({
      body: TEXT,
      signatures: [
        { ...peterSigned, verified: true },
        { ...enochSigned, verified: false },
      ],
    });
  });

  it('verifies both signatures when both keys are known', () => {
    const opened = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [peter, enoch]);
    expect(opened.signatures).toEqual([
      { ...peterSigned, verified: true },
      { ...enochSigned, verified: true },
    ]);
  });

  it('accepts the note as bytes', () => {
    const bytes = new TextEncoder().encode(`${TEXT}\n${PETER_SIG}`);
    expect(openNote(bytes, [peter]).body).toBe(TEXT);
  });

  it('reports repeated identical lines once', () => {
    const opened = openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}`, [peter]);
    expect(opened.signatures).toEqual([
      { ...peterSigned, verified: true },
      { ...enochSigned, verified: false },
    ]);
  });

  it('ignores a signature that shares only the name or only the key id of a known key', () => {
    const sameName = PETER_SIG.replace('x08go/', 'AAAAA/');
    const sameId = PETER_SIG.replace('PeterNeumann', 'CarmenSandiego');
    const opened = openNote(`${TEXT}\n${sameName}${sameId}${PETER_SIG}`, [peter]);
    expect(opened.signatures.map((s) => s.verified)).toEqual([false, false, true]);
  });

  it('accepts the same verifier passed twice', () => {
    expect(openNote(`${TEXT}\n${PETER_SIG}`, [peter, peter]).signatures).toHaveLength(1);
  });

  describe('when no known key signed the note', () => {
    it('reports NOTE_NO_VERIFIABLE_SIGNATURE', () => {
      expectErrorCode(
        () => openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, []),
        'NOTE_NO_VERIFIABLE_SIGNATURE',
      );
      expectErrorCode(
        () => openNote(`${TEXT}\n${ENOCH_SIG}`, [peter]),
        'NOTE_NO_VERIFIABLE_SIGNATURE',
      );
    });
  });

  describe('when a known key signature does not verify', () => {
    it('reports NOTE_BAD_SIGNATURE for an altered signature (Go TestOpen)', () => {
      const altered = `${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
      expectErrorCode(() => openNote(`${TEXT}\n${altered}`, [peter]), 'NOTE_BAD_SIGNATURE');
    });

    it('reports NOTE_BAD_SIGNATURE for a tampered body', () => {
      const tampered = TEXT.replace('problem,', 'problem;');
      expectErrorCode(() => openNote(`${tampered}\n${PETER_SIG}`, [peter]), 'NOTE_BAD_SIGNATURE');
    });

    it('reports NOTE_BAD_SIGNATURE even when another signature verifies', () => {
      const altered = `${ENOCH_SIG.slice(0, 60)}ABCD${ENOCH_SIG.slice(60)}`;
      expectErrorCode(
        () => openNote(`${TEXT}\n${PETER_SIG}${altered}`, [peter, enoch]),
        'NOTE_BAD_SIGNATURE',
      );
    });

    it('reports NOTE_BAD_SIGNATURE for a known key id over a truncated signature', () => {
      const truncated = '— PeterNeumann x08go/ZJkuBS9UG/\n';
      expectErrorCode(() => openNote(`${TEXT}\n${truncated}`, [peter]), 'NOTE_BAD_SIGNATURE');
    });
  });

  describe('when two different verifiers share a name and key id', () => {
    it('reports NOTE_BAD_KEY', () => {
      const impostor = { ...peter, publicKey: enoch.publicKey };
      expectErrorCode(() => openNote(`${TEXT}\n${PETER_SIG}`, [peter, impostor]), 'NOTE_BAD_KEY');
    });
  });

  describe('when the note is malformed (Go TestOpen badMsgs and more)', () => {
    it.each([
      ['has no signature block', TEXT],
      ['has an empty signature block', `${TEXT}\n`],
      ['lacks the final newline', `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
      ['starts with a control character', `\u0001${TEXT}\n${PETER_SIG}`],
      ['holds a lone surrogate', `\ud800${TEXT}\n${PETER_SIG}`],
      ['has a key name with a space', `${TEXT}\n— Bad Name ${PETER_SIG.slice(15)}`],
      ['has a line that is not a signature', `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
      ['has a hyphen instead of an em dash', `${TEXT}\n-${PETER_SIG.slice(1)}`],
      ['has no space after the name', `${TEXT}\n— PeterNeumann\n`],
      ['has a signature that is not base64', `${TEXT}\n— PeterNeumann x08go!ZJ\n`],
      ['has a signature shorter than 5 bytes', `${TEXT}\n— PeterNeumann x08gow==\n`],
      ['has 101 signatures', `${TEXT}\n${PETER_SIG.repeat(101)}`],
    ])('reports NOTE_MALFORMED when it %s', (_label, text) => {
      expectErrorCode(() => openNote(text, [peter]), 'NOTE_MALFORMED');
    });

    it('reports NOTE_MALFORMED for bytes that are not UTF-8', () => {
      const bytes = new Uint8Array([0xff, ...new TextEncoder().encode(`${TEXT}\n${PETER_SIG}`)]);
      expectErrorCode(() => openNote(bytes, [peter]), 'NOTE_MALFORMED');
    });
  });

  it('accepts 100 signatures', () => {
    expect(openNote(`${TEXT}\n${PETER_SIG.repeat(100)}`, [peter]).signatures).toHaveLength(1);
  });
});
