/**
 * @module
 * Turns the price levels one command touched into the incremental depth a feed publishes. Pure.
 */
import type { PriceLevel } from './book-side.js';
import type { Side } from './commands.js';
import type { LevelChange } from './events.js';

interface NetRow {
  readonly side: Side;
  readonly priceTicks: number;
  before: number;
  after: number;
}

function bookOrder(a: LevelChange, b: LevelChange): number {
  if (a.side !== b.side) return a.side === 'buy' ? -1 : 1;
  return a.side === 'buy' ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks;
}

/**
 * The net change per (side, price) over the touched levels, bids best first then asks best
 * first; prices whose size ended where it started are left out. An emptied level is dropped from
 * its side and a new one at the same price starts at 0 lots, so summing sizes before and after
 * over the level objects of one price gives that price's net change.
 */
export function netLevelChanges(touched: readonly PriceLevel[]): LevelChange[] {
  // A command touches a handful of levels: a linear scan beats a map here.
  const rows: NetRow[] = [];
  for (const level of touched) {
    const row = rows.find((r) => r.side === level.side && r.priceTicks === level.priceTicks);
    if (row === undefined) {
      rows.push({
        side: level.side,
        priceTicks: level.priceTicks,
        before: level.lotsBefore,
        after: level.totalLots,
      });
    } else {
      row.before += level.lotsBefore;
      row.after += level.totalLots;
    }
  }
  const changes: LevelChange[] = [];
  for (const row of rows) {
    if (row.before !== row.after) {
      changes.push({ side: row.side, priceTicks: row.priceTicks, qtyLots: row.after });
    }
  }
  return changes.sort(bookOrder);
}
