/**
 * @module
 * The pure core of DeltaTrace: the event envelope and type registry, RFC 8785 canonical JSON, the
 * hash chain, the RFC 9162 Merkle tree, Ed25519 signed checkpoints, the ledger, verification and
 * proofs, and the ports through which storage, clocks and randomness come in. No I/O here.
 */
export { bytesEqual, fromBase64, fromHex, sha256, sha256Hex, toBase64, toHex } from './bytes.js';
export { canonicalBytes, canonicalize, type CanonicalizeOptions } from './canonical/index.js';
export {
  AUDIT_WINDOW,
  ChainAuditor,
  type Finding,
  FINDING_KINDS,
  type FindingKind,
} from './chain/chain-auditor.js';
export { analyzeChunk, type ChunkAnalysis } from './chain/chunk-analysis.js';
export { type AnalyzedEntry, analyzeEntryLine } from './chain/entry-analysis.js';
export {
  bodyTextInEntry,
  computeEventId,
  eventIdOfBodyText,
  HASH_MEMBER_BYTES,
  linkEntryInPlace,
  type SealedEntry,
  sealEntry,
  toWireTimestamp,
  type UnlinkedEntry,
} from './chain/entry-codec.js';
export { numberToDecimal, ratioToDecimal } from './decimal.js';
export {
  DeltaTraceError,
  ERROR_CODES,
  type ErrorCode,
  EXIT_CODE,
  type ExitCode,
  exitCodeOf,
  InputError,
  IntegrityError,
  InternalError,
  isDeltaTraceError,
  type JsonObject,
  type JsonValue,
  StorageError,
} from './errors.js';
export {
  type Entry,
  ENTRY_FORMAT_NAME,
  ENTRY_FORMAT_VERSION,
  type EntryWire,
  EntryWireSchema,
  type EventBody,
  type EventInput,
  EventInputSchema,
  GENESIS_PREV,
  type Source,
  type Timestamp,
} from './events/envelope.js';
export {
  type FillPayload,
  type MdTickPayload,
  type OrderNewPayload,
  type PlanDeltaPayload,
  PlanDeltaPayloadSchema,
  type RiskCheckPayload,
  type SignalPayload,
} from './events/payloads.js';
export {
  DecimalStringSchema,
  type EventId,
  EventIdSchema,
  LotsSchema,
  NameSchema,
  PriceTicksSchema,
  QtyLotsSchema,
  type Side,
  SideSchema,
  toTsNs,
  type TsNs,
  TsNsSchema,
} from './events/primitives.js';
export {
  CORE_EVENT_TYPES,
  createCoreRegistry,
  type EventTypeDefinition,
  EventTypeRegistry,
  formatIssues,
} from './events/registry.js';
export { type ImportChecker } from './import-check.js';
export {
  type AppendResult,
  Ledger,
  type LedgerOptions,
  prepareBody,
  type PreparedBody,
} from './ledger.js';
export {
  consistencyProof,
  hashLeaf,
  hashLeafAt,
  hashLeafOfHex,
  hashLeafOfHexBytes,
  inclusionProof,
  MERKLE_NODE_STRIDE,
  MerkleFrontier,
  type MerkleNode,
  type MerkleNodeSource,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from './merkle/index.js';
export {
  type AppendBatch,
  batchCount,
  batchFirstSeq,
  batchIdAt,
  type Clock,
  type Durability,
  DURABILITY_MODES,
  emptySnapshot,
  type EntryFilter,
  type EventStore,
  type PackedEntries,
  type Rng,
  type Scheduler,
  sealedEntriesOf,
  sealedNodesOf,
  SNAPSHOT_FORMAT,
  type StoredCheckpoint,
  type StoreSnapshot,
  type TimerHandle,
} from './ports.js';
export {
  type ConsistencyReport,
  type InclusionProofDocument,
  InclusionProofDocumentSchema,
  type InclusionVerdict,
  parseInclusionProof,
  proveConsistency,
  proveInclusion,
  verifyInclusionProof,
} from './proofs.js';
export { type RngState, SeededRng } from './rng.js';
export { VirtualScheduler, type VirtualSchedulerOptions } from './scheduling/virtual-scheduler.js';
export {
  type Checkpoint,
  formatCheckpoint,
  formatVerifierKey,
  type NoteSigner,
  type NoteVerifier,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  signCheckpoint,
  signerKeyFromSeed,
  signNote,
} from './signing/index.js';
export {
  type CheckpointCheck,
  type CheckpointOpener,
  type ChunkAnalyzer,
  VERIFY_REPORT_FORMAT,
  verifyLog,
  type VerifyOptions,
  type VerifyReport,
} from './verify.js';
