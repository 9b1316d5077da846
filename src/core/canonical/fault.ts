/**
 * @module
 * The internal failure raised while walking a value. It collects the path to the offending value
 * as the stack unwinds, so the walk itself never pays for path bookkeeping; `canonicalize` turns it
 * into the public `InputError` once, at the top.
 */
import { type ErrorCode, InputError, type JsonObject } from '../errors.js';

type CanonicalCode = Extract<ErrorCode, `CANONICAL_${string}`>;

export class CanonicalFault extends Error {
  readonly code: CanonicalCode;
  readonly extra: JsonObject;
  /** Path segments, innermost first: each enclosing container appends its key while unwinding. */
  readonly segments: string[] = [];

  constructor(code: CanonicalCode, message: string, extra: JsonObject = {}) {
    super(message);
    this.code = code;
    this.extra = extra;
  }

  toInputError(): InputError {
    const path = toPointer(this.segments);
    return new InputError(this.code, `${this.message} at ${path === '' ? '(root)' : path}`, {
      details: { path, ...this.extra },
    });
  }
}

/** RFC 6901 JSON Pointer: `~` and `/` inside a segment are escaped as `~0` and `~1`. */
function toPointer(innermostFirst: readonly string[]): string {
  let pointer = '';
  for (let i = innermostFirst.length - 1; i >= 0; i--) {
    pointer += '/' + (innermostFirst[i] ?? '').replace(/~/g, '~0').replace(/\//g, '~1');
  }
  return pointer;
}
