/**
 * @module
 * The two ways this process computes SHA-256, which give the same digests: `native`, the small
 * module in native/sha256 (built at install) that calls the low-level SHA-256 of the OpenSSL Node
 * links, and `node:crypto`. A `crypto.hash` call costs about half a microsecond whatever its input
 * (OpenSSL 3's fetch and dispatch) and an appended entry takes four hashes, most of 33 or 65
 * bytes; the native calls skip that cost. The native module is used when it was built and loads;
 * `node:crypto` otherwise.
 */
import { hash } from 'node:crypto';
import { createRequire } from 'node:module';

export interface Sha256Backend {
  readonly name: 'native' | 'node:crypto';
  /** The digest as fresh bytes; a string is hashed as UTF-8. */
  digest(data: Uint8Array | string): Uint8Array;
  /** The digest as 64 lowercase hex digits. */
  hex(data: Uint8Array | string): string;
  /** {@link hex} of `bytes[start, end)`, without a view of the range. */
  hexOfRange(bytes: Uint8Array, start: number, end: number): string;
}

/** What native/sha256/sha256.c exports. */
interface NativeSha256Module {
  hex(data: Uint8Array | string, start?: number, end?: number): string;
  digestInto(data: Uint8Array | string, out: Uint8Array, outAt?: number): void;
}

/** The bytes of a string whose chars are all below 256 (a 'latin1' digest). */
function latin1ToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export const nodeCryptoSha256: Sha256Backend = {
  name: 'node:crypto',
  // On Node 20 the 'buffer' output costs ~1 µs a call, four times the hash of a 33-byte leaf;
  // a 'binary' (latin1) string, one char per byte, copied into fresh bytes costs a quarter of it.
  digest: (data) => latin1ToBytes(hash('sha256', data, 'binary')),
  hex: (data) => hash('sha256', data, 'hex'),
  hexOfRange: (bytes, start, end) => hash('sha256', bytes.subarray(start, end), 'hex'),
};

function nativeBackend(module: NativeSha256Module): Sha256Backend {
  // The module writes each digest here and a copy is handed out: a typed array handed to native
  // code is moved off the V8 heap first, which costs more than the hash when it is a new one.
  const out = new Uint8Array(32);
  return {
    name: 'native',
    digest: (data) => {
      module.digestInto(data, out);
      return out.slice();
    },
    hex: (data) => module.hex(data),
    hexOfRange: (bytes, start, end) => module.hex(bytes, start, end),
  };
}

/** The native module, or undefined when it was not built or does not load here. */
function loadNativeModule(): NativeSha256Module | undefined {
  try {
    // The same path from src/core and dist/core.
    const loaded = createRequire(import.meta.url)(
      '../../native/sha256/build/Release/sha256.node',
    ) as Partial<NativeSha256Module>;
    return typeof loaded.hex === 'function' && typeof loaded.digestInto === 'function'
      ? (loaded as NativeSha256Module)
      : undefined;
  } catch {
    return undefined;
  }
}

const nativeModule = loadNativeModule();

/** The native backend, when its module loads here (tests compare it with node:crypto). */
export const nativeSha256: Sha256Backend | undefined =
  nativeModule === undefined ? undefined : nativeBackend(nativeModule);

/** The backend this process hashes with. */
export const sha256Backend: Sha256Backend = nativeSha256 ?? nodeCryptoSha256;
