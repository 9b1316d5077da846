/**
 * @module
 * Recorded fixtures: data exactly as it crossed an adapter, one NDJSON line each, naming the
 * contract version it was recorded under and where it was captured. The conformance harness
 * decodes them with each adapter's own parser. Text in, records out: reading files is the
 * caller's business.
 */
import { z } from 'zod';

import { canonicalize, InputError, NameSchema } from '../core/index.js';
import { ContractNameSchema, ContractVersionSchema } from './contract.js';

export const CONTRACT_FIXTURE_FORMAT_VERSION = 1;

export const ContractFixtureSchema = z.strictObject({
  v: z.literal(CONTRACT_FIXTURE_FORMAT_VERSION),
  contract: ContractNameSchema,
  version: ContractVersionSchema,
  /** Where it was captured, e.g. `fix.gateway:in` (what the gateway received). */
  recorded_at: NameSchema,
  /** `fix`: FIX 4.4 tag=value text (SOH separators); `json`: a JSON text. */
  encoding: z.enum(['fix', 'json']),
  data: z.string().min(1).max(1_000_000),
  /** What decoding needs besides the bytes, e.g. a FIX instrument's price and quantity steps. */
  context: z.record(NameSchema, z.string().max(256)).optional(),
});
export type ContractFixture = z.infer<typeof ContractFixtureSchema>;

/** A fixture with the place it was read from, for reports. */
export interface LocatedFixture {
  readonly fixture: ContractFixture;
  /** `file:line`. */
  readonly location: string;
}

/**
 * Parses an NDJSON text of fixtures; blank lines are skipped.
 * @throws CONTRACT_FIXTURE_INVALID naming the line, for a line that is not JSON or not a fixture.
 */
export function parseFixtureLines(text: string, source: string): LocatedFixture[] {
  const fixtures: LocatedFixture[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const location = `${source}:${i + 1}`;
    let value: unknown;
    // JSON.parse throws a bare SyntaxError; a damaged fixture file must carry our code.
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError('CONTRACT_FIXTURE_INVALID', `${location} is not JSON`, {
        cause: error,
        details: { location },
      });
    }
    const result = ContractFixtureSchema.safeParse(value);
    if (!result.success) {
      throw new InputError('CONTRACT_FIXTURE_INVALID', `${location} is not a contract fixture`, {
        details: {
          location,
          issues: result.error.issues.slice(0, 8).map((issue) => ({
            path: issue.path.map(String).join('.'),
            message: issue.message,
          })),
        },
      });
    }
    fixtures.push({ fixture: result.data, location });
  }
  return fixtures;
}

/** A fixture as one canonical NDJSON line (RFC 8785), so that regenerated files diff cleanly. */
export function formatFixtureLine(fixture: ContractFixture): string {
  return canonicalize(ContractFixtureSchema.parse(fixture));
}
