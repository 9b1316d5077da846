/**
 * The careful attacker's rewrites behind tamper.ts: the log is replaced by another whose chain,
 * Merkle nodes, snapshot and id index are all recomputed, so the store is internally consistent
 * and only checkpoints still describe the original.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';

import {
  type AppendBatch,
  type EventBody,
  type EventId,
  type EventStore,
  fromHex,
  GENESIS_PREV,
  hashLeaf,
  MerkleFrontier,
  type MerkleNode,
  type SealedEntry,
  sealEntry,
  SNAPSHOT_FORMAT,
  type StoredCheckpoint,
  type StoreSnapshot,
  toHex,
  toTsNs,
} from '../../src/core/index.js';
import {
  createStore,
  detectBackend,
  openStore,
  type StoreBackend,
} from '../../src/storage/index.js';
import {
  CHECKPOINTS_FILE_NAME,
  EVENTS_FILE_NAME,
  STATE_FILE_NAME,
} from '../../src/storage/jsonl/index.js';
import { SQLITE_FILE_NAME } from '../../src/storage/sqlite/index.js';

interface StoreContents {
  readonly backend: StoreBackend;
  readonly snapshot: StoreSnapshot;
  readonly checkpoints: readonly StoredCheckpoint[];
  readonly lines: readonly string[];
}

const STORE_FILES: Record<StoreBackend, readonly string[]> = {
  sqlite: [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`, `${SQLITE_FILE_NAME}-shm`],
  jsonl: [EVENTS_FILE_NAME, CHECKPOINTS_FILE_NAME, STATE_FILE_NAME, `${STATE_FILE_NAME}.tmp`],
};

async function readContents(dir: string): Promise<StoreContents> {
  const backend = detectBackend(dir);
  if (backend === undefined) throw new Error(`no store in ${dir}`);
  const store = await openStore(dir, { readonly: true });
  try {
    const lines: string[] = [];
    for await (const chunk of store.scan()) lines.push(...chunk);
    return {
      backend,
      snapshot: await store.snapshot(),
      checkpoints: await store.listCheckpoints(),
      lines,
    };
  } finally {
    await store.close();
  }
}

interface WireEntry {
  readonly id: string;
  readonly type: string;
  readonly type_v: number;
  readonly run: string;
  readonly ts: { readonly wall_ns: string; readonly mono_ns: string; readonly hlc?: string };
  readonly source: EventBody['source'];
  readonly causes: readonly string[];
  readonly payload: unknown;
  readonly prev: string;
  readonly hash: string;
}

function parseEntry(line: string, position: number): WireEntry {
  try {
    return JSON.parse(line) as WireEntry;
  } catch {
    throw new Error(`the entry at position ${position} is not JSON; rewrite an intact log`);
  }
}

function sealedAsStored(line: string, position: number): SealedEntry {
  const entry = parseEntry(line, position);
  return {
    seq: position,
    id: entry.id,
    type: entry.type,
    run: entry.run,
    prev: entry.prev,
    hash: entry.hash,
    hashBytes: fromHex(entry.hash),
    line,
  };
}

function bodyOf(entry: WireEntry): EventBody {
  const ts = {
    wall_ns: toTsNs(BigInt(entry.ts.wall_ns)),
    mono_ns: toTsNs(BigInt(entry.ts.mono_ns)),
    ...(entry.ts.hlc === undefined ? {} : { hlc: entry.ts.hlc }),
  };
  return {
    type: entry.type,
    type_v: entry.type_v,
    run: entry.run,
    ts,
    source: entry.source,
    causes: entry.causes.map((id) => id as EventId),
    payload: entry.payload,
  };
}

/** Replaces the store with one holding exactly `entries`, its own data recomputed to match. */
async function rebuild(dir: string, old: StoreContents, entries: SealedEntry[]): Promise<void> {
  for (const name of STORE_FILES[old.backend]) rmSync(path.join(dir, name), { force: true });
  const frontier = MerkleFrontier.empty();
  const nodes: MerkleNode[] = [];
  const counts = new Map<string, number>();
  for (const entry of entries) {
    nodes.push(...frontier.append(hashLeaf(entry.hashBytes)));
    counts.set(entry.type, (counts.get(entry.type) ?? 0) + 1);
  }
  const snapshot: StoreSnapshot = {
    format: SNAPSHOT_FORMAT,
    origin: old.snapshot.origin,
    size: entries.length,
    head_hash: entries.at(-1)?.hash ?? GENESIS_PREV,
    root: toHex(frontier.root()),
    frontier: frontier.toJSON().hashes,
    type_counts: Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1))),
    latest_checkpoint: old.snapshot.latest_checkpoint,
  };
  const store: EventStore = await createStore(dir, {
    backend: old.backend,
    origin: old.snapshot.origin,
  });
  try {
    const batch: AppendBatch = { entries, unlinked: null, nodes, snapshot };
    if (entries.length > 0) await store.append(batch);
    for (const checkpoint of old.checkpoints) await store.putCheckpoint(checkpoint, snapshot);
  } finally {
    await store.close();
  }
}

/**
 * Rewrites every entry through `transform` and re-seals the whole chain: new ids (causes follow
 * them), hashes, prev links, Merkle nodes and snapshot, all internally consistent. Only the
 * checkpoints still describe the original log.
 */
export async function rewriteLog(
  dir: string,
  transform: (body: EventBody, seq: number) => EventBody,
): Promise<void> {
  const contents = await readContents(dir);
  const renamed = new Map<string, string>();
  const entries: SealedEntry[] = [];
  let prev = GENESIS_PREV;
  for (const [seq, line] of contents.lines.entries()) {
    const original = parseEntry(line, seq);
    const body = transform(bodyOf(original), seq);
    const causes = body.causes.map((cause) => renamed.get(cause) ?? cause);
    const entry = sealEntry({ ...body, causes: causes.map((id) => id as EventId) }, seq, prev);
    renamed.set(original.id, entry.id);
    entries.push(entry);
    prev = entry.hash;
  }
  await rebuild(dir, contents, entries);
}

/** Rebuilds the store from its first `keep` stored entries, unchanged. */
export async function rebuildKeeping(dir: string, keep: number): Promise<void> {
  const contents = await readContents(dir);
  const kept = contents.lines.slice(0, keep).map((line, i) => sealedAsStored(line, i));
  await rebuild(dir, contents, kept);
}
