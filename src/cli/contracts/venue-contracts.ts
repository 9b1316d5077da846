/**
 * @module
 * The simulated venue's contracts: the commands it accepts (`CommandSchema`, parsed by the
 * venue's own `parseCommand`) and the VenueReports it emits for every processed command. Reports
 * are in-process values without a schema of their own in `exchange`, so the report contract is
 * written here, from the types, with bigint fields (processing time, fees) as decimal strings in
 * its JSON form; fixtures are reports a real Venue emitted, captured through that form.
 */
import { z } from 'zod';

import {
  type ContractCodec,
  type ContractFixture,
  type DataContract,
  defineContract,
} from '../../contracts/index.js';
import { canonicalize, InputError } from '../../core/index.js';
import {
  type Command,
  CommandSchema,
  parseCommand,
  type VenueReport,
} from '../../exchange/index.js';
import { canonicalJsonText } from './ws-contracts.js';

export const VENUE_COMMAND = 'exchange.command';
export const VENUE_REPORT = 'exchange.venue-report';
export const VENUE_CONTRACT_VERSION = '1.0';

/** A signed integer as a decimal string on the wire, a bigint in memory. */
const BigIntTextSchema = z.codec(z.string().regex(/^-?(0|[1-9][0-9]{0,19})$/), z.bigint(), {
  decode: (text) => BigInt(text),
  encode: (value) => value.toString(),
});
const OrderIdSchema = z.string().min(1);
const SideSchema = z.enum(['buy', 'sell']);
const SeqSchema = z.number().int().nonnegative();
const TicksSchema = z.number().int();
const LotsSchema = z.number().int();

const VenueEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ seq: SeqSchema, type: z.literal('ack'), orderId: OrderIdSchema }),
  z.strictObject({
    seq: SeqSchema,
    type: z.literal('reject'),
    command: z.enum(['new', 'cancel', 'replace']),
    orderId: OrderIdSchema,
    reason: z.enum([
      'duplicate-order-id',
      'invalid-qty',
      'invalid-price',
      'unknown-order',
      'no-change',
    ]),
  }),
  z.strictObject({
    seq: SeqSchema,
    type: z.literal('trade'),
    buyOrderId: OrderIdSchema,
    sellOrderId: OrderIdSchema,
    priceTicks: TicksSchema,
    qtyLots: LotsSchema,
    aggressorSide: SideSchema,
    restingLeavesLots: LotsSchema,
    aggressorLeavesLots: LotsSchema,
  }),
  z.strictObject({
    seq: SeqSchema,
    type: z.literal('fill'),
    orderId: OrderIdSchema,
    side: SideSchema,
    priceTicks: TicksSchema,
    qtyLots: LotsSchema,
    leavesLots: LotsSchema,
    liquidity: z.enum(['maker', 'taker']),
    /** Hundredths of a tick; negative: a rebate. */
    feeCentiTicks: BigIntTextSchema,
  }),
  z.strictObject({
    seq: SeqSchema,
    type: z.literal('cancelled'),
    orderId: OrderIdSchema,
    side: SideSchema,
    cancelledLots: LotsSchema,
    reason: z.enum(['user', 'ioc-remainder', 'fok-unfilled', 'market-remainder', 'self-trade']),
  }),
  z.strictObject({
    seq: SeqSchema,
    type: z.literal('replaced'),
    orderId: OrderIdSchema,
    side: SideSchema,
    priceTicks: TicksSchema,
    leavesLots: LotsSchema,
    priorityKept: z.boolean(),
  }),
  z.strictObject({
    seq: SeqSchema,
    type: z.literal('book'),
    bidPriceTicks: TicksSchema.nullable(),
    bidQtyLots: LotsSchema,
    askPriceTicks: TicksSchema.nullable(),
    askQtyLots: LotsSchema,
  }),
]);

export const VenueReportSchema = z.strictObject({
  venue: z.string().min(1),
  instrument: z.string().min(1),
  seq: z.number().int().positive(),
  processedAtNs: BigIntTextSchema,
  command: CommandSchema,
  events: z.array(VenueEventSchema).readonly(),
  levels: z
    .array(z.strictObject({ side: SideSchema, priceTicks: TicksSchema, qtyLots: LotsSchema }))
    .readonly(),
}) satisfies z.ZodType<VenueReport, unknown>;

export const VENUE_CONTRACTS: readonly DataContract[] = [
  defineContract({
    name: VENUE_COMMAND,
    version: VENUE_CONTRACT_VERSION,
    description: 'a command to the sandbox venue: new order, cancel or replace',
    schema: CommandSchema,
  }),
  defineContract({
    name: VENUE_REPORT,
    version: VENUE_CONTRACT_VERSION,
    description: 'what one command did at the sandbox venue: engine events, fees, level changes',
    schema: VenueReportSchema,
  }),
];

/** The JSON form of a report: canonical text, bigints as decimal strings. */
export function encodeVenueReport(report: VenueReport): string {
  return canonicalize(VenueReportSchema.encode(report));
}

/** The JSON form of a command, canonical. */
export function encodeVenueCommand(command: Command): string {
  return canonicalize(CommandSchema.encode(command));
}

/** @throws INPUT_SCHEMA_VIOLATION naming the first issue. */
function decodeVenueReport(value: unknown): z.output<typeof VenueReportSchema> {
  const result = VenueReportSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InputError('INPUT_SCHEMA_VIOLATION', 'not a venue report', {
    details: { path: issue?.path.map(String).join('.') ?? '', message: issue?.message ?? '' },
  });
}

const canonicalData = (fixture: ContractFixture): string => canonicalJsonText(fixture.data);

const commandCodec: ContractCodec<Command> = {
  contract: { contract: VENUE_COMMAND, version: VENUE_CONTRACT_VERSION },
  decode: (fixture) => parseCommand(JSON.parse(canonicalData(fixture))),
  encode: encodeVenueCommand,
  encodedPart: canonicalData,
};

const reportCodec: ContractCodec<z.output<typeof VenueReportSchema>> = {
  contract: { contract: VENUE_REPORT, version: VENUE_CONTRACT_VERSION },
  decode: (fixture) => decodeVenueReport(JSON.parse(canonicalData(fixture))),
  encode: encodeVenueReport,
  encodedPart: canonicalData,
};

export const VENUE_CODECS: readonly ContractCodec[] = [commandCodec, reportCodec];
