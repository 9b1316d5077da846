/**
 * @module
 * The one error type of DeltaTrace and its table of stable codes. A code, once shipped, is never
 * renamed: callers, scripts and the CLI's JSON output branch on it. Each code records the process
 * exit status it maps to and whether it is the user's fault (bad input) or ours/the data's.
 */

/** Exit statuses of the CLI (DESIGN.md §6). */
export const EXIT_CODE = {
  ok: 0,
  other: 1,
  input: 2,
  integrity: 3,
} as const;
export type ExitCode = (typeof EXIT_CODE)[keyof typeof EXIT_CODE];

type Fault = 'user' | 'integrity' | 'internal' | 'environment';

interface CodeInfo {
  readonly exit: ExitCode;
  readonly fault: Fault;
}

const user: CodeInfo = { exit: EXIT_CODE.input, fault: 'user' };
const integrity: CodeInfo = { exit: EXIT_CODE.integrity, fault: 'integrity' };
const internal: CodeInfo = { exit: EXIT_CODE.other, fault: 'internal' };
const environment: CodeInfo = { exit: EXIT_CODE.other, fault: 'environment' };

/** Every error code, grouped by domain. */
export const ERROR_CODES = {
  // Canonical JSON (RFC 8785)
  CANONICAL_NON_FINITE_NUMBER: user,
  CANONICAL_UNSAFE_INTEGER: user,
  CANONICAL_LONE_SURROGATE: user,
  CANONICAL_UNSUPPORTED_VALUE: user,
  CANONICAL_CYCLE: user,
  CANONICAL_TOO_DEEP: user,

  // Outside input: files, lines, flags
  INPUT_INVALID_JSON: user,
  INPUT_SCHEMA_VIOLATION: user,
  INPUT_UNKNOWN_EVENT_TYPE: user,
  INPUT_INVALID_ARGUMENT: user,
  INPUT_INVALID_ENCODING: user,
  INPUT_EMPTY: user,
  INPUT_UNKNOWN_CAUSE: user,
  INPUT_DUPLICATE_EVENT: user,

  // Merkle tree (RFC 9162)
  MERKLE_INDEX_OUT_OF_RANGE: user,
  MERKLE_SIZE_OUT_OF_RANGE: user,
  MERKLE_BAD_HASH_SIZE: user,
  MERKLE_PROOF_WRONG_LENGTH: integrity,
  MERKLE_ROOT_MISMATCH: integrity,
  MERKLE_CONSISTENCY_FROM_EMPTY: user,
  MERKLE_CONSISTENCY_SIZE_ORDER: user,
  MERKLE_NODE_MISSING: integrity,
  MERKLE_FRONTIER_MALFORMED: user,

  // Signed notes and checkpoints (C2SP signed-note, tlog-checkpoint; RFC 8032)
  NOTE_MALFORMED: user,
  NOTE_NO_VERIFIABLE_SIGNATURE: integrity,
  NOTE_BAD_SIGNATURE: integrity,
  NOTE_BAD_KEY: user,
  CHECKPOINT_MALFORMED: user,
  CHECKPOINT_ORIGIN_MISMATCH: integrity,

  // Hash chain and log verification
  CHAIN_BROKEN: integrity,
  CHAIN_VERIFY_FAILED: integrity,
  PROOF_INVALID: integrity,
  CONSISTENCY_FAILED: integrity,

  // Storage
  STORE_NOT_FOUND: user,
  STORE_ALREADY_EXISTS: user,
  STORE_CORRUPT: integrity,
  STORE_IO: environment,
  STORE_LOCKED: environment,
  STORE_EMPTY: user,
  STORE_NO_CHECKPOINT: user,
  STORE_SEQ_OUT_OF_RANGE: user,
  STORE_READONLY: user,
  STORE_CONFLICT: environment,
  STORE_FORMAT_UNSUPPORTED: user,

  // Keys
  KEY_NOT_FOUND: user,
  KEY_ALREADY_EXISTS: user,
  KEY_PERMISSIONS: environment,

  // Anything we did not expect
  INTERNAL: internal,

  // FIX 4.4 tag=value wire format and data dictionary
  FIX_GARBLED: user,
  FIX_BAD_CHECKSUM: user,
  FIX_BAD_BODY_LENGTH: user,
  FIX_UNKNOWN_MSG_TYPE: user,
  FIX_MISSING_TAG: user,
  FIX_GROUP_COUNT_MISMATCH: user,
  FIX_BAD_VALUE: user,
  FIX_BAD_FORMAT: user,
  FIX_UNSUPPORTED_MSG_TYPE: user,

  // FIX 4.4 session layer
  FIX_SESSION_NOT_LOGGED_ON: user,
  FIX_SESSION_BUSY: user,

  // FIX 4.4 session log and its replay
  FIX_SESSION_LOG_MALFORMED: user,
  FIX_SESSION_LOG_CORRUPT: integrity,
  FIX_SESSION_REPLAY_DIVERGED: integrity,

  // FIX 4.4 venue gateway
  FIX_GATEWAY_INVALID_CONFIG: user,

  // Routing (allocation and schedule problems)
  ROUTE_INVALID_PROBLEM: user,
  ROUTE_INFEASIBLE: user,
  ROUTE_IR_INVALID: user,
  // Delta-sync: a plan is the fold of its PlanDeltas, each naming the version it applies to
  ROUTE_DELTA_INVALID: integrity,
  ROUTE_DELTA_DUPLICATE: integrity,
  ROUTE_DELTA_MISSING: integrity,
  ROUTE_DELTA_OUT_OF_ORDER: integrity,
  ROUTE_DELTA_CONFLICT: integrity,

  // Capture pipeline
  PIPELINE_INVALID_CONFIG: user,

  // Replay
  REPLAY_RUN_NOT_FOUND: user,
  REPLAY_DIVERGED: integrity,
  REPLAY_STRATEGY_MODULE: user,
  REPLAY_SNAPSHOT_INVALID: integrity,
  REPLAY_SNAPSHOT_NOT_FOUND: user,
  REPLAY_SNAPSHOT_UNSUPPORTED: user,
  PARITY_FAILED: integrity,

  // Sandbox venue and its simulated market
  VENUE_INVALID_CONFIG: user,
  VENUE_UNKNOWN_INSTRUMENT: user,

  // Network simulator (links, partitions, socket mode)
  NET_INVALID_LINK: user,
  NET_UNKNOWN_ENDPOINT: user,
  NET_SOCKET_ALREADY_BOUND: user,
  NET_UNEXPECTED_FRAME: integrity,
  NET_FRAME_MISMATCH: integrity,

  // WebSocket market-data feed
  WS_BAD_FRAME_JSON: user,
  WS_BAD_FRAME_SCHEMA: user,
  WS_UNKNOWN_INSTRUMENT: user,
  WS_CLIENT_CLOSED: user,
  WS_LISTEN_FAILED: environment,

  // Privacy budgets (per-signal ε, Laplace mechanism)
  PRIVACY_INVALID_ARGUMENT: user,
  PRIVACY_DUPLICATE_BUDGET: user,
  PRIVACY_UNKNOWN_SIGNAL: user,
  PRIVACY_BUDGET_EXHAUSTED: integrity,

  // Secure aggregation (pairwise-masked sums)
  PRIVACY_AGGREGATION_TOO_FEW: user,
  PRIVACY_AGGREGATION_ROUND_MISMATCH: user,
  PRIVACY_AGGREGATION_ROUND_REUSED: user,
  PRIVACY_AGGREGATION_INVALID_KEY: user,
  PRIVACY_AGGREGATION_UNEXPECTED: user,
  PRIVACY_AGGREGATION_INCOMPLETE: user,
  PRIVACY_AGGREGATION_SECOND_DROP: environment,

  // Graph-of-Contracts registry and conformance harness
  CONTRACT_INVALID: user,
  CONTRACT_DUPLICATE: user,
  CONTRACT_UNKNOWN: user,
  CONTRACT_FIXTURE_INVALID: user,
  CONTRACT_CHECK_FAILED: integrity,
} as const satisfies Record<string, CodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue =
  JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export interface DeltaTraceErrorOptions extends ErrorOptions {
  readonly details?: JsonObject;
}

/** Base of every error DeltaTrace throws on purpose. */
export class DeltaTraceError extends Error {
  readonly code: ErrorCode;
  readonly details: JsonObject | undefined;

  constructor(code: ErrorCode, message: string, options: DeltaTraceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code].exit;
  }
}

/** The caller gave us something malformed; exit 2. */
export class InputError extends DeltaTraceError {}
/** Data failed an integrity or invariant check; exit 3. */
export class IntegrityError extends DeltaTraceError {}
/** The disk, a lock or a file system refused us. */
export class StorageError extends DeltaTraceError {}
/** A bug: an invariant of our own code did not hold. */
export class InternalError extends DeltaTraceError {}

export function isDeltaTraceError(value: unknown): value is DeltaTraceError {
  return value instanceof DeltaTraceError;
}

export function exitCodeOf(code: ErrorCode): ExitCode {
  return ERROR_CODES[code].exit;
}
