import { expect } from 'vitest';

import { isDeltaTraceError } from '../../../src/core/index.js';

const encoder = new TextEncoder();

/** A wire message written with '|' for SOH, as FIX logs print it. */
export function wire(text: string): Uint8Array {
  return encoder.encode(text.replaceAll('|', '\x01'));
}

export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).replaceAll('\x01', '|');
}

/** Runs `fn`, expects a DeltaTraceError with `code`, and returns its details. */
export function expectCode(fn: () => unknown, code: string): unknown {
  try {
    fn();
  } catch (error) {
    expect(isDeltaTraceError(error)).toBe(true);
    if (isDeltaTraceError(error)) {
      expect(error.code).toBe(code);
      return error.details;
    }
  }
  throw new Error(`expected ${code} to be thrown`);
}
