/**
 * @module
 * Stamps the StandardHeader on outbound messages and encodes them in one pass. Header fields go
 * in tag order after MsgType (34, 43, 49, 52, 56, then optional ones, 122 among them), the layout
 * QuickFIX peers produce, so that our messages match theirs field for field.
 */
import { encodeFixBody } from '../codec.js';
import { FIX44_HEADER_TAGS, FIX44_TRAILER_TAGS } from '../fix44-tables.js';
import { fixError, type FixField, type FixMessage } from '../message.js';

/** Header tags the session sets itself; a caller's values for them are ignored. */
const SESSION_OWNED = new Set([8, 9, 10, 34, 35, 43, 49, 52, 56, 122]);
const HEADER_TAGS: ReadonlySet<number> = new Set(FIX44_HEADER_TAGS);
const TRAILER_TAGS: ReadonlySet<number> = new Set(FIX44_TRAILER_TAGS);

export interface StampOptions {
  /** PossDupFlag (43=Y) with OrigSendingTime (122): a resent message. */
  readonly origSendingTime?: string;
  readonly header?: readonly FixField[];
}

function appendFields(out: string, fields: readonly FixField[]): string {
  let text = out;
  for (let i = 0; i < fields.length; i++) {
    const [tag, value] = fields[i]!;
    if (!(tag > 0 && Number.isSafeInteger(tag)) || value.includes('\x01')) {
      throw fixError('FIX_GARBLED', `field ${tag} cannot be encoded`, { tag });
    }
    text += `${tag}=${value}\x01`;
  }
  return text;
}

export class MessageStamper {
  readonly #beginString: string;
  readonly #senderField: string;
  readonly #targetField: string;
  readonly #senderCompId: string;
  readonly #targetCompId: string;

  constructor(beginString: string, senderCompId: string, targetCompId: string) {
    this.#beginString = beginString;
    this.#senderCompId = senderCompId;
    this.#targetCompId = targetCompId;
    this.#senderField = `49=${senderCompId}\x01`;
    this.#targetField = `56=${targetCompId}\x01`;
  }

  /** @throws InputError FIX_GARBLED for a tag that is not a positive integer or a value with SOH. */
  encode(
    msgType: string,
    seq: number,
    sendingTime: string,
    body: readonly FixField[],
    options: StampOptions = {},
  ): Uint8Array {
    const extra = options.header?.filter(([tag]) => !SESSION_OWNED.has(tag)) ?? [];
    const orig = options.origSendingTime;
    let text = `35=${msgType}\x0134=${seq}\x01`;
    if (extra.length === 0) {
      if (orig !== undefined) text += '43=Y\x01';
      text += `${this.#senderField}52=${sendingTime}\x01${this.#targetField}`;
      if (orig !== undefined) text += `122=${orig}\x01`;
    } else {
      const header: FixField[] = [
        [49, this.#senderCompId],
        [52, sendingTime],
        [56, this.#targetCompId],
        ...extra,
      ];
      if (orig !== undefined) header.push([43, 'Y'], [122, orig]);
      header.sort((a, b) => a[0] - b[0]);
      text = appendFields(text, header);
    }
    return encodeFixBody(appendFields(text, body), this.#beginString);
  }
}

/** A sent message taken apart for resending: optional header fields, body, SendingTime. */
export interface ResendParts {
  readonly header: readonly FixField[];
  readonly body: readonly FixField[];
  readonly sendingTime: string;
}

export function toResendParts(message: FixMessage): ResendParts {
  const header: FixField[] = [];
  const body: FixField[] = [];
  const fields = message.fields;
  let inHeader = true;
  for (let i = 3; i < fields.length; i++) {
    const field = fields[i]!;
    const tag = field[0];
    if (inHeader && HEADER_TAGS.has(tag)) {
      if (!SESSION_OWNED.has(tag)) header.push(field);
      continue;
    }
    inHeader = false;
    if (!TRAILER_TAGS.has(tag)) body.push(field);
  }
  return { header, body, sendingTime: message.get(52) ?? '' };
}

/** Routing fields of a reply: OnBehalfOf* (115, 116, 144) and DeliverTo* (128, 129, 145) swap. */
export function reverseRoute(message: FixMessage): FixField[] {
  const out: FixField[] = [];
  const swap = (from: number, to: number): void => {
    const value = message.get(from);
    if (value !== undefined && value !== '') out.push([to, value]);
  };
  swap(115, 128);
  swap(128, 115);
  swap(116, 129);
  swap(129, 116);
  swap(144, 145);
  swap(145, 144);
  return out;
}
