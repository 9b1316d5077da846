/**
 * @module
 * The capture sink of a replay: what the replayed pipeline records is compared, in order, with the
 * recorded events. An input given back as recorded is compared member by member against the
 * entry (no hashing: a replay feeds a million of them). An output's content id is compared with
 * the recorded one: the entry's own, checked against the body its text holds, when the replayed
 * output equals that body member by member (the body, as the ledger writes it, is canonical, so
 * equal members make equal texts); the replayed body encoded and hashed otherwise. Pure: the
 * recorded events come from a ReplayLog.
 */
import {
  canonicalize,
  computeEventId,
  type EventBody,
  type EventTypeRegistry,
  type Source,
} from '../core/index.js';
import {
  type CaptureRecord,
  type CaptureSink,
  type EventRef,
  INPUT_EVENT_TYPES,
  toEventBody,
} from '../pipeline/index.js';
import { IdTable } from './id-table.js';
import type { JsonDifference } from './json-diff.js';
import { diffJson } from './json-diff.js';
import type { RecordedEvent } from './recorded-event.js';
import type { ReplayLog } from './replay-log.js';
import { StoredEvent } from './stored-event.js';

/** Events the replay gives rather than regenerates: compared, but a difference is noted, not fatal. */
export const GIVEN: ReadonlySet<string> = new Set([
  ...INPUT_EVENT_TYPES,
  'run.start',
  'run.end',
  'governance.trigger',
]);

export interface ReplayedEvent {
  readonly seq?: number;
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
}

/** Where the replay first stopped agreeing, before its ancestry is read. */
export interface FoundDivergence {
  /** `mismatch`: the output differs; `missing`: the replay did not produce a recorded output;
   * `extra`: it produced one the recording does not have. */
  readonly kind: 'mismatch' | 'missing' | 'extra';
  /** The seq of the recorded event where the replay stopped agreeing. */
  readonly seq: number;
  readonly expected: ReplayedEvent | null;
  readonly actual: ReplayedEvent | null;
  readonly diff: readonly JsonDifference[];
}

/**
 * JSON values equal member for member, so their RFC 8785 texts are equal: `b` is parsed from a
 * recorded text, and `a`'s objects must be plain (as canonicalisation requires) to count as equal.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const proto: unknown = Object.getPrototypeOf(a);
  if (proto !== Object.prototype && proto !== null) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Counted rather than listed: no keys array per comparison.
  let members = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key)) continue;
    if (!Object.hasOwn(y, key) || !sameJson(x[key], y[key])) return false;
    members++;
  }
  for (const key in y) if (Object.hasOwn(y, key)) members--;
  return members === 0;
}

/** Whether a replayed body is, member for member, the recorded event's. */
function sameGivenBody(body: EventBody, event: RecordedEvent): boolean {
  return (
    body.type === event.type &&
    (event.typeV === undefined || body.type_v === event.typeV) &&
    body.ts.wall_ns === event.wallNs &&
    body.ts.mono_ns === event.monoNs &&
    body.ts.hlc === event.hlc &&
    sameJson(body.source, event.source) &&
    sameJson(body.causes, event.causes) &&
    sameJson(body.payload, event.payload)
  );
}

export class ComparingCapture implements CaptureSink {
  readonly #log: ReplayLog;
  readonly #run: string;
  /** The run as the entries' `run` member reads. */
  readonly #runText: string;
  readonly #registry: EventTypeRegistry;
  readonly #versions = new Map<string, number>();
  #lastType: string | undefined;
  #lastVersion = 0;
  /** Content ids by ref: the recorded id for given events, the replayed one for outputs. */
  readonly #ids: IdTable;
  readonly #idOf = (ref: EventRef): string | undefined => this.#ids.at(ref);
  readonly changed: { seq: number; type: string; id: string }[] = [];
  /**
   * Sources known equal, recorded and replayed in turn, both frozen: a run has a handful, shared by
   * every event from the same place on both sides, so each pair is compared once. Found by
   * identity in a short list, which costs less than a map's lookup.
   */
  readonly #sameSources: Source[] = [];
  /**
   * The outputs the replay made in the current cycle, with their causes: the ancestry of an output
   * the recording lacks. A few a cycle at most, so a list; an output found equal to its entry is
   * the entry itself, whose id and causes are cut from its text only if they are asked for.
   */
  readonly #cycleOutputs: { readonly id: string; readonly causes: readonly string[] }[] = [];
  outputs = 0;
  consumed = 0;
  divergence: FoundDivergence | undefined;

  /** Whether inputs must be hashed to be compared (what-if: an input may have been changed). */
  readonly #hashInputs: boolean;

  /** `ids`: the run's ids so far, by ref, when the replay goes on from a state snapshot. */
  constructor(
    log: ReplayLog,
    run: string,
    registry: EventTypeRegistry,
    hashInputs: boolean,
    ids: IdTable = new IdTable(),
  ) {
    this.#ids = ids;
    this.#log = log;
    this.#run = run;
    this.#runText = canonicalize(run);
    this.#registry = registry;
    this.#hashInputs = hashInputs;
  }

  /** Outputs of the replay in the current cycle, by id: the ancestry of an output too many. */
  newCycle(): void {
    if (this.#cycleOutputs.length > 0) this.#cycleOutputs.length = 0;
  }

  /** The causes of an output the replay made in the current cycle, by its id. */
  replayedCausesOf(id: string): readonly string[] | undefined {
    return this.#cycleOutputs.find((output) => output.id === id)?.causes;
  }

  #versionOf(type: string): number {
    // Runs of one type (ticks) are the rule: the last answer first.
    if (type === this.#lastType) return this.#lastVersion;
    let version = this.#versions.get(type);
    if (version === undefined) {
      version = this.#registry.latestVersion(type);
      this.#versions.set(type, version);
    }
    this.#lastType = type;
    this.#lastVersion = version;
    return version;
  }

  #bodyOf(record: CaptureRecord): EventBody {
    return toEventBody(record, this.#run, this.#versionOf(record.type), this.#idOf);
  }

  /** {@link sameGivenBody} against the entry text, without building the replayed body. */
  #sameStored(record: CaptureRecord, event: StoredEvent): boolean {
    return (
      record.type === event.type &&
      this.#versionOf(record.type) === event.typeV &&
      record.wallNs === event.wallNs &&
      record.monoNs === event.monoNs &&
      event.hasHlc(record.hlcCounter, record.source.node) &&
      this.#sameCauses(record.causes, event) &&
      this.#sameSource(record.source, event.source) &&
      this.#samePayload(record, event)
    );
  }

  #samePayload(record: CaptureRecord, event: StoredEvent): boolean {
    return event.isTickPayload(record.payload) ?? sameJson(record.payload, event.payload);
  }

  #sameSource(replayed: Source, recorded: Source): boolean {
    const known = this.#sameSources;
    for (let i = 0; i < known.length; i += 2) {
      if (known[i] === recorded && known[i + 1] === replayed) return true;
    }
    if (!sameJson(replayed, recorded)) return false;
    if (Object.isFrozen(replayed) && Object.isFrozen(recorded) && known.length < 2 * 32) {
      known.push(recorded, replayed);
    }
    return true;
  }

  #sameCauses(refs: readonly EventRef[], event: StoredEvent): boolean {
    if (refs.length === 0) return event.uncaused;
    const causes = event.causes;
    if (causes.length !== refs.length) return false;
    for (let i = 0; i < refs.length; i++) if (this.#ids.at(refs[i]!) !== causes[i]) return false;
    return true;
  }

  record(record: CaptureRecord): EventRef {
    const ref = this.#ids.size;
    const next = this.#log.peek();
    let body: EventBody | undefined;
    if (
      !this.#hashInputs &&
      this.divergence === undefined &&
      next !== undefined &&
      INPUT_EVENT_TYPES.has(next.type)
    ) {
      const stored = next instanceof StoredEvent && next.idAt >= 0 ? next : undefined;
      if (stored === undefined) body = this.#bodyOf(record);
      if (stored === undefined ? sameGivenBody(body!, next) : this.#sameStored(record, stored)) {
        this.#log.take();
        this.consumed++;
        if (stored === undefined) this.#ids.push(next.id);
        else stored.pushIdTo(this.#ids);
        return ref;
      }
    } else if (
      this.divergence === undefined &&
      next instanceof StoredEvent &&
      next.idAt >= 0 &&
      next.type === record.type &&
      !GIVEN.has(record.type) &&
      this.#sameStored(record, next) &&
      next.hasOwnBodyId(this.#runText)
    ) {
      // Every member equal to the entry's, whose id is that of the body its text holds: the same
      // canonical body, so the same content id, found without encoding the replayed body.
      this.#log.take();
      this.consumed++;
      this.outputs++;
      next.pushIdTo(this.#ids);
      this.#cycleOutputs.push(next);
      return ref;
    }
    body ??= this.#bodyOf(record);
    const id = computeEventId(body);
    if (!GIVEN.has(record.type)) this.#cycleOutputs.push({ id, causes: body.causes });
    const expected = this.divergence === undefined ? this.#log.take() : undefined;
    if (expected === undefined) {
      this.divergence ??= {
        kind: 'extra',
        seq: this.#log.last?.seq ?? -1,
        expected: null,
        actual: { id, type: record.type, payload: body.payload },
        diff: [],
      };
      this.#ids.pushComputed(id);
      return ref;
    }
    this.consumed++;
    const same = expected instanceof StoredEvent ? expected.hasId(id) : expected.id === id;
    if (GIVEN.has(expected.type) && expected.type === record.type) {
      if (!same) this.changed.push({ seq: expected.seq, type: expected.type, id: expected.id });
      if (same) this.#ids.pushComputed(id);
      else this.#ids.push(expected.id);
      return ref;
    }
    this.outputs++;
    if (!same) {
      this.divergence = {
        // An output where the recording has an input: the replay decided more; an input where it
        // has an output: the replay decided less.
        kind: GIVEN.has(expected.type) ? 'extra' : GIVEN.has(record.type) ? 'missing' : 'mismatch',
        seq: expected.seq,
        expected: {
          seq: expected.seq,
          id: expected.id,
          type: expected.type,
          payload: expected.payload,
        },
        actual: { id, type: record.type, payload: body.payload },
        diff: diffJson(
          { type: expected.type, causes: expected.causes, payload: expected.payload },
          { type: record.type, causes: body.causes, payload: body.payload },
        ),
      };
    }
    this.#ids.pushComputed(id);
    return ref;
  }
}
