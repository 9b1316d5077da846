/**
 * The store's prepared statements, prepared once per connection and reused: preparing costs more
 * than running a one-row insert.
 */
import type Database from 'better-sqlite3';

import type { EntryFilter } from '../../core/index.js';
import { HASH_SQL } from './schema.js';

type Page = Database.Statement<unknown[], [number, string]>;
/** Lines of a pos range `[from, to)`, after the filter's own parameters. */
type RangePage = Database.Statement<unknown[], string>;
/** The count and the lines, newline-separated, of a pos range; null bytes when there are none. */
type PackedRangePage = Database.Statement<unknown[], [number, Buffer | null]>;

export interface SqliteStatements {
  readonly snapshot: Database.Statement<[], string>;
  readonly putSnapshot: Database.Statement<[string]>;
  readonly size: Database.Statement<[], number | null>;
  readonly insertEntry: Database.Statement<[number, number, string, string, string]>;
  readonly insertNode: Database.Statement<[number, number, Buffer]>;
  readonly entryAt: Database.Statement<[number], string>;
  readonly entryHashes: Database.Statement<[number, number], string>;
  readonly nodeHashes: Database.Statement<[number, number, number], Buffer>;
  readonly insertCheckpoint: Database.Statement<[number, string]>;
  readonly checkpoints: Database.Statement<[], [number, string]>;
  readonly scanPage: Page;
  /** The lowest pos stored at or above a pos (null when none). */
  readonly firstPosFrom: Database.Statement<[number], number | null>;
  /** Query pages by filter shape; filled on first use of each shape. */
  readonly queries: Map<string, RangePage>;
  /** The same, each page's lines packed into one value (see packedQueryStatement). */
  readonly packedQueries: Map<string, PackedRangePage>;
}

export function prepareStatements(db: Database.Database): SqliteStatements {
  return {
    snapshot: db.prepare<[], string>("SELECT value FROM meta WHERE key = 'snapshot'").pluck(),
    putSnapshot: db.prepare<[string]>("UPDATE meta SET value = ? WHERE key = 'snapshot'"),
    size: db.prepare<[], number | null>('SELECT max(pos) + 1 FROM entries').pluck(),
    insertEntry: db.prepare('INSERT INTO entries (pos, k, type, run, line) VALUES (?, ?, ?, ?, ?)'),
    insertNode: db.prepare('INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
    entryAt: db.prepare<[number], string>('SELECT line FROM entries WHERE pos = ?').pluck(),
    entryHashes: db
      .prepare<[number, number], string>(
        `SELECT ${HASH_SQL} FROM entries WHERE pos >= ? AND pos < ? ORDER BY pos`,
      )
      .pluck(),
    nodeHashes: db
      .prepare<[number, number, number], Buffer>(
        'SELECT hash FROM merkle_nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx',
      )
      .pluck(),
    insertCheckpoint: db.prepare('INSERT INTO checkpoints (size, note) VALUES (?, ?)'),
    checkpoints: db
      .prepare<[], [number, string]>('SELECT size, note FROM checkpoints ORDER BY size, n')
      .raw(),
    scanPage: db
      .prepare<unknown[], [number, string]>(
        'SELECT pos, line FROM entries WHERE pos > ? ORDER BY pos LIMIT ?',
      )
      .raw(),
    firstPosFrom: db
      .prepare<[number], number | null>('SELECT min(pos) FROM entries WHERE pos >= ?')
      .pluck(),
    queries: new Map(),
    packedQueries: new Map(),
  };
}

/**
 * The WHERE clause and leading parameters for a filter; a page is a pos range `[from, to)`, bound
 * after them. Seq bounds apply to pos, the storage position, which the store keeps equal to seq;
 * it makes the bounds and the pages rowid ranges.
 */
function pageWhere(filter: EntryFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.type !== undefined) {
    clauses.push('type = ?');
    params.push(filter.type);
  }
  if (filter.run !== undefined) {
    clauses.push('run = ?');
    params.push(filter.run);
  }
  if (filter.fromSeq !== undefined) {
    clauses.push('pos >= ?');
    params.push(filter.fromSeq);
  }
  if (filter.toSeq !== undefined) {
    clauses.push('pos <= ?');
    params.push(filter.toSeq);
  }
  clauses.push('pos >= ? AND pos < ?');
  return { where: clauses.join(' AND '), params };
}

/**
 * The page statement and leading parameters for a filter (see pageWhere). A page yields the lines
 * alone (pluck): a row array per line costs more than the line.
 */
export function queryStatement(
  db: Database.Database,
  sql: SqliteStatements,
  filter: EntryFilter,
): { statement: RangePage; params: unknown[] } {
  const { where, params } = pageWhere(filter);
  const statement = preparedFor(sql.queries, where, () =>
    db.prepare<unknown[], string>(`SELECT line FROM entries WHERE ${where} ORDER BY pos`).pluck(),
  );
  return { statement, params };
}

/** The statement prepared for a filter shape, prepared on its first use. */
function preparedFor<S>(cache: Map<string, S>, where: string, prepare: () => S): S {
  let statement = cache.get(where);
  if (statement === undefined) {
    statement = prepare();
    cache.set(where, statement);
  }
  return statement;
}

/**
 * {@link queryStatement} with the page's lines joined by newlines into one BLOB, with their
 * count: canonical JSON holds no raw newline, so the newlines mark where each line ends. SQLite
 * does not flatten an ordered subquery into an aggregate, so the lines are joined in pos order.
 */
export function packedQueryStatement(
  db: Database.Database,
  sql: SqliteStatements,
  filter: EntryFilter,
): { statement: PackedRangePage; params: unknown[] } {
  const { where, params } = pageWhere(filter);
  const statement = preparedFor(sql.packedQueries, where, () =>
    db
      .prepare<unknown[], [number, Buffer | null]>(
        'SELECT count(*), CAST(group_concat(line, char(10)) AS BLOB) ' +
          `FROM (SELECT line FROM entries WHERE ${where} ORDER BY pos)`,
      )
      .raw(),
  );
  return { statement, params };
}
