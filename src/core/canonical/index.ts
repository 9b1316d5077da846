/**
 * @module
 * Canonical JSON (RFC 8785, JCS): the one byte form of a value that gets hashed, chained and
 * signed. Pure and synchronous: no I/O, no clocks, no locale. Anything JSON cannot carry exactly
 * (non-finite or unsafe numbers, lone surrogates, undefined, bigint, non-plain objects, cycles) is
 * rejected with a CANONICAL_* code rather than coerced, because a silent coercion would let two
 * different values hash alike.
 */
export { canonicalBytes, canonicalize, type CanonicalizeOptions } from './canonicalize.js';
export { serializeNumber } from './number.js';
