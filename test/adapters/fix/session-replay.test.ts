/**
 * Replaying a session log reproduces what the recorded session wrote, byte for byte, in both
 * roles — logon, orders, a session Reject and a BusinessMessageReject from the application,
 * a lost message answered by ResendRequest, PossDup resends and SequenceReset-GapFill, a silence
 * answered by a TestRequest, heartbeats, logout — also when the clock moved on between readings
 * and timers fired late, as on a live scheduler. A changed input is located at the first outbound
 * message it changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  decodeSessionLog,
  encodeSessionLog,
  FixSession,
  MemorySessionRecorder,
  MemorySessionStore,
  replaySessionLog,
  type SessionLog,
} from '../../../src/adapters/fix/index.js';
import { VirtualScheduler } from '../../../src/core/index.js';
import { expectErrorCode } from '../../helpers/errors.js';
import { MS, reframe, SECOND, WALL_ORIGIN_NS } from './session-harness.js';
import {
  outboundBefore,
  outboundOf,
  receiveStep,
  runScenario,
  withReceived,
} from './session-log-scenario.js';

/** Through the file format and back, as a replay from disk sees it. */
function viaBytes(log: SessionLog): SessionLog {
  return decodeSessionLog(encodeSessionLog(log));
}

function flipByteOf(bytes: Uint8Array, marker: string): Uint8Array {
  const at = new TextDecoder().decode(bytes).indexOf(marker.replaceAll('|', '\x01'));
  if (at < 0) throw new Error(`no ${marker} in the chunk`);
  const copy = bytes.slice();
  copy[at + marker.length - 1] = copy[at + marker.length - 1]! ^ 0x01;
  return copy;
}

describe('replaySessionLog', () => {
  describe('when the log is what the session did', () => {
    const run = runScenario({ dropSeq: 4, silence: [2500n * MS, 3500n * MS] });

    it('covers the session features the replay must reproduce', () => {
      const acceptorOut = outboundOf(run.acceptor).join('\n');
      const initiatorOut = outboundOf(run.initiator).join('\n');
      expect(acceptorOut).toMatch(/\|35=2\|/); // ResendRequest after the lost message
      expect(acceptorOut).toMatch(/\|35=1\|.*\|112=TEST\|/); // TestRequest after the silence
      expect(acceptorOut).toMatch(/\|35=3\|.*\|371=44\|/); // session Reject from the application
      expect(acceptorOut).toMatch(/\|35=j\|.*\|58=Application error\|/);
      expect(acceptorOut).toMatch(/\|35=0\|/);
      expect(initiatorOut).toMatch(/\|35=4\|.*\|123=Y\|/); // SequenceReset-GapFill
      expect(initiatorOut).toMatch(/\|43=Y\|.*\|35=D\||\|35=D\|.*\|43=Y\|/); // PossDup resend
      expect(initiatorOut).toMatch(/\|35=0\|.*\|112=TEST\|/); // the answer to the TestRequest
      expect(initiatorOut).toMatch(/\|35=5\|/);
    });

    it.each(['acceptor', 'initiator'] as const)('reproduces every outbound byte (%s)', (role) => {
      const report = replaySessionLog(viaBytes(run[role]));
      expect(report).toMatchObject({
        identical: true,
        role,
        first_divergence: null,
        unmatched: { callbacks: 0, timers: 0, entries: 0 },
      });
      expect(report.replayed_outbound).toBe(outboundOf(run[role]).length);
      expect(report.inputs.timer).toBeGreaterThan(3);
    });
  });

  describe('when the clock moves on between readings and timers fire late', () => {
    it('reproduces every outbound byte, for any seed, loss and order timing', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 2 ** 31 }),
          fc.integer({ min: 2, max: 9 }),
          fc.array(fc.integer({ min: 50, max: 3500 }), { minLength: 1, maxLength: 6 }),
          (seed, dropSeq, orderMs) => {
            const run = runScenario({
              jitter: seed,
              dropSeq,
              orders: orderMs.map((ms, i) => ({
                atNs: BigInt(ms) * MS,
                clOrdId: i % 3 === 2 ? `bad${i}` : `c${i}`,
              })),
              runNs: 4000n * MS,
            });
            for (const log of [run.acceptor, run.initiator]) {
              const report = replaySessionLog(viaBytes(log));
              expect(report.first_divergence).toBeNull();
              expect(report.identical).toBe(true);
            }
          },
        ),
        { numRuns: 25 },
      );
    });

    it('needs the recorded instants: a shifted wall clock changes SendingTime', () => {
      const run = runScenario({ jitter: 99 });
      const shifted: SessionLog = {
        ...run.acceptor,
        steps: run.acceptor.steps.map((step) => ({
          ...step,
          at: { ...step.at, wallNs: step.at.wallNs + 5n * MS },
        })),
      };
      const report = replaySessionLog(shifted);
      expect(report.identical).toBe(false);
      expect(report.first_divergence?.index).toBe(0);
      expect(report.first_divergence?.fields.map((f) => f.tag)).toContain(52);
    });
  });

  describe('when a recorded inbound byte is changed', () => {
    const run = runScenario();
    const step = receiveStep(run.acceptor, '|11=c2|');
    const expectedIndex = outboundBefore(run.acceptor, step);

    it('reports the first outbound message that differs (a garbled order is not acked)', () => {
      const report = replaySessionLog(
        withReceived(run.acceptor, step, (bytes) => flipByteOf(bytes, '|11=c2')),
      );
      expect(report.identical).toBe(false);
      const divergence = report.first_divergence!;
      expect(divergence.index).toBe(expectedIndex);
      expect(divergence.recorded).toMatch(/^8=FIX\.4\.4\|.*\|35=8\|.*\|11=c2\|/);
      expect(divergence.recorded_step?.step).toBe(step);
      expect(divergence.recorded_step?.input).toBe('receive');
      expect(divergence.fields.find((f) => f.tag === 35)).toEqual({
        tag: 35,
        recorded: '8',
        replayed: expect.not.stringMatching(/^8$/) as unknown,
      });
      // The garbled order and those queued behind its gap reach no application in the replay.
      expect(report.unmatched.callbacks).toBeGreaterThanOrEqual(1);
    });

    it('reports the first outbound message that differs (a valid order with a higher MsgSeqNum)', () => {
      const tampered = withReceived(run.acceptor, step, (bytes) => {
        const text = new TextDecoder().decode(bytes).replaceAll('\x01', '|');
        const seq = /\|34=(\d+)\|/.exec(text)![1]!;
        return reframe(text.replace(`|34=${seq}|`, `|34=${Number(seq) + 1}|`));
      });
      const divergence = replaySessionLog(tampered).first_divergence!;
      expect(divergence.index).toBe(expectedIndex);
      // Where the ack went out, a ResendRequest for the number that now seems missing goes out.
      expect(divergence.replayed).toMatch(/\|35=2\|/);
      expect(divergence.fields).toContainEqual({ tag: 35, recorded: '8', replayed: '2' });
      expect(divergence.fields).toContainEqual({ tag: 11, recorded: 'c2', replayed: null });
    });

    it('stays identical when nothing was changed', () => {
      const report = replaySessionLog(withReceived(run.acceptor, step, (bytes) => bytes));
      expect(report.identical).toBe(true);
    });
  });

  describe('when the session had sent messages before the recording began', () => {
    it('resends them from the store state the log starts with', () => {
      const scheduler = new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS });
      const store = new MemorySessionStore();
      // An earlier, unrecorded connection left sent messages 1-3 (2 and 3 application ones).
      const earlier = new FixSession({
        config: { role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'FIRM' },
        scheduler,
        store,
      });
      expect(earlier.isRecording).toBe(false);
      store.recordSent(1, undefined);
      store.recordSent(2, new TextEncoder().encode('8=FIX.4.4\x019=5\x0135=8\x0110=000\x01'));
      const recorder = new MemorySessionRecorder();
      const run = runScenario({
        acceptorStore: store,
        acceptorRecorder: recorder,
        // The firm asks for everything again on its Logon by not resetting and starting at 1.
        initiatorConfig: { resetOnLogon: false },
        orders: [{ atNs: 100n * MS, clOrdId: 'c1' }],
        runNs: 2n * SECOND,
      });
      expect(run.acceptor.start.nextSenderSeq).toBe(3);
      expect(run.acceptor.start.sent).toHaveLength(1);
      expect(replaySessionLog(viaBytes(run.acceptor)).identical).toBe(true);
      // Without that state the replay numbers its messages from 1 and differs at once.
      const fresh = replaySessionLog({
        ...run.acceptor,
        start: { ...run.acceptor.start, nextSenderSeq: 1, sent: [] },
      });
      expect(fresh.first_divergence?.index).toBe(0);
      expect(fresh.first_divergence?.fields).toContainEqual({
        tag: 34,
        recorded: '3',
        replayed: '1',
      });
    });
  });
});

describe('FixSession recording', () => {
  it('refuses to start a recording while a connection is attached', () => {
    const session = new FixSession({
      config: { role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'FIRM' },
      scheduler: new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS }),
      store: new MemorySessionStore(),
    });
    session.attach({ send: () => {}, close: () => {} });
    expectErrorCode(
      () => session.startRecording(new MemorySessionRecorder()),
      'INPUT_INVALID_ARGUMENT',
    );
  });

  it('refuses a second recording, and stopping one inside a step', () => {
    const holder: { session?: FixSession; refused?: boolean } = {};
    const recorder = new MemorySessionRecorder();
    const session = new FixSession({
      config: { role: 'acceptor', senderCompId: 'VENUE', targetCompId: 'FIRM' },
      scheduler: new VirtualScheduler({ wallOriginNs: WALL_ORIGIN_NS }),
      store: new MemorySessionStore(),
      recorder,
      observer: {
        onEvent: (event) => {
          if (event.type !== 'connected') return;
          expectErrorCode(() => holder.session?.stopRecording(), 'INPUT_INVALID_ARGUMENT');
          holder.refused = true;
        },
      },
    });
    holder.session = session;
    expectErrorCode(
      () => session.startRecording(new MemorySessionRecorder()),
      'INPUT_INVALID_ARGUMENT',
    );
    session.attach({ send: () => {}, close: () => {} });
    session.close();
    session.stopRecording();
    session.receive(new Uint8Array(1));
    expect(holder.refused).toBe(true);
    expect(recorder.log()?.steps.map((step) => step.entries[0]?.type)).toEqual([
      'connect',
      'close',
    ]);
  });
});
