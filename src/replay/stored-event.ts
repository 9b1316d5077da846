/**
 * @module
 * The events of a recorded run as a replay reads them, from the ledger's canonical entry texts.
 * RFC 8785 fixes where each member sits (causes, hash, id, payload, prev, run, seq, source, ts,
 * type, type_v, v), so members are cut from the text at those places rather than parsed: the
 * stamps and type at once, the rest when asked for — a replay reads a tick's payload straight
 * from the text and parses other payloads only. A text laid out otherwise is parsed whole
 * instead, with the same result.
 */
import { bodyTextInEntry, eventIdOfBodyText, type Source } from '../core/index.js';
import { type TickInput, tickOfValues } from '../pipeline/index.js';
import { QUOTE } from './char-codes.js';
import {
  type EntryScanner,
  type IdArena,
  SCAN,
  scannedTickInput,
  type ScanResult,
  SLOT,
} from './entry-scan.js';
import {
  causesEnd,
  knownType,
  middleAfter,
  middleBefore,
  nameById,
  parse,
  type ParsedEntry,
  parseEntry,
  sourceById,
  type SourceCache,
  tailOf,
  unreadable,
} from './entry-text.js';
import type { IdTable } from './id-table.js';
import type { RecordedEvent } from './recorded-event.js';
import { isTickPayloadOf, readTickText, tickMemberMask } from './tick-text.js';

/**
 * One stored entry. Offsets point into `line`; a getter cuts and parses its member on first use.
 * Internal to the replay: its fast paths compare against the text without building the members.
 */
export class StoredEvent implements RecordedEvent {
  /** The text, once made: an entry read in place from a store's bytes makes it when asked. */
  #line: string | undefined;
  /** Where the text lies until it is made: the bytes a store handed out, and its place there. */
  #bytes: Buffer | undefined;
  #lineAt = 0;
  #lineEnd = 0;
  readonly type: string;
  readonly typeV: number;
  readonly wallNs: bigint;
  readonly monoNs: bigint;
  /** Where `sha256:<hex>` starts in the line, or -1 when the line was parsed whole. */
  readonly idAt: number;
  /** The counter of a stamp `<own wall_ns>.<counter>@<node>` in canonical digits; else -1. */
  readonly hlcCounter: number;
  readonly #hlcNode: string | undefined;
  #hlc: string | undefined;
  readonly #causesEnd: number;
  readonly #tsAt: number;
  readonly #sources: SourceCache | undefined;
  /** The text parsed whole, when it is not laid out as the ledger writes it. */
  #whole: ParsedEntry | undefined;
  /** Where the payload ends: 0 until the members after it are read (see #readMiddle). */
  #payloadEnd = 0;
  #runAt = 0;
  #runEnd = 0;
  #seq = 0;
  #sourceAt = 0;
  #id: string | undefined;
  #source: Source | undefined;
  #causes: readonly string[] | undefined;
  #payload: Readonly<Record<string, unknown>> | undefined;
  /** The tick read from the text; null when it cannot be, undefined until asked (see tick()). */
  #tick: TickInput | null | undefined;
  /** Which members the tick's payload has, and how many (see isTickPayloadOf). */
  #tickMask = 0;
  #tickMembers = 0;
  /** The id's digest as the native scan decoded it (8 words from `#idWordAt`, see IdArena). */
  readonly #idWords: Int32Array | undefined;
  readonly #idWordAt: number;
  /** The number the native scan gave the source's text; -1 for none. */
  readonly #sourceId: number;

  /**
   * `line`: the entry's text, or UTF-8 bytes holding it at `start`, up to a newline or their end
   * (read with `scanner`, which is then required). `scanner`: the native scan, when it is to be
   * tried first (see ./entry-scan.ts); `ids`, where the ids it decodes are kept.
   */
  constructor(
    line: string | Buffer,
    sources?: SourceCache,
    scanner?: EntryScanner,
    ids?: IdArena,
    start = 0,
  ) {
    this.#sources = sources;
    this.#id = undefined;
    this.#source = undefined;
    this.#causes = undefined;
    this.#payload = undefined;
    this.#tick = undefined;
    let scanned: ScanResult;
    if (typeof line === 'string') {
      this.#line = line;
      this.#bytes = undefined;
      scanned = scanner === undefined ? SCAN.other : scanner.scan(line);
    } else {
      scanned = scanner!.scanBytes(line, start);
      const end = scanner!.slots[SLOT.LINE_END]!;
      // A tick is read through the slots: its text is made only if something asks for it.
      if (scanned === SCAN.tick) {
        this.#line = undefined;
        this.#bytes = line;
        this.#lineAt = start;
        this.#lineEnd = end;
      } else {
        // A scanned text is ASCII, whose bytes latin1 reads one char each, fastest.
        this.#line = line.toString(scanned === SCAN.other ? 'utf8' : 'latin1', start, end);
        this.#bytes = undefined;
      }
    }
    if (scanned !== SCAN.other) {
      const slots = scanner!.slots;
      const end = slots[SLOT.CAUSES_END]!;
      this.#whole = undefined;
      this.type = nameById(slots[SLOT.TYPE_ID]!, this, slots[SLOT.TYPE_AT]!, slots[SLOT.TYPE_END]!);
      this.typeV = slots[SLOT.TYPE_V]!;
      this.wallNs = scanner!.stamps[0]!;
      this.monoNs = scanner!.stamps[1]!;
      this.idAt = end + 9 + 64 + 8;
      if (ids === undefined) {
        this.#idWords = undefined;
        this.#idWordAt = 0;
      } else {
        this.#idWords = ids.words;
        this.#idWordAt = ids.keep(scanner!.idWords);
      }
      // The scan reads a stamp only of this entry's own wall_ns, or none.
      this.hlcCounter = slots[SLOT.HLC_COUNTER]!;
      this.#hlcNode =
        this.hlcCounter < 0
          ? undefined
          : nameById(
              slots[SLOT.NODE_ID]!,
              this,
              slots[SLOT.HLC_NODE_AT]!,
              slots[SLOT.HLC_NODE_END]!,
            );
      this.#hlc = undefined;
      this.#causesEnd = end;
      this.#tsAt = slots[SLOT.TS_AT]!;
      this.#middleAt(
        slots[SLOT.PAYLOAD_END]!,
        slots[SLOT.RUN_AT]!,
        slots[SLOT.RUN_END]!,
        slots[SLOT.SEQ]!,
        slots[SLOT.SOURCE_AT]!,
      );
      this.#sourceId = slots[SLOT.SOURCE_ID]!;
      if (scanned === SCAN.tick) {
        this.#tickMask = slots[SLOT.TICK_MASK]!;
        this.#tickMembers = slots[SLOT.TICK_MEMBERS]!;
        // The source first: it may be parsed, but the slots stay as the scan left them.
        const adapter = this.source.adapter ?? '';
        this.#tick = scannedTickInput(this, slots, adapter);
      } else {
        this.#tick = null;
      }
      return;
    }
    this.#sourceId = -1;
    const text = this.line;
    // `{"causes":[…],"hash":"<64 hex>","id":"sha256:<64 hex>","payload":` at fixed places.
    const end = causesEnd(text);
    const idAt = end + 9 + 64 + 8;
    const tail =
      end > 0 &&
      text.startsWith(',"hash":"', end) &&
      text.startsWith('","id":"sha256:', end + 9 + 64) &&
      text.startsWith('","payload":', idAt + 71)
        ? tailOf(text, idAt + 71 + 12)
        : undefined;
    if (tail === undefined) {
      const entry = parseEntry(text);
      this.#whole = entry;
      this.type = entry.type;
      this.typeV = entry.type_v;
      try {
        this.wallNs = BigInt(entry.ts.wall_ns);
        this.monoNs = BigInt(entry.ts.mono_ns);
      } catch (error) {
        throw unreadable(text, error);
      }
      this.idAt = -1;
      this.#idWords = undefined;
      this.#idWordAt = 0;
      this.hlcCounter = -1;
      this.#hlc = entry.ts.hlc;
      this.#hlcNode = undefined;
      this.#causesEnd = -1;
      this.#tsAt = -1;
      return;
    }
    const { match } = tail;
    const mono = match[5]!;
    const wall = match[6]!;
    this.#whole = undefined;
    this.type = knownType(match[7]!);
    this.typeV = Number(match[8]);
    this.wallNs = BigInt(wall);
    // BigInt of a safe integer costs a fraction of BigInt of its text.
    this.monoNs = mono.length <= 15 ? BigInt(Number(mono)) : BigInt(mono);
    this.idAt = idAt;
    this.#idWords = undefined;
    this.#idWordAt = 0;
    // The stamp is compared as counter and node when its wall part is this entry's wall_ns (and
    // written out only if asked for); kept as text otherwise.
    const ownWall = match[1] === wall;
    this.hlcCounter = ownWall ? Number(match[2]) : -1;
    this.#hlcNode = ownWall ? match[3] : undefined;
    this.#hlc =
      match[1] === undefined || ownWall ? match[4] : `${match[1]}.${match[2]}@${match[3]}`;
    this.#causesEnd = end;
    this.#tsAt = tail.at;
  }

  /** The entry's text (made from the store's bytes the first time it is asked for). */
  get line(): string {
    if (this.#line === undefined) {
      this.#line = this.#bytes!.toString('latin1', this.#lineAt, this.#lineEnd);
      this.#bytes = undefined;
    }
    return this.#line;
  }

  /** {@link middleBefore} of this text; false when the text is not so. */
  #readMiddle(): boolean {
    const middle = middleBefore(this.line, this.idAt + 71 + 12, this.#tsAt);
    return middle !== undefined && this.#middleAt(...middle);
  }

  /** Where the members between the payload and the stamp are, once read. */
  #middleAt(
    payloadEnd: number,
    runAt: number,
    runEnd: number,
    seq: number,
    sourceAt: number,
  ): true {
    this.#payloadEnd = payloadEnd;
    this.#runAt = runAt;
    this.#runEnd = runEnd;
    this.#seq = seq;
    this.#sourceAt = sourceAt;
    return true;
  }

  /** {@link middleAfter} of this text; false when the text is not so. */
  #readMiddleFrom(payloadEnd: number): boolean {
    const middle = middleAfter(this.line, payloadEnd, this.#tsAt);
    return middle !== undefined && this.#middleAt(...middle);
  }

  /**
   * The tick an md.tick entry records, read from its text (by the scan, or ./tick-text.ts) rather
   * than from a parsed payload; undefined when the entry is not laid out so, and {@link payload}
   * then.
   */
  tick(): TickInput | undefined {
    if (this.#tick === undefined) {
      this.#tick = null;
      if (this.type === 'md.tick' && this.#whole === undefined && this.#payloadEnd === 0) {
        const read = readTickText(this.line, this.idAt + 71 + 12);
        if (read !== undefined && this.#readMiddleFrom(read.end)) {
          this.#tickMask = tickMemberMask(read.payload);
          this.#tickMembers = read.members;
          this.#tick = tickOfValues(this.source, read.payload);
        }
      }
    }
    return this.#tick ?? undefined;
  }

  /** Whether `payload` is the one {@link tick} was read from; undefined with no tick read. */
  isTickPayload(payload: Readonly<Record<string, unknown>>): boolean | undefined {
    const tick = this.tick();
    return tick === undefined
      ? undefined
      : isTickPayloadOf(payload, tick, this.#tickMask, this.#tickMembers);
  }

  /** Whether the members are cut from the text; when they cannot be, the text is parsed whole. */
  #inPlace(): boolean {
    if (this.#whole !== undefined) return false;
    if (this.#payloadEnd > 0 || this.#readMiddle()) return true;
    this.#whole = parseEntry(this.line);
    return false;
  }

  get seq(): number {
    return this.#inPlace() ? this.#seq : this.#whole!.seq;
  }

  get id(): string {
    this.#id ??= this.idAt < 0 ? this.#whole!.id : this.line.slice(this.idAt, this.idAt + 71);
    return this.#id;
  }

  /** Appends the entry's id to `ids`: as the scan decoded it, or read from the text in place. */
  pushIdTo(ids: IdTable): void {
    if (this.#idWords !== undefined) ids.pushWords(this.#idWords, this.#idWordAt);
    else if (this.idAt >= 0) ids.pushFrom(this.line, this.idAt, this.idAt + 71);
    else ids.push(this.id);
  }

  /** Whether the entry's id is `id`, without cutting it out. */
  hasId(id: string): boolean {
    if (this.idAt < 0 || this.#id !== undefined) return this.id === id;
    return (
      id.length === 71 &&
      this.line.startsWith(id, this.idAt) &&
      this.line.charCodeAt(this.idAt + 71) === QUOTE
    );
  }

  /** Whether the id is that of the body its text holds (cut out), of the run `runText` names. */
  hasOwnBodyId(runText: string): boolean {
    if (this.idAt < 0 || !this.#inPlace()) return false;
    const { line } = this;
    if (this.#runEnd - this.#runAt !== runText.length || !line.startsWith(runText, this.#runAt)) {
      return false;
    }
    // The payload member begins just past the id's closing quote; the source member 10 before.
    const body = bodyTextInEntry(
      line,
      this.#causesEnd,
      this.idAt + 72,
      this.#payloadEnd,
      this.#runEnd,
      this.#sourceAt - 10,
    );
    return body !== undefined && this.hasId(eventIdOfBodyText(body));
  }

  get run(): string {
    return this.#inPlace() ? this.line.slice(this.#runAt + 1, this.#runEnd - 1) : this.#whole!.run;
  }

  get source(): Source {
    this.#source ??= this.#inPlace()
      ? sourceById(this.#sourceId, this, this.#sourceAt, this.#tsAt, this.#sources)
      : this.#whole!.source;
    return this.#source;
  }

  /** Whether the entry has no causes, without parsing them. */
  get uncaused(): boolean {
    return this.#causesEnd > 0 ? this.#causesEnd === 12 : this.causes.length === 0;
  }

  get causes(): readonly string[] {
    if (this.#causes === undefined) {
      this.#causes =
        this.#whole !== undefined
          ? this.#whole.causes
          : parse<string[]>(this.line.slice(10, this.#causesEnd), this.line);
    }
    return this.#causes;
  }

  get payload(): Readonly<Record<string, unknown>> {
    this.#payload ??= this.#inPlace()
      ? parse<Record<string, unknown>>(
          this.line.slice(this.idAt + 71 + 12, this.#payloadEnd),
          this.line,
        )
      : this.#whole!.payload;
    return this.#payload;
  }

  get hlc(): string | undefined {
    if (this.#hlc === undefined && this.hlcCounter >= 0) {
      this.#hlc = `${this.wallNs}.${this.hlcCounter}@${this.#hlcNode}`;
    }
    return this.#hlc;
  }

  /**
   * Whether the stamp is `<wall_ns>.<counter>@<node>` for this entry's wall_ns: what the capture
   * formats for a record with these stamps, compared without formatting it.
   */
  hasHlc(counter: number, node: string): boolean {
    if (this.hlcCounter < 0) return this.#hlc === `${this.wallNs}.${counter}@${node}`;
    return this.hlcCounter === counter && this.#hlcNode === node;
  }
}
