/**
 * @module
 * DeltaTrace's own Graph-of-Contracts: every contract the parts exchange, who produces and who
 * consumes each, and the conformance suites that bind each adapter's own parser and builder to
 * them. The one place that knows both the contracts domain and the adapters.
 */
import {
  type ConformanceSuite,
  type ContractRef,
  ContractRegistry,
  type PartySpec,
} from '../../contracts/index.js';
import {
  createComposedEventRegistry,
  ENTRY_CONTRACT,
  ENTRY_CONTRACT_VERSION,
  eventContracts,
  ledgerCodecs,
  payloadContractVersion,
  payloadRefs,
} from './event-contracts.js';
import {
  FIX_CONTRACT_VERSION,
  FIX_CONTRACTS,
  fixCodecs,
  type FixContractName,
} from './fix-contracts.js';
import { ROUTING_CODECS, ROUTING_CONTRACTS, ROUTING_REFS } from './routing-contracts.js';
import {
  VENUE_CODECS,
  VENUE_COMMAND,
  VENUE_CONTRACT_VERSION,
  VENUE_CONTRACTS,
  VENUE_REPORT,
} from './venue-contracts.js';
import {
  WS_CLIENT_REQUEST,
  WS_CODECS,
  WS_CONTRACT_VERSION,
  WS_CONTRACTS,
  WS_SERVER_MESSAGE,
} from './ws-contracts.js';

const ORDER_ENTRY: readonly FixContractName[] = [
  'fix.new-order-single',
  'fix.order-cancel-request',
  'fix.order-cancel-replace-request',
  'fix.market-data-request',
];
const VENUE_ANSWERS: readonly FixContractName[] = [
  'fix.business-message-reject',
  'fix.execution-report',
  'fix.market-data-incremental-refresh',
  'fix.market-data-snapshot',
  'fix.order-cancel-reject',
];
/** What FixVenueClient sends: it neither amends orders nor answers with business rejects. */
const CLIENT_SENDS: readonly FixContractName[] = [
  'fix.market-data-request',
  'fix.new-order-single',
  'fix.order-cancel-request',
];
/** The event types the capture pipeline records. */
const PIPELINE_RECORDS: readonly string[] = [
  'feed.status',
  'fill',
  'governance.trigger',
  'md.tick',
  'order.ack',
  'order.cancel',
  'order.cancelled',
  'order.new',
  'order.reject',
  'plan.delta',
  'privacy.budget',
  'privacy.spend',
  'risk.check',
  'run.end',
  'run.start',
  'session.status',
  'signal',
  'timer.fire',
];

/** Payload types whose fixtures are recorded from a decision path (the others are untested). */
const LEDGER_RECORDED_PAYLOADS: readonly string[] = [
  'md.tick',
  'plan.delta',
  'privacy.budget',
  'privacy.spend',
  'signal',
];

const fix = (names: readonly FixContractName[]): ContractRef[] =>
  names.map((contract) => ({ contract, version: FIX_CONTRACT_VERSION }));
const entry: ContractRef = { contract: ENTRY_CONTRACT, version: ENTRY_CONTRACT_VERSION };
const venue = (contract: string): ContractRef => ({ contract, version: VENUE_CONTRACT_VERSION });
const ws = (contract: string): ContractRef => ({ contract, version: WS_CONTRACT_VERSION });
const payload = (type: string): ContractRef => ({
  contract: type,
  version: payloadContractVersion(1),
});

const PARTIES: readonly PartySpec[] = [
  {
    id: 'exchange.venue',
    kind: 'engine',
    description: 'the sandbox venue: price-time matching engine, fees, seeded latency',
    consumes: [venue(VENUE_COMMAND)],
    produces: [venue(VENUE_REPORT)],
  },
  {
    id: 'fix.gateway',
    kind: 'adapter',
    description: 'FIX 4.4 venue gateway (acceptor side, in front of a sandbox venue)',
    consumes: [...fix(ORDER_ENTRY), venue(VENUE_REPORT)],
    produces: [...fix(VENUE_ANSWERS), venue(VENUE_COMMAND)],
  },
  {
    id: 'fix.venue-client',
    kind: 'adapter',
    description: 'FIX 4.4 client of a venue (initiator side), feeding the pipeline',
    consumes: fix(VENUE_ANSWERS),
    produces: fix(CLIENT_SENDS),
  },
  {
    id: 'ws.server',
    kind: 'adapter',
    description: 'WebSocket market-data server of a venue',
    consumes: [ws(WS_CLIENT_REQUEST), venue(VENUE_REPORT)],
    produces: [ws(WS_SERVER_MESSAGE)],
  },
  {
    id: 'ws.client',
    kind: 'adapter',
    description: 'WebSocket market-data client: local books, gap detection, resync',
    consumes: [ws(WS_SERVER_MESSAGE)],
    produces: [ws(WS_CLIENT_REQUEST)],
  },
  {
    id: 'exchange.market-simulator',
    kind: 'engine',
    description: 'seeded liquidity providers and noise traders around a venue',
    produces: [venue(VENUE_COMMAND)],
  },
  {
    id: 'pipeline',
    kind: 'engine',
    description: 'capture pipeline: strategy, router port, risk checks, order manager',
    produces: PIPELINE_RECORDS.map(payload),
  },
  {
    id: 'routing',
    kind: 'engine',
    description:
      'routing solvers, delta-sync and the canonical IR: PlanDeltas out, plans rebuilt from them',
    produces: [payload('plan.delta'), ...ROUTING_REFS],
    consumes: [payload('plan.delta'), ...ROUTING_REFS],
  },
  {
    id: 'privacy',
    kind: 'engine',
    description: 'per-signal privacy budgets (Laplace mechanism) and secure aggregation',
    produces: [payload('privacy.budget'), payload('privacy.spend')],
  },
  {
    id: 'storage.jsonl',
    kind: 'adapter',
    description: 'JSONL event store: the inspectable exchange format',
    consumes: [entry],
    produces: [entry],
  },
  {
    id: 'storage.sqlite',
    kind: 'adapter',
    description: 'embedded SQLite event store',
    consumes: [entry],
    produces: [entry],
  },
];

export interface ContractGraph {
  readonly registry: ContractRegistry;
  readonly suites: readonly ConformanceSuite[];
}

/** The registry of DeltaTrace's contracts and parties, and the conformance suites over them. */
export function buildContractGraph(): ContractGraph {
  const events = createComposedEventRegistry();
  const registry = new ContractRegistry();
  for (const contract of [
    ...eventContracts(events),
    ...FIX_CONTRACTS,
    ...VENUE_CONTRACTS,
    ...WS_CONTRACTS,
    ...ROUTING_CONTRACTS,
  ]) {
    registry.registerContract(contract);
  }
  registry.registerParty({
    id: 'core.ledger',
    kind: 'engine',
    description: 'the ledger: validates payloads by type, seals hash-chained entries',
    consumes: payloadRefs(events),
    produces: [entry],
  });
  for (const party of PARTIES) registry.registerParty(party);
  const suites: ConformanceSuite[] = [
    { party: 'core.ledger', codecs: ledgerCodecs(events, LEDGER_RECORDED_PAYLOADS) },
    { party: 'exchange.venue', codecs: VENUE_CODECS },
    { party: 'fix.gateway', codecs: fixCodecs([...ORDER_ENTRY, ...VENUE_ANSWERS]) },
    { party: 'fix.venue-client', codecs: fixCodecs([...VENUE_ANSWERS, ...CLIENT_SENDS]) },
    { party: 'ws.client', codecs: WS_CODECS },
    { party: 'ws.server', codecs: WS_CODECS },
    { party: 'routing', codecs: ROUTING_CODECS },
  ];
  return { registry, suites };
}
