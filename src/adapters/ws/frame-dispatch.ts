/**
 * @module
 * What the client does with one received frame: decode it, drive the instrument's sequence
 * state, emit the events it implies, and ask for a resync where the book can no longer be
 * trusted. A frame that fails to decode is a `bad-frame` event, never an exception.
 */
import { InternalError } from '../../core/index.js';
import { toTypedError } from './client-connection.js';
import type { ClientEvent, ResyncReason } from './client-events.js';
import type { InstrumentSync } from './instrument-sync.js';
import {
  decodeServerMessage,
  type HeartbeatMessage,
  type ServerMessage,
  type SnapshotMessage,
  type UpdateMessage,
} from './messages.js';

/** The client state a frame acts on. */
export interface DispatchContext {
  readonly syncs: ReadonlyMap<string, InstrumentSync>;
  emit(event: ClientEvent): void;
  resync(instrument: string, reason: ResyncReason): void;
  /** A snapshot came: its request needs no retry. */
  snapshotReceived(instrument: string): void;
}

interface Gap {
  readonly expectedSeq: number;
  readonly receivedSeq: number;
}

/** Subscribed instruments in code-unit order: resyncs go out in the same order every run. */
export function sortedInstruments(context: DispatchContext): string[] {
  return [...context.syncs.keys()].sort();
}

export function dispatchFrame(frame: string, context: DispatchContext): void {
  let message: ServerMessage;
  try {
    message = decodeServerMessage(frame);
  } catch (error) {
    context.emit({
      type: 'bad-frame',
      error: toTypedError(error),
      frameBytes: Buffer.byteLength(frame),
    });
    // The frame may have been any instrument's: none of them can be trusted to be complete.
    for (const instrument of sortedInstruments(context)) context.resync(instrument, 'bad-frame');
    return;
  }
  switch (message.type) {
    case 'snapshot':
      return onSnapshot(message, context);
    case 'update':
      return onUpdate(message, context);
    case 'heartbeat':
      return onHeartbeat(message, context);
    case 'error': {
      const { code, message: text, instrument } = message;
      context.emit(
        instrument === undefined
          ? { type: 'server-error', code, message: text }
          : { type: 'server-error', code, message: text, instrument },
      );
      return;
    }
    default: {
      const unreachable: never = message;
      throw new InternalError('INTERNAL', `unhandled message ${String(unreachable)}`);
    }
  }
}

function onGap(instrument: string, gap: Gap, context: DispatchContext): void {
  const { expectedSeq, receivedSeq } = gap;
  context.emit({ type: 'gap', instrument, expectedSeq, receivedSeq });
  context.resync(instrument, 'gap');
}

function onSnapshot(message: SnapshotMessage, context: DispatchContext): void {
  const sync = context.syncs.get(message.instrument);
  if (sync === undefined) return;
  context.snapshotReceived(message.instrument);
  const outcome = sync.onSnapshot(message);
  if (outcome.kind === 'gap') return onGap(message.instrument, outcome, context);
  context.emit({
    type: 'snapshot',
    instrument: message.instrument,
    seq: message.seq,
    // The schema admits only decimal digits here, so BigInt cannot throw.
    tsNs: BigInt(message.tsNs),
    replayed: outcome.replayed.length,
  });
  for (const update of outcome.replayed) emitUpdate(update, context);
}

function onUpdate(message: UpdateMessage, context: DispatchContext): void {
  const sync = context.syncs.get(message.instrument);
  if (sync === undefined) return;
  const outcome = sync.onUpdate(message);
  switch (outcome.kind) {
    case 'applied':
      return emitUpdate(message, context);
    case 'buffered':
    case 'stale':
      return;
    case 'gap':
      return onGap(message.instrument, outcome, context);
    default: {
      const unreachable: never = outcome;
      throw new InternalError('INTERNAL', `unhandled outcome ${String(unreachable)}`);
    }
  }
}

function onHeartbeat(message: HeartbeatMessage, context: DispatchContext): void {
  context.emit({ type: 'heartbeat', tsNs: BigInt(message.tsNs), seqs: { ...message.seqs } });
  for (const instrument of sortedInstruments(context)) {
    const seq = message.seqs[instrument];
    const gap = seq === undefined ? undefined : context.syncs.get(instrument)?.checkHeartbeat(seq);
    if (gap !== undefined) onGap(instrument, gap, context);
  }
}

function emitUpdate(message: UpdateMessage, context: DispatchContext): void {
  context.emit({
    type: 'update',
    instrument: message.instrument,
    seq: message.seq,
    tsNs: BigInt(message.tsNs),
    // Only the fields we know: a newer server's extras must not leak into recorded events.
    levels: message.levels.map(({ side, priceTicks, qtyLots }) => ({ side, priceTicks, qtyLots })),
    trades: message.trades.map(({ priceTicks, qtyLots, aggressorSide }) => ({
      priceTicks,
      qtyLots,
      aggressorSide,
    })),
  });
}
