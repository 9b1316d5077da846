/**
 * @module
 * Privacy of shared signals: a PrivacyBudget per signal, spent by Laplace-noised shares under basic
 * composition (with the ledger events that record budgets, shares and refusals), and secure
 * aggregation, through which venues' private integers are summed behind pairwise X25519/HKDF masks
 * so that the coordinator learns only the total. Pure: no I/O, no clock; noise comes from an
 * injected seeded Rng, keys from seeds the caller supplies.
 */
export {
  PrivacyAccountant,
  type PrivacyAccountantOptions,
  type PrivacyAccountantState,
  type PrivacyBudgetSpec,
  type PrivacyBudgetUsage,
  type PrivacyOffer,
  type PrivacyShare,
  type ShareRequest,
} from './accountant.js';
export { AggregationCoordinator } from './aggregation-coordinator.js';
export {
  type AggregationKeyPair,
  aggregationKeyPairFromSeed,
  MASK_MODULUS,
  X25519_KEY_SIZE,
} from './aggregation-keys.js';
export {
  AggregationParticipant,
  type AggregationParticipantOptions,
} from './aggregation-participant.js';
export {
  AGGREGATION_FORMAT_VERSION,
  type AggregationPeer,
  type AggregationRound,
  createAggregationRound,
  type MaskedInput,
  MaskedInputSchema,
  type MaskReveal,
  MaskRevealSchema,
  MAX_AGGREGATION_INPUT,
  MAX_AGGREGATION_PARTICIPANTS,
} from './aggregation-round.js';
export {
  PRIVACY_EVENT_TYPES,
  type PrivacyBudget,
  type PrivacyBudgetPayload,
  PrivacyBudgetPayloadSchema,
  PrivacyBudgetSchema,
  type PrivacySpendPayload,
  PrivacySpendPayloadSchema,
  registerPrivacyEventTypes,
} from './event-types.js';
export { drawOpenUnit, EPSILON_DECIMALS, RELEASE_DECIMALS, sampleLaplace } from './laplace.js';
