/**
 * @module
 * Text rules shared by keys, notes and checkpoints (C2SP signed-note): which characters a note may
 * hold, what a key name is, and strict base64 decoding whose failures carry the caller's code.
 */
import { fromBase64 } from '../bytes.js';
import { type ErrorCode, InputError } from '../errors.js';

/**
 * C2SP signed-note: a note must be valid UTF-8 without ASCII control characters other than
 * newline. In a JS string, invalid UTF-8 shows up as a lone surrogate.
 */
export function isNoteSafeText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20 && unit !== 0x0a) return false;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Unicode White_Space, the set Go's unicode.IsSpace tests (golang.org/x/mod/sumdb/note). */
const UNICODE_SPACE_RE = /\p{White_Space}/u;

/**
 * C2SP signed-note: key names are non-empty and hold neither Unicode spaces nor '+'. Control
 * characters are refused too, since no valid note could carry them.
 */
export function isValidKeyName(name: string): boolean {
  return (
    name.length > 0 && !name.includes('+') && !UNICODE_SPACE_RE.test(name) && isNoteSafeText(name)
  );
}

/** Standard padded base64 (RFC 4648 §4) of outside input; a failure becomes `code`. */
export function decodeBase64As(code: ErrorCode, text: string, what: string): Uint8Array {
  try {
    return fromBase64(text, what);
  } catch (error) {
    throw new InputError(code, `${what} is not standard padded base64`, { cause: error });
  }
}
