/**
 * `deltatrace replay-fix --log FILE` on logs a live TCP session wrote: exit 0 with the report when
 * the replay is identical; exit 3 with FIX_SESSION_REPLAY_DIVERGED and the first divergent
 * message (rendered with `|`, field by field) when an inbound byte was changed, or with
 * FIX_SESSION_LOG_CORRUPT for a damaged file; exit 2 for a file that is not a session log or
 * cannot be read, and for a missing flag. Never a stack trace without --debug. The command runs
 * in-process on a program of its own and, for exit statuses and stderr, as a real child process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  encodeSessionLog,
  readSessionLogFile,
  type SessionReplayReport,
} from '../../src/adapters/fix/index.js';
import { registerFixReplayCommand } from '../../src/cli/fix-replay-command.js';
import { runReplayFixCli } from '../adapters/fix/replay-fix-cli.js';
import { type LiveRun, runLiveSession } from '../adapters/fix/session-log-live.js';
import { garble, receiveStep, withReceived } from '../adapters/fix/session-log-scenario.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = path.join(root, 'test', 'adapters', 'fix', 'replay-fix-cli-entry.ts');

interface Envelope {
  ok: boolean;
  data?: SessionReplayReport;
  error?: { code: string; message: string; details: { report?: SessionReplayReport } };
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  json: Envelope;
}

async function replayFix(args: readonly string[]): Promise<Result> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (chunk: Buffer) => (chunks.out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (chunks.err += chunk.toString('utf8')));
  const code = await runReplayFixCli(['node', 'deltatrace', ...args], stdout, stderr);
  return {
    code,
    stdout: chunks.out,
    stderr: chunks.err,
    json: JSON.parse(chunks.out) as Envelope,
  };
}

function replayFixProcess(args: readonly string[]): Result {
  const result = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    encoding: 'utf8',
    cwd: root,
  });
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    json: JSON.parse(result.stdout) as Envelope,
  };
}

const STACK = /\n\s+at .*:\d+:\d+/;

let work: string;
let live: LiveRun;
let tampered: string;
let divergentIndex: number;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-replay-fix-cli-'));
  live = await runLiveSession(path.join(work, 'fix'));
  const log = readSessionLogFile(live.acceptorLog);
  const step = receiveStep(log, '|11=c1|');
  divergentIndex = live.acceptorOut.findIndex((t) => t.includes('|35=8|') && t.includes('|11=c1|'));
  tampered = path.join(work, 'tampered.log');
  writeFileSync(
    tampered,
    encodeSessionLog(withReceived(log, step, (bytes) => garble(bytes, '|11=c1|'))),
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('deltatrace replay-fix', () => {
  it.each(['acceptor', 'initiator'] as const)(
    'exits 0 with the report when the %s log replays identically',
    async (role) => {
      const file = role === 'acceptor' ? live.acceptorLog : live.initiatorLog;
      const result = await replayFix(['replay-fix', '--log', file]);
      expect(result.code).toBe(0);
      expect(result.json.ok).toBe(true);
      expect(result.json.data).toMatchObject({ identical: true, role, first_divergence: null });
      expect(result.json.data?.recorded_outbound).toBe(
        (role === 'acceptor' ? live.acceptorOut : live.initiatorOut).length,
      );
      expect(result.stderr).toMatch(/identical: every outbound byte reproduced/);
    },
  );

  it('exits 3 with FIX_SESSION_REPLAY_DIVERGED at the first divergent message', async () => {
    const result = await replayFix(['replay-fix', '--log', tampered, '--pretty']);
    expect(result.code).toBe(3);
    expect(result.json.error?.code).toBe('FIX_SESSION_REPLAY_DIVERGED');
    const divergence = result.json.error?.details.report?.first_divergence;
    expect(divergence?.index).toBe(divergentIndex);
    expect(divergence?.recorded).toBe(live.acceptorOut[divergentIndex]);
    expect(divergence?.recorded).toMatch(/^8=FIX\.4\.4\|9=\d+\|35=8\|.*\|11=c1\|/);
    expect(divergence?.fields.some((field) => field.tag === 35)).toBe(true);
    // --pretty indents the envelope; people read the divergence on stderr.
    expect(result.stdout).toMatch(/^\{\n {2}"ok": false,/);
    expect(result.stderr).toContain(`first divergent outbound message #${divergentIndex}`);
    expect(result.stderr).toContain(`recorded: ${live.acceptorOut[divergentIndex]}`);
    expect(result.stderr).toMatch(/tag 35: 8 → /);
  });

  it('exits 3 with FIX_SESSION_LOG_CORRUPT for a damaged file, as a process, without a stack', () => {
    const corrupt = path.join(work, 'corrupt.log');
    const bytes = readFileSync(live.initiatorLog);
    const at = Math.floor(bytes.length / 3);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(corrupt, bytes);
    const result = replayFixProcess(['replay-fix', '--log', corrupt]);
    expect(result.code).toBe(3);
    expect(result.json.error?.code).toBe('FIX_SESSION_LOG_CORRUPT');
    expect(result.stderr).not.toMatch(STACK);
  });

  it('exits 2 with FIX_SESSION_LOG_MALFORMED for a file that is not a session log', () => {
    const other = path.join(work, 'not-a-log.txt');
    writeFileSync(other, '8=FIX.4.4\x019=5\x0135=0\x0110=000\x01');
    const result = replayFixProcess(['replay-fix', '--log', other]);
    expect(result.code).toBe(2);
    expect(result.json.error?.code).toBe('FIX_SESSION_LOG_MALFORMED');
    expect(result.stderr).not.toMatch(STACK);
  });

  it('exits 2 with INPUT_INVALID_ARGUMENT for a file that cannot be read, or no --log', async () => {
    const missing = await replayFix(['replay-fix', '--log', path.join(work, 'missing.log')]);
    expect(missing.code).toBe(2);
    expect(missing.json.error?.code).toBe('INPUT_INVALID_ARGUMENT');
    expect(missing.stderr).not.toMatch(STACK);
    const noFlag = await replayFix(['replay-fix']);
    expect(noFlag.code).toBe(2);
    expect(noFlag.json.error?.code).toBe('INPUT_INVALID_ARGUMENT');
  });

  it('prints a stack only with --debug', async () => {
    const result = await replayFix(['replay-fix', '--log', tampered, '--debug']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(STACK);
  });

  it('registers without a runner too: stdout by the root --pretty, errors to the caller', async () => {
    const program = new Command('deltatrace').option('--pretty').exitOverride();
    registerFixReplayCommand(program);
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync([
        'node',
        'deltatrace',
        '--pretty',
        'replay-fix',
        '--log',
        live.initiatorLog,
      ]);
      await expect(
        program.parseAsync(['node', 'deltatrace', 'replay-fix', '--log', tampered]),
      ).rejects.toMatchObject({ code: 'FIX_SESSION_REPLAY_DIVERGED' });
    } finally {
      spy.mockRestore();
      quiet.mockRestore();
    }
    expect(written.join('')).toMatch(/^\{\n {2}"ok": true,/);
  });
});
