import { expect } from 'vitest';

import { DeltaTraceError, type ErrorCode } from '../../src/core/errors.js';

/** Runs fn and asserts it throws a DeltaTraceError carrying `code`. Returns the error. */
export function expectErrorCode(fn: () => unknown, code: ErrorCode): DeltaTraceError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaTraceError);
    expect((error as DeltaTraceError).code).toBe(code);
    return error as DeltaTraceError;
  }
  throw new Error(`expected an error with code ${code}, but nothing was thrown`);
}

/** Async variant of {@link expectErrorCode}. */
export async function expectErrorCodeAsync(
  fn: () => Promise<unknown>,
  code: ErrorCode,
): Promise<DeltaTraceError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeltaTraceError);
    expect((error as DeltaTraceError).code).toBe(code);
    return error as DeltaTraceError;
  }
  throw new Error(`expected an error with code ${code}, but nothing was thrown`);
}
