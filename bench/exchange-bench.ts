/**
 * The matching-engine benchmark: a realistic, seeded command mix (resting limits, IOC, FOK,
 * market, cancels, replaces around a slowly moving mid) through one OrderBook on one core.
 * Throughput is measured in a pass without per-command timing; per-operation latency in a second
 * pass into HDR histograms.
 */
import hdr from 'hdr-histogram-js';

import { SeededRng } from '../dist/core/index.js';
import { type Command, OrderBook } from '../dist/exchange/index.js';

export interface ExchangeBenchOptions {
  readonly commands: number;
}

type Operation = 'limit' | 'ioc' | 'fok' | 'market' | 'cancel' | 'replace';

function generate(count: number, seed: number): { commands: Command[]; kinds: Operation[] } {
  const rng = new SeededRng(seed);
  const commands: Command[] = [];
  const kinds: Operation[] = [];
  const live: string[] = [];
  let mid = 100_000;
  for (let i = 0; i < count; i++) {
    if (i % 100 === 0) mid += rng.int(-2, 2);
    const roll = rng.next();
    const side = rng.next() < 0.5 ? 'buy' : 'sell';
    const ownerId = `acct-${rng.int(1, 50)}`;
    const orderId = `o${i}`;
    const away = rng.int(0, 10);
    const restingPrice = side === 'buy' ? mid - away : mid + away;
    const crossingPrice = side === 'buy' ? mid + rng.int(0, 3) : mid - rng.int(0, 3);
    const qtyLots = rng.int(1, 20);
    const rest = (): void => {
      const priceTicks = restingPrice;
      commands.push({
        type: 'new',
        orderId,
        side,
        orderType: 'limit',
        tif: 'day',
        qtyLots,
        priceTicks,
        ownerId,
      });
      kinds.push('limit');
      live.push(orderId);
    };
    if (roll < 0.55) {
      rest();
    } else if (roll < 0.6) {
      commands.push({
        type: 'new',
        orderId,
        side,
        orderType: 'limit',
        tif: 'ioc',
        qtyLots,
        priceTicks: crossingPrice,
        ownerId,
      });
      kinds.push('ioc');
    } else if (roll < 0.62) {
      commands.push({
        type: 'new',
        orderId,
        side,
        orderType: 'limit',
        tif: 'fok',
        qtyLots,
        priceTicks: crossingPrice,
        ownerId,
      });
      kinds.push('fok');
    } else if (roll < 0.64) {
      commands.push({
        type: 'new',
        orderId,
        side,
        orderType: 'market',
        tif: 'ioc',
        qtyLots,
        ownerId,
      });
      kinds.push('market');
    } else if (roll < 0.88 && live.length > 0) {
      const at = rng.int(0, live.length - 1);
      commands.push({ type: 'cancel', orderId: live[at]! });
      live[at] = live[live.length - 1]!;
      live.pop();
      kinds.push('cancel');
    } else if (live.length > 0) {
      const target = live[rng.int(0, live.length - 1)]!;
      commands.push(
        rng.next() < 0.5
          ? { type: 'replace', orderId: target, qtyLots: rng.int(1, 10) }
          : { type: 'replace', orderId: target, priceTicks: restingPrice },
      );
      kinds.push('replace');
    } else {
      rest();
    }
  }
  return { commands, kinds };
}

export function runExchangeBench(options: ExchangeBenchOptions): Record<string, unknown> {
  const { commands, kinds } = generate(options.commands, 11);

  // Warm the JIT on a separate book, then measure throughput on a fresh one.
  const warm = new OrderBook({ instrument: 'ACME' });
  for (const command of commands.slice(0, 200_000)) warm.apply(command);

  const book = new OrderBook({ instrument: 'ACME' });
  let events = 0;
  let trades = 0;
  const start = process.hrtime.bigint();
  for (const command of commands) {
    const emitted = book.apply(command);
    events += emitted.length;
    for (const event of emitted) if (event.type === 'trade') trades++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;

  const histograms = new Map<Operation, hdr.Histogram>();
  const timed = new OrderBook({ instrument: 'ACME' });
  for (let i = 0; i < commands.length; i++) {
    const before = process.hrtime.bigint();
    timed.apply(commands[i]!);
    const ns = Number(process.hrtime.bigint() - before);
    const kind = kinds[i]!;
    let histogram = histograms.get(kind);
    if (histogram === undefined) {
      histogram = hdr.build({
        lowestDiscernibleValue: 1,
        highestTrackableValue: 10_000_000_000,
        numberOfSignificantValueDigits: 3,
      });
      histograms.set(kind, histogram);
    }
    histogram.recordValue(Math.max(1, ns));
  }
  const latency: Record<
    string,
    { count: number; p50_ns: number; p99_ns: number; p999_ns: number }
  > = {};
  for (const kind of [...histograms.keys()].sort()) {
    const histogram = histograms.get(kind)!;
    latency[kind] = {
      count: histogram.totalCount,
      p50_ns: histogram.getValueAtPercentile(50),
      p99_ns: histogram.getValueAtPercentile(99),
      p999_ns: histogram.getValueAtPercentile(99.9),
    };
  }
  return {
    bench: 'exchange',
    commands: commands.length,
    commands_per_s: Math.round(commands.length / seconds),
    events,
    trades,
    latency_per_operation: latency,
    node: process.version,
  };
}
