/**
 * @module
 * The hand-over format between a capture and its writer process. Structured cloning a record costs
 * about 1.3 µs — as much as the pipeline spends on a tick — so records are written into a
 * Float64Array instead: names (types, keys, source fields) once into a table both sides keep,
 * string values into one array, timestamps into a BigInt64Array. Payloads are encoded as tagged
 * values, nested arrays and objects included.
 *
 * Per record, in `numbers`: type name id, hlc counter, node / adapter / venue name ids (−1:
 * absent), cause count and causes, then the payload as a value: a tag, then the number, the string
 * index, the element count and elements, or the member count and (key name id, value) pairs.
 * A value JSON has no form for (bigint, undefined, a function) is marked invalid and refused by
 * the writer with INPUT_SCHEMA_VIOLATION, rather than thrown on the pipeline's thread.
 */
import { InternalError } from '../../core/index.js';
import type { CaptureRecord } from '../../pipeline/index.js';

export interface EncodedRecords {
  readonly count: number;
  readonly numbers: Float64Array;
  /** wall, mono per record. */
  readonly times: BigInt64Array;
  readonly strings: readonly string[];
  /** Names this batch added to the table, in the order they were given ids. */
  readonly newNames: readonly string[];
}

const ABSENT = -1;
const TAG_NUMBER = 0;
const TAG_STRING = 1;
const TAG_TRUE = 2;
const TAG_FALSE = 3;
const TAG_NULL = 4;
const TAG_ARRAY = 5;
const TAG_OBJECT = 6;
const TAG_INVALID = 7;

/** A value the encoder could not carry; the writer refuses the record that holds it. */
export const INVALID_VALUE: unique symbol = Symbol('invalid capture value');

export class RecordEncoder {
  readonly #names = new Map<string, number>();
  #newNames: string[] = [];
  #numbers = new Float64Array(16_384);
  #used = 0;
  #times: bigint[] = [];
  #strings: string[] = [];
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(record: CaptureRecord): void {
    this.#count++;
    const { source, causes } = record;
    this.#push(this.#name(record.type));
    this.#push(record.hlcCounter);
    this.#push(this.#name(source.node));
    this.#push(source.adapter === undefined ? ABSENT : this.#name(source.adapter));
    this.#push(source.venue === undefined ? ABSENT : this.#name(source.venue));
    this.#push(causes.length);
    for (const cause of causes) this.#push(cause);
    this.#value(record.payload);
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
    };
    this.#used = 0;
    this.#times = [];
    this.#strings = [];
    this.#newNames = [];
    this.#count = 0;
    return batch;
  }

  #value(value: unknown): void {
    switch (typeof value) {
      case 'number':
        this.#push(TAG_NUMBER);
        this.#push(value);
        return;
      case 'string':
        this.#push(TAG_STRING);
        this.#push(this.#strings.push(value) - 1);
        return;
      case 'boolean':
        this.#push(value ? TAG_TRUE : TAG_FALSE);
        return;
      case 'object':
        if (value === null) {
          this.#push(TAG_NULL);
        } else if (Array.isArray(value)) {
          this.#push(TAG_ARRAY);
          this.#push(value.length);
          for (const element of value) this.#value(element);
        } else {
          const members = value as Record<string, unknown>;
          this.#push(TAG_OBJECT);
          const countAt = this.#used;
          this.#push(0);
          let count = 0;
          for (const key in members) {
            this.#push(this.#name(key));
            this.#value(members[key]);
            count++;
          }
          this.#numbers[countAt] = count;
        }
        return;
      case 'bigint':
      case 'function':
      case 'symbol':
      case 'undefined':
        this.#push(TAG_INVALID);
    }
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

  /**
   * Records whose payload holds an {@link INVALID_VALUE} where the producer had a value JSON
   * cannot carry.
   * @throws INTERNAL when the batch does not parse (the two sides disagree: a bug).
   */
  decode(batch: EncodedRecords): CaptureRecord[] {
    for (const name of batch.newNames) this.#names.push(name);
    const { numbers, times, strings } = batch;
    const records: CaptureRecord[] = [];
    let at = 0;
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
    const value = (): unknown => {
      const tag = next();
      switch (tag) {
        case TAG_NUMBER:
          return next();
        case TAG_STRING:
          return strings[next()];
        case TAG_TRUE:
          return true;
        case TAG_FALSE:
          return false;
        case TAG_NULL:
          return null;
        case TAG_ARRAY: {
          const items: unknown[] = new Array<unknown>(next());
          for (let i = 0; i < items.length; i++) items[i] = value();
          return items;
        }
        case TAG_OBJECT: {
          const members: Record<string, unknown> = {};
          const count = next();
          for (let i = 0; i < count; i++) {
            const key = name(next());
            // A key like __proto__ must become a member, not the prototype.
            Object.defineProperty(members, key, {
              value: value(),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          }
          return members;
        }
        case TAG_INVALID:
          return INVALID_VALUE;
        default:
          throw new InternalError('INTERNAL', `capture value tag ${tag} unknown`);
      }
    };
    for (let i = 0; i < batch.count; i++) {
      const type = name(next());
      const hlcCounter = next();
      const node = name(next());
      const adapterId = next();
      const venueId = next();
      const causes: number[] = new Array<number>(next());
      for (let c = 0; c < causes.length; c++) causes[c] = next();
      const payload = value() as Record<string, unknown>;
      records.push({
        type,
        wallNs: times[2 * i]!,
        monoNs: times[2 * i + 1]!,
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
