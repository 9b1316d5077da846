/**
 * @module
 * Where a replay starts when it does not start from run.start: the pipeline configuration the run
 * recorded, and the latest state snapshot at or before a seq with the ids of everything up to it.
 */
import { InputError } from '../core/index.js';
import {
  parseStateSnapshot,
  type PipelineConfig,
  type PipelineState,
  type RunStartPayload,
} from '../pipeline/index.js';
import type { IdTable } from './id-table.js';
import type { RecordedEvent } from './recorded-event.js';
import type { ReplayLog } from './replay-log.js';
import { StoredEvent } from './stored-event.js';

export interface Resumption {
  readonly snapshot: RecordedEvent;
  readonly state: PipelineState;
  readonly inputs: number;
}

/**
 * Reads the run from run.start through `fromSeq`, keeping every event's id in `ids`, and picks the
 * latest state snapshot on the way: the ids after it are forgotten again (the replay regenerates
 * them).
 * @throws REPLAY_SNAPSHOT_NOT_FOUND when the run has no snapshot at or before `fromSeq`;
 *   REPLAY_SNAPSHOT_INVALID when that snapshot does not parse
 */
export async function readToSnapshot(
  log: ReplayLog,
  fromSeq: number,
  config: RunStartPayload,
  ids: IdTable,
): Promise<Resumption> {
  let snapshot: RecordedEvent | undefined;
  let through = 0;
  for (;;) {
    const event = log.take();
    if (event === undefined) {
      if (await log.readMore()) continue;
      break;
    }
    if (event.seq > fromSeq) break;
    // Read in place where the entry text has it: no string cut per event.
    if (event instanceof StoredEvent) event.pushIdTo(ids);
    else ids.push(event.id);
    if (event.type === 'state.snapshot') {
      snapshot = event;
      through = ids.size;
    }
  }
  await log.close();
  if (snapshot === undefined) {
    const every = config.snapshot_every_inputs;
    throw new InputError(
      'REPLAY_SNAPSHOT_NOT_FOUND',
      every === undefined
        ? 'the run was recorded without state snapshots: replay it from the start'
        : `the run has no state snapshot at or before seq ${fromSeq} (one every ${every} inputs)`,
      { details: { from: fromSeq, snapshot_every_inputs: every ?? null } },
    );
  }
  ids.truncate(through);
  const payload = parseStateSnapshot(snapshot.payload);
  return { snapshot, state: payload.state, inputs: payload.inputs };
}

/** The pipeline configuration run.start recorded (venues in reverse on request, for tests). */
export function pipelineConfigOf(
  node: string,
  config: RunStartPayload,
  reverseVenues: boolean,
): PipelineConfig {
  return {
    node,
    seed: BigInt(config.seed),
    clock: config.clock,
    venues: (reverseVenues ? [...config.venues].reverse() : config.venues).map((v) => ({
      id: v.id,
      makerFeeCentiTicksPerLot: v.maker_fee_centiticks_per_lot,
      takerFeeCentiTicksPerLot: v.taker_fee_centiticks_per_lot,
    })),
    instruments: config.instruments,
    risk: {
      maxOrderLots: Number(config.risk_limits['max_order_lots']),
      maxPositionLots: Number(config.risk_limits['max_position_lots']),
      priceCollarTicks: Number(config.risk_limits['price_collar_ticks']),
      maxOrdersPerSecond: Number(config.risk_limits['max_orders_per_second']),
    },
    orderIdPrefix: config.order_id_prefix,
    ...(config.snapshot_every_inputs === undefined
      ? {}
      : { snapshotEveryInputs: config.snapshot_every_inputs }),
  };
}
