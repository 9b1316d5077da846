/**
 * Historical market data from a file, for backtests: CSV with a header
 * (`ts_ns,venue,instrument,bid_px,bid_qty,ask_px,ask_qty[,last_px,last_qty]`), NDJSON of such
 * records, or a ledger's JSONL export (its `md.tick` entries). Prices in integer ticks,
 * quantities in integer lots, timestamps in epoch nanoseconds. A bad line is refused with its
 * number; ticks come back sorted by time (stable).
 */
import { z } from 'zod';

import { formatIssues, InputError } from '../core/index.js';
import type { BacktestTick } from '../replay/index.js';
import { parseJsonLine, readLines } from './session.js';

const Int = z.number().int();
const NsText = z.union([
  z.string().regex(/^(0|[1-9][0-9]{0,19})$/),
  z.number().int().nonnegative(),
]);

const TickRecordSchema = z.strictObject({
  ts_ns: NsText,
  venue: z.string().min(1).max(128),
  instrument: z.string().min(1).max(128),
  bid_px: Int.optional(),
  bid_qty: Int.nonnegative().optional(),
  ask_px: Int.optional(),
  ask_qty: Int.nonnegative().optional(),
  last_px: Int.optional(),
  last_qty: Int.nonnegative().optional(),
  /** The feed's own sequence number: kept by the ledger, not needed to trade. */
  feed_seq: Int.nonnegative().optional(),
});
type TickRecord = z.infer<typeof TickRecordSchema>;

const CSV_COLUMNS = [
  'ts_ns',
  'venue',
  'instrument',
  'bid_px',
  'bid_qty',
  'ask_px',
  'ask_qty',
  'last_px',
  'last_qty',
] as const;

function toTick(record: TickRecord): BacktestTick {
  const optional = (key: keyof BacktestTick, value: number | undefined): Partial<BacktestTick> =>
    value === undefined ? {} : { [key]: value };
  return {
    tsNs: BigInt(record.ts_ns),
    venue: record.venue,
    instrument: record.instrument,
    ...optional('bidPx', record.bid_px),
    ...optional('bidQty', record.bid_qty),
    ...optional('askPx', record.ask_px),
    ...optional('askQty', record.ask_qty),
    ...optional('lastPx', record.last_px),
    ...optional('lastQty', record.last_qty),
  };
}

function parseRecord(value: unknown, line: number): TickRecord {
  const parsed = TickRecordSchema.safeParse(value);
  if (!parsed.success) {
    throw new InputError('INPUT_SCHEMA_VIOLATION', `line ${line} is not a tick record`, {
      details: { line, issues: formatIssues(parsed.error.issues) },
    });
  }
  return parsed.data;
}

/** A ledger entry's md.tick as a tick record; other entries are skipped (undefined). */
function fromEntry(value: Record<string, unknown>, line: number): TickRecord | undefined {
  if (value['type'] !== 'md.tick') return undefined;
  const payload = value['payload'] as Record<string, unknown> | undefined;
  const ts = value['ts'] as { wall_ns?: unknown } | undefined;
  return parseRecord({ ...payload, ts_ns: ts?.wall_ns }, line);
}

function csvRecord(header: readonly string[], text: string, line: number): TickRecord {
  const cells = text.split(',').map((cell) => cell.trim());
  if (cells.length !== header.length) {
    throw new InputError(
      'INPUT_SCHEMA_VIOLATION',
      `line ${line} has ${cells.length} fields, the header ${header.length}`,
      { details: { line } },
    );
  }
  const record: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const cell = cells[i]!;
    if (cell === '') return;
    record[column] =
      column === 'venue' || column === 'instrument' || column === 'ts_ns'
        ? cell
        : /^-?\d+$/.test(cell)
          ? Number(cell)
          : cell;
  });
  return parseRecord(record, line);
}

/** @throws INPUT_INVALID_ARGUMENT, INPUT_INVALID_JSON, INPUT_SCHEMA_VIOLATION (with the line) */
export async function readMarketData(file: string): Promise<BacktestTick[]> {
  const records: TickRecord[] = [];
  let header: string[] | undefined;
  let line = 0;
  const csv = file.toLowerCase().endsWith('.csv');
  for await (const text of readLines(file)) {
    line++;
    if (text.trim() === '') continue;
    if (csv) {
      if (header === undefined) {
        header = text.split(',').map((h) => h.trim());
        const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
        if (
          unknown.length > 0 ||
          !['ts_ns', 'venue', 'instrument'].every((h) => header!.includes(h))
        ) {
          throw new InputError(
            'INPUT_SCHEMA_VIOLATION',
            'the CSV header names columns it should not, or lacks ts_ns, venue, instrument',
            { details: { line, unknown } },
          );
        }
        continue;
      }
      records.push(csvRecord(header, text, line));
      continue;
    }
    const value = parseJsonLine(text, line);
    if (typeof value === 'object' && value !== null && 'type' in value && 'payload' in value) {
      const record = fromEntry(value, line);
      if (record !== undefined) records.push(record);
    } else {
      records.push(parseRecord(value, line));
    }
  }
  const ticks = records.map(toTick);
  // Stable: ticks of one nanosecond keep their file order.
  return ticks
    .map((tick, i) => ({ tick, i }))
    .sort((a, b) => (a.tick.tsNs < b.tick.tsNs ? -1 : a.tick.tsNs > b.tick.tsNs ? 1 : a.i - b.i))
    .map(({ tick }) => tick);
}
