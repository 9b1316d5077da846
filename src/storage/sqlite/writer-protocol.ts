/**
 * The answers of a SQLite writer process, one JSON line each on its stdout: `ready` once the
 * write connection is open, `done` when a request is durable, `failed` with the error's code.
 * Every answer says how far id_index reaches, so the caller can drop that part of its id tail;
 * the answer to a batch sent without its Merkle nodes carries the tree (and the chain's head) after
 * it.
 * They come from another process, so they are parsed, never cast.
 */
import { z } from 'zod';

import {
  type DeltaTraceError,
  ERROR_CODES,
  type ErrorCode,
  InternalError,
  type JsonObject,
  StorageError,
} from '../../core/index.js';
import type { TreeHead } from './batch-writer.js';

export type WriterReply =
  | {
      readonly kind: 'ready' | 'done';
      readonly id: number | null;
      readonly indexed_upto: number;
      readonly tree: TreeHead | null;
    }
  | {
      readonly kind: 'failed';
      readonly id: number | null;
      readonly code: ErrorCode;
      readonly message: string;
      readonly details: JsonObject | null;
      /** The writer's own invariant failed, not the disk. */
      readonly internal: boolean;
    };

const CodeSchema = z
  .string()
  .refine((code): code is ErrorCode => Object.hasOwn(ERROR_CODES, code), 'unknown error code');

const Hex64Schema = z.string().regex(/^[0-9a-f]{64}$/);

const WriterReplySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.enum(['ready', 'done']),
    id: z.number().int().nonnegative().nullable(),
    indexed_upto: z.number().int().nonnegative(),
    tree: z
      .strictObject({
        root: Hex64Schema,
        frontier: z.array(Hex64Schema),
        head_hash: Hex64Schema,
      })
      .nullable(),
  }),
  z.strictObject({
    kind: z.literal('failed'),
    id: z.number().int().nonnegative().nullable(),
    code: CodeSchema,
    message: z.string(),
    details: z.record(z.string(), z.unknown()).nullable(),
    internal: z.boolean(),
  }),
]);

/** @throws INTERNAL when the line is not an answer of the writer */
export function parseWriterReply(line: string): WriterReply {
  let value: unknown;
  try {
    // JSON.parse throws a bare SyntaxError; a garbled answer is our bug, reported with our code.
    value = JSON.parse(line);
  } catch (error) {
    throw new InternalError('INTERNAL', 'the SQLite writer process answered garbage', {
      cause: error,
    });
  }
  const parsed = WriterReplySchema.safeParse(value);
  if (!parsed.success) {
    throw new InternalError('INTERNAL', 'the SQLite writer process answered garbage');
  }
  return parsed.data as WriterReply;
}

/** The error a `failed` answer stands for, as the caller's own. */
export function toWriterError(reply: Extract<WriterReply, { kind: 'failed' }>): DeltaTraceError {
  const options = reply.details === null ? {} : { details: reply.details };
  return reply.internal
    ? new InternalError(reply.code, reply.message, options)
    : new StorageError(reply.code, reply.message, options);
}
