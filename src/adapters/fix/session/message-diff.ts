/**
 * @module
 * Two FIX messages side by side, as a session replay reports its first divergence: each rendered
 * as logs print it, and the fields that differ, by tag.
 */
/** One field that differs between two messages: the k-th occurrence of `tag` in each. */
export interface FieldDifference {
  readonly tag: number;
  readonly recorded: string | null;
  readonly replayed: string | null;
}

const decoder = new TextDecoder();

/** A FIX message as logs print it: SOH as `|`. */
export function renderFixMessage(bytes: Uint8Array): string {
  return decoder.decode(bytes).replaceAll('\x01', '|');
}

function splitFields(bytes: Uint8Array): [number, string][] {
  const out: [number, string][] = [];
  for (const part of decoder.decode(bytes).split('\x01')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const tag = eq > 0 ? Number(part.slice(0, eq)) : Number.NaN;
    out.push([Number.isSafeInteger(tag) ? tag : 0, eq > 0 ? part.slice(eq + 1) : part]);
  }
  return out;
}

/** The fields that differ, by tag; the k-th occurrence of a tag is compared with the k-th. */
export function diffFixFields(recorded: Uint8Array, replayed: Uint8Array): FieldDifference[] {
  const group = (fields: readonly [number, string][]): Map<number, string[]> => {
    const byTag = new Map<number, string[]>();
    for (const [tag, value] of fields) {
      const values = byTag.get(tag);
      if (values === undefined) byTag.set(tag, [value]);
      else values.push(value);
    }
    return byTag;
  };
  const a = group(splitFields(recorded));
  const b = group(splitFields(replayed));
  const tags = [...new Set([...a.keys(), ...b.keys()])];
  const out: FieldDifference[] = [];
  for (const tag of tags) {
    const left = a.get(tag) ?? [];
    const right = b.get(tag) ?? [];
    for (let k = 0; k < Math.max(left.length, right.length); k++) {
      if (left[k] === right[k]) continue;
      out.push({ tag, recorded: left[k] ?? null, replayed: right[k] ?? null });
    }
  }
  return out;
}
