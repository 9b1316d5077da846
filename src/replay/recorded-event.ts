/**
 * @module
 * The events of a recorded run as a replay reads them: what the replay needs of each, however it
 * was read (./stored-event.ts reads them from the ledger's entry texts).
 */
import type { Source } from '../core/index.js';

export interface RecordedEvent {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly run: string;
  readonly wallNs: bigint;
  readonly monoNs: bigint;
  readonly source: Source;
  readonly causes: readonly string[];
  readonly payload: Readonly<Record<string, unknown>>;
  /** The payload schema version and hybrid-clock stamp, where the recording has them. */
  readonly typeV?: number;
  readonly hlc?: string | undefined;
}
