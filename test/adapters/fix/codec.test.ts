import { describe, expect, it } from 'vitest';

import {
  decodeFixMessage,
  encodeFixMessage,
  type FixField,
  readGroup,
  validateMessage,
} from '../../../src/adapters/fix/index.js';
import { expectCode, text, wire } from './helpers.js';

const OPTIONS = { beginString: 'FIX.4.4' } as const;
const HEADER: FixField[] = [
  [49, 'TW44'],
  [56, 'ISLD'],
  [34, '2'],
  [52, '20240101-12:00:00.123'],
];

const NEW_ORDER_SINGLE: FixField[] = [
  [35, 'D'],
  ...HEADER,
  [11, 'ord-1'],
  [55, 'ACME'],
  [54, '1'],
  [60, '20240101-12:00:00.123'],
  [38, '100'],
  [40, '2'],
  [44, '101.25'],
  [58, 'a=b, ünïcode'],
];

const EXECUTION_REPORT: FixField[] = [
  [35, '8'],
  ...HEADER,
  [37, 'o-1'],
  [11, 'ord-1'],
  [17, 'e-1'],
  [150, '0'],
  [39, '0'],
  [55, 'ACME'],
  [54, '1'],
  [151, '100'],
  [14, '0'],
  [6, '0'],
];

const MARKET_DATA_SNAPSHOT: FixField[] = [
  [35, 'W'],
  ...HEADER,
  [262, 'md-1'],
  [55, 'ACME'],
  [268, '3'],
  [269, '0'],
  [270, '101.00'],
  [271, '500'],
  [269, '1'],
  [270, '101.50'],
  [271, '300'],
  [290, '1'],
  [269, '2'],
  [270, '101.25'],
];

describe('encodeFixMessage / decodeFixMessage', () => {
  it.each([
    ['NewOrderSingle', NEW_ORDER_SINGLE],
    ['ExecutionReport', EXECUTION_REPORT],
    ['MarketDataSnapshotFullRefresh', MARKET_DATA_SNAPSHOT],
  ])('round-trips %s', (_name, fields) => {
    const bytes = encodeFixMessage(fields, OPTIONS);
    const decoded = decodeFixMessage(bytes);
    expect(decoded.msgType).toBe(fields[0]?.[1]);
    expect(decoded.fields.slice(2, -1)).toEqual(fields);
    expect(decoded.get(8)).toBe('FIX.4.4');
    expect(text(bytes)).toMatch(/^8=FIX\.4\.4\|9=\d+\|35=/);
    expect(() => validateMessage(decoded)).not.toThrow();
  });

  it('reads the MDFullGrp (268) repeating group of a W', () => {
    const decoded = decodeFixMessage(encodeFixMessage(MARKET_DATA_SNAPSHOT, OPTIONS));
    expect(decoded.getAll(269)).toEqual(['0', '1', '2']);
    expect(readGroup(decoded, 268)).toEqual([
      [
        [269, '0'],
        [270, '101.00'],
        [271, '500'],
      ],
      [
        [269, '1'],
        [270, '101.50'],
        [271, '300'],
        [290, '1'],
      ],
      [
        [269, '2'],
        [270, '101.25'],
      ],
    ]);
    expect(readGroup(decoded, 268, [269, 270, 271, 290])).toHaveLength(3);
    expect(readGroup(decoded, 146, [55])).toEqual([]);
  });

  it('computes BodyLength and CheckSum exactly for a known Heartbeat', () => {
    const bytes = encodeFixMessage(
      [
        [35, '0'],
        [34, '1'],
        [49, 'ISLD'],
        [52, '20240101-00:00:00.000'],
        [56, 'TW44'],
      ],
      OPTIONS,
    );
    // Body: "35=0|" 5 + "34=1|" 5 + "49=ISLD|" 8 + "52=20240101-00:00:00.000|" 25 + "56=TW44|" 8 = 51.
    // Byte sum of "8=FIX.4.4|9=51|…56=TW44|" is 3307; 3307 mod 256 = 235.
    const expected = '8=FIX.4.4|9=51|35=0|34=1|49=ISLD|52=20240101-00:00:00.000|56=TW44|';
    let sum = 0;
    for (const byte of wire(expected)) sum += byte;
    expect(sum).toBe(3307);
    expect(text(bytes)).toBe(`${expected}10=235|`);
  });

  it('preserves "=" inside values and duplicate tags', () => {
    const decoded = decodeFixMessage(
      encodeFixMessage(
        [
          [35, '0'],
          [58, 'x=y=z'],
          [58, 'again'],
        ],
        OPTIONS,
      ),
    );
    expect(decoded.get(58)).toBe('x=y=z');
    expect(decoded.getAll(58)).toEqual(['x=y=z', 'again']);
  });
});

describe('decode errors', () => {
  const good = '8=FIX.4.4|9=5|35=0|10=163|';

  it('accepts the hand-checked minimal message', () => {
    expect(decodeFixMessage(wire(good)).msgType).toBe('0');
  });

  it('rejects a wrong CheckSum', () => {
    expect(
      expectCode(() => decodeFixMessage(wire('8=FIX.4.4|9=5|35=0|10=164|')), 'FIX_BAD_CHECKSUM'),
    ).toEqual({
      tag: 10,
      expected: '163',
      actual: '164',
    });
    expectCode(() => decodeFixMessage(wire('8=FIX.4.4|9=5|35=0|10=63|')), 'FIX_BAD_CHECKSUM');
  });

  it('rejects a wrong BodyLength', () => {
    expect(
      expectCode(() => decodeFixMessage(wire('8=FIX.4.4|9=6|35=0|10=164|')), 'FIX_BAD_BODY_LENGTH'),
    ).toMatchObject({
      tag: 9,
      expected: 5,
    });
    expectCode(() => decodeFixMessage(wire('8=FIX.4.4|9=05|35=0|10=211|')), 'FIX_BAD_BODY_LENGTH');
  });

  it('rejects garbled bytes', () => {
    for (const bad of [
      '',
      'garbage',
      '8=FIX.4.4|9=5|35=0|10=163',
      '=x|',
      '08=FIX.4.4|',
      '8=FIX.4.4|x9=5|',
    ]) {
      if (bad === '') {
        expectCode(() => decodeFixMessage(wire(bad)), 'FIX_MISSING_TAG');
      } else {
        expectCode(() => decodeFixMessage(wire(bad)), 'FIX_GARBLED');
      }
    }
  });

  it('requires 8 first, 9 second, 35 third and 10 last', () => {
    expect(
      expectCode(() => decodeFixMessage(wire('8=FIX.4.4|9=5|34=1|10=163|')), 'FIX_MISSING_TAG'),
    ).toEqual({
      tag: 35,
      actual: 34,
    });
    expect(
      expectCode(() => decodeFixMessage(wire('9=5|8=FIX.4.4|35=0|10=163|')), 'FIX_MISSING_TAG'),
    ).toMatchObject({ tag: 8 });
    expect(
      expectCode(() => decodeFixMessage(wire('8=FIX.4.4|35=0|9=5|10=163|')), 'FIX_MISSING_TAG'),
    ).toMatchObject({ tag: 9 });
    expect(
      expectCode(() => decodeFixMessage(wire('8=FIX.4.4|9=5|35=0|')), 'FIX_MISSING_TAG'),
    ).toMatchObject({ tag: 10 });
  });

  it('throws only InputError FIX_* codes on random bytes', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const alphabet = wire('8=FIX.4.4|9=5|35=0|10=163|0123456789');
    for (let n = 0; n < 2000; n++) {
      const bytes = Uint8Array.from(
        { length: next() % 40 },
        () => alphabet[next() % alphabet.length] ?? 0,
      );
      try {
        decodeFixMessage(bytes);
      } catch (error) {
        expect((error as { code?: string }).code).toMatch(/^FIX_/);
      }
    }
  });

  it('decodes tag 0 and negative tags, which the session rejects by number', () => {
    const body = '35=0|0=HI|-1=HO|';
    const framed = `8=FIX.4.4|9=${body.length}|${body}`;
    let sum = 0;
    for (const byte of wire(framed)) sum += byte;
    const decoded = decodeFixMessage(wire(`${framed}10=${String(sum % 256).padStart(3, '0')}|`));
    expect(decoded.fields.slice(3, 5)).toEqual([
      [0, 'HI'],
      [-1, 'HO'],
    ]);
    expectCode(() => decodeFixMessage(wire('8=FIX.4.4|9=5|-0=x|10=000|')), 'FIX_GARBLED');
    expectCode(() => decodeFixMessage(wire('8=FIX.4.4|9=5|-=x|10=000|')), 'FIX_GARBLED');
  });

  it('decodes UTF-8 values and counts their bytes', () => {
    const bytes = encodeFixMessage(
      [
        [35, '0'],
        [58, 'ünï €'],
      ],
      OPTIONS,
    );
    const decoded = decodeFixMessage(bytes);
    expect(decoded.get(58)).toBe('ünï €');
    expect(decoded.get(9)).toBe(String(bytes.length - 7 - '8=FIX.4.4|9=17|'.length));
  });

  it('refuses to encode without MsgType first or with SOH in a value', () => {
    expectCode(() => encodeFixMessage([[49, 'A']], OPTIONS), 'FIX_MISSING_TAG');
    expectCode(
      () =>
        encodeFixMessage(
          [
            [35, '0'],
            [58, 'a\x01b'],
          ],
          OPTIONS,
        ),
      'FIX_GARBLED',
    );
    expectCode(
      () =>
        encodeFixMessage(
          [
            [35, '0'],
            [10, '000'],
          ],
          OPTIONS,
        ),
      'FIX_GARBLED',
    );
  });
});
