/**
 * @module
 * The native scan of stored entry texts (native/entry-scan, built at install): one pass over a
 * text the ledger wrote gives the places of its members, its stamps, type and seq, and a tick's
 * payload values — what ./recorded-event.ts otherwise finds with searches, a regular expression,
 * BigInt of decimal texts and a scan of the payload, several microseconds an entry when a replay
 * reads a million. It reads only the ledger's own layout and says so; anything else is read the
 * slower way, with the same result. The module is used when it was built and loads here.
 */
import { createRequire } from 'node:module';

import { type TickInput, tickInput } from '../pipeline/index.js';
import { nameById } from './entry-text.js';

/** What native/entry-scan/entry-scan.c exports. */
interface NativeEntryScanModule {
  bind(slots: Float64Array, stamps: BigUint64Array, idBytes: Uint8Array): void;
  scan(line: string): number;
  scanBytes(bytes: Uint8Array, start: number): number;
  readonly SLOT_COUNT: number;
}

/** The slots a scan fills, as entry-scan.c numbers them. */
export const SLOT = {
  CAUSES_END: 0,
  PAYLOAD_END: 1,
  RUN_AT: 2,
  RUN_END: 3,
  SEQ: 4,
  SOURCE_AT: 5,
  TS_AT: 6,
  HLC_COUNTER: 7,
  HLC_NODE_AT: 8,
  HLC_NODE_END: 9,
  TYPE_AT: 10,
  TYPE_END: 11,
  TYPE_V: 12,
  TICK_MEMBERS: 13,
  TICK_MASK: 14,
  /** Nine: a tick member's integer value, or where its string starts. */
  TICK_VALUES: 15,
  /** Nine: where a tick member's string ends. */
  TICK_ENDS: 24,
  /**
   * The numbers the module gives names as it first sees them (the same text, the same number, for
   * the life of the process); -1 for a name it does not number.
   */
  TYPE_ID: 33,
  NODE_ID: 34,
  /** Of the source's whole text. */
  SOURCE_ID: 35,
  INSTRUMENT_ID: 36,
  VENUE_ID: 37,
  /** {@link EntryScanner.scanBytes}: where the text ends in the bytes. */
  LINE_END: 38,
} as const;
const SLOT_COUNT = 39;

/** What a scan found. */
export const SCAN = {
  /** Not laid out as the ledger writes entries: read the text another way. */
  other: 0,
  /** Laid out so: the slots and stamps hold its members. */
  entry: 1,
  /** An md.tick laid out so, its payload a tick's canonical text: the tick slots hold it too. */
  tick: 2,
} as const;
export type ScanResult = (typeof SCAN)[keyof typeof SCAN];

export interface EntryScanner {
  /** Scans `line`, leaving what it found in {@link slots} and {@link stamps} until the next scan. */
  scan(line: string): ScanResult;
  /**
   * {@link scan} of the text at `start` in UTF-8 bytes, up to the next newline (or their end), read
   * in place; the slots give places from `start` and, whatever the answer, {@link SLOT.LINE_END}.
   */
  scanBytes(bytes: Uint8Array, start: number): ScanResult;
  readonly slots: Float64Array;
  /** wall_ns, mono_ns. */
  readonly stamps: BigUint64Array;
  /** The id's 32 digest bytes, decoded, as 8 words (copied as words, the bytes keep their order). */
  readonly idWords: Int32Array;
}

/** Ids a scan decoded, kept as words in blocks until the replay consumes their entries. */
export class IdArena {
  static readonly #WORDS = 8 * 4096;
  #words = new Int32Array(IdArena.#WORDS);
  #next = 0;

  /** The block the next {@link keep} writes into. */
  get words(): Int32Array {
    if (this.#next === IdArena.#WORDS) {
      // Entries not yet consumed keep the old block alive; it is let go with them.
      this.#words = new Int32Array(IdArena.#WORDS);
      this.#next = 0;
    }
    return this.#words;
  }

  /** Copies the 8 words of `id` into {@link words}; where they start. */
  keep(id: Int32Array): number {
    const words = this.words;
    const at = this.#next;
    for (let k = 0; k < 8; k++) words[at + k] = id[k]!;
    this.#next = at + 8;
    return at;
  }
}

/**
 * The tick whose payload a scan read, from its slots (see tickInput): what `tickOfValues` gives of
 * the payload (./tick-text.ts). The text is read only for a name not seen before.
 */
export function scannedTickInput(
  text: { readonly line: string },
  slots: Float64Array,
  adapter: string,
): TickInput {
  const mask = slots[SLOT.TICK_MASK]!;
  const values = SLOT.TICK_VALUES;
  return tickInput(
    adapter,
    (mask & 256) === 0 ? '' : scannedName(text, slots, 8, SLOT.VENUE_ID),
    (mask & 32) === 0 ? '' : scannedName(text, slots, 5, SLOT.INSTRUMENT_ID),
    (mask & 4) === 0 ? undefined : slots[values + 2],
    (mask & 8) === 0 ? undefined : slots[values + 3],
    (mask & 1) === 0 ? undefined : slots[values],
    (mask & 2) === 0 ? undefined : slots[values + 1],
    (mask & 64) === 0 ? undefined : slots[values + 6],
    (mask & 128) === 0 ? undefined : slots[values + 7],
    (mask & 16) === 0 ? undefined : slots[values + 4],
  );
}

/** A tick's string member `member` as a scan found it. */
function scannedName(
  text: { readonly line: string },
  slots: Float64Array,
  member: number,
  idSlot: number,
): string {
  return nameById(
    slots[idSlot]!,
    text,
    slots[SLOT.TICK_VALUES + member]!,
    slots[SLOT.TICK_ENDS + member]!,
  );
}

function loadNativeModule(): NativeEntryScanModule | undefined {
  try {
    // The same path from src/replay and dist/replay.
    const loaded = createRequire(import.meta.url)(
      '../../native/entry-scan/build/Release/entry_scan.node',
    ) as Partial<NativeEntryScanModule>;
    return typeof loaded.scan === 'function' &&
      typeof loaded.bind === 'function' &&
      typeof loaded.scanBytes === 'function' &&
      loaded.SLOT_COUNT === SLOT_COUNT
      ? (loaded as NativeEntryScanModule)
      : undefined;
  } catch {
    return undefined;
  }
}

function scannerOf(module: NativeEntryScanModule): EntryScanner {
  // One buffer for all three, allocated outside the V8 heap (it is over 64 bytes): its memory never
  // moves, so the module keeps where it is.
  const buffer = new ArrayBuffer(8 * (SLOT_COUNT + 2) + 32);
  const slots = new Float64Array(buffer, 0, SLOT_COUNT);
  const stamps = new BigUint64Array(buffer, 8 * SLOT_COUNT, 2);
  const idAt = 8 * (SLOT_COUNT + 2);
  module.bind(slots, stamps, new Uint8Array(buffer, idAt, 32));
  const idWords = new Int32Array(buffer, idAt, 8);
  return {
    scan: (line) => module.scan(line) as ScanResult,
    scanBytes: (bytes, start) => module.scanBytes(bytes, start) as ScanResult,
    slots,
    stamps,
    idWords,
  };
}

const nativeModule = loadNativeModule();

/** The native scanner, or undefined when its module was not built or does not load here. */
export const nativeEntryScanner: EntryScanner | undefined =
  nativeModule === undefined ? undefined : scannerOf(nativeModule);
