/**
 * @module
 * The configuration of a simulated link and its checks: latency, jitter, loss and the windows
 * in which the link is partitioned. Times are the scheduler's monotonic nanoseconds.
 */
import { InputError } from '../../core/index.js';
import { assertLatencyModel } from '../latency.js';

/** A message on a link: opaque to the simulator. */
export type Frame = Uint8Array | string;

export interface LinkProfile {
  /** Fixed one-way delay. */
  readonly latencyNs: bigint;
  /** Extra one-way delay, uniform in `[0, jitterNs]`; never reorders a direction's frames. */
  readonly jitterNs?: bigint;
  /** Chance in `[0, 1]` that a frame is lost. */
  readonly lossProbability?: number;
}

/** The link is down for sends in `[fromNs, toNs)`. */
export interface Partition {
  readonly fromNs: bigint;
  readonly toNs: bigint;
}

export interface LinkOptions {
  /** Unique within its simulator; also seeds the link's randomness. */
  readonly name: string;
  /** The two endpoint names, e.g. `['XSIM1', 'client-1']`. */
  readonly endpoints: readonly [string, string];
  /** Applies to both directions. */
  readonly profile: LinkProfile;
  /** Non-overlapping, in ascending order. */
  readonly partitions?: readonly Partition[];
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

function invalid(message: string, details: Record<string, string>): InputError {
  return new InputError('NET_INVALID_LINK', message, { details: { ...details } });
}

/** @throws InputError `NET_INVALID_LINK` for a bad name, endpoint pair, profile or partition. */
export function assertLinkOptions(options: LinkOptions): void {
  const { name, endpoints, profile } = options;
  if (!NAME_RE.test(name)) throw invalid('bad link name', { link: name });
  const [a, b] = endpoints;
  if (!NAME_RE.test(a) || !NAME_RE.test(b) || a === b) {
    throw invalid('a link joins two distinct, well-named endpoints', { link: name, a, b });
  }
  assertLatencyModel(
    { baseNs: profile.latencyNs, jitterNs: profile.jitterNs ?? 0n },
    'NET_INVALID_LINK',
  );
  const loss = profile.lossProbability ?? 0;
  if (!(loss >= 0 && loss <= 1)) {
    throw invalid('loss probability must be in [0, 1]', { link: name, loss: String(loss) });
  }
  let previousEndNs: bigint | undefined;
  for (const { fromNs, toNs } of options.partitions ?? []) {
    if (fromNs < 0n || toNs <= fromNs || (previousEndNs !== undefined && fromNs < previousEndNs)) {
      throw invalid('partitions are non-empty, non-overlapping and in order', {
        link: name,
        from_ns: fromNs.toString(),
        to_ns: toNs.toString(),
      });
    }
    previousEndNs = toNs;
  }
}

/** Whether `atNs` falls inside one of the (ordered) partitions. */
export function isPartitioned(partitions: readonly Partition[], atNs: bigint): boolean {
  for (const { fromNs, toNs } of partitions) {
    if (atNs < fromNs) return false;
    if (atNs < toNs) return true;
  }
  return false;
}

const utf8 = new TextEncoder();

/** FNV-1a, 64 bits: a stable, platform-independent hash to derive per-direction seeds. */
export function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of utf8.encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}

/** Same content; a text frame equals the bytes of its UTF-8 encoding (what a socket carries). */
export function framesEqual(a: Frame, b: Frame): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  const x = typeof a === 'string' ? utf8.encode(a) : a;
  const y = typeof b === 'string' ? utf8.encode(b) : b;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
