/**
 * @module
 * Full FIX 4.4 dictionary validation of a decoded message, answering with the SessionRejectReason
 * (373) and RefTagID (371) a session-level Reject should carry, or nothing. The checks run in the
 * order QuickFIX runs them (field order, MsgType, required fields, then each field: repeated, empty,
 * data format, enumerated value, known tag, allowed in this message, group count), so a message
 * with several faults is rejected for the same one a QuickFIX peer would name. Pure.
 */
import type { FixGroupDef } from './dictionary-types.js';
import {
  FIX44_FIELDS,
  FIX44_HEADER_REQUIRED,
  FIX44_HEADER_TAGS,
  FIX44_MESSAGES,
  FIX44_TRAILER_TAGS,
} from './fix44-tables.js';
import type { FixField, FixMessage } from './message.js';
import { FIX44_SESSION_REJECT_REASON as R, type FixViolation } from './reject-reasons.js';
import { isCalendarDate, isUtcTimestamp } from './timestamps.js';

interface FieldSpec {
  readonly format: ((value: string) => boolean) | undefined;
  readonly enums: ReadonlySet<string> | undefined;
  readonly multipleValues: boolean;
}

const SIGNED_INT = /^-?\d+$/;
const UNSIGNED_INT = /^\d+$/;
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)$/;
const TIME_ONLY = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?$/;
const DATE_ONLY = /^(\d{4})(\d{2})(\d{2})$/;
const MONTH_YEAR = /^(\d{4})(\d{2})(?:\d{2}|w[1-5])?$/;

function isDate(value: string): boolean {
  const m = DATE_ONLY.exec(value);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isTimeOnly(value: string): boolean {
  const m = TIME_ONLY.exec(value);
  return m !== null && Number(m[1]) <= 23 && Number(m[2]) <= 59 && Number(m[3]) <= 60;
}

function isMonthYear(value: string): boolean {
  const m = MONTH_YEAR.exec(value);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** Syntax per FIX 4.4 data type; types not listed (STRING, DATA, CURRENCY, …) accept any value. */
const FORMATS: Readonly<Record<string, (value: string) => boolean>> = {
  INT: (v) => SIGNED_INT.test(v),
  LENGTH: (v) => UNSIGNED_INT.test(v),
  SEQNUM: (v) => UNSIGNED_INT.test(v),
  NUMINGROUP: (v) => UNSIGNED_INT.test(v),
  FLOAT: (v) => DECIMAL.test(v),
  QTY: (v) => DECIMAL.test(v),
  PRICE: (v) => DECIMAL.test(v),
  PRICEOFFSET: (v) => DECIMAL.test(v),
  AMT: (v) => DECIMAL.test(v),
  PERCENTAGE: (v) => DECIMAL.test(v),
  CHAR: (v) => v.length === 1,
  BOOLEAN: (v) => v === 'Y' || v === 'N',
  UTCTIMESTAMP: isUtcTimestamp,
  UTCTIMEONLY: isTimeOnly,
  UTCDATEONLY: isDate,
  LOCALMKTDATE: isDate,
  MONTHYEAR: isMonthYear,
};

const FIELD_SPECS: ReadonlyMap<number, FieldSpec> = new Map(
  FIX44_FIELDS.map(([tag, , type, enums]) => [
    tag,
    {
      format: FORMATS[type],
      enums: enums === undefined ? undefined : new Set(enums),
      multipleValues: type === 'MULTIPLEVALUESTRING',
    },
  ]),
);
const HEADER_TAGS: ReadonlySet<number> = new Set(FIX44_HEADER_TAGS);
const TRAILER_TAGS: ReadonlySet<number> = new Set(FIX44_TRAILER_TAGS);
/** NoHops (627) members repeat once per hop. */
const HEADER_REPEATABLE: ReadonlySet<number> = new Set([628, 629, 630]);
/** Framing and MsgType: the decoder has checked them. */
const FRAME_TAGS: ReadonlySet<number> = new Set([8, 9, 35, 10]);

interface GroupSpec {
  readonly countTag: number;
  readonly delimiter: number;
  readonly members: ReadonlySet<number>;
  readonly nested: ReadonlyMap<number, GroupSpec>;
}

interface MessageSpec {
  readonly required: readonly number[];
  readonly tags: ReadonlySet<number>;
  readonly groups: ReadonlyMap<number, GroupSpec>;
}

function toGroupSpecs(groups: readonly FixGroupDef[] | undefined): ReadonlyMap<number, GroupSpec> {
  return new Map(
    (groups ?? []).map((group) => [
      group.countTag,
      {
        countTag: group.countTag,
        delimiter: group.memberTags[0] ?? -1,
        members: new Set(group.memberTags),
        nested: toGroupSpecs(group.groups),
      },
    ]),
  );
}

const MESSAGE_SPECS: ReadonlyMap<string, MessageSpec> = new Map(
  FIX44_MESSAGES.map((def) => [
    def.msgType,
    { required: def.required, tags: new Set(def.tags), groups: toGroupSpecs(def.groups) },
  ]),
);

/** Empty value, data format, enumerated value, known tag: the per-field checks. */
function checkField(tag: number, value: string): FixViolation | undefined {
  if (value === '') return { reason: R.TAG_SPECIFIED_WITHOUT_A_VALUE, tag };
  const spec = FIELD_SPECS.get(tag);
  if (spec === undefined) return { reason: R.INVALID_TAG_NUMBER, tag };
  if (spec.format !== undefined && !spec.format(value)) {
    return { reason: R.INCORRECT_DATA_FORMAT_FOR_VALUE, tag };
  }
  if (spec.enums !== undefined) {
    const values = spec.multipleValues ? value.split(' ') : [value];
    for (const v of values) if (!spec.enums.has(v)) return { reason: R.VALUE_IS_INCORRECT, tag };
  }
  return undefined;
}

interface GroupRead {
  readonly violation?: FixViolation;
  readonly next: number;
}

/**
 * Reads the instances of `group` from `at`, checks their fields and nested counts, and compares
 * the instances found with `count`. An instance runs from its delimiter while tags are members not
 * yet seen in it.
 */
function readInstances(
  fields: readonly FixField[],
  at: number,
  end: number,
  group: GroupSpec,
  count: number,
): GroupRead {
  let i = at;
  let instances = 0;
  while (i < end && fields[i]![0] === group.delimiter) {
    instances++;
    const seen = new Set<number>();
    let j = i;
    while (j < end) {
      const [tag, value] = fields[j]!;
      if ((j > i && tag === group.delimiter) || !group.members.has(tag) || seen.has(tag)) break;
      const violation = checkField(tag, value);
      if (violation !== undefined) return { violation, next: j };
      seen.add(tag);
      j++;
      const nested = group.nested.get(tag);
      if (nested !== undefined) {
        const read = readInstances(fields, j, end, nested, Number(value));
        if (read.violation !== undefined) return read;
        j = read.next;
      }
    }
    i = j;
  }
  if (instances !== count) {
    return {
      violation: {
        reason: R.INCORRECT_NUM_IN_GROUP_COUNT_FOR_REPEATING_GROUP,
        tag: group.countTag,
      },
      next: i,
    };
  }
  return { next: i };
}

function checkBody(
  fields: readonly FixField[],
  start: number,
  end: number,
  spec: MessageSpec,
): FixViolation | undefined {
  const seen = new Set<number>();
  let i = start;
  while (i < end) {
    const [tag, value] = fields[i]!;
    if (seen.has(tag)) return { reason: R.TAG_APPEARS_MORE_THAN_ONCE, tag };
    const violation = checkField(tag, value);
    if (violation !== undefined) return violation;
    if (!spec.tags.has(tag)) return { reason: R.TAG_NOT_DEFINED_FOR_THIS_MESSAGE_TYPE, tag };
    seen.add(tag);
    i++;
    const group = spec.groups.get(tag);
    if (group !== undefined) {
      const read = readInstances(fields, i, end, group, Number(value));
      if (read.violation !== undefined) return read.violation;
      i = read.next;
    }
  }
  return undefined;
}

/**
 * Checks `message` against the FIX 4.4 dictionary. Returns the first violation, or undefined when
 * the message is valid. Header rules the session owns (CompIDs, sequence numbers, SendingTime
 * accuracy) are not checked here.
 */
export function validateFixMessage(message: FixMessage): FixViolation | undefined {
  const fields = message.fields;
  const last = fields.length - 1;
  let bodyStart = -1;
  let trailerStart = last;
  for (let i = 3; i < last; i++) {
    const tag = fields[i]![0];
    if (HEADER_TAGS.has(tag)) {
      if (bodyStart >= 0 || trailerStart < last) {
        return { reason: R.TAG_SPECIFIED_OUT_OF_REQUIRED_ORDER, tag };
      }
    } else if (TRAILER_TAGS.has(tag)) {
      if (trailerStart === last) trailerStart = i;
    } else {
      if (trailerStart < last) return { reason: R.TAG_SPECIFIED_OUT_OF_REQUIRED_ORDER, tag };
      if (bodyStart < 0) bodyStart = i;
    }
  }
  if (bodyStart < 0) bodyStart = trailerStart;

  const spec = MESSAGE_SPECS.get(message.msgType);
  if (spec === undefined) return { reason: R.INVALID_MSG_TYPE };
  for (const tag of FIX44_HEADER_REQUIRED) {
    if (message.get(tag) === undefined) return { reason: R.REQUIRED_TAG_MISSING, tag };
  }
  for (const tag of spec.required) {
    if (message.get(tag) === undefined) return { reason: R.REQUIRED_TAG_MISSING, tag };
  }

  const seenInHeader = new Set<number>();
  for (let i = 0; i < bodyStart; i++) {
    const [tag, value] = fields[i]!;
    if (FRAME_TAGS.has(tag)) continue;
    if (seenInHeader.has(tag)) return { reason: R.TAG_APPEARS_MORE_THAN_ONCE, tag };
    if (!HEADER_REPEATABLE.has(tag)) seenInHeader.add(tag);
    const violation = checkField(tag, value);
    if (violation !== undefined) return violation;
  }
  const violation = checkBody(fields, bodyStart, trailerStart, spec);
  if (violation !== undefined) return violation;
  for (let i = trailerStart; i < last; i++) {
    const [tag, value] = fields[i]!;
    const trailerViolation = checkField(tag, value);
    if (trailerViolation !== undefined) return trailerViolation;
  }
  return undefined;
}
