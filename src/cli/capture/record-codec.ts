/**
 * @module
 * The hand-over format between a capture and its writer thread. Structured cloning costs about
 * 1.3 µs per record — as much as the pipeline spends on a tick — so records whose payload holds
 * only numbers, strings and booleans (ticks, acks, fills, orders, signals: nearly all of them) are
 * written into typed arrays instead: names (types, keys, source fields) once into a table both
 * sides keep, string values into one array, timestamps into a BigInt64Array. Anything else
 * (payloads with arrays or objects) crosses by structured clone, in its place in the sequence.
 *
 * Per flat record, in `numbers`: type name id, hlc counter, node / adapter / venue name ids (−1:
 * absent), cause count and causes, field count and per field: key name id, tag, value.
 */
import { InternalError } from '../../core/index.js';
import type { CaptureRecord } from '../../pipeline/index.js';

export interface EncodedRecords {
  readonly count: number;
  readonly numbers: Float64Array;
  /** wall, mono per flat record. */
  readonly times: BigInt64Array;
  readonly strings: readonly string[];
  /** Names this batch added to the table, in the order they were given ids. */
  readonly newNames: readonly string[];
  /** Records that are not flat, in order. */
  readonly generic: readonly CaptureRecord[];
}

const GENERIC = -1;
const ABSENT = -1;
const TAG_NUMBER = 0;
const TAG_STRING = 1;
const TAG_TRUE = 2;
const TAG_FALSE = 3;

function isFlat(payload: Readonly<Record<string, unknown>>): boolean {
  for (const key in payload) {
    const type = typeof payload[key];
    if (type !== 'number' && type !== 'string' && type !== 'boolean') return false;
  }
  return true;
}

export class RecordEncoder {
  readonly #names = new Map<string, number>();
  #newNames: string[] = [];
  #numbers = new Float64Array(8192);
  #used = 0;
  #times: bigint[] = [];
  #strings: string[] = [];
  #generic: CaptureRecord[] = [];
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(record: CaptureRecord): void {
    this.#count++;
    if (!isFlat(record.payload)) {
      this.#push(GENERIC);
      this.#generic.push(record);
      return;
    }
    const { source, causes, payload } = record;
    this.#push(this.#name(record.type));
    this.#push(record.hlcCounter);
    this.#push(this.#name(source.node));
    this.#push(source.adapter === undefined ? ABSENT : this.#name(source.adapter));
    this.#push(source.venue === undefined ? ABSENT : this.#name(source.venue));
    this.#push(causes.length);
    for (const cause of causes) this.#push(cause);
    let fields = 0;
    const countAt = this.#used;
    this.#push(0);
    for (const key in payload) {
      const value = payload[key];
      this.#push(this.#name(key));
      if (typeof value === 'number') {
        this.#push(TAG_NUMBER);
        this.#push(value);
      } else if (typeof value === 'string') {
        this.#push(TAG_STRING);
        this.#push(this.#strings.push(value) - 1);
      } else {
        this.#push(value === true ? TAG_TRUE : TAG_FALSE);
        this.#push(0);
      }
      fields++;
    }
    this.#numbers[countAt] = fields;
    this.#times.push(record.wallNs, record.monoNs);
  }

  /** The batch so far, and a fresh one started. */
  take(): EncodedRecords {
    const batch: EncodedRecords = {
      count: this.#count,
      numbers: this.#numbers.slice(0, this.#used),
      times: BigInt64Array.from(this.#times),
      strings: this.#strings,
      newNames: this.#newNames,
      generic: this.#generic,
    };
    this.#used = 0;
    this.#times = [];
    this.#strings = [];
    this.#newNames = [];
    this.#generic = [];
    this.#count = 0;
    return batch;
  }

  #name(name: string): number {
    let id = this.#names.get(name);
    if (id === undefined) {
      id = this.#names.size;
      this.#names.set(name, id);
      this.#newNames.push(name);
    }
    return id;
  }

  #push(value: number): void {
    if (this.#used === this.#numbers.length) {
      const grown = new Float64Array(this.#numbers.length * 2);
      grown.set(this.#numbers);
      this.#numbers = grown;
    }
    this.#numbers[this.#used++] = value;
  }
}

export class RecordDecoder {
  readonly #names: string[] = [];

  /** @throws INTERNAL when the batch does not parse (the two sides disagree: a bug). */
  decode(batch: EncodedRecords): CaptureRecord[] {
    for (const name of batch.newNames) this.#names.push(name);
    const { numbers, times, strings } = batch;
    const records: CaptureRecord[] = [];
    let at = 0;
    let timeAt = 0;
    let genericAt = 0;
    const next = (): number => {
      const value = numbers[at++];
      if (value === undefined) throw new InternalError('INTERNAL', 'a capture batch ended early');
      return value;
    };
    const name = (id: number): string => {
      const value = this.#names[id];
      if (value === undefined) throw new InternalError('INTERNAL', `capture name ${id} unknown`);
      return value;
    };
    for (let i = 0; i < batch.count; i++) {
      const typeId = next();
      if (typeId === GENERIC) {
        const record = batch.generic[genericAt++];
        if (record === undefined)
          throw new InternalError('INTERNAL', 'a capture batch lacks a record');
        records.push(record);
        continue;
      }
      const hlcCounter = next();
      const node = name(next());
      const adapterId = next();
      const venueId = next();
      const causes: number[] = new Array<number>(next());
      for (let c = 0; c < causes.length; c++) causes[c] = next();
      const payload: Record<string, unknown> = {};
      const fields = next();
      for (let f = 0; f < fields; f++) {
        const key = name(next());
        const tag = next();
        const value = next();
        payload[key] =
          tag === TAG_NUMBER ? value : tag === TAG_STRING ? strings[value] : tag === TAG_TRUE;
      }
      records.push({
        type: name(typeId),
        wallNs: times[timeAt++]!,
        monoNs: times[timeAt++]!,
        hlcCounter,
        source: {
          node,
          ...(adapterId === ABSENT ? {} : { adapter: name(adapterId) }),
          ...(venueId === ABSENT ? {} : { venue: name(venueId) }),
        },
        causes,
        payload,
      });
    }
    return records;
  }
}
