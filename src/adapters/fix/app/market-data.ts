/**
 * @module
 * Market data: MarketDataRequest (V), MarketDataSnapshotFullRefresh (W) and
 * MarketDataIncrementalRefresh (X), whose entries travel in the NoMDEntries (268) repeating group.
 * Entry prices are integer ticks, sizes integer lots. Group members are emitted in dictionary
 * order, delimiter first.
 */
import { z } from 'zod';

import { readGroup } from '../groups.js';
import type { FixField, FixMessage } from '../message.js';
import type { OutboundMessage } from '../session/ports.js';
import type { InstrumentScales } from './decimal-scale.js';
import {
  checkParsed,
  expectMsgType,
  fieldIf,
  FieldReader,
  optionalEntry,
  WireCodes,
} from './fields.js';

export const MdEntryTypeSchema = z.enum(['bid', 'offer', 'trade']);
export type MdEntryType = z.infer<typeof MdEntryTypeSchema>;
/** MDEntryType (269). */
const ENTRY_TYPE_CODES = new WireCodes<MdEntryType>({ bid: '0', offer: '1', trade: '2' });
/** SubscriptionRequestType (263). */
const SUBSCRIPTION_CODES = new WireCodes<'snapshot' | 'subscribe' | 'unsubscribe'>({
  snapshot: '0',
  subscribe: '1',
  unsubscribe: '2',
});
/** MDUpdateType (265). */
const UPDATE_TYPE_CODES = new WireCodes<'full' | 'incremental'>({ full: '0', incremental: '1' });
/** MDUpdateAction (279). */
const UPDATE_ACTION_CODES = new WireCodes<'new' | 'change' | 'delete'>({
  new: '0',
  change: '1',
  delete: '2',
});

const IdSchema = z.string().min(1);
const TicksSchema = z.number().int();
const LotsSchema = z.number().int().nonnegative();

export const MarketDataRequestSchema = z.strictObject({
  mdReqId: IdSchema,
  subscription: z.enum(['snapshot', 'subscribe', 'unsubscribe']),
  /** MarketDepth (264): 0 full book, 1 top of book, n levels. */
  marketDepth: z.number().int().nonnegative(),
  updateType: z.enum(['full', 'incremental']).optional(),
  entryTypes: z.array(MdEntryTypeSchema).min(1),
  symbols: z.array(IdSchema).min(1),
});
export type MarketDataRequest = z.infer<typeof MarketDataRequestSchema>;

export const SnapshotEntrySchema = z.strictObject({
  entryType: MdEntryTypeSchema,
  priceTicks: TicksSchema.optional(),
  sizeLots: LotsSchema.optional(),
  /** MDEntryPositionNo (290): 1 is the top of the book. */
  positionNo: z.number().int().positive().optional(),
});
export type SnapshotEntry = z.infer<typeof SnapshotEntrySchema>;

export const MarketDataSnapshotSchema = z.strictObject({
  mdReqId: IdSchema.optional(),
  symbol: IdSchema,
  entries: z.array(SnapshotEntrySchema),
});
export type MarketDataSnapshot = z.infer<typeof MarketDataSnapshotSchema>;

export const IncrementalEntrySchema = z.strictObject({
  action: z.enum(['new', 'change', 'delete']),
  entryType: MdEntryTypeSchema,
  entryId: IdSchema.optional(),
  symbol: IdSchema.optional(),
  priceTicks: TicksSchema.optional(),
  sizeLots: LotsSchema.optional(),
});
export type IncrementalEntry = z.infer<typeof IncrementalEntrySchema>;

export const MarketDataIncrementalRefreshSchema = z.strictObject({
  mdReqId: IdSchema.optional(),
  entries: z.array(IncrementalEntrySchema).min(1),
});
export type MarketDataIncrementalRefresh = z.infer<typeof MarketDataIncrementalRefreshSchema>;

const TAGS = {
  mdReqId: 262,
  subscription: 263,
  marketDepth: 264,
  updateType: 265,
  entryTypes: 267,
  symbols: 146,
  symbol: 55,
  entries: 268,
} as const;

/** A count field followed by its instances. */
function group(countTag: number, instances: readonly (readonly FixField[])[]): FixField[] {
  return [[countTag, String(instances.length)], ...instances.flat()];
}

export function buildMarketDataRequest(request: MarketDataRequest): OutboundMessage {
  return {
    msgType: 'V',
    body: [
      ...group(
        146,
        request.symbols.map((symbol): FixField[] => [[55, symbol]]),
      ),
      [262, request.mdReqId],
      [263, SUBSCRIPTION_CODES.toWire(request.subscription)],
      [264, String(request.marketDepth)],
      ...fieldIf(
        265,
        request.updateType === undefined ? undefined : UPDATE_TYPE_CODES.toWire(request.updateType),
      ),
      ...group(
        267,
        request.entryTypes.map((type): FixField[] => [[269, ENTRY_TYPE_CODES.toWire(type)]]),
      ),
    ],
  };
}

/**
 * @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT (naming the tag),
 * FIX_GROUP_COUNT_MISMATCH.
 */
export function parseMarketDataRequest(message: FixMessage): MarketDataRequest {
  expectMsgType(message, 'V');
  const r = new FieldReader(message);
  return checkParsed(
    MarketDataRequestSchema,
    {
      mdReqId: r.required(262),
      subscription: r.code(263, SUBSCRIPTION_CODES),
      marketDepth: r.int(264),
      ...optionalEntry('updateType', r.optionalCode(265, UPDATE_TYPE_CODES)),
      entryTypes: readGroup(message, 267).map((fields) =>
        new FieldReader(fields).code(269, ENTRY_TYPE_CODES),
      ),
      symbols: readGroup(message, 146).map((fields) => new FieldReader(fields).required(55)),
    },
    TAGS,
  );
}

function price(scales: InstrumentScales, ticks: number | undefined): string | undefined {
  return ticks === undefined ? undefined : scales.price.toWire(ticks);
}

function size(scales: InstrumentScales, lots: number | undefined): string | undefined {
  return lots === undefined ? undefined : scales.qty.toWire(lots);
}

export function buildMarketDataSnapshot(
  snapshot: MarketDataSnapshot,
  scales: InstrumentScales,
): OutboundMessage {
  const entries = snapshot.entries.map((entry): FixField[] => [
    [269, ENTRY_TYPE_CODES.toWire(entry.entryType)],
    ...fieldIf(270, price(scales, entry.priceTicks)),
    ...fieldIf(271, size(scales, entry.sizeLots)),
    ...fieldIf(290, entry.positionNo === undefined ? undefined : String(entry.positionNo)),
  ]);
  return {
    msgType: 'W',
    body: [[55, snapshot.symbol], ...fieldIf(262, snapshot.mdReqId), ...group(268, entries)],
  };
}

/** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT, FIX_GROUP_COUNT_MISMATCH. */
export function parseMarketDataSnapshot(
  message: FixMessage,
  scales: InstrumentScales,
): MarketDataSnapshot {
  expectMsgType(message, 'W');
  const r = new FieldReader(message);
  return checkParsed(
    MarketDataSnapshotSchema,
    {
      ...optionalEntry('mdReqId', r.optional(262)),
      symbol: r.required(55),
      entries: readGroup(message, 268).map((fields) => {
        const e = new FieldReader(fields, scales);
        return {
          entryType: e.code(269, ENTRY_TYPE_CODES),
          ...optionalEntry('priceTicks', e.optionalTicks(270)),
          ...optionalEntry('sizeLots', e.optionalLots(271)),
          ...optionalEntry('positionNo', e.optionalInt(290)),
        };
      }),
    },
    TAGS,
  );
}

export function buildMarketDataIncrementalRefresh(
  refresh: MarketDataIncrementalRefresh,
  scales: InstrumentScales,
): OutboundMessage {
  const entries = refresh.entries.map((entry): FixField[] => [
    [279, UPDATE_ACTION_CODES.toWire(entry.action)],
    [269, ENTRY_TYPE_CODES.toWire(entry.entryType)],
    ...fieldIf(278, entry.entryId),
    ...fieldIf(55, entry.symbol),
    ...fieldIf(270, price(scales, entry.priceTicks)),
    ...fieldIf(271, size(scales, entry.sizeLots)),
  ]);
  return { msgType: 'X', body: [...fieldIf(262, refresh.mdReqId), ...group(268, entries)] };
}

/** @throws InputError FIX_MISSING_TAG, FIX_BAD_VALUE, FIX_BAD_FORMAT, FIX_GROUP_COUNT_MISMATCH. */
export function parseMarketDataIncrementalRefresh(
  message: FixMessage,
  scales: InstrumentScales,
): MarketDataIncrementalRefresh {
  expectMsgType(message, 'X');
  const r = new FieldReader(message);
  return checkParsed(
    MarketDataIncrementalRefreshSchema,
    {
      ...optionalEntry('mdReqId', r.optional(262)),
      entries: readGroup(message, 268).map((fields) => {
        const e = new FieldReader(fields, scales);
        return {
          action: e.code(279, UPDATE_ACTION_CODES),
          entryType: e.code(269, ENTRY_TYPE_CODES),
          ...optionalEntry('entryId', e.optional(278)),
          ...optionalEntry('symbol', e.optional(55)),
          ...optionalEntry('priceTicks', e.optionalTicks(270)),
          ...optionalEntry('sizeLots', e.optionalLots(271)),
        };
      }),
    },
    TAGS,
  );
}
