/**
 * @module
 * Messages between a BackgroundCapture and its writer process. Records cross in the compact
 * form of ./record-codec.ts; errors come back as code, message and details, and are rebuilt as
 * DeltaTraceErrors on the pipeline's side.
 */
import type { Durability, ErrorCode, JsonObject } from '../../core/index.js';
import type { EncodedRecords } from './record-codec.js';

export interface CaptureWriterConfig {
  /** A store directory that exists; the writer opens it for writing. */
  readonly dir: string;
  readonly run: string;
  readonly batchSize: number;
  readonly durability: Durability;
}

export type ToWriter =
  | { readonly kind: 'records'; readonly batch: EncodedRecords }
  | { readonly kind: 'flush'; readonly id: number };

export interface WriterState {
  readonly size: number;
  readonly root: string;
  readonly captured: number;
}

export type FromWriter =
  | ({ readonly kind: 'flushed'; readonly id: number } & WriterState)
  | {
      readonly kind: 'failed';
      readonly id: number | null;
      readonly code: ErrorCode;
      readonly message: string;
      readonly details: JsonObject | null;
    };
