/**
 * @module
 * RFC 8785 §3.2.2.2 string serialisation. For a well-formed string the RFC's escaping is exactly
 * ECMAScript's JSON.stringify (QuoteJSONString): `\b \t \n \f \r \" \\`, other C0 controls as
 * lowercase `\u00xx`, everything else verbatim. JSON.stringify would escape a lone surrogate as
 * `\udxxx` instead of failing, and such a string has no UTF-8 form (RFC 8785 §3.2.2.2, RFC 3629),
 * so lone surrogates are rejected before it is used.
 */
import { CanonicalFault } from './fault.js';

// Any code unit that is not copied verbatim: C0 controls, quote, backslash, surrogates.
// eslint-disable-next-line no-control-regex -- the controls are exactly what must be escaped
export const NOT_VERBATIM_RE = /[\u0000-\u001f"\\\ud800-\udfff]/;
const SURROGATE_RE = /[\ud800-\udfff]/;

/** Quotes and escapes `s`; most strings in our records need neither, so test before stringify. */
export function quoteString(s: string): string {
  if (!NOT_VERBATIM_RE.test(s)) return '"' + s + '"';
  if (SURROGATE_RE.test(s)) assertWellFormed(s);
  return JSON.stringify(s);
}

/** No lone surrogate: the string has a UTF-8 form. */
export function isWellFormed(s: string): boolean {
  return SURROGATE_RE.test(s) ? loneSurrogateAt(s) < 0 : true;
}

function assertWellFormed(s: string): void {
  const at = loneSurrogateAt(s);
  if (at < 0) return;
  const unit = s.charCodeAt(at);
  throw new CanonicalFault(
    'CANONICAL_LONE_SURROGATE',
    `lone surrogate U+${unit.toString(16).toUpperCase()} at index ${at} has no UTF-8 form`,
    { index: at },
  );
}

function loneSurrogateAt(s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const unit = s.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (unit <= 0xdbff && i + 1 < n) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}
