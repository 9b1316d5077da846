/**
 * fast-check arbitraries shared by property tests.
 */
import fc from 'fast-check';

import { canonicalize } from '../../src/core/index.js';

/** JSON values our canonical form accepts (no unsafe integers, no lone surrogates). */
export const canonicalJsonValue = fc.jsonValue({ maxDepth: 3 }).filter((value) => {
  try {
    canonicalize(value);
    return true;
  } catch {
    return false;
  }
});
