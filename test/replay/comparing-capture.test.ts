/**
 * The replay's capture sink on one recorded output: an output equal to its entry member by member
 * is taken as the recorded one only when the entry's id is its own text's and the replayed objects
 * are plain; otherwise the replayed body is encoded and hashed, and what differs is reported.
 */
import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createCoreRegistry, GENESIS_PREV, sealEntry } from '../../src/core/index.js';
import {
  type CaptureRecord,
  registerPipelineEventTypes,
  toEventBody,
} from '../../src/pipeline/index.js';
import { ComparingCapture } from '../../src/replay/comparing-capture.js';
import { createRecordedEventParser, type RecordedEvent } from '../../src/replay/index.js';
import { ReplayLog } from '../../src/replay/replay-log.js';
import { expectErrorCode } from '../helpers/errors.js';

const RUN = 'run-1';
const registry = registerPipelineEventTypes(createCoreRegistry());
const output: CaptureRecord = {
  type: 'signal',
  wallNs: 1_700_000_000_000_000_000n,
  monoNs: 42n,
  hlcCounter: 3,
  source: { node: 'n1', adapter: 'strategy' },
  causes: [],
  payload: { instrument: 'XSIM', side: 'buy', strength: '0.5', basis: { window: 20 } },
};

/** A capture comparing against `output` as the ledger stored it, its text changed by `alter`. */
async function captureOf(
  alter: (line: string) => string = (line) => line,
  recordedRun = RUN,
): Promise<{
  capture: ComparingCapture;
  id: string;
}> {
  const version = registry.latestVersion(output.type);
  const body = toEventBody(output, recordedRun, version, () => undefined);
  const sealed = sealEntry(body, 0, GENESIS_PREV);
  const event = createRecordedEventParser({ scanner: 'text' })(alter(sealed.line));
  const log = new ReplayLog(Readable.from([[event]]) as AsyncIterable<readonly RecordedEvent[]>);
  await log.readMore();
  return { capture: new ComparingCapture(log, RUN, registry, false), id: sealed.id };
}

class Basis {
  readonly window: number;
  constructor(window: number) {
    this.window = window;
  }
}

describe('ComparingCapture on a recorded output', () => {
  it('takes an output equal to its entry as the recorded one', async () => {
    const { capture } = await captureOf();
    capture.record({ ...output, payload: { ...output.payload, basis: { window: 20 } } });
    expect(capture.divergence).toBeUndefined();
    expect(capture.outputs).toBe(1);
  });

  it('reports an output whose payload differs, with the member that does', async () => {
    const { capture, id } = await captureOf();
    capture.record({ ...output, payload: { ...output.payload, basis: { window: 21 } } });
    expect(capture.divergence).toMatchObject({ kind: 'mismatch', expected: { id } });
    expect(capture.divergence!.diff.map((d) => d.path)).toEqual(['/payload/basis/window']);
  });

  it('reports the output whose recorded id is not its own text’s, not a later one', async () => {
    const forged = `sha256:${'0'.repeat(64)}`;
    const { capture, id } = await captureOf((line) => line.replace(/sha256:[0-9a-f]{64}/, forged));
    capture.record(output);
    expect(capture.divergence).toMatchObject({
      kind: 'mismatch',
      expected: { id: forged },
      actual: { id },
    });
  });

  it('reports an output the recording holds under another run', async () => {
    const { capture, id } = await captureOf(undefined, 'run-2');
    capture.record(output);
    expect(capture.divergence).toMatchObject({ kind: 'mismatch', expected: { id } });
  });

  it('does not take an object that is not plain for its recorded members', async () => {
    const { capture } = await captureOf();
    expectErrorCode(
      () => capture.record({ ...output, payload: { ...output.payload, basis: new Basis(20) } }),
      'CANONICAL_UNSUPPORTED_VALUE',
    );
  });
});
