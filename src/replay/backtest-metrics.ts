/**
 * @module
 * What a backtest (or a what-if) reports: fills, fees, the average fill price against the arrival
 * price (slippage) and against the market's VWAP (tracking error, from the recorded trades, or the
 * time-weighted mid where the data has none), and the P&L marked to the last mid. Prices are in
 * ticks; every figure is an exact decimal string, as in the ledger.
 */
import { numberToDecimal, ratioToDecimal } from '../core/index.js';
import type { OutboundCommand, Pipeline, PipelineInput } from '../pipeline/index.js';

export interface BacktestMetrics {
  readonly orders: number;
  readonly fills: number;
  readonly filled_lots: number;
  readonly avg_fill_px: string | null;
  /** Mid of the best bid and offer when the first order went out. */
  readonly arrival_px: string | null;
  /** Average fill price minus arrival, signed so that positive is a cost (ticks per lot). */
  readonly slippage_ticks: string | null;
  readonly benchmark: 'vwap' | 'twap-mid';
  readonly benchmark_px: string | null;
  /** Average fill price minus the benchmark, signed so that positive is a cost. */
  readonly tracking_error_ticks: string | null;
  readonly fees: string;
  /** Cash of the fills plus the position marked at the last mid, less fees (ticks × lots). */
  readonly pnl: string | null;
  readonly position_lots: number;
}

export class MetricsCollector {
  readonly #instrument: string;
  readonly #quotes = new Map<string, { bid?: number; ask?: number }>();
  #arrival: number | undefined;
  #orders = 0;
  #fills = 0;
  #filledLots = 0;
  #notional = 0;
  #cash = 0;
  #fees = 0;
  #tradeNotional = 0;
  #tradeLots = 0;
  #midSum = 0;
  #midCount = 0;
  #lastMid: number | undefined;
  #buySide = true;

  constructor(instrument: string) {
    this.#instrument = instrument;
  }

  #mid(): number | undefined {
    let bid: number | undefined;
    let ask: number | undefined;
    for (const quote of this.#quotes.values()) {
      if (quote.bid !== undefined && (bid === undefined || quote.bid > bid)) bid = quote.bid;
      if (quote.ask !== undefined && (ask === undefined || quote.ask < ask)) ask = quote.ask;
    }
    return bid === undefined || ask === undefined ? undefined : (bid + ask) / 2;
  }

  observe(input: PipelineInput): void {
    if (input.kind === 'tick' && input.instrument === this.#instrument) {
      this.#quotes.set(input.venue, {
        ...(input.bidPx === undefined ? {} : { bid: input.bidPx }),
        ...(input.askPx === undefined ? {} : { ask: input.askPx }),
      });
      if (input.lastPx !== undefined && input.lastQty !== undefined && input.lastQty > 0) {
        this.#tradeNotional += input.lastPx * input.lastQty;
        this.#tradeLots += input.lastQty;
      }
      const mid = this.#mid();
      if (mid !== undefined) {
        this.#lastMid = mid;
        this.#midSum += mid;
        this.#midCount++;
      }
    } else if (input.kind === 'fill') {
      this.#fills++;
      this.#filledLots += input.qtyLots;
      this.#notional += input.priceTicks * input.qtyLots;
      if (input.fee !== undefined) this.#fees += Number(input.fee);
    }
  }

  sent(command: OutboundCommand): void {
    if (command.kind !== 'new-order') return;
    this.#orders++;
    if (this.#orders === 1) {
      this.#arrival = this.#mid();
      this.#buySide = command.side === 'buy';
    }
  }

  result(pipeline: Pipeline): BacktestMetrics {
    const sign = this.#buySide ? 1 : -1;
    const avg = this.#filledLots === 0 ? undefined : this.#notional / this.#filledLots;
    const benchmark =
      this.#tradeLots > 0
        ? this.#tradeNotional / this.#tradeLots
        : this.#midCount > 0
          ? this.#midSum / this.#midCount
          : undefined;
    const position = pipeline.orders.position(this.#instrument);
    this.#cash = -sign * this.#notional;
    const pnl =
      this.#lastMid === undefined ? undefined : this.#cash + position * this.#lastMid - this.#fees;
    const decimal = (value: number | undefined): string | null =>
      value === undefined ? null : numberToDecimal(value, 6);
    return {
      orders: this.#orders,
      fills: this.#fills,
      filled_lots: this.#filledLots,
      avg_fill_px:
        this.#filledLots === 0 ? null : ratioToDecimal(this.#notional, this.#filledLots, 6),
      arrival_px: decimal(this.#arrival),
      slippage_ticks:
        avg === undefined || this.#arrival === undefined
          ? null
          : decimal(sign * (avg - this.#arrival)),
      benchmark: this.#tradeLots > 0 ? 'vwap' : 'twap-mid',
      benchmark_px: decimal(benchmark),
      tracking_error_ticks:
        avg === undefined || benchmark === undefined ? null : decimal(sign * (avg - benchmark)),
      fees: numberToDecimal(this.#fees, 6),
      pnl: decimal(pnl),
      position_lots: position,
    };
  }
}
