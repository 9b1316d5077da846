import { describe, expect, it } from 'vitest';

import {
  decodeFixMessage,
  FIX44_SESSION_REJECT_REASON as R,
  type FixViolation,
  validateFixMessage,
} from '../../../src/adapters/fix/index.js';
import { reframe } from './session-harness.js';

const HEADER = '35=0|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|';

/** Validates `8=FIX.4.4|9=…|` + text + `10=…|`, text written with '|' for SOH. */
function check(text: string): FixViolation | undefined {
  return validateFixMessage(decodeFixMessage(reframe(`8=FIX.4.4|9=0|${text}10=000|`)));
}

const ORDER = '11=id|21=1|40=1|54=1|55=ACME|60=20240102-03:04:05|';
const D_HEADER = '35=D|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|';

describe('validateFixMessage', () => {
  it('accepts valid messages, with groups and a zero count', () => {
    expect(check(HEADER)).toBeUndefined();
    expect(check(`${D_HEADER}${ORDER}386=2|336=A|336=B|`)).toBeUndefined();
    expect(check(`${D_HEADER}${ORDER}386=0|`)).toBeUndefined();
    expect(check(`${D_HEADER}97=Y|115=X|${ORDER}18=1 2|`)).toBeUndefined();
  });

  const cases: [string, string, FixViolation][] = [
    [
      'a header field after the body',
      `35=D|11=id|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|`,
      { reason: R.TAG_SPECIFIED_OUT_OF_REQUIRED_ORDER, tag: 34 },
    ],
    [
      'a body field after the trailer',
      `${HEADER}93=1|89=x|112=x|`,
      { reason: R.TAG_SPECIFIED_OUT_OF_REQUIRED_ORDER, tag: 112 },
    ],
    [
      'an unknown MsgType',
      '35=*|34=2|49=TW44|52=20240102-03:04:05|56=ISLD|',
      { reason: R.INVALID_MSG_TYPE },
    ],
    [
      'a missing header field',
      '35=0|34=2|49=TW44|52=20240102-03:04:05|',
      { reason: R.REQUIRED_TAG_MISSING, tag: 56 },
    ],
    [
      'a missing body field',
      `${D_HEADER}21=1|40=1|54=1|60=20240102-03:04:05|`,
      { reason: R.REQUIRED_TAG_MISSING, tag: 11 },
    ],
    [
      'an empty value',
      '35=0|34=2|49=TW44|52=20240102-03:04:05|56=|',
      { reason: R.TAG_SPECIFIED_WITHOUT_A_VALUE, tag: 56 },
    ],
    [
      'a bad number',
      `${D_HEADER}${ORDER}38=+200|`,
      { reason: R.INCORRECT_DATA_FORMAT_FOR_VALUE, tag: 38 },
    ],
    [
      'a bad timestamp',
      `${D_HEADER}${ORDER}126=20040415|`,
      { reason: R.INCORRECT_DATA_FORMAT_FOR_VALUE, tag: 126 },
    ],
    [
      'a bad CHAR',
      `${D_HEADER}${ORDER.replace('21=1', '21=12')}`,
      { reason: R.INCORRECT_DATA_FORMAT_FOR_VALUE, tag: 21 },
    ],
    [
      'a bad date',
      `${D_HEADER}${ORDER}432=20240230|`,
      { reason: R.INCORRECT_DATA_FORMAT_FOR_VALUE, tag: 432 },
    ],
    [
      'a bad enumerated value',
      `${D_HEADER}${ORDER.replace('40=1', '40=w')}`,
      { reason: R.VALUE_IS_INCORRECT, tag: 40 },
    ],
    [
      'a bad value in a multiple-value field',
      `${D_HEADER}${ORDER}18=1 !|`,
      { reason: R.VALUE_IS_INCORRECT, tag: 18 },
    ],
    ['an unknown tag', `${HEADER}999=x|`, { reason: R.INVALID_TAG_NUMBER, tag: 999 }],
    ['tag 0', `${HEADER}0=x|`, { reason: R.INVALID_TAG_NUMBER, tag: 0 }],
    ['a negative tag', `${HEADER}-1=x|`, { reason: R.INVALID_TAG_NUMBER, tag: -1 }],
    [
      'a tag of another message type',
      `${HEADER}55=ACME|`,
      { reason: R.TAG_NOT_DEFINED_FOR_THIS_MESSAGE_TYPE, tag: 55 },
    ],
    [
      'a repeated tag',
      `${D_HEADER}${ORDER}55=ACME|`,
      { reason: R.TAG_APPEARS_MORE_THAN_ONCE, tag: 55 },
    ],
    [
      'a repeated header tag',
      `35=0|34=2|49=TW44|49=TW44|52=20240102-03:04:05|56=ISLD|`,
      { reason: R.TAG_APPEARS_MORE_THAN_ONCE, tag: 49 },
    ],
    [
      'a wrong group count',
      `${D_HEADER}${ORDER}386=3|336=A|336=B|`,
      { reason: R.INCORRECT_NUM_IN_GROUP_COUNT_FOR_REPEATING_GROUP, tag: 386 },
    ],
    [
      'a bad field inside a group',
      `${D_HEADER}${ORDER}386=1|336=A|625=|`,
      { reason: R.TAG_SPECIFIED_WITHOUT_A_VALUE, tag: 625 },
    ],
    [
      'a wrong nested group count',
      `${D_HEADER}${ORDER}453=1|448=P|447=D|452=1|802=2|523=s|803=1|`,
      { reason: R.INCORRECT_NUM_IN_GROUP_COUNT_FOR_REPEATING_GROUP, tag: 802 },
    ],
  ];

  it.each(cases)('names %s', (_name, text, violation) => {
    expect(check(text)).toEqual(violation);
  });
});
