import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  formatUtcTimestamp,
  parseUtcTimestamp,
  UtcTimestampFormatter,
} from '../../../src/adapters/fix/index.js';

/** The same instant through Date, which the session itself never uses. */
function viaDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace('Z', '')
    .replace(/(\d{2})(\d{2})(\d{2})\./, '$1:$2:$3.');
}

describe('UTCTimestamp', () => {
  it('formats like the calendar does, for any instant from 1970 to 9999', () => {
    const formatter = new UtcTimestampFormatter();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => {
        const ns = BigInt(ms) * 1_000_000n + 999_999n;
        expect(formatUtcTimestamp(ns)).toBe(viaDate(ms));
        expect(formatter.format(ns)).toBe(viaDate(ms));
        expect(parseUtcTimestamp(viaDate(ms))).toBe(BigInt(ms) * 1_000_000n);
      }),
    );
  });

  it('reuses the formatted second while the clock stays inside it', () => {
    const formatter = new UtcTimestampFormatter();
    expect(formatter.format(1_704_164_645_001_000_000n)).toBe('20240102-03:04:05.001');
    expect(formatter.format(1_704_164_645_999_000_000n)).toBe('20240102-03:04:05.999');
    expect(formatter.format(1_704_164_646_000_000_000n)).toBe('20240102-03:04:06.000');
  });

  it('reads seconds, milliseconds and nanoseconds, and a leap second', () => {
    expect(parseUtcTimestamp('20240102-03:04:05')).toBe(1_704_164_645_000_000_000n);
    expect(parseUtcTimestamp('20240102-03:04:05.5')).toBe(1_704_164_645_500_000_000n);
    expect(parseUtcTimestamp('20240102-03:04:05.123456789')).toBe(1_704_164_645_123_456_789n);
    expect(parseUtcTimestamp('20161231-23:59:60')).toBe(1_483_228_800_000_000_000n);
  });

  it('refuses what is not a UTCTimestamp', () => {
    for (const text of [
      '',
      '20240102',
      '20240230-00:00:00',
      '20240102-24:00:00',
      '20240102-03:60:00',
      '20240102-03:04:05.',
      '20240102T03:04:05',
      ' 20240102-03:04:05',
    ]) {
      expect(parseUtcTimestamp(text), text).toBeUndefined();
    }
  });
});
