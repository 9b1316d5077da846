/**
 * @module
 * Lookups over the generated FIX 4.4 tables, indexed once at load.
 */
import type { FixFieldEntry, FixGroupDef, FixMessageDef } from './dictionary-types.js';
import { FIX44_FIELDS, FIX44_HEADER_GROUPS, FIX44_MESSAGES } from './fix44-tables.js';

const FIELDS_BY_TAG: ReadonlyMap<number, FixFieldEntry> = new Map(
  FIX44_FIELDS.map((entry) => [entry[0], entry]),
);
const MESSAGES_BY_TYPE: ReadonlyMap<string, FixMessageDef> = new Map(
  FIX44_MESSAGES.map((def) => [def.msgType, def]),
);

export function fix44Field(tag: number): FixFieldEntry | undefined {
  return FIELDS_BY_TAG.get(tag);
}

export function fix44Message(msgType: string): FixMessageDef | undefined {
  return MESSAGES_BY_TYPE.get(msgType);
}

function findIn(groups: readonly FixGroupDef[], countTag: number): FixGroupDef | undefined {
  for (const group of groups) {
    if (group.countTag === countTag) return group;
    const nested = findIn(group.groups ?? [], countTag);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/** The group whose count tag is `countTag` in this message type's body, nested groups and header included. */
export function fix44Group(msgType: string, countTag: number): FixGroupDef | undefined {
  return (
    findIn(fix44Message(msgType)?.groups ?? [], countTag) ?? findIn(FIX44_HEADER_GROUPS, countTag)
  );
}

/** Every tag that may appear inside one instance of the group, nested groups' members included. */
export function groupTags(group: FixGroupDef): ReadonlySet<number> {
  const tags = new Set(group.memberTags);
  for (const nested of group.groups ?? []) {
    for (const tag of groupTags(nested)) tags.add(tag);
  }
  return tags;
}
