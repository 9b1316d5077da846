/**
 * @module
 * A pipeline's configuration: what a run is set up with, the checks it must pass before the run
 * starts, and the `run.start` payload that records it — the configuration a replay must match.
 */
import { InputError, type Rng, SeededRng } from '../core/index.js';
import type { RiskLimits } from './risk.js';
import type { Router } from './router.js';
import type { Strategy } from './strategy.js';

export interface PipelineVenue {
  readonly id: string;
  /** Fees in hundredths of a tick per lot (negative: a rebate), as the venue charges them. */
  readonly makerFeeCentiTicksPerLot: number;
  readonly takerFeeCentiTicksPerLot: number;
}

export interface PipelineConfig {
  readonly node: string;
  readonly seed: bigint;
  readonly clock: 'system' | 'simulated';
  readonly venues: readonly PipelineVenue[];
  readonly instruments: readonly string[];
  readonly risk: RiskLimits;
  /** Prefix of the client order ids this run assigns (`<prefix><n>`). */
  readonly orderIdPrefix: string;
  /**
   * Record a `state.snapshot` after every this many inputs (0 or absent: never). Needs a seeded
   * random source and a strategy and router that can snapshot themselves.
   */
  readonly snapshotEveryInputs?: number;
}

/**
 * The configuration's venues sorted by id: the order every loop over them takes, so that a run
 * never depends on the order they were registered in.
 * @throws PIPELINE_INVALID_CONFIG for no venues or instruments, a duplicate venue, or snapshots
 *   asked of a random source, strategy or router that cannot take them
 */
export function checkedVenues(
  config: PipelineConfig,
  strategy: Strategy,
  router: Router,
  rng: Rng,
): readonly PipelineVenue[] {
  if (config.venues.length === 0 || config.instruments.length === 0) {
    throw new InputError('PIPELINE_INVALID_CONFIG', 'a pipeline needs venues and instruments');
  }
  const venues = [...config.venues].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (new Set(venues.map((v) => v.id)).size !== venues.length) {
    throw new InputError('PIPELINE_INVALID_CONFIG', 'venue ids must be unique');
  }
  const every = config.snapshotEveryInputs ?? 0;
  if (!Number.isSafeInteger(every) || every < 0) {
    throw new InputError('PIPELINE_INVALID_CONFIG', 'snapshotEveryInputs is a whole number');
  }
  if (
    every > 0 &&
    (!(rng instanceof SeededRng) ||
      strategy.snapshot === undefined ||
      router.snapshot === undefined)
  ) {
    throw new InputError(
      'PIPELINE_INVALID_CONFIG',
      'state snapshots need a seeded random source and a strategy and router that snapshot',
      { details: { strategy: strategy.name, router: router.name } },
    );
  }
  return venues;
}

/** The `run.start` payload of a run with this configuration, its venues sorted. */
export function runStartPayload(
  config: PipelineConfig,
  venues: readonly PipelineVenue[],
  strategy: Strategy,
  router: Router,
): Record<string, unknown> {
  return {
    strategy: strategy.name,
    strategy_version: strategy.version,
    params: { ...strategy.params },
    seed: config.seed.toString(),
    clock: config.clock,
    venues: venues.map((v) => ({
      id: v.id,
      maker_fee_centiticks_per_lot: v.makerFeeCentiTicksPerLot,
      taker_fee_centiticks_per_lot: v.takerFeeCentiTicksPerLot,
    })),
    instruments: [...config.instruments].sort(),
    risk_limits: {
      max_order_lots: String(config.risk.maxOrderLots),
      max_orders_per_second: String(config.risk.maxOrdersPerSecond),
      max_position_lots: String(config.risk.maxPositionLots),
      price_collar_ticks: String(config.risk.priceCollarTicks),
    },
    order_id_prefix: config.orderIdPrefix,
    router: { name: router.name, params: { ...router.params } },
    ...((config.snapshotEveryInputs ?? 0) > 0
      ? { snapshot_every_inputs: config.snapshotEveryInputs }
      : {}),
  };
}
