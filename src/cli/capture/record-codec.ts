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
/** The same string as this field held in the type's previous record (instrument, venue, side…). */
const TAG_REPEAT = 8;

/** A value the encoder could not carry; the writer refuses the record that holds it. */
export const INVALID_VALUE: unique symbol = Symbol('invalid capture value');

/**
 * The last payload of one record type, field by field: most payloads of a type share their keys,
 * and many of their string values (instrument, venue, side). Both sides keep it.
 */
interface Shape {
  readonly keys: (string | number)[];
  readonly ids: number[];
  readonly strings: (string | undefined)[];
}

export class RecordEncoder {
  readonly #names = new Map<string, number>();
  readonly #shapes = new Map<number, Shape>();
  #newNames: string[] = [];
  #numbers = new Float64Array(16_384);
  #used = 0;
  #times = new BigInt64Array(1024);
  #timesUsed = 0;
  #strings: string[] = [];
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(record: CaptureRecord): void {
    this.#count++;
    const { source, causes } = record;
    const typeId = this.#name(record.type);
    this.#push(typeId);
    this.#push(record.hlcCounter);
    this.#push(this.#name(source.node));
    this.#push(source.adapter === undefined ? ABSENT : this.#name(source.adapter));
    this.#push(source.venue === undefined ? ABSENT : this.#name(source.venue));
    this.#push(causes.length);
    for (const cause of causes) this.#push(cause);
    this.#payload(typeId, record.payload);
    if (this.#timesUsed + 2 > this.#times.length) {
      const grown = new BigInt64Array(this.#times.length * 2);
      grown.set(this.#times);
      this.#times = grown;
    }
    this.#times[this.#timesUsed++] = record.wallNs;
    this.#times[this.#timesUsed++] = record.monoNs;
  }

  /** The top-level payload object, its keys looked up through the type's last shape. */
  #payload(typeId: number, payload: Readonly<Record<string, unknown>>): void {
    let shape = this.#shapes.get(typeId);
    if (shape === undefined) {
      shape = { keys: [], ids: [], strings: [] };
      this.#shapes.set(typeId, shape);
    }
    this.#push(TAG_OBJECT);
    const countAt = this.#used;
    this.#push(0);
    let count = 0;
    for (const key in payload) {
      let id: number;
      if (shape.keys[count] === key) {
        id = shape.ids[count]!;
      } else {
        id = this.#name(key);
        shape.keys[count] = key;
        shape.ids[count] = id;
        shape.strings[count] = undefined;
      }
      this.#push(id);
      const value = payload[key];
      if (typeof value === 'string') {
        if (shape.strings[count] === value) {
          this.#push(TAG_REPEAT);
        } else {
          shape.strings[count] = value;
          this.#value(value);
        }
      } else {
        shape.strings[count] = undefined;
        this.#value(value);
      }
      count++;
    }
    this.#numbers[countAt] = count;
  }

  /** The batch so far, and a fresh one started. */
  take(): EncodedRecords {
    const batch: EncodedRecords = {
      count: this.#count,
      numbers: this.#numbers.slice(0, this.#used),
      times: this.#times.slice(0, this.#timesUsed),
      strings: this.#strings,
      newNames: this.#newNames,
    };
    this.#used = 0;
    this.#timesUsed = 0;
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

/** Reads a batch's numbers in order. */
class Cursor {
  readonly #numbers: Float64Array;
  #at = 0;

  constructor(numbers: Float64Array) {
    this.#numbers = numbers;
  }

  next(): number {
    const value = this.#numbers[this.#at++];
    if (value === undefined) throw new InternalError('INTERNAL', 'a capture batch ended early');
    return value;
  }

  peek(): number | undefined {
    return this.#numbers[this.#at];
  }
}

export class RecordDecoder {
  readonly #names: string[] = [];
  readonly #shapes = new Map<number, Shape>();

  /**
   * Records whose payload holds an {@link INVALID_VALUE} where the producer had a value JSON
   * cannot carry.
   * @throws INTERNAL when the batch does not parse (the two sides disagree: a bug).
   */
  decode(batch: EncodedRecords): CaptureRecord[] {
    for (const name of batch.newNames) this.#names.push(name);
    const cursor = new Cursor(batch.numbers);
    const records: CaptureRecord[] = [];
    for (let i = 0; i < batch.count; i++) {
      const typeId = cursor.next();
      const type = this.#name(typeId);
      const hlcCounter = cursor.next();
      const node = this.#name(cursor.next());
      const adapterId = cursor.next();
      const venueId = cursor.next();
      const causes: number[] = new Array<number>(cursor.next());
      for (let c = 0; c < causes.length; c++) causes[c] = cursor.next();
      const payload = this.#payload(typeId, cursor, batch.strings);
      records.push({
        type,
        wallNs: batch.times[2 * i]!,
        monoNs: batch.times[2 * i + 1]!,
        hlcCounter,
        source: {
          node,
          ...(adapterId === ABSENT ? {} : { adapter: this.#name(adapterId) }),
          ...(venueId === ABSENT ? {} : { venue: this.#name(venueId) }),
        },
        causes,
        payload,
      });
    }
    return records;
  }

  #name(id: number): string {
    const value = this.#names[id];
    if (value === undefined) throw new InternalError('INTERNAL', `capture name ${id} unknown`);
    return value;
  }

  /** The mirror of the encoder's payload: the type's shape gives back repeated strings. */
  #payload(typeId: number, cursor: Cursor, strings: readonly string[]): Record<string, unknown> {
    let shape = this.#shapes.get(typeId);
    if (shape === undefined) {
      shape = { keys: [], ids: [], strings: [] };
      this.#shapes.set(typeId, shape);
    }
    if (cursor.next() !== TAG_OBJECT) {
      throw new InternalError('INTERNAL', 'a capture payload is not an object');
    }
    const members: Record<string, unknown> = {};
    const count = cursor.next();
    for (let slot = 0; slot < count; slot++) {
      const id = cursor.next();
      if (shape.keys[slot] !== id) {
        shape.keys[slot] = id;
        shape.strings[slot] = undefined;
      }
      let member: unknown;
      if (cursor.peek() === TAG_REPEAT) {
        cursor.next();
        member = shape.strings[slot];
      } else {
        member = this.#value(cursor, strings);
        shape.strings[slot] = typeof member === 'string' ? member : undefined;
      }
      define(members, this.#name(id), member);
    }
    return members;
  }

  #value(cursor: Cursor, strings: readonly string[]): unknown {
    const tag = cursor.next();
    switch (tag) {
      case TAG_NUMBER:
        return cursor.next();
      case TAG_STRING:
        return strings[cursor.next()];
      case TAG_TRUE:
        return true;
      case TAG_FALSE:
        return false;
      case TAG_NULL:
        return null;
      case TAG_ARRAY: {
        const items: unknown[] = new Array<unknown>(cursor.next());
        for (let i = 0; i < items.length; i++) items[i] = this.#value(cursor, strings);
        return items;
      }
      case TAG_OBJECT: {
        const members: Record<string, unknown> = {};
        const count = cursor.next();
        for (let i = 0; i < count; i++) {
          const key = this.#name(cursor.next());
          define(members, key, this.#value(cursor, strings));
        }
        return members;
      }
      case TAG_INVALID:
        return INVALID_VALUE;
      default:
        throw new InternalError('INTERNAL', `capture value tag ${tag} unknown`);
    }
  }
}

/**
 * A member, even one named __proto__ (a plain assignment would set the prototype). Only that name
 * takes defineProperty, whose descriptor object per member made it the decoder's largest cost.
 */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key !== '__proto__') {
    target[key] = value;
    return;
  }
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
