/**
 * A session captured live — real TCP sockets, the SystemScheduler, real timer jitter — replays
 * from its log file with the recorded instants and reproduces every outbound byte, in both roles.
 * A changed inbound byte is located at the first outbound message it changes; a damaged file is a
 * typed error, a torn one replays up to the tear.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  encodeSessionLog,
  readSessionLogFile,
  replaySessionLog,
  type SessionLog,
} from '../../../src/adapters/fix/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { type LiveRun, runLiveSession } from './session-log-live.js';
import {
  editMessage,
  garble,
  outboundOf,
  receiveStep,
  withReceived,
} from './session-log-scenario.js';

let work: string;
let live: LiveRun;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-fix-replay-tcp-'));
  live = await runLiveSession(path.join(work, 'fix'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** How many bytes of recorded input differ between two logs of the same shape. */
function changedBytes(a: SessionLog, b: SessionLog): number {
  let count = 0;
  a.steps.forEach((step, i) => {
    const x = step.entries[0];
    const y = b.steps[i]?.entries[0];
    if (x?.type !== 'receive' || y?.type !== 'receive') return;
    for (let k = 0; k < Math.max(x.bytes.length, y.bytes.length); k++) {
      if (x.bytes[k] !== y.bytes[k]) count++;
    }
  });
  return count;
}

function logOf(role: 'acceptor' | 'initiator'): SessionLog {
  return readSessionLogFile(role === 'acceptor' ? live.acceptorLog : live.initiatorLog);
}

describe('a session captured live over TCP', () => {
  it('went through logon, resend, gap fill, reject, heartbeats and logout', () => {
    const venue = live.acceptorOut.join('\n');
    const firm = live.initiatorOut.join('\n');
    expect(firm).toMatch(/\|35=A\|.*\|141=Y\|/);
    expect(venue).toMatch(/\|35=2\|34=\d+\|.*\|7=3\|16=0\|/);
    expect(firm).toMatch(/\|35=D\|34=3\|43=Y\|.*\|11=c2\|/);
    expect(firm).toMatch(/\|35=4\|34=4\|43=Y\|.*\|36=5\|123=Y\|/);
    expect(venue).toMatch(/\|35=3\|.*\|371=44\|/);
    expect(live.acceptorOut.filter((text) => text.includes('|35=0|')).length).toBeGreaterThan(1);
    expect(live.initiatorOut.filter((text) => text.includes('|35=0|')).length).toBeGreaterThan(1);
    expect(venue).toMatch(/\|35=5\|/);
    expect(live.events).toContain('acceptor resend-complete');
    expect(live.events).toContain('initiator resend-served');
  });

  it.each(['acceptor', 'initiator'] as const)(
    'logged every outbound message the %s wrote',
    (role) => {
      expect(outboundOf(logOf(role))).toEqual(
        role === 'acceptor' ? live.acceptorOut : live.initiatorOut,
      );
    },
  );

  it.each(['acceptor', 'initiator'] as const)('replays to the same outbound bytes (%s)', (role) => {
    const log = logOf(role);
    const report = replaySessionLog(log);
    expect(report).toMatchObject({
      identical: true,
      role,
      torn_tail_bytes: 0,
      first_divergence: null,
      unmatched: { callbacks: 0, timers: 0, entries: 0 },
    });
    expect(report.replayed_outbound).toBe(report.recorded_outbound);
    expect(report.inputs.timer).toBeGreaterThan(1);
    expect(report.inputs.connect).toBe(1);
  });

  it('replays the acceptor log to the first divergent message when one inbound byte changes', () => {
    const log = logOf('acceptor');
    // bad4 is sent once and never resent: without it, its Reject never goes out.
    const step = receiveStep(log, '|11=bad4|');
    const tamperedFile = path.join(work, 'tampered.log');
    writeFileSync(
      tamperedFile,
      encodeSessionLog(withReceived(log, step, (bytes) => garble(bytes, '|11=bad4|'))),
    );
    const tampered = readSessionLogFile(tamperedFile);
    expect(changedBytes(log, tampered)).toBe(1);
    const report = replaySessionLog(tampered);
    expect(report.identical).toBe(false);
    const divergence = report.first_divergence!;
    const reject = live.acceptorOut.findIndex((text) => text.includes('|35=3|'));
    expect(divergence.index).toBe(reject);
    expect(divergence.recorded).toBe(live.acceptorOut[reject]);
    expect(divergence.recorded).toMatch(/\|35=3\|.*\|45=\d+\|.*\|371=44\|372=D\|373=5\|/);
    expect(divergence.recorded_step).toMatchObject({ step, input: 'receive' });
    expect(divergence.replayed).not.toBe(divergence.recorded);
    expect(divergence.fields).toContainEqual(
      expect.objectContaining({ tag: 35, recorded: '3' }) as unknown,
    );
    expect(divergence.fields).toContainEqual({ tag: 371, recorded: '44', replayed: null });
  });

  it('replays the initiator log to the first divergent message when the ResendRequest changes', () => {
    const log = logOf('initiator');
    const step = receiveStep(log, '|35=2|');
    // BeginSeqNo 3 → 4, BodyLength and CheckSum put right: a valid request for less.
    const tampered = withReceived(log, step, (bytes) =>
      editMessage(bytes, '|35=2|', (text) => text.replace('|7=3|', '|7=4|'), { reframe: true }),
    );
    const divergence = replaySessionLog(tampered).first_divergence!;
    const resent = live.initiatorOut.findIndex((t) => t.includes('|35=D|34=3|43=Y|'));
    expect(resent).toBeGreaterThan(0);
    expect(divergence.index).toBe(resent);
    // Where the PossDup c2 went out, the gap fill from 4 goes out.
    expect(divergence.recorded).toBe(live.initiatorOut[resent]);
    expect(divergence.replayed).toMatch(/\|35=4\|34=4\|43=Y\|/);
    expect(divergence.fields).toContainEqual({ tag: 35, recorded: 'D', replayed: '4' });
    expect(divergence.fields).toContainEqual({ tag: 34, recorded: '3', replayed: '4' });
  });

  it('is FIX_SESSION_LOG_CORRUPT when a byte of the file changes before its last record', () => {
    const file = path.join(work, 'corrupt.log');
    const bytes = readFileSync(live.acceptorLog);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x10;
    writeFileSync(file, bytes);
    expectErrorCode(() => readSessionLogFile(file), 'FIX_SESSION_LOG_CORRUPT');
  });

  it('replays a file cut short up to the tear, identically', () => {
    const file = path.join(work, 'torn.log');
    const bytes = readFileSync(live.initiatorLog);
    writeFileSync(file, bytes);
    truncateSync(file, bytes.length - 3);
    const torn = readSessionLogFile(file);
    expect(torn.tornTailBytes).toBeGreaterThan(0);
    expect(torn.steps.length).toBe(logOf('initiator').steps.length - 1);
    expect(replaySessionLog(torn)).toMatchObject({ identical: true });
  });
});
