/**
 * @module
 * Repeating groups and dictionary validation of decoded messages against the FIX 4.4 tables.
 */
import { InputError } from '../../core/index.js';
import { fix44Group, fix44Message, groupTags } from './dictionary.js';
import { fixError, type FixField, type FixMessage } from './message.js';

/** Anything holding fields in wire order: a message, or one instance of an enclosing group. */
export interface FixFieldSource {
  readonly msgType?: string;
  readonly fields: readonly FixField[];
}

/**
 * Reads the repeating group counted by `countTag` (a NoXxx field). Each instance starts with the
 * first member tag (the delimiter) and runs while tags belong to the group; nested groups stay
 * inside their instance, so read them by passing `{ fields: instance }`. Member tags default to the
 * FIX 4.4 tables for the message's MsgType. An absent count tag means no instances.
 * @throws InputError FIX_GROUP_COUNT_MISMATCH when the count is not a number or differs from the
 * instances found; INPUT_INVALID_ARGUMENT when the group is not in the tables and no members are given.
 */
export function readGroup(
  source: FixFieldSource,
  countTag: number,
  memberTags?: readonly number[],
): FixField[][] {
  let members: ReadonlySet<number>;
  let delimiter: number | undefined;
  if (memberTags === undefined) {
    const def = fix44Group(source.msgType ?? '', countTag);
    if (def === undefined) {
      throw new InputError(
        'INPUT_INVALID_ARGUMENT',
        `no FIX 4.4 group ${countTag} in MsgType ${source.msgType ?? '(none)'}`,
        { details: { tag: countTag } },
      );
    }
    members = groupTags(def);
    delimiter = def.memberTags[0];
  } else {
    members = new Set(memberTags);
    delimiter = memberTags[0];
  }

  const fields = source.fields;
  const at = fields.findIndex(([tag]) => tag === countTag);
  if (at < 0) return [];
  const countText = fields[at]?.[1] ?? '';
  const expected = /^\d{1,6}$/.test(countText) ? Number(countText) : Number.NaN;

  const instances: FixField[][] = [];
  for (let i = at + 1; i < fields.length; i++) {
    const field = fields[i];
    if (field === undefined || !members.has(field[0])) break;
    const current = instances.at(-1);
    if (field[0] === delimiter || current === undefined) {
      if (field[0] !== delimiter) break;
      instances.push([field]);
    } else {
      current.push(field);
    }
  }
  if (instances.length !== expected) {
    throw fixError('FIX_GROUP_COUNT_MISMATCH', `group ${countTag} count does not match`, {
      tag: countTag,
      expected: countText,
      actual: instances.length,
    });
  }
  return instances;
}

/**
 * Checks a decoded message against the FIX 4.4 dictionary: known MsgType (35) and every required
 * body field present. Header and trailer fields are the session layer's concern.
 * @throws InputError FIX_UNKNOWN_MSG_TYPE, FIX_MISSING_TAG.
 */
export function validateMessage(message: FixMessage): void {
  const def = fix44Message(message.msgType);
  if (def === undefined) {
    throw fixError('FIX_UNKNOWN_MSG_TYPE', `unknown MsgType (35) ${message.msgType}`, {
      tag: 35,
      actual: message.msgType,
    });
  }
  for (const tag of def.required) {
    if (message.get(tag) === undefined) {
      throw fixError('FIX_MISSING_TAG', `${def.name} requires tag ${tag}`, {
        tag,
        expected: def.msgType,
      });
    }
  }
}
