/**
 * @module
 * The merge of one tail window [from, to) of the id index into `id_index`, a step at a time, so
 * that no append waits behind a whole merge (a 262k-entry window took about a third of a second,
 * during which the writer answered nothing). The window's (key, pos) pairs come from the keys the
 * connection wrote itself ({@link WrittenKeys}) and, for the part before those, from `entries` a
 * step at a time (reading a row reads a whole entry). They are then inserted a range of keys at a
 * time: each range dirties only its part of the index, so the window still writes each index page
 * about once, however many steps it takes. The last insert step moves `indexed_upto` in the same
 * transaction. Pairs inserted by a merge that is abandoned (the store closed, or another
 * connection merged first) are harmless: the insert ignores pairs already there, and the next
 * merge starts from `indexed_upto` again.
 */
import type Database from 'better-sqlite3';

/** Key ranges: the top 8 of the key's 48 bits. */
const BUCKETS = 256;
const BUCKET_WIDTH = 2 ** 40;
/** Pairs per multi-row INSERT. */
const PAIRS_PER_INSERT = 32;
/**
 * The most entries one merge takes (16 MiB of pairs in memory): a longer tail, left by merges
 * that failed, is merged over several windows.
 */
export const MAX_WINDOW = 1 << 20;

export interface WindowMergeStatements {
  /** (k, pos) of the entries with pos in [from, to), in pos order; raw rows. */
  readonly pairs: Database.Statement<[number, number], [number, number]>;
  readonly indexedUpto: Database.Statement<[], number | undefined>;
  readonly setIndexedUpto: Database.Statement<[number]>;
}

export function windowMergeStatements(db: Database.Database): WindowMergeStatements {
  return {
    pairs: db
      .prepare<[number, number], [number, number]>(
        'SELECT k, pos FROM entries WHERE pos >= ? AND pos < ? ORDER BY pos',
      )
      .raw(),
    indexedUpto: db
      .prepare<[], number | undefined>("SELECT value FROM meta WHERE key = 'indexed_upto'")
      .pluck(),
    setIndexedUpto: db.prepare<[number]>("UPDATE meta SET value = ? WHERE key = 'indexed_upto'"),
  };
}

function pairInsertSql(pairs: number): string {
  const values = Array<string>(pairs).fill('(?, ?)').join(', ');
  return `INSERT OR IGNORE INTO id_index (k, pos) VALUES ${values}`;
}

export type MergeStep = 'working' | 'done' | 'overtaken';

/**
 * The lookup keys of the entries this connection appended, by position, since the start of the
 * unmerged tail: a merge takes its pairs from here instead of reading back whole entry rows.
 */
export class WrittenKeys {
  #start = 0;
  #keys = new Float64Array(1 << 16);
  #count = 0;

  get start(): number {
    return this.#start;
  }

  get end(): number {
    return this.#start + this.#count;
  }

  /** Keys of entries committed from `firstPos` on; a batch that does not follow starts anew. */
  note(firstPos: number, keys: ArrayLike<number>, count: number): void {
    if (firstPos !== this.end) {
      this.#start = firstPos;
      this.#count = 0;
    }
    if (this.#count + count > this.#keys.length) {
      let length = this.#keys.length;
      while (length < this.#count + count) length *= 2;
      const grown = new Float64Array(length);
      grown.set(this.#keys.subarray(0, this.#count));
      this.#keys = grown;
    }
    for (let i = 0; i < count; i++) this.#keys[this.#count + i] = keys[i]!;
    this.#count += count;
  }

  /** The keys of positions [from, to), which must lie inside [start, end). */
  slice(from: number, to: number): Float64Array {
    return this.#keys.slice(from - this.#start, to - this.#start);
  }

  /** Forgets the keys below `pos`. */
  dropBelow(pos: number): void {
    const drop = Math.min(Math.max(0, pos - this.#start), this.#count);
    if (drop === 0) return;
    this.#keys.copyWithin(0, drop, this.#count);
    this.#count -= drop;
    this.#start += drop;
  }
}

export class WindowMerge {
  readonly from: number;
  readonly to: number;
  readonly #db: Database.Database;
  readonly #sql: WindowMergeStatements;
  readonly #insertMany: Database.Statement<number[]>;
  readonly #insertOne: Database.Statement<number[]>;
  /** The next pos to read from `entries`. */
  #readUpto: number;
  /** Where the pairs known from {@link WrittenKeys} begin: read from `entries` up to here. */
  readonly #knownFrom: number;
  readonly #known: Float64Array;
  readonly #keys: Float64Array;
  readonly #positions: Float64Array;
  #count = 0;
  /** Pair indexes grouped by key range, once every pair is read. */
  #byBucket: Uint32Array | undefined;
  #bucketStarts: Uint32Array | undefined;
  #nextBucket = 0;

  constructor(
    db: Database.Database,
    sql: WindowMergeStatements,
    from: number,
    to: number,
    written: WrittenKeys,
  ) {
    this.#db = db;
    this.#sql = sql;
    this.from = from;
    this.to = to;
    this.#readUpto = from;
    const covered = written.start <= to && written.end >= to;
    this.#knownFrom = covered ? Math.max(from, written.start) : to;
    this.#known = covered ? written.slice(this.#knownFrom, to) : new Float64Array(0);
    this.#keys = new Float64Array(to - from);
    this.#positions = new Float64Array(to - from);
    this.#insertMany = db.prepare(pairInsertSql(PAIRS_PER_INSERT));
    this.#insertOne = db.prepare(pairInsertSql(1));
  }

  /**
   * Reads up to `readBudget` entries of the window or, once all are read, inserts whole key
   * ranges up to about `insertBudget` pairs (at least one range).
   */
  step(readBudget: number, insertBudget: number): MergeStep {
    if (this.#byBucket === undefined) {
      if (this.#readUpto < this.#knownFrom) {
        this.#readSome(readBudget);
        if (this.#readUpto < this.#knownFrom) return 'working';
      }
      for (let i = 0; i < this.#known.length; i++) {
        this.#keys[this.#count] = this.#known[i]!;
        this.#positions[this.#count] = this.#knownFrom + i;
        this.#count++;
      }
      this.#group();
    }
    return this.#insertSome(insertBudget);
  }

  #readSome(budget: number): void {
    const until = Math.min(this.#knownFrom, this.#readUpto + Math.max(1, budget));
    for (const [key, pos] of this.#sql.pairs.iterate(this.#readUpto, until)) {
      this.#keys[this.#count] = key;
      this.#positions[this.#count] = pos;
      this.#count++;
    }
    this.#readUpto = until;
  }

  /** Counting sort of the pair indexes by key range; within a range, by key then pos. */
  #group(): void {
    const starts = new Uint32Array(BUCKETS + 1);
    const bucketOf = (i: number): number =>
      Math.min(BUCKETS - 1, Math.max(0, Math.floor(this.#keys[i]! / BUCKET_WIDTH)));
    for (let i = 0; i < this.#count; i++) starts[bucketOf(i) + 1]!++;
    for (let b = 0; b < BUCKETS; b++) starts[b + 1]! += starts[b]!;
    const fill = starts.slice(0, BUCKETS);
    const order = new Uint32Array(this.#count);
    for (let i = 0; i < this.#count; i++) order[fill[bucketOf(i)]!++] = i;
    this.#byBucket = order;
    this.#bucketStarts = starts;
  }

  #insertSome(budget: number): MergeStep {
    const order = this.#byBucket!;
    const starts = this.#bucketStarts!;
    const first = starts[this.#nextBucket]!;
    let last = this.#nextBucket;
    do last++;
    while (last < BUCKETS && starts[last + 1]! - first <= budget);
    const end = starts[last]!;
    const run = Array.from(order.subarray(first, end));
    const keys = this.#keys;
    const positions = this.#positions;
    run.sort((a, b) => keys[a]! - keys[b]! || positions[a]! - positions[b]!);
    const finished = last === BUCKETS;
    const step = this.#db.transaction((): MergeStep => {
      // Another connection merged past this window's start: what it wrote covers ours.
      if (this.#sql.indexedUpto.get() !== this.from) return 'overtaken';
      this.#insertPairs(run);
      if (!finished) return 'working';
      this.#sql.setIndexedUpto.run(this.to);
      return 'done';
    });
    // A step need not be durable by itself, so it spares the writer an fsync: in WAL mode the next
    // append's commit syncs the log file, this step's frames with it, and a step lost to a crash
    // is redone from indexed_upto.
    const synchronous = this.#db.pragma('synchronous', { simple: true }) as number;
    this.#db.pragma('synchronous = NORMAL');
    let outcome: MergeStep;
    try {
      outcome = step.immediate();
    } finally {
      this.#db.pragma(`synchronous = ${synchronous}`);
    }
    this.#nextBucket = last;
    return outcome;
  }

  #insertPairs(run: readonly number[]): void {
    const params = new Array<number>(PAIRS_PER_INSERT * 2);
    let i = 0;
    for (; i + PAIRS_PER_INSERT <= run.length; i += PAIRS_PER_INSERT) {
      for (let j = 0; j < PAIRS_PER_INSERT; j++) {
        params[2 * j] = this.#keys[run[i + j]!]!;
        params[2 * j + 1] = this.#positions[run[i + j]!]!;
      }
      this.#insertMany.run(...params);
    }
    for (; i < run.length; i++) {
      this.#insertOne.run(this.#keys[run[i]!]!, this.#positions[run[i]!]!);
    }
  }
}
