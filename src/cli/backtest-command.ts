/**
 * `deltatrace backtest`: historical market data through a strategy against the sandbox matching
 * engine, captured like a live run into a fresh store (`<home>/backtest/store`) that verifies and
 * replays like any other; prints the fills, slippage, tracking error and P&L.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { InputError, verifyLog } from '../core/index.js';
import {
  AdmmRouter,
  buildStrategy,
  BUILT_IN_CATALOG,
  type ParamValue,
  VWAP_STRATEGY_NAME,
} from '../pipeline/index.js';
import { type BacktestTick, runBacktest } from '../replay/index.js';
import { createStore, openStore } from '../storage/index.js';
import { BackgroundCapture } from './capture/background-capture.js';
import { readMarketData } from './market-data-file.js';
import type { Output } from './output.js';
import { parseSetting } from './replay-command.js';

export interface BacktestCommandOptions {
  readonly data: string;
  readonly strategy: string;
  readonly set: readonly string[];
  readonly seed: number;
}

/** A strategy's parameters for the data at hand: the VWAP works the first instrument over it all. */
function defaultParams(
  strategy: string,
  ticks: readonly BacktestTick[],
): Record<string, ParamValue> {
  if (strategy !== VWAP_STRATEGY_NAME) return {};
  const span = ticks[ticks.length - 1]!.tsNs - ticks[0]!.tsNs;
  return {
    aggressive_behind_lots: 300,
    check_interval_ns: '100000000',
    horizon_ns: (span > 0n ? span : 1n).toString(),
    instrument: ticks[0]!.instrument,
    jitter_pct: 20,
    max_slice_lots: 200,
    min_slice_lots: 40,
    parent_id: 'BT-PARENT',
    profile: '14,10,8,7,6,6,7,9,12,21',
    reprice_after_ns: '250000000',
    side: 'buy',
    total_lots: 1000,
  };
}

export async function backtestCommand(
  home: string,
  options: BacktestCommandOptions,
  out: Output,
): Promise<void> {
  const ticks = await readMarketData(options.data);
  if (ticks.length === 0) {
    throw new InputError('INPUT_EMPTY', `${options.data} holds no ticks`, {
      details: { file: options.data },
    });
  }
  const params = {
    ...defaultParams(options.strategy, ticks),
    ...Object.fromEntries(options.set.map(parseSetting)),
  };
  const strategy = buildStrategy(BUILT_IN_CATALOG, options.strategy, params);
  const dir = path.join(home, 'backtest', 'store');
  rmSync(path.dirname(dir), { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  const run = `backtest-${options.strategy}-${options.seed}`;
  await (await createStore(dir, { backend: 'sqlite', origin: `deltatrace/${run}` })).close();
  out.info(`backtesting ${strategy.name} ${strategy.version} over ${ticks.length} ticks`);
  const capture = BackgroundCapture.start({ dir, run });
  let result: ReturnType<typeof runBacktest>;
  try {
    result = runBacktest({
      ticks,
      strategy,
      router: new AdmmRouter(),
      capture,
      seed: BigInt(options.seed),
      risk: {
        maxOrderLots: 1000,
        maxPositionLots: 1_000_000,
        priceCollarTicks: 50,
        maxOrdersPerSecond: 200,
      },
    });
  } catch (error) {
    await capture.close().catch(() => undefined);
    throw error;
  }
  const written = await capture.close();
  const store = await openStore(dir, { readonly: true });
  const report = await verifyLog(store, {
    openCheckpoint: () => {
      throw new InputError('STORE_NO_CHECKPOINT', 'a backtest store has no checkpoints');
    },
  }).finally(() => store.close());
  const m = result.metrics;
  out.info(
    `${m.orders} orders, ${m.fills} fills, ${m.filled_lots} lots at ${m.avg_fill_px ?? '-'} (arrival ${m.arrival_px ?? '-'}, slippage ${m.slippage_ticks ?? '-'} ticks, P&L ${m.pnl ?? '-'})`,
  );
  out.ok({
    run,
    store: dir,
    strategy: { name: strategy.name, version: strategy.version, params: strategy.params },
    ticks: result.ticks,
    events: written.size,
    root: written.root,
    verify: { ok: report.ok, entries: report.entries_scanned, findings: report.findings.length },
    metrics: m,
  });
}
