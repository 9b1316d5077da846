/**
 * The session log format (deltatrace.fix-session-log.v1): what is encoded decodes to the same log;
 * a torn last record is cut off and what remains still replays; damage before the end is
 * FIX_SESSION_LOG_CORRUPT; bytes that are not a v1 log, or a record whose checksum holds but whose
 * content does not decode, are FIX_SESSION_LOG_MALFORMED. The file recorder writes the same format.
 */
import { Buffer } from 'node:buffer';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';

import { afterAll, describe, expect, it } from 'vitest';

import {
  decodeSessionLog,
  encodeSessionLog,
  encodeSessionLogHeader,
  FileSessionLog,
  FixSession,
  MemorySessionStore,
  readSessionLogFile,
  replaySessionLog,
  SESSION_LOG_FORMAT,
  type SessionLog,
  sessionLogFileName,
} from '../../../src/adapters/fix/index.js';
import type { DeltaTraceError } from '../../../src/core/index.js';
import { VirtualScheduler } from '../../../src/core/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { WALL_ORIGIN_NS } from './session-harness.js';
import { order, runScenario } from './session-log-scenario.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-fix-log-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = runScenario({ dropSeq: 3 });
const log = run.acceptor;
const bytes = encodeSessionLog(log);

/** Byte offsets of every record (the start record first) and the end of the file. */
function recordOffsets(data: Uint8Array): number[] {
  const buffer = Buffer.from(data);
  const offsets: number[] = [];
  let at = encodeSessionLogHeader().length;
  while (at < buffer.length) {
    offsets.push(at);
    at += 9 + buffer.readUInt32LE(at + 1);
  }
  offsets.push(at);
  return offsets;
}

/** A record with a valid checksum around `payload`. */
function sealedRecord(kind: number, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(9 + payload.length);
  out.writeUInt8(kind, 0);
  out.writeUInt32LE(payload.length, 1);
  out.set(payload, 9);
  out.writeUInt32LE(crc32(out.subarray(9), crc32(out.subarray(0, 5))), 5);
  return out;
}

describe('decodeSessionLog', () => {
  it('decodes what was encoded, byte for byte', () => {
    const decoded = decodeSessionLog(bytes);
    expect(decoded.tornTailBytes).toBe(0);
    expect(decoded.steps).toHaveLength(log.steps.length);
    expect(decoded.start).toEqual(log.start);
    expect(decoded.steps).toEqual(log.steps);
    expect(encodeSessionLog(decoded)).toEqual(bytes);
    expect(new TextDecoder().decode(bytes.subarray(0, SESSION_LOG_FORMAT.length))).toBe(
      SESSION_LOG_FORMAT,
    );
  });

  describe('when the file ends inside its last record', () => {
    const offsets = recordOffsets(bytes);
    const lastStart = offsets.at(-2)!;

    it.each([1, 5, 9, 12])(
      'cuts the torn record off (%i bytes of it kept) and replays the rest',
      (kept) => {
        const torn = bytes.subarray(0, lastStart + kept);
        const decoded = decodeSessionLog(torn);
        expect(decoded.tornTailBytes).toBe(kept);
        expect(decoded.steps).toHaveLength(log.steps.length - 1);
        expect(replaySessionLog(decoded)).toMatchObject({ identical: true, torn_tail_bytes: kept });
      },
    );

    it('cuts off a last record whose checksum fails', () => {
      const damaged = bytes.slice();
      damaged[damaged.length - 2] = damaged[damaged.length - 2]! ^ 0x20;
      const decoded = decodeSessionLog(damaged);
      expect(decoded.steps).toHaveLength(log.steps.length - 1);
      expect(decoded.tornTailBytes).toBe(bytes.length - lastStart);
    });

    it('is FIX_SESSION_LOG_MALFORMED when not even the start record is whole', () => {
      expectErrorCode(
        () => decodeSessionLog(bytes.subarray(0, offsets[1]! - 1)),
        'FIX_SESSION_LOG_MALFORMED',
      );
      expectErrorCode(
        () => decodeSessionLog(bytes.subarray(0, offsets[0])),
        'FIX_SESSION_LOG_MALFORMED',
      );
    });
  });

  describe('when a byte before the last record is changed', () => {
    it.each([
      ['in the start record', 1],
      ['in a step record', 5],
      ['in a record length', -1],
    ])('is FIX_SESSION_LOG_CORRUPT (%s), located', (_, record) => {
      const offsets = recordOffsets(bytes);
      const at = record === -1 ? offsets[3]! + 1 : offsets[record]! + 20;
      const damaged = bytes.slice();
      damaged[at] = damaged[at]! ^ 0x04;
      const error = expectErrorCode(() => decodeSessionLog(damaged), 'FIX_SESSION_LOG_CORRUPT');
      expect(error.details?.['offset']).toBe(offsets[record === -1 ? 3 : record]);
    });
  });

  describe('when the bytes are not a v1 session log', () => {
    it.each([
      ['empty', new Uint8Array(0)],
      ['another format', new TextEncoder().encode('deltatrace.fix-session-store.v1\n')],
      ['a later version', new TextEncoder().encode('deltatrace.fix-session-log.v2\n')],
    ])('is FIX_SESSION_LOG_MALFORMED (%s)', (_, data) => {
      expectErrorCode(() => decodeSessionLog(data), 'FIX_SESSION_LOG_MALFORMED');
    });

    it('is FIX_SESSION_LOG_MALFORMED for a sealed record that does not decode', () => {
      const header = encodeSessionLogHeader();
      const offsets = recordOffsets(bytes);
      const start = bytes.subarray(offsets[0], offsets[1]);
      const cases: Uint8Array[] = [
        // a step before any start record
        Buffer.concat([header, bytes.subarray(offsets[1], offsets[2])]),
        // start JSON that is not JSON, and JSON that is not a start
        Buffer.concat([header, sealedRecord(1, new TextEncoder().encode('{"v":1,'))]),
        Buffer.concat([header, sealedRecord(1, new TextEncoder().encode('{"v":2}'))]),
        // an unknown record kind, an unknown entry type, a step without an input
        Buffer.concat([header, start, sealedRecord(9, new Uint8Array(0))]),
        Buffer.concat([
          header,
          start,
          sealedRecord(2, Buffer.concat([Buffer.alloc(16), Buffer.from([77, 0, 0, 0, 0])])),
        ]),
        Buffer.concat([
          header,
          start,
          sealedRecord(2, Buffer.concat([Buffer.alloc(16), Buffer.from([10, 0, 0, 0, 0])])),
        ]),
      ];
      for (const data of cases)
        expectErrorCode(() => decodeSessionLog(data), 'FIX_SESSION_LOG_MALFORMED');
    });
  });
});

describe('FileSessionLog', () => {
  function recordToFile(file: string, onError?: (error: DeltaTraceError) => void) {
    const scheduler = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
    const recorder = new FileSessionLog(file, onError === undefined ? {} : { onError });
    const session = new FixSession({
      config: { role: 'initiator', senderCompId: 'FIRM', targetCompId: 'VENUE' },
      scheduler,
      store: new MemorySessionStore(),
      recorder,
    });
    return { scheduler, recorder, session };
  }

  it('writes the v1 format, one record per step, and reads back what the session did', () => {
    const file = path.join(work, 'one.log');
    const { scheduler, recorder, session } = recordToFile(file);
    const written: Uint8Array[] = [];
    session.addObserver({ onMessage: (direction, b) => direction === 'out' && written.push(b) });
    session.attach({ send: () => {}, close: () => {} });
    scheduler.advanceBy(20_000_000_000n);
    recorder.close();
    const read: SessionLog = readSessionLogFile(file);
    expect(read.start.config.senderCompId).toBe('FIRM');
    // Logon, then the logon timeout that drops the connection.
    expect(read.steps.map((step) => step.entries[0]?.type)).toEqual(['connect', 'timer']);
    expect(replaySessionLog(read)).toMatchObject({ identical: true, replayed_outbound: 1 });
    expect(recorder.failure).toBeUndefined();
    expect(written).toHaveLength(1);
  });

  it('refuses a file that exists (STORE_ALREADY_EXISTS): a log is one recording', () => {
    const file = path.join(work, 'exists.log');
    writeFileSync(file, 'something');
    expectErrorCode(() => new FileSessionLog(file), 'STORE_ALREADY_EXISTS');
    expect(readFileSync(file, 'utf8')).toBe('something');
  });

  it('reports a write after close as STORE_IO once, and the session goes on', () => {
    const file = path.join(work, 'closed.log');
    const errors: DeltaTraceError[] = [];
    const { recorder, session } = recordToFile(file, (error) => errors.push(error));
    recorder.close();
    session.attach({ send: () => {}, close: () => {} });
    expectErrorCode(() => session.send(order('c1')), 'FIX_SESSION_NOT_LOGGED_ON');
    expect(session.state).toBe('logon-sent');
    expect(errors.map((error) => error.code)).toEqual(['STORE_IO']);
    expect(recorder.failure?.code).toBe('STORE_IO');
    expect(readSessionLogFile(file).steps).toHaveLength(0);
  });

  it('reads a missing file as STORE_IO', () => {
    expect(existsSync(path.join(work, 'missing.log'))).toBe(false);
    expectErrorCode(() => readSessionLogFile(path.join(work, 'missing.log')), 'STORE_IO');
  });

  it('names files by CompIDs, with what a file name cannot hold replaced', () => {
    expect(sessionLogFileName('XSIM1', 'DTCLIENT')).toBe('XSIM1-DTCLIENT.log');
    expect(sessionLogFileName('A/B', 'C D')).toBe('A_B-C_D.log');
  });
});
