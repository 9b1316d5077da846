/**
 * @module
 * Shapes of the generated FIX 4.4 tables (fix44-tables.ts). Kept apart so the generated file holds
 * data only.
 */

/** [tag, name, FIX data type, enumerated values when the dictionary restricts them]. */
export type FixFieldEntry = readonly [
  tag: number,
  name: string,
  type: string,
  enums?: readonly string[],
];

/** A repeating group: its NoXxx count tag and member tags in order; the first is the delimiter. */
export interface FixGroupDef {
  readonly countTag: number;
  /** Direct members, including the count tags of nested groups. */
  readonly memberTags: readonly number[];
  readonly groups?: readonly FixGroupDef[];
}

export interface FixMessageDef {
  /** MsgType (35). */
  readonly msgType: string;
  readonly name: string;
  readonly category: 'admin' | 'app';
  /** Body tags that must be present (required components expanded); header and trailer excluded. */
  readonly required: readonly number[];
  /** Every tag the body may hold outside its repeating groups, count tags included, in order. */
  readonly tags: readonly number[];
  readonly groups?: readonly FixGroupDef[];
}
