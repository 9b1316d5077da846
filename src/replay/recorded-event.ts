/**
 * @module
 * The events of a recorded run as a replay reads them, from the ledger's canonical entry texts.
 * The members are cut from the text where RFC 8785 places them (causes, hash, id, payload, prev,
 * run, seq, source, ts, type, type_v, v), and the payload and causes are parsed only when asked
 * for: a replay compares most outputs by id alone.
 */
import { InputError, type Source } from '../core/index.js';

export interface RecordedEvent {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly run: string;
  readonly wallNs: bigint;
  readonly monoNs: bigint;
  readonly source: Source;
  readonly causes: readonly string[];
  readonly payload: Readonly<Record<string, unknown>>;
  /** The payload schema version and hybrid-clock stamp, where the recording has them. */
  readonly typeV?: number;
  readonly hlc?: string | undefined;
}

function unreadable(line: string, cause?: unknown): InputError {
  return new InputError('INPUT_INVALID_JSON', 'a stored entry is not a readable event', {
    details: { text: line.slice(0, 120) },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Outside text: a SyntaxError becomes our code, never a raw exception. */
function parse<T>(text: string, line: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw unreadable(line, error);
  }
}

class LazyEvent implements RecordedEvent {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly run: string;
  readonly wallNs: bigint;
  readonly monoNs: bigint;
  readonly source: Source;
  readonly typeV: number;
  readonly hlc: string | undefined;
  readonly #line: string;
  readonly #causesText: string;
  readonly #payloadText: string;
  #causes: readonly string[] | undefined;
  #payload: Readonly<Record<string, unknown>> | undefined;

  constructor(line: string) {
    const hashAt = line.indexOf('],"hash":"');
    const payloadAt = line.indexOf('","payload":', hashAt);
    const prevAt = line.lastIndexOf(',"prev":"');
    const runAt = line.indexOf('","run":', prevAt);
    const seqAt = line.indexOf(',"seq":', runAt);
    const sourceAt = line.indexOf(',"source":', seqAt);
    const tsAt = line.lastIndexOf(',"ts":{');
    const typeAt = line.lastIndexOf(',"type":"');
    const typeVAt = line.lastIndexOf('","type_v":');
    if (
      !line.startsWith('{"causes":[') ||
      hashAt < 0 ||
      payloadAt < 0 ||
      prevAt < payloadAt ||
      runAt < 0 ||
      seqAt < 0 ||
      sourceAt < 0 ||
      tsAt < sourceAt ||
      typeAt < tsAt ||
      typeVAt < typeAt
    ) {
      throw unreadable(line);
    }
    this.#line = line;
    this.#causesText = line.slice(10, hashAt + 1);
    this.id = line.slice(line.indexOf('"id":"', hashAt) + 6, payloadAt);
    this.#payloadText = line.slice(payloadAt + 12, prevAt);
    this.run = parse<string>(line.slice(runAt + 8, seqAt), line);
    this.seq = Number(line.slice(seqAt + 7, sourceAt));
    this.source = parse<Source>(line.slice(sourceAt + 10, tsAt), line);
    const ts = parse<{ wall_ns: string; mono_ns: string; hlc?: string }>(
      line.slice(tsAt + 6, typeAt),
      line,
    );
    this.type = line.slice(typeAt + 9, typeVAt);
    this.typeV = Number(line.slice(typeVAt + 11, line.indexOf(',', typeVAt + 11)));
    this.hlc = ts.hlc;
    try {
      this.wallNs = BigInt(ts.wall_ns);
      this.monoNs = BigInt(ts.mono_ns);
    } catch (error) {
      throw unreadable(line, error);
    }
  }

  get causes(): readonly string[] {
    this.#causes ??= parse<string[]>(this.#causesText, this.#line);
    return this.#causes;
  }

  get payload(): Readonly<Record<string, unknown>> {
    this.#payload ??= parse<Record<string, unknown>>(this.#payloadText, this.#line);
    return this.#payload;
  }
}

/**
 * One stored entry text as a recorded event. The ledger has verified the text; this only reads it.
 * @throws INPUT_INVALID_JSON when the text is not an entry.
 */
export function parseRecordedEvent(line: string): RecordedEvent {
  return new LazyEvent(line);
}
