/**
 * The composition root's environment: where the store and keys live, the system clock, and the
 * key files. Only here (and in storage/adapters) do we touch the disk, the environment and the
 * wall clock.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

import { InputError, StorageError } from '../core/errors.js';
import type { Clock } from '../core/ports.js';
import {
  formatSignerKey,
  formatVerifierKey,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseVerifierKey,
  signerKeyFromSeed,
} from '../core/signing/index.js';

/** `--home`, else $DELTATRACE_HOME, else ./.deltatrace. */
export function resolveHome(option: string | undefined): string {
  return path.resolve(option ?? process.env['DELTATRACE_HOME'] ?? '.deltatrace');
}

/** Monotonic nanoseconds from hrtime, anchored to the wall clock once (DESIGN.md §4). */
export class SystemClock implements Clock {
  readonly #wallAnchorNs: bigint;
  readonly #monoAnchorNs: bigint;

  constructor() {
    this.#monoAnchorNs = process.hrtime.bigint();
    this.#wallAnchorNs = BigInt(Date.now()) * 1_000_000n;
  }

  wallNs(): bigint {
    return this.#wallAnchorNs + (process.hrtime.bigint() - this.#monoAnchorNs);
  }

  monoNs(): bigint {
    return process.hrtime.bigint();
  }
}

const SIGNER_SUFFIX = '.signer';
const VERIFIER_SUFFIX = '.pub';

export function keysDir(home: string): string {
  return path.join(home, 'keys');
}

/**
 * Creates a signing key from 32 random bytes. The private key goes to a 0600 file in a 0700
 * directory and is never printed; the verifier key is returned.
 * @throws KEY_ALREADY_EXISTS, NOTE_BAD_KEY
 */
export function generateKey(home: string, name: string): NoteVerifier {
  const dir = keysDir(home);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const signerPath = path.join(dir, `${name}${SIGNER_SUFFIX}`);
  if (existsSync(signerPath)) {
    throw new InputError('KEY_ALREADY_EXISTS', `a key named "${name}" already exists`, {
      details: { name },
    });
  }
  const signer = signerKeyFromSeed(name, randomBytes(32));
  writeFileSync(signerPath, `${formatSignerKey(signer)}\n`, { mode: 0o600, flag: 'wx' });
  writeFileSync(path.join(dir, `${name}${VERIFIER_SUFFIX}`), `${formatVerifierKey(signer)}\n`, {
    mode: 0o644,
  });
  return { name: signer.name, keyId: signer.keyId, publicKey: signer.publicKey };
}

/** Names of the signing keys in the home, sorted. */
export function listKeyNames(home: string): string[] {
  const dir = keysDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(SIGNER_SUFFIX))
    .map((file) => file.slice(0, -SIGNER_SUFFIX.length))
    .sort();
}

/**
 * Loads a signing key, refusing one that others can read (as ssh does).
 * @throws KEY_NOT_FOUND, KEY_PERMISSIONS, NOTE_BAD_KEY
 */
export function loadSigner(home: string, name: string | undefined): NoteSigner {
  const names = listKeyNames(home);
  const chosen = name ?? (names.length === 1 ? names[0] : undefined);
  if (chosen === undefined || !names.includes(chosen)) {
    throw new InputError(
      'KEY_NOT_FOUND',
      names.length === 0
        ? 'no signing key: run `deltatrace keys generate` first'
        : `choose a key with --key-name (one of: ${names.join(', ')})`,
      { details: { available: names } },
    );
  }
  const file = path.join(keysDir(home), `${chosen}${SIGNER_SUFFIX}`);
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new StorageError(
      'KEY_PERMISSIONS',
      `${file} is readable by others (mode ${mode.toString(8)}); chmod 600 it`,
      {
        details: { file, mode: mode.toString(8) },
      },
    );
  }
  return parseSignerKey(readFileSync(file, 'utf8').trim());
}

/** Verifier keys of every signing key in the home. */
export function loadLocalVerifiers(home: string): NoteVerifier[] {
  return listKeyNames(home).map((name) =>
    parseVerifierKey(
      readFileSync(path.join(keysDir(home), `${name}${VERIFIER_SUFFIX}`), 'utf8').trim(),
    ),
  );
}

/** A `--key` value: a verifier key string, or a file holding one. */
export function parseVerifierOption(value: string): NoteVerifier {
  const text =
    !value.includes('+') && existsSync(value) ? readFileSync(value, 'utf8').trim() : value.trim();
  return parseVerifierKey(text);
}

/** Reads a text file given on the command line. @throws INPUT_INVALID_ARGUMENT */
export function readInputFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('INPUT_INVALID_ARGUMENT', `cannot read ${what} ${file}`, {
      details: { file },
      cause: error,
    });
  }
}
