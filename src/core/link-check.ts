/**
 * @module
 * The link check of a batch about to be sealed: every cause is known (in the log, in a batch being
 * written, or earlier in the batch) and no id is. One pass settles what the batch itself or the
 * batches in flight answer, and collects the rest for one store lookup.
 */
import type { EncodedBody } from './chain/entry-codec.js';
import { InputError } from './errors.js';
import type { EventBody } from './events/envelope.js';
import type { EventStore } from './ports.js';

const NOTHING_STORED: ReadonlySet<string> = new Set();

/**
 * Returns the batch's ids. `inFlight` are the id sets of the batches sealed but not yet
 * acknowledged, taken before the lookup: a write that completes during it drops its ids from the
 * ledger's sets, and the lookup may have missed them.
 * @throws INPUT_UNKNOWN_CAUSE, INPUT_DUPLICATE_EVENT for the first body in order at fault
 */
export async function checkLinks(
  bodies: readonly EventBody[],
  encoded: readonly EncodedBody[],
  inFlight: readonly ReadonlySet<string>[],
  store: Pick<EventStore, 'findIds'>,
): Promise<ReadonlySet<string>> {
  const isInFlight = (id: string): boolean => {
    for (const ids of inFlight) if (ids.has(id)) return true;
    return false;
  };
  const flying = new Set<string>();
  const seen = new Set<string>();
  const causes: string[] = [];
  const ids: string[] = [];
  let troubled = false;
  for (let index = 0; index < bodies.length; index++) {
    for (const cause of bodies[index]!.causes) {
      if (seen.has(cause)) continue;
      if (isInFlight(cause)) flying.add(cause);
      else causes.push(cause);
    }
    const id = encoded[index]!.id;
    if (seen.has(id)) troubled = true;
    else if (isInFlight(id)) {
      flying.add(id);
      troubled = true;
    } else ids.push(id);
    seen.add(id);
  }
  // Duplicates in the lookup are harmless; removing them would cost more than they do.
  const wanted = causes.length === 0 ? ids : causes.concat(ids);
  const stored = wanted.length === 0 ? NOTHING_STORED : await store.findIds(wanted);
  if (!troubled) {
    for (const cause of causes) if (!stored.has(cause)) troubled = true;
    for (const id of ids) if (stored.has(id)) troubled = true;
  }
  // Only a batch that fails goes through again, to report its first offence in batch order.
  if (troubled) reportFirstBadLink(bodies, encoded, stored, flying);
  return seen;
}

/** @throws INPUT_UNKNOWN_CAUSE or INPUT_DUPLICATE_EVENT for the first body in order at fault */
function reportFirstBadLink(
  bodies: readonly EventBody[],
  encoded: readonly EncodedBody[],
  stored: ReadonlySet<string>,
  flying: ReadonlySet<string>,
): void {
  const known = (name: string): boolean => stored.has(name) || flying.has(name);
  const seen = new Set<string>();
  for (const [index, body] of bodies.entries()) {
    const id = encoded[index]!.id;
    for (const cause of body.causes) {
      if (!seen.has(cause) && !known(cause)) {
        throw new InputError('INPUT_UNKNOWN_CAUSE', `cause ${cause} is not in the log`, {
          details: { index, cause },
        });
      }
    }
    if (seen.has(id) || known(id)) {
      throw new InputError('INPUT_DUPLICATE_EVENT', `event ${id} is already in the log`, {
        details: { index, id },
      });
    }
    seen.add(id);
  }
}
