/**
 * @module
 * FIX 4.4 tag=value codec: SOH-delimited fields framed by BeginString (8), BodyLength (9) and
 * CheckSum (10). Pure byte handling, no I/O. Values are UTF-8; BodyLength and CheckSum count bytes.
 * Raw data fields (for example SecureData 91) that contain SOH are not supported.
 */
import { Buffer } from 'node:buffer';

import { fixError, type FixField, type FixMessage, toFixMessage } from './message.js';

export const SOH = 0x01;
const EQUALS = 0x3d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MAX_TAG_DIGITS = 9;

export const TAG_BEGIN_STRING = 8;
export const TAG_BODY_LENGTH = 9;
export const TAG_CHECKSUM = 10;
export const TAG_MSG_TYPE = 35;

export interface EncodeOptions {
  readonly beginString: 'FIX.4.4';
}

const FRAME_TAGS = new Set([TAG_BEGIN_STRING, TAG_BODY_LENGTH, TAG_CHECKSUM]);

/** Byte sum mod 256 as three digits (FIX 4.4 CheckSum, tag 10). */
export function fixChecksum(bytes: Uint8Array, end = bytes.length): string {
  let sum = 0;
  for (let i = 0; i < end; i++) sum = (sum + (bytes[i] ?? 0)) & 0xff;
  return sum.toString().padStart(3, '0');
}

/**
 * Frames an already-encoded body (`35=…SOH` up to the SOH before the trailer): prefixes 8 and 9,
 * appends 10. The body must be tag=value text; nothing here re-checks it.
 */
export function encodeFixBody(body: string, beginString: string): Uint8Array {
  const bodyLength = Buffer.byteLength(body, 'utf8');
  const head = `8=${beginString}\x019=${bodyLength}\x01`;
  const trailerAt = head.length + bodyLength;
  const out = new Uint8Array(trailerAt + 7);
  const view = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  view.write(head, 0, 'latin1');
  view.write(body, head.length, 'utf8');
  let sum = 0;
  for (let i = 0; i < trailerAt; i++) sum += out[i]!;
  sum &= 0xff;
  out[trailerAt] = 0x31; // "10="
  out[trailerAt + 1] = DIGIT_0;
  out[trailerAt + 2] = EQUALS;
  out[trailerAt + 3] = DIGIT_0 + Math.floor(sum / 100);
  out[trailerAt + 4] = DIGIT_0 + (Math.floor(sum / 10) % 10);
  out[trailerAt + 5] = DIGIT_0 + (sum % 10);
  out[trailerAt + 6] = SOH;
  return out;
}

/**
 * Encodes `fields` (MsgType 35 first, then the rest of header and body) between the computed
 * 8/9 prefix and 10 trailer.
 * @throws InputError FIX_MISSING_TAG when 35 is not first; FIX_GARBLED for a tag that is not a
 * positive integer, a frame tag (8, 9, 10) among the fields, or a value containing SOH.
 */
export function encodeFixMessage(fields: readonly FixField[], options: EncodeOptions): Uint8Array {
  if (fields[0]?.[0] !== TAG_MSG_TYPE) {
    throw fixError('FIX_MISSING_TAG', 'MsgType (35) must be the first field', {
      tag: TAG_MSG_TYPE,
    });
  }
  let body = '';
  for (const [tag, value] of fields) {
    if (!Number.isSafeInteger(tag) || tag <= 0 || FRAME_TAGS.has(tag)) {
      throw fixError('FIX_GARBLED', `tag ${tag} cannot be encoded as a body field`, { tag });
    }
    if (value.includes('\x01')) {
      throw fixError('FIX_GARBLED', `value of tag ${tag} contains SOH`, { tag });
    }
    body += `${tag}=${value}\x01`;
  }
  return encodeFixBody(body, options.beginString);
}

const decoder = new TextDecoder('utf-8');

/**
 * Splits bytes into tag=value fields, as flat (tag, tag start, value start, SOH offset) quads.
 * Tags are integers without leading zeros. Tag 0 and negative tags are accepted here so that the
 * session layer can answer them with a Reject naming the tag (FIX 4.4 SessionRejectReason 0)
 * instead of dropping the message as garbled.
 */
function splitFields(bytes: Uint8Array): number[] {
  const out: number[] = [];
  const n = bytes.length;
  let pos = 0;
  while (pos < n) {
    let i = pos;
    const negative = bytes[i] === MINUS;
    if (negative) i++;
    const digitsAt = i;
    let tag = 0;
    for (let b = bytes[i]; b !== undefined && b >= DIGIT_0 && b <= DIGIT_9; b = bytes[++i]) {
      if (i - digitsAt === MAX_TAG_DIGITS) break;
      tag = tag * 10 + b - DIGIT_0;
    }
    const digits = i - digitsAt;
    const leadingZero = bytes[digitsAt] === DIGIT_0 && (digits > 1 || negative);
    if (digits === 0 || bytes[i] !== EQUALS || leadingZero) {
      throw fixError('FIX_GARBLED', `malformed tag at byte ${pos}`, { actual: pos });
    }
    const soh = bytes.indexOf(SOH, i + 1);
    if (soh < 0) {
      throw fixError('FIX_GARBLED', `field ${negative ? -tag : tag} is not terminated by SOH`, {
        tag: negative ? -tag : tag,
      });
    }
    out.push(negative ? -tag : tag, pos, i + 1, soh);
    pos = soh + 1;
  }
  return out;
}

function expectTag(quads: readonly number[], at: number, tag: number, where: string): void {
  const actual = at >= 0 ? quads[at * 4] : undefined;
  if (actual !== tag) {
    throw fixError('FIX_MISSING_TAG', `tag ${tag} must be ${where}`, {
      tag,
      ...(actual === undefined ? {} : { actual }),
    });
  }
}

/** Whether every byte before `end` is 7-bit, and the byte sum mod 256 of that range. */
function scanBytes(bytes: Uint8Array, end: number): { ascii: boolean; sum: number } {
  let sum = 0;
  let high = 0;
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    sum += b;
    high |= b;
  }
  for (let i = end; i < bytes.length; i++) high |= bytes[i]!;
  return { ascii: high < 0x80, sum: sum & 0xff };
}

/**
 * Decodes one complete message.
 * @throws InputError FIX_GARBLED (not tag=value), FIX_MISSING_TAG (8, 9, 35 not first, second,
 * third; 10 not last), FIX_BAD_BODY_LENGTH, FIX_BAD_CHECKSUM. Nothing else, whatever the input.
 */
export function decodeFixMessage(bytes: Uint8Array): FixMessage {
  const quads = splitFields(bytes);
  const count = quads.length / 4;
  expectTag(quads, 0, TAG_BEGIN_STRING, 'first');
  expectTag(quads, 1, TAG_BODY_LENGTH, 'second');
  expectTag(quads, 2, TAG_MSG_TYPE, 'third');
  expectTag(quads, count - 1, TAG_CHECKSUM, 'last');

  const { ascii, sum } = scanBytes(bytes, quads[(count - 1) * 4 + 1]!);
  const text = ascii
    ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
    : '';
  const valueAt = (index: number): string => {
    const start = quads[index * 4 + 2]!;
    const end = quads[index * 4 + 3]!;
    return ascii ? text.slice(start, end) : decoder.decode(bytes.subarray(start, end));
  };

  // BodyLength counts from after 9=…SOH up to and including the SOH before 10=.
  const checksumStart = quads[(count - 1) * 4 + 1]!;
  const actualLength = checksumStart - (quads[1 * 4 + 3]! + 1);
  const bodyLength = valueAt(1);
  if (!/^(0|[1-9]\d{0,8})$/.test(bodyLength) || Number(bodyLength) !== actualLength) {
    throw fixError('FIX_BAD_BODY_LENGTH', 'BodyLength (9) does not match the body', {
      tag: TAG_BODY_LENGTH,
      expected: actualLength,
      actual: bodyLength,
    });
  }
  const expectedSum = sum.toString().padStart(3, '0');
  const checksum = valueAt(count - 1);
  if (checksum !== expectedSum) {
    throw fixError('FIX_BAD_CHECKSUM', 'CheckSum (10) does not match the bytes', {
      tag: TAG_CHECKSUM,
      expected: expectedSum,
      actual: checksum,
    });
  }
  const fields = new Array<FixField>(count);
  for (let i = 0; i < count; i++) fields[i] = [quads[i * 4]!, valueAt(i)];
  return toFixMessage(fields[2]![1], fields);
}
