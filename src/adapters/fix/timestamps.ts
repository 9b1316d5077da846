/**
 * @module
 * FIX 4.4 UTCTimestamp (`YYYYMMDD-HH:MM:SS[.sss]`) to and from epoch nanoseconds, by calendar
 * arithmetic (H. Hinnant's civil-from-days algorithm) rather than `Date`, so that the session
 * layer depends on its injected clock only and formats the same instant the same way everywhere.
 */

const NS_PER_MS = 1_000_000n;

/** Proleptic Gregorian [year, month 1–12, day 1–31] of a day count since 1970-01-01. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Days since 1970-01-01 of a proleptic Gregorian date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

function formatSecond(second: number): string {
  const days = Math.floor(second / 86_400);
  const [year, month, day] = civilFromDays(days);
  const secondOfDay = second - days * 86_400;
  const hh = Math.floor(secondOfDay / 3600);
  const mm = Math.floor(secondOfDay / 60) % 60;
  const ss = secondOfDay % 60;
  return `${year}${pad2(month)}${pad2(day)}-${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
}

function toEpochMs(wallNs: bigint): number {
  return Number(wallNs / NS_PER_MS) - (wallNs < 0n && wallNs % NS_PER_MS !== 0n ? 1 : 0);
}

/** `YYYYMMDD-HH:MM:SS.sss` of epoch nanoseconds (truncated to the millisecond). */
export function formatUtcTimestamp(wallNs: bigint): string {
  const ms = toEpochMs(wallNs);
  const second = Math.floor(ms / 1000);
  return `${formatSecond(second)}.${pad3(ms - second * 1000)}`;
}

/**
 * {@link formatUtcTimestamp} that reuses the date and time of day while the clock stays inside one
 * second: a session stamps every message it sends.
 */
export class UtcTimestampFormatter {
  #second = Number.NaN;
  #prefix = '';

  format(wallNs: bigint): string {
    const ms = toEpochMs(wallNs);
    const second = Math.floor(ms / 1000);
    if (second !== this.#second) {
      this.#prefix = `${formatSecond(second)}.`;
      this.#second = second;
    }
    return this.#prefix + pad3(ms - second * 1000);
  }
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether year, month and day name a real calendar date. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The number in `count` ASCII digits of `text` from `at`, or -1 if one is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

interface Parts {
  /** Whole seconds since the epoch. */
  readonly seconds: number;
  /** Fraction digits as written (1–9 of them), or ''. */
  readonly fraction: string;
}

/** Reads `YYYYMMDD-HH:MM:SS[.f{1,9}]` by character codes: a session reads one per message. */
function readParts(text: string): Parts | undefined {
  const n = text.length;
  if (n < 17 || n === 18 || n > 27) return undefined;
  if (text.charCodeAt(8) !== 0x2d || text.charCodeAt(11) !== 0x3a || text.charCodeAt(14) !== 0x3a) {
    return undefined;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 4, 2);
  const day = digitsAt(text, 6, 2);
  const hh = digitsAt(text, 9, 2);
  const mm = digitsAt(text, 12, 2);
  const ss = digitsAt(text, 15, 2);
  if (year < 0 || !isCalendarDate(year, month, day) || hh < 0 || hh > 23) return undefined;
  if (mm < 0 || mm > 59 || ss < 0 || ss > 60) return undefined;
  let fraction = '';
  if (n > 17) {
    if (text.charCodeAt(17) !== 0x2e || digitsAt(text, 18, n - 18) < 0) return undefined;
    fraction = text.slice(18);
  }
  const seconds = daysFromCivil(year, month, day) * 86_400 + hh * 3600 + mm * 60 + ss;
  return { seconds, fraction };
}

/** Whether `text` is a UTCTimestamp. */
export function isUtcTimestamp(text: string): boolean {
  return readParts(text) !== undefined;
}

/**
 * Epoch nanoseconds of a UTCTimestamp, or undefined when the text is not one. Seconds may be 60
 * (a leap second, FIX 4.4 §UTCTimestamp); it reads as the first instant of the next minute.
 */
export function parseUtcTimestamp(text: string): bigint | undefined {
  const parts = readParts(text);
  if (parts === undefined) return undefined;
  const { seconds, fraction } = parts;
  if (fraction.length <= 3) {
    const ms = seconds * 1000 + (fraction === '' ? 0 : Number(fraction.padEnd(3, '0')));
    return BigInt(ms) * NS_PER_MS;
  }
  return BigInt(seconds) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
}
