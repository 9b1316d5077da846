import { describe, expect, it } from 'vitest';

import {
  decodeFixMessage,
  encodeFixMessage,
  type FixField,
  readGroup,
  validateMessage,
} from '../../../src/adapters/fix/index.js';
import { expectCode } from './helpers.js';

const OPTIONS = { beginString: 'FIX.4.4' } as const;

function message(fields: FixField[]): ReturnType<typeof decodeFixMessage> {
  return decodeFixMessage(encodeFixMessage(fields, OPTIONS));
}

describe('readGroup', () => {
  it('reports a count that does not match the instances', () => {
    const snapshot = message([
      [35, 'W'],
      [55, 'ACME'],
      [268, '3'],
      [269, '0'],
      [270, '1'],
      [269, '1'],
      [270, '2'],
      [10_000, 'custom'],
    ]);
    expect(expectCode(() => readGroup(snapshot, 268), 'FIX_GROUP_COUNT_MISMATCH')).toEqual({
      tag: 268,
      expected: '3',
      actual: 2,
    });
    expectCode(
      () =>
        readGroup(
          message([
            [35, 'W'],
            [268, 'x'],
          ]),
          268,
        ),
      'FIX_GROUP_COUNT_MISMATCH',
    );
    expectCode(
      () =>
        readGroup(
          message([
            [35, 'W'],
            [268, '1'],
            [270, '1'],
          ]),
          268,
        ),
      'FIX_GROUP_COUNT_MISMATCH',
    );
  });

  it('keeps nested groups inside their instance', () => {
    // NewOrderSingle Parties: NoPartyIDs (453) > NoPartySubIDs (802).
    const order = message([
      [35, 'D'],
      [453, '2'],
      [448, 'P1'],
      [447, 'D'],
      [802, '1'],
      [523, 'sub'],
      [803, '1'],
      [448, 'P2'],
      [11, 'ord-1'],
    ]);
    const parties = readGroup(order, 453);
    expect(parties).toHaveLength(2);
    expect(readGroup({ fields: parties[0] ?? [] }, 802, [523, 803])).toEqual([
      [
        [523, 'sub'],
        [803, '1'],
      ],
    ]);
  });

  it('needs member tags for a group the tables do not know', () => {
    expectCode(() => readGroup(message([[35, 'W']]), 9999), 'INPUT_INVALID_ARGUMENT');
  });
});

describe('validateMessage', () => {
  it('rejects an unknown MsgType', () => {
    expect(
      expectCode(() => validateMessage(message([[35, 'ZZ']])), 'FIX_UNKNOWN_MSG_TYPE'),
    ).toEqual({
      tag: 35,
      actual: 'ZZ',
    });
  });

  it('rejects a missing required body tag', () => {
    // NewOrderSingle requires ClOrdID 11, Side 54, TransactTime 60, OrdType 40.
    const order = message([
      [35, 'D'],
      [11, 'ord-1'],
      [54, '1'],
      [60, '20240101-12:00:00'],
    ]);
    expect(expectCode(() => validateMessage(order), 'FIX_MISSING_TAG')).toEqual({
      tag: 40,
      expected: 'D',
    });
    expectCode(() => validateMessage(message([[35, 'W']])), 'FIX_MISSING_TAG');
  });

  it('accepts an admin message with its required fields', () => {
    expect(() =>
      validateMessage(
        message([
          [35, '1'],
          [112, 'ping'],
        ]),
      ),
    ).not.toThrow();
  });
});
