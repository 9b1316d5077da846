import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { fromHex, toHex } from '../../../src/core/bytes.js';
import { ed25519Sign, ed25519Verify } from '../../../src/core/signing/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { vectorsPath } from '../../helpers/vectors.js';

// C2SP/wycheproof testvectors_v1/ed25519_test.json (schema eddsa_verify_schema_v1.json).
const WycheproofTestSchema = z.looseObject({
  tcId: z.number().int(),
  comment: z.string(),
  msg: z.string(),
  sig: z.string(),
  result: z.enum(['valid', 'invalid', 'acceptable']),
  flags: z.array(z.string()),
});
const WycheproofFileSchema = z.looseObject({
  algorithm: z.literal('EDDSA'),
  numberOfTests: z.number().int(),
  testGroups: z.array(
    z.looseObject({
      publicKey: z.looseObject({ curve: z.literal('edwards25519'), pk: z.string() }),
      tests: z.array(WycheproofTestSchema),
    }),
  ),
});

const vectorsFile = vectorsPath('wycheproof', 'testvectors_v1', 'ed25519_test.json');

function loadCases(file: string) {
  const data = WycheproofFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const cases = data.testGroups.flatMap((group) =>
    group.tests.map((test) => ({ ...test, pk: group.publicKey.pk })),
  );
  return { numberOfTests: data.numberOfTests, cases };
}

// Loaded outside the suite: vitest still runs the body of a skipped describe to collect its tests.
const wycheproof = vectorsFile === undefined ? undefined : loadCases(vectorsFile);

describe.skipIf(wycheproof === undefined)('ed25519Verify against Wycheproof', () => {
  const { numberOfTests, cases } = wycheproof ?? { numberOfTests: 0, cases: [] };

  it('reads all 151 cases: 88 valid, 63 invalid, none merely acceptable', () => {
    expect(numberOfTests).toBe(151);
    expect(cases).toHaveLength(151);
    expect(cases.filter((c) => c.result === 'valid')).toHaveLength(88);
    expect(cases.filter((c) => c.result === 'invalid')).toHaveLength(63);
    expect(cases.filter((c) => c.result === 'acceptable')).toHaveLength(0);
  });

  it('returns exactly the expected verdict on every case', () => {
    const verdicts = cases.map((c) => ({
      tcId: c.tcId,
      flags: c.flags,
      expected: c.result === 'valid',
      actual: ed25519Verify(fromHex(c.pk), fromHex(c.msg), fromHex(c.sig)),
    }));
    expect(verdicts.filter((v) => v.actual !== v.expected)).toEqual([]);
    expect(verdicts.filter((v) => v.actual)).toHaveLength(88);
  });

  // RFC 8032 §7.1 TEST 1, 2, 3 and 1024 (tcId 80-83). Their secret keys are in the RFC only.
  const rfc8032Seeds: Record<number, string> = {
    80: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    81: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    82: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
  };

  it.each([80, 81, 82, 83])('accepts RFC 8032 §7.1 vector tcId %i', (tcId) => {
    const c = cases.find((x) => x.tcId === tcId);
    expect(c?.comment).toMatch(/^draft-josefsson-eddsa-ed25519-02: Test (1|2|3|1024)$/);
    expect(c?.result).toBe('valid');
    expect(c && ed25519Verify(fromHex(c.pk), fromHex(c.msg), fromHex(c.sig))).toBe(true);
  });

  it.each([80, 81, 82])('reproduces the RFC 8032 §7.1 signature of tcId %i', (tcId) => {
    const c = cases.find((x) => x.tcId === tcId);
    const seed = rfc8032Seeds[tcId];
    if (c === undefined || seed === undefined) throw new Error(`missing tcId ${tcId}`);
    expect(toHex(ed25519Sign(fromHex(seed), fromHex(c.msg)))).toBe(c.sig);
  });
});

describe('ed25519Verify', () => {
  const seed = new Uint8Array(32).fill(7);
  const message = new TextEncoder().encode('checkpoint');
  const signature = ed25519Sign(seed, message);
  const rfcTest1PublicKey = fromHex(
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  );

  describe('when a size is wrong', () => {
    it('returns false for a 31- or 33-byte public key instead of throwing', () => {
      expect(ed25519Verify(new Uint8Array(31), message, signature)).toBe(false);
      expect(ed25519Verify(new Uint8Array(33), message, signature)).toBe(false);
    });

    it('returns false for a 63- or 65-byte signature instead of throwing', () => {
      expect(ed25519Verify(rfcTest1PublicKey, message, signature.subarray(0, 63))).toBe(false);
      expect(ed25519Verify(rfcTest1PublicKey, message, new Uint8Array(65))).toBe(false);
    });
  });

  describe('when an encoding is not canonical (RFC 8032 §5.1.3)', () => {
    it('returns false for a public key with y >= p', () => {
      const key = new Uint8Array(32).fill(0xff);
      key[31] = 0x7f;
      expect(ed25519Verify(key, message, signature)).toBe(false);
    });

    it('returns false for y = 1 with the sign bit of x set', () => {
      const key = new Uint8Array(32);
      key[0] = 1;
      key[31] = 0x80;
      expect(ed25519Verify(key, message, signature)).toBe(false);
    });

    it('returns false for a public key that is not a curve point', () => {
      const key = new Uint8Array(32);
      key[0] = 2;
      expect(ed25519Verify(key, message, signature)).toBe(false);
    });
  });
});

describe('ed25519Sign', () => {
  describe('when the seed is not 32 bytes', () => {
    it('throws NOTE_BAD_KEY', () => {
      expectErrorCode(() => ed25519Sign(new Uint8Array(31), new Uint8Array()), 'NOTE_BAD_KEY');
    });
  });
});
