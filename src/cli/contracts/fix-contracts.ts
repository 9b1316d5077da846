/**
 * @module
 * The FIX 4.4 application messages as data contracts, and the FIX adapter's own parsers and
 * builders as their conformance codecs. The wire is tag=value, so each contract's JSON Schema
 * describes the decoded message (integer ticks and lots). A fixture is a whole message as it
 * crossed a session; the round trip rebuilds its body fields, in order, from the decoded value
 * (the session stamps the header and trailer).
 */
import type { z } from 'zod';

import {
  buildBusinessMessageReject,
  buildExecutionReport,
  buildMarketDataIncrementalRefresh,
  buildMarketDataRequest,
  buildMarketDataSnapshot,
  buildNewOrderSingle,
  buildOrderCancelReject,
  buildOrderCancelReplaceRequest,
  buildOrderCancelRequest,
  BusinessMessageRejectSchema,
  DecimalScale,
  decodeFixMessage,
  ExecutionReportSchema,
  FIX44_HEADER_TAGS,
  FIX44_TRAILER_TAGS,
  type FixField,
  type FixMessage,
  type InstrumentScales,
  MarketDataIncrementalRefreshSchema,
  MarketDataRequestSchema,
  MarketDataSnapshotSchema,
  NewOrderSingleSchema,
  OrderCancelRejectSchema,
  OrderCancelReplaceRequestSchema,
  OrderCancelRequestSchema,
  type OutboundMessage,
  parseBusinessMessageReject,
  parseExecutionReport,
  parseMarketDataIncrementalRefresh,
  parseMarketDataRequest,
  parseMarketDataSnapshot,
  parseNewOrderSingle,
  parseOrderCancelReject,
  parseOrderCancelReplaceRequest,
  parseOrderCancelRequest,
} from '../../adapters/fix/index.js';
import {
  type ContractCodec,
  type ContractFixture,
  type DataContract,
  defineContract,
} from '../../contracts/index.js';
import { InputError } from '../../core/index.js';

export const FIX_CONTRACT_VERSION = '1.0';

/** Fixture context keys: the instrument's tick size and lot size as FIX decimals. */
export const FIX_PRICE_STEP = 'price_step';
export const FIX_QTY_STEP = 'qty_step';

interface FixContractEntry<T> {
  readonly name: string;
  readonly msgType: string;
  readonly description: string;
  readonly schema: z.ZodType<T>;
  parse(message: FixMessage, scales: InstrumentScales): T;
  build(value: T, scales: InstrumentScales): OutboundMessage;
}

function entry<T>(spec: FixContractEntry<T>): FixContractEntry<T> {
  return spec;
}

const FIX_ENTRIES = [
  entry({
    name: 'fix.new-order-single',
    msgType: 'D',
    description: 'FIX 4.4 NewOrderSingle (35=D)',
    schema: NewOrderSingleSchema,
    parse: parseNewOrderSingle,
    build: buildNewOrderSingle,
  }),
  entry({
    name: 'fix.order-cancel-request',
    msgType: 'F',
    description: 'FIX 4.4 OrderCancelRequest (35=F)',
    schema: OrderCancelRequestSchema,
    parse: parseOrderCancelRequest,
    build: buildOrderCancelRequest,
  }),
  entry({
    name: 'fix.order-cancel-replace-request',
    msgType: 'G',
    description: 'FIX 4.4 OrderCancelReplaceRequest (35=G)',
    schema: OrderCancelReplaceRequestSchema,
    parse: parseOrderCancelReplaceRequest,
    build: buildOrderCancelReplaceRequest,
  }),
  entry({
    name: 'fix.execution-report',
    msgType: '8',
    description: 'FIX 4.4 ExecutionReport (35=8)',
    schema: ExecutionReportSchema,
    parse: parseExecutionReport,
    build: buildExecutionReport,
  }),
  entry({
    name: 'fix.order-cancel-reject',
    msgType: '9',
    description: 'FIX 4.4 OrderCancelReject (35=9)',
    schema: OrderCancelRejectSchema,
    parse: (message) => parseOrderCancelReject(message),
    build: (value) => buildOrderCancelReject(value),
  }),
  entry({
    name: 'fix.market-data-request',
    msgType: 'V',
    description: 'FIX 4.4 MarketDataRequest (35=V)',
    schema: MarketDataRequestSchema,
    parse: (message) => parseMarketDataRequest(message),
    build: (value) => buildMarketDataRequest(value),
  }),
  entry({
    name: 'fix.market-data-snapshot',
    msgType: 'W',
    description: 'FIX 4.4 MarketDataSnapshotFullRefresh (35=W)',
    schema: MarketDataSnapshotSchema,
    parse: parseMarketDataSnapshot,
    build: buildMarketDataSnapshot,
  }),
  entry({
    name: 'fix.market-data-incremental-refresh',
    msgType: 'X',
    description: 'FIX 4.4 MarketDataIncrementalRefresh (35=X)',
    schema: MarketDataIncrementalRefreshSchema,
    parse: parseMarketDataIncrementalRefresh,
    build: buildMarketDataIncrementalRefresh,
  }),
  entry({
    name: 'fix.business-message-reject',
    msgType: 'j',
    description: 'FIX 4.4 BusinessMessageReject (35=j)',
    schema: BusinessMessageRejectSchema,
    parse: (message) => parseBusinessMessageReject(message),
    build: (value) => buildBusinessMessageReject(value),
  }),
] as const;

export type FixContractName = (typeof FIX_ENTRIES)[number]['name'];

/** The FIX contract of a MsgType, or undefined for administrative and unsupported types. */
export function fixContractOf(msgType: string): FixContractName | undefined {
  return FIX_ENTRIES.find((e) => e.msgType === msgType)?.name;
}

export const FIX_CONTRACTS: readonly DataContract[] = FIX_ENTRIES.map((e) =>
  defineContract({
    name: e.name,
    version: FIX_CONTRACT_VERSION,
    description: e.description,
    schema: e.schema,
    jsonSchemaSide: 'output',
  }),
);

const FRAME_TAGS: ReadonlySet<number> = new Set([...FIX44_HEADER_TAGS, ...FIX44_TRAILER_TAGS]);
const encoder = new TextEncoder();

function bodyText(fields: readonly FixField[]): string {
  return fields.map(([tag, value]) => `${tag}=${value}\u0001`).join('');
}

function messageOf(fixture: ContractFixture): FixMessage {
  return decodeFixMessage(encoder.encode(fixture.data));
}

/** @throws CONTRACT_FIXTURE_INVALID when the fixture does not name its steps. */
function scalesOf(fixture: ContractFixture): InstrumentScales {
  const price = fixture.context?.[FIX_PRICE_STEP];
  const qty = fixture.context?.[FIX_QTY_STEP];
  if (price === undefined || qty === undefined) {
    throw new InputError(
      'CONTRACT_FIXTURE_INVALID',
      'a FIX fixture names its price and qty steps',
      {
        details: { contract: fixture.contract },
      },
    );
  }
  return { price: new DecimalScale(price), qty: new DecimalScale(qty) };
}

function codecOf<T>(spec: FixContractEntry<T>): ContractCodec<T> {
  return {
    contract: { contract: spec.name, version: FIX_CONTRACT_VERSION },
    decode: (fixture) => spec.parse(messageOf(fixture), scalesOf(fixture)),
    encode: (value, fixture) => bodyText(spec.build(value, scalesOf(fixture)).body),
    encodedPart: (fixture) =>
      bodyText(messageOf(fixture).fields.filter(([tag]) => !FRAME_TAGS.has(tag))),
  };
}

/** The FIX adapter's codecs of the given contracts (each FIX contract when none are given). */
export function fixCodecs(names?: readonly FixContractName[]): readonly ContractCodec[] {
  return FIX_ENTRIES.filter((e) => names === undefined || names.includes(e.name)).map((e) =>
    codecOf<unknown>(e),
  );
}
