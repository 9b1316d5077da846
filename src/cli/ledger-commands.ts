/**
 * The ledger's basic commands: init, log, checkpoint.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

import { fromHex, toBase64 } from '../core/bytes.js';
import type { EntryFilter } from '../core/ports.js';
import { formatVerifierKey, signCheckpoint } from '../core/signing/index.js';
import { createStore } from '../storage/index.js';
import { generateKey, listKeyNames, loadSigner } from './context.js';
import type { Output } from './output.js';
import { openLedger, withStore } from './session.js';

export interface InitOptions {
  readonly backend: 'sqlite' | 'jsonl';
  readonly origin?: string;
  readonly keyName: string;
  readonly key: boolean;
}

export async function initCommand(home: string, options: InitOptions, out: Output): Promise<void> {
  mkdirSync(home, { recursive: true });
  const origin = options.origin ?? `deltatrace/${randomHex(12)}`;
  const store = await createStore(home, { backend: options.backend, origin });
  await store.close();
  let verifierKey: string | null = null;
  if (options.key && listKeyNames(home).length === 0) {
    verifierKey = formatVerifierKey(generateKey(home, options.keyName));
  }
  out.info(`created a ${options.backend} ledger in ${home} (origin ${origin})`);
  out.ok({ home, backend: options.backend, origin, verifier_key: verifierKey });
}

function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}

export interface LogOptions {
  readonly type?: string;
  readonly run?: string;
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
}

export async function logCommand(home: string, options: LogOptions, out: Output): Promise<void> {
  await withStore(home, { readonly: true }, async (store) => {
    const filter: { -readonly [K in keyof EntryFilter]: EntryFilter[K] } = {};
    if (options.type !== undefined) filter.type = options.type;
    if (options.run !== undefined) filter.run = options.run;
    if (options.from !== undefined) filter.fromSeq = options.from;
    if (options.to !== undefined) filter.toSeq = options.to;
    let printed = 0;
    for await (const lines of store.query(filter)) {
      for (const line of lines) {
        if (options.limit !== undefined && printed >= options.limit) return;
        out.record(JSON.parse(line));
        printed++;
      }
    }
  });
}

export async function checkpointCommand(
  home: string,
  options: { readonly keyName?: string; readonly out?: string },
  out: Output,
): Promise<void> {
  const signer = loadSigner(home, options.keyName);
  await withStore(home, { readonly: false }, async (store) => {
    const ledger = await openLedger(store);
    const { origin, size, root } = ledger.snapshot;
    const note = signCheckpoint({ origin, size, rootHash: fromHex(root) }, signer);
    await ledger.recordCheckpoint(note);
    if (options.out !== undefined) writeFileSync(options.out, note);
    out.info(`signed checkpoint of size ${size} with key ${signer.name}`);
    out.ok({
      origin,
      size,
      root: toBase64(fromHex(root)),
      note,
      verifier_key: formatVerifierKey(signer),
    });
  });
}
