import { describe, expect, it } from 'vitest';

import {
  canonicalBytes,
  canonicalize,
  serializeNumber,
} from '../../../src/core/canonical/index.js';
import { InputError } from '../../../src/core/errors.js';
import { expectErrorCode } from '../../helpers/errors.js';

const TWO_POW_53 = 2 ** 53;

describe('canonicalize', () => {
  describe('on well-formed values', () => {
    it('writes literals, numbers and nested containers without whitespace', () => {
      expect(canonicalize({ b: [1, 'x', null, true, false], a: { d: 2.5, c: {} } })).toBe(
        '{"a":{"c":{},"d":2.5},"b":[1,"x",null,true,false]}',
      );
    });

    it('writes −0 as 0, at the root and inside containers', () => {
      expect(canonicalize(-0)).toBe('0');
      expect(canonicalize([-0, { z: -0 }])).toBe('[0,{"z":0}]');
      expect(serializeNumber(-0)).toBe('0');
    });

    it('sorts keys by UTF-16 code units rather than by code point or locale', () => {
      // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FB33 despite its higher code point.
      expect(canonicalize({ '\uFB33': 1, '\u{1F600}': 2, é: 3, z: 4, Z: 5, '10': 6, '9': 7 })).toBe(
        '{"10":6,"9":7,"Z":5,"z":4,"é":3,"\u{1F600}":2,"\uFB33":1}',
      );
    });

    it('sorts objects with more keys than the small-sort threshold', () => {
      const keys = Array.from({ length: 60 }, (_, i) => `k${(i * 37) % 60}`);
      const object = Object.fromEntries(keys.map((key) => [key, 0]));
      const sorted = [...keys].sort();
      expect(canonicalize(object)).toBe(`{${sorted.map((key) => `"${key}":0`).join(',')}}`);
    });

    it('escapes as RFC 8785 §3.2.2.2 requires and keeps everything else verbatim', () => {
      expect(canonicalize('\u0000\b\t\n\f\r\u001f"\\/\u007f\u2028é\u{1F600}')).toBe(
        '"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/\u007f\u2028é\u{1F600}"',
      );
      expect(canonicalize({ 'a"b\n': 1 })).toBe('{"a\\"b\\n":1}');
    });

    it('keeps an own "__proto__" member as an ordinary key', () => {
      const parsed: unknown = JSON.parse('{"b":2,"__proto__":{"a":1}}');
      expect(canonicalize(parsed)).toBe('{"__proto__":{"a":1},"b":2}');
    });

    it('accepts objects without a prototype', () => {
      const bare = Object.create(null) as Record<string, unknown>;
      bare['b'] = 1;
      bare['a'] = [];
      expect(canonicalize(bare)).toBe('{"a":[],"b":1}');
    });

    it('serialises a value shared by two siblings twice: sharing is not a cycle', () => {
      const shared = { x: 1 };
      expect(canonicalize({ a: shared, b: [shared, shared] })).toBe(
        '{"a":{"x":1},"b":[{"x":1},{"x":1}]}',
      );
    });

    it('writes the largest safe integers exactly', () => {
      expect(canonicalize([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])).toBe(
        '[9007199254740991,-9007199254740991]',
      );
    });
  });

  describe('when a number is not finite', () => {
    it.each([NaN, Infinity, -Infinity])('reports CANONICAL_NON_FINITE_NUMBER for %s', (x) => {
      expectErrorCode(() => canonicalize(x), 'CANONICAL_NON_FINITE_NUMBER');
      expectErrorCode(() => serializeNumber(x), 'CANONICAL_NON_FINITE_NUMBER');
    });

    it('locates it with a pointer', () => {
      const error = expectErrorCode(
        () => canonicalize({ a: [1, { b: NaN }] }),
        'CANONICAL_NON_FINITE_NUMBER',
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.details).toEqual({ path: '/a/1/b', value: 'NaN' });
      expect(error.exitCode).toBe(2);
    });

    it('reports it even with allowUnsafeIntegers', () => {
      expectErrorCode(
        () => canonicalize([Infinity], { allowUnsafeIntegers: true }),
        'CANONICAL_NON_FINITE_NUMBER',
      );
    });
  });

  describe('when an integer is beyond ±(2^53−1)', () => {
    it.each([TWO_POW_53, -TWO_POW_53, 1e21, -1.7976931348623157e308])(
      'reports CANONICAL_UNSAFE_INTEGER for %s',
      (x) => {
        const error = expectErrorCode(() => canonicalize({ q: x }), 'CANONICAL_UNSAFE_INTEGER');
        expect(error.details).toEqual({ path: '/q', value: String(x) });
      },
    );

    it('accepts it with allowUnsafeIntegers, in the RFC 8785 number form', () => {
      const options = { allowUnsafeIntegers: true };
      expect(canonicalize(TWO_POW_53, options)).toBe('9007199254740992');
      expect(canonicalize([1e21, -1e30], options)).toBe('[1e+21,-1e+30]');
    });
  });

  describe('when a string or key holds a lone surrogate', () => {
    it.each([
      ['a lone high surrogate', 'ab\uD800c'],
      ['a trailing high surrogate', 'ab\uD83D'],
      ['a lone low surrogate', '\uDE00ab'],
      ['a pair in the wrong order', '\uDE00\uD83D'],
      ['two high surrogates', '\uD83D\uD83D'],
      ['two low surrogates', '\uDE00\uDE00'],
      ['a high surrogate before a character above the surrogates', '\uD800\uE000'],
      ['a lone one after a valid pair', '\u{1F600}\uDC00'],
    ])('reports CANONICAL_LONE_SURROGATE for %s', (_, s) => {
      const error = expectErrorCode(() => canonicalize(s), 'CANONICAL_LONE_SURROGATE');
      expect(error.details?.['path']).toBe('');
    });

    it('reports it inside an object key, at that member', () => {
      const error = expectErrorCode(
        () => canonicalize({ ok: 1, nested: { 'k\uDC00': 'v' } }),
        'CANONICAL_LONE_SURROGATE',
      );
      expect(error.details).toEqual({ path: '/nested/k\uDC00', index: 1 });
    });

    it('reports it inside a nested array', () => {
      const error = expectErrorCode(
        () => canonicalize({ x: [1, 'fine', ['\u{1F600}', 'bad\uD800']] }),
        'CANONICAL_LONE_SURROGATE',
      );
      expect(error.details).toEqual({ path: '/x/2/1', index: 3 });
    });

    it('escapes "~" and "/" in the pointer as RFC 6901 does', () => {
      const error = expectErrorCode(
        () => canonicalize({ 'a/b~c': ['\uD800'] }),
        'CANONICAL_LONE_SURROGATE',
      );
      expect(error.details?.['path']).toBe('/a~1b~0c/0');
    });
  });

  describe('when a value has no JSON form', () => {
    class Fill {
      readonly qtyLots = 1;
    }
    it.each([
      ['undefined', undefined, 'undefined'],
      ['a function', () => 1, 'function'],
      ['a symbol', Symbol('s'), 'symbol'],
      ['a bigint', 1n, 'bigint'],
      ['a Map', new Map([['a', 1]]), 'Map'],
      ['a Set', new Set([1]), 'Set'],
      ['a Date', new Date(0), 'Date'],
      ['a class instance', new Fill(), 'Fill'],
      ['a boxed string', Object('s') as unknown, 'String'],
      ['a typed array', new Uint8Array(2), 'Uint8Array'],
    ])('reports CANONICAL_UNSUPPORTED_VALUE for %s', (_, value, type) => {
      const error = expectErrorCode(() => canonicalize([value]), 'CANONICAL_UNSUPPORTED_VALUE');
      expect(error.details).toEqual({ path: '/0', type });
    });

    it('reports an undefined member rather than dropping it as JSON.stringify does', () => {
      const error = expectErrorCode(
        () => canonicalize({ a: 1, b: undefined }),
        'CANONICAL_UNSUPPORTED_VALUE',
      );
      expect(error.details?.['path']).toBe('/b');
    });

    it('reports an object whose prototype is not Object.prototype', () => {
      expectErrorCode(() => canonicalize(Object.create({ a: 1 })), 'CANONICAL_UNSUPPORTED_VALUE');
    });

    it('reports a hole in a sparse array', () => {
      // eslint-disable-next-line no-sparse-arrays -- the hole is the point
      const error = expectErrorCode(() => canonicalize([1, , 3]), 'CANONICAL_UNSUPPORTED_VALUE');
      expect(error.details?.['path']).toBe('/1');
    });
  });

  describe('when a value contains itself', () => {
    it('reports CANONICAL_CYCLE through an object', () => {
      const node: Record<string, unknown> = { a: 1 };
      node['child'] = { back: node };
      const error = expectErrorCode(() => canonicalize({ root: node }), 'CANONICAL_CYCLE');
      expect(error.details).toEqual({ path: '/root/child/back' });
    });

    it('reports CANONICAL_CYCLE through an array', () => {
      const list: unknown[] = [1];
      list.push([list]);
      const error = expectErrorCode(() => canonicalize(list), 'CANONICAL_CYCLE');
      expect(error.details).toEqual({ path: '/1/0' });
    });
  });

  it('lets errors thrown by a getter through unchanged', () => {
    const boom = new Error('boom');
    const object = {
      get a(): number {
        throw boom;
      },
    };
    expect(() => canonicalize(object)).toThrow(boom);
  });
});

describe('canonicalBytes', () => {
  it('returns the UTF-8 encoding of the canonical text', () => {
    const bytes = canonicalBytes({ '€': '\u{1F600}' });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes)).toEqual([
      0x7b, 0x22, 0xe2, 0x82, 0xac, 0x22, 0x3a, 0x22, 0xf0, 0x9f, 0x98, 0x80, 0x22, 0x7d,
    ]);
  });

  it('passes options through', () => {
    expectErrorCode(() => canonicalBytes(TWO_POW_53), 'CANONICAL_UNSAFE_INTEGER');
    expect(
      new TextDecoder().decode(canonicalBytes(TWO_POW_53, { allowUnsafeIntegers: true })),
    ).toBe('9007199254740992');
  });
});

describe('canonicalize when nesting is very deep', () => {
  it('accepts 1000 levels and reports CANONICAL_TOO_DEEP beyond, never a stack overflow', () => {
    const nest = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
    expect(canonicalize(JSON.parse(nest(1000)))).toBe(nest(1000));
    expectErrorCode(() => canonicalize(JSON.parse(nest(1001))), 'CANONICAL_TOO_DEEP');
    expectErrorCode(
      () => canonicalize(JSON.parse(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`)),
      'CANONICAL_TOO_DEEP',
    );
  });
});
