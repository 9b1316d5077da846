/**
 * @module
 * FIX 4.4 tag=value codec: SOH-delimited fields framed by BeginString (8), BodyLength (9) and
 * CheckSum (10). Pure byte handling, no I/O. Values are UTF-8; BodyLength and CheckSum count bytes.
 * Raw data fields (for example SecureData 91) that contain SOH are not supported.
 */
import { fixError, type FixField, type FixMessage, toFixMessage } from './message.js';

export const SOH = 0x01;
const EQUALS = 0x3d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

export const TAG_BEGIN_STRING = 8;
export const TAG_BODY_LENGTH = 9;
export const TAG_CHECKSUM = 10;
export const TAG_MSG_TYPE = 35;

export interface EncodeOptions {
  readonly beginString: 'FIX.4.4';
}

const encoder = new TextEncoder();
const FRAME_TAGS = new Set([TAG_BEGIN_STRING, TAG_BODY_LENGTH, TAG_CHECKSUM]);

/** Byte sum mod 256 as three digits (FIX 4.4 CheckSum, tag 10). */
export function fixChecksum(bytes: Uint8Array, end = bytes.length): string {
  let sum = 0;
  for (let i = 0; i < end; i++) sum = (sum + (bytes[i] ?? 0)) & 0xff;
  return sum.toString().padStart(3, '0');
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
  const bodyBytes = encoder.encode(body);
  const head = encoder.encode(`8=${options.beginString}\x019=${bodyBytes.length}\x01`);
  const out = new Uint8Array(head.length + bodyBytes.length + 7);
  out.set(head, 0);
  out.set(bodyBytes, head.length);
  const trailerAt = head.length + bodyBytes.length;
  out.set(encoder.encode(`10=${fixChecksum(out, trailerAt)}\x01`), trailerAt);
  return out;
}

interface RawField {
  readonly tag: number;
  readonly value: string;
  /** Offset of the tag's first byte. */
  readonly start: number;
  /** Offset just past the terminating SOH. */
  readonly end: number;
}

const decoder = new TextDecoder('utf-8');

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= DIGIT_0 && byte <= DIGIT_9;
}

/** Splits bytes into tag=value fields; tags are positive integers without leading zeros. */
function splitFields(bytes: Uint8Array): RawField[] {
  const out: RawField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let tag = 0;
    let i = pos;
    while (isDigit(bytes[i]) && i - pos < 9) tag = tag * 10 + (bytes[i++] ?? 0) - DIGIT_0;
    if (i === pos || bytes[i] !== EQUALS || bytes[pos] === DIGIT_0) {
      throw fixError('FIX_GARBLED', `malformed tag at byte ${pos}`, { actual: pos });
    }
    const soh = bytes.indexOf(SOH, i + 1);
    if (soh < 0) {
      throw fixError('FIX_GARBLED', `field ${tag} is not terminated by SOH`, { tag });
    }
    out.push({ tag, value: decoder.decode(bytes.subarray(i + 1, soh)), start: pos, end: soh + 1 });
    pos = soh + 1;
  }
  return out;
}

function expectTag(field: RawField | undefined, tag: number, where: string): RawField {
  if (field?.tag !== tag) {
    throw fixError('FIX_MISSING_TAG', `tag ${tag} must be ${where}`, {
      tag,
      ...(field === undefined ? {} : { actual: field.tag }),
    });
  }
  return field;
}

/**
 * Decodes one complete message.
 * @throws InputError FIX_GARBLED (not tag=value), FIX_MISSING_TAG (8, 9, 35 not first, second,
 * third; 10 not last), FIX_BAD_BODY_LENGTH, FIX_BAD_CHECKSUM. Nothing else, whatever the input.
 */
export function decodeFixMessage(bytes: Uint8Array): FixMessage {
  const raw = splitFields(bytes);
  expectTag(raw[0], TAG_BEGIN_STRING, 'first');
  const bodyLength = expectTag(raw[1], TAG_BODY_LENGTH, 'second');
  const msgType = expectTag(raw[2], TAG_MSG_TYPE, 'third');
  const checksum = expectTag(raw.at(-1), TAG_CHECKSUM, 'last');

  // BodyLength counts from after 9=…SOH up to and including the SOH before 10=.
  const actualLength = checksum.start - bodyLength.end;
  if (!/^(0|[1-9]\d{0,8})$/.test(bodyLength.value) || Number(bodyLength.value) !== actualLength) {
    throw fixError('FIX_BAD_BODY_LENGTH', 'BodyLength (9) does not match the body', {
      tag: TAG_BODY_LENGTH,
      expected: actualLength,
      actual: bodyLength.value,
    });
  }
  const expectedSum = fixChecksum(bytes, checksum.start);
  if (checksum.value !== expectedSum) {
    throw fixError('FIX_BAD_CHECKSUM', 'CheckSum (10) does not match the bytes', {
      tag: TAG_CHECKSUM,
      expected: expectedSum,
      actual: checksum.value,
    });
  }
  const fields = raw.map(({ tag, value }): FixField => [tag, value]);
  return toFixMessage(msgType.value, fields);
}
