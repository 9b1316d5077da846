/**
 * @module
 * Everything the market-data client sees, as typed events: connection changes, snapshots,
 * updates, gaps, resynchronisations and bad frames. A capture layer records each as a ledger
 * event; tests compare them across runs.
 */
import type { DeltaTraceError } from '../../core/index.js';
import type { LevelUpdate, TradePrint } from './messages.js';

/** Why the client asked for a fresh snapshot. */
export type ResyncReason = 'subscribe' | 'reconnect' | 'gap' | 'bad-frame' | 'snapshot-timeout';

export type ClientEvent =
  /** The first connection is open; `attempt` counts the tries it took. */
  | { readonly type: 'connect'; readonly attempt: number }
  /** A later connection is open. */
  | { readonly type: 'reconnect'; readonly attempt: number }
  /** A connection attempt failed before opening. */
  | { readonly type: 'connect-failed'; readonly attempt: number; readonly message: string }
  /** An open connection closed. */
  | { readonly type: 'disconnect'; readonly code: number; readonly reason: string }
  | { readonly type: 'reconnect-scheduled'; readonly attempt: number; readonly delayNs: bigint }
  | {
      readonly type: 'snapshot';
      readonly instrument: string;
      readonly seq: number;
      readonly tsNs: bigint;
      /** Buffered updates applied right after it. */
      readonly replayed: number;
    }
  | {
      readonly type: 'update';
      readonly instrument: string;
      readonly seq: number;
      readonly tsNs: bigint;
      readonly levels: readonly LevelUpdate[];
      readonly trades: readonly TradePrint[];
    }
  | {
      readonly type: 'gap';
      readonly instrument: string;
      readonly expectedSeq: number;
      readonly receivedSeq: number;
    }
  | { readonly type: 'resync'; readonly instrument: string; readonly reason: ResyncReason }
  | {
      readonly type: 'heartbeat';
      readonly tsNs: bigint;
      readonly seqs: Readonly<Record<string, number>>;
    }
  /** A frame that is not JSON (`WS_BAD_FRAME_JSON`) or not a message (`WS_BAD_FRAME_SCHEMA`). */
  | { readonly type: 'bad-frame'; readonly error: DeltaTraceError; readonly frameBytes: number }
  /** The server answered with an `error` frame. */
  | {
      readonly type: 'server-error';
      readonly code: string;
      readonly message: string;
      readonly instrument?: string;
    }
  /** The connection's tap failed (e.g. `NET_*` from a simulated link). */
  | { readonly type: 'tap-error'; readonly error: DeltaTraceError };

export type ClientEventListener = (event: ClientEvent) => void;
