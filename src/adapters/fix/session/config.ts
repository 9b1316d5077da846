/**
 * @module
 * The configuration of one FIX 4.4 session, parsed with zod: it comes from files and flags.
 */
import { z } from 'zod';

import { InputError, type JsonObject } from '../../../core/index.js';

/** A header or body value: non-empty, and no SOH, which would end the field early. */
const FieldValueSchema = z
  .string()
  .min(1)
  .refine((value) => !value.includes('\x01'), 'must not contain SOH');

export const SessionConfigSchema = z.strictObject({
  beginString: z.literal('FIX.4.4').default('FIX.4.4'),
  /** An acceptor waits for the counterparty's Logon; an initiator sends the first one. */
  role: z.enum(['acceptor', 'initiator']),
  /** Our SenderCompID (49) on the messages we send. */
  senderCompId: FieldValueSchema,
  /** The counterparty's CompID: TargetCompID (56) on what we send. */
  targetCompId: FieldValueSchema,
  /** HeartBtInt (108) an initiator proposes; an acceptor adopts the initiator's. 0: none. */
  heartBtIntSec: z.number().int().min(0).max(86_400).default(30),
  /**
   * Acceptor: reset both sequence numbers to 1 on every Logon. Initiator: send
   * ResetSeqNumFlag (141=Y) with its Logon and reset first.
   */
  resetOnLogon: z.boolean().default(false),
  /** Largest accepted difference between SendingTime (52) and our clock. */
  sendingTimeToleranceMs: z.number().int().positive().default(120_000),
  /** How long to wait for a Logon (acceptor) or the answer to ours (initiator). */
  logonTimeoutMs: z.number().int().positive().default(10_000),
  /** How long to wait for the answer to a Logout we sent before disconnecting. */
  logoutTimeoutMs: z.number().int().positive().default(2_000),
  /** Check every inbound message against the FIX 4.4 dictionary (Reject on a violation). */
  validateMessages: z.boolean().default(true),
  /** TestReqID (112) of the TestRequests we send when the counterparty goes silent. */
  testRequestId: FieldValueSchema.default('TEST'),
});
export type SessionConfig = z.infer<typeof SessionConfigSchema>;
export type SessionConfigInput = z.input<typeof SessionConfigSchema>;

/** @throws InputError INPUT_SCHEMA_VIOLATION naming each bad key. */
export function parseSessionConfig(input: unknown): SessionConfig {
  const result = SessionConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue): JsonObject => ({
    path: issue.path.map((key) => String(key)).join('.'),
    message: issue.message,
  }));
  throw new InputError('INPUT_SCHEMA_VIOLATION', 'invalid FIX session configuration', {
    details: { issues },
  });
}
