import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../helpers/cli.js';

function tick(index: number): string {
  return JSON.stringify({
    type: 'md.tick',
    run: 'cli-run',
    ts: { wall_ns: String(1_767_225_600_000_000_000n + BigInt(index)), mono_ns: String(index) },
    source: { node: 'n1', venue: 'XNAS-SIM' },
    payload: { instrument: 'ACME', venue: 'XNAS-SIM', bid_px: 100 + index, ask_px: 102 + index },
  });
}

function ticks(from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => tick(from + i)).join('\n') + '\n';
}

interface Entry {
  seq: number;
  id: string;
  type: string;
}

describe('deltatrace CLI', () => {
  let work: string;
  let home: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'deltatrace-cli-'));
    home = path.join(work, 'home');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reports a missing store with STORE_NOT_FOUND and exit 2', () => {
    const result = runCli(['log'], { home: path.join(work, 'nowhere') });
    expect(result.code).toBe(2);
    expect(result.json.ok).toBe(false);
    expect(result.json.error?.code).toBe('STORE_NOT_FOUND');
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('initialises a store and a private key that is never printed', () => {
    const result = runCli(['init'], { home });
    expect(result.code).toBe(0);
    expect(result.json.ok).toBe(true);
    const keyDir = path.join(home, 'keys');
    expect(statSync(keyDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(keyDir, 'deltatrace.signer')).mode & 0o777).toBe(0o600);
    const list = runCli(['keys', 'list'], { home });
    expect(list.code).toBe(0);
    const keys = list.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { verifier_key: string });
    expect(keys).toHaveLength(1);
    expect(keys[0]!.verifier_key).toMatch(/^deltatrace\+[0-9a-f]{8}\+A[A-Za-z0-9+/]+=*$/);
    expect(list.stdout + result.stdout + result.stderr).not.toContain('PRIVATE');
  });

  it('appends NDJSON from stdin and lists it', () => {
    const result = runCli(['append', '-'], { home, input: ticks(0, 20) });
    expect(result.code).toBe(0);
    expect(result.json.data).toMatchObject({ appended: 20, first_seq: 0, size: 20 });
    const log = runCli(['log', '--type', 'md.tick', '--from', '5', '--limit', '3'], { home });
    const entries = log.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Entry);
    expect(entries.map((e) => e.seq)).toEqual([5, 6, 7]);
  });

  it('appends events whose causes are earlier events', () => {
    const log = runCli(['log', '--limit', '2'], { home });
    const [a, b] = log.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Entry);
    const signal = JSON.stringify({
      type: 'signal',
      run: 'cli-run',
      source: { node: 'n1' },
      causes: [a!.id, b!.id],
      payload: { name: 'imbalance', instrument: 'ACME', value: '0.25' },
    });
    const result = runCli(['append', '-'], { home, input: `${signal}\n` });
    expect(result.code).toBe(0);
    expect(result.json.data).toMatchObject({ appended: 1, size: 21 });
  });

  describe('when the input is bad', () => {
    const cases: [string, string, string, number][] = [
      ['malformed JSON', `${tick(100)}\n${tick(101)}\n{"type":\n`, 'INPUT_INVALID_JSON', 3],
      [
        'an unknown type',
        `${tick(100)}\n${tick(101).replace('md.tick', 'md.quote')}\n`,
        'INPUT_UNKNOWN_EVENT_TYPE',
        2,
      ],
      [
        'a schema violation',
        `${tick(100).replace('"bid_px":200', '"bid_px":200.5')}\n`,
        'INPUT_SCHEMA_VIOLATION',
        1,
      ],
      [
        'an unknown cause',
        `${tick(100)}\n${tick(101).replace('"payload"', `"causes":["sha256:${'ab'.repeat(32)}"],"payload"`)}\n`,
        'INPUT_UNKNOWN_CAUSE',
        2,
      ],
      [
        'an integer beyond 2^53 (never hashed: it would not read back alike in every language)',
        `${JSON.stringify({ type: 'signal', run: 'r', source: { node: 'n' }, payload: { name: 's', instrument: 'ACME', value: '1', params: { x: 1e300 } } })}\n`,
        'INPUT_SCHEMA_VIOLATION',
        1,
      ],
      ['a repeated event', `${tick(100)}\n${tick(100)}\n`, 'INPUT_DUPLICATE_EVENT', 2],
      ['an event already in the log', `${tick(3)}\n`, 'INPUT_DUPLICATE_EVENT', 1],
    ];
    for (const [what, input, code, line] of cases) {
      it(`reports ${what} as ${code} at line ${line} and appends nothing`, () => {
        const result = runCli(['append', '-'], { home, input });
        expect(result.code).toBe(2);
        expect(result.json.error?.code).toBe(code);
        expect(result.json.error?.details['line']).toBe(line);
        const log = runCli(['log', '--from', '21'], { home });
        expect(log.stdout).toBe('');
      });
    }

    it('rejects a bad option value or an unknown command with INPUT_INVALID_ARGUMENT', () => {
      for (const args of [['log', '--from', 'x'], ['frobnicate'], ['prove']]) {
        const result = runCli(args, { home });
        expect(result.code).toBe(2);
        expect(result.json.error?.code).toBe('INPUT_INVALID_ARGUMENT');
        expect(result.stderr).not.toContain('error:');
      }
    });
  });

  it('checkpoints, verifies, proves and checks the proof offline', () => {
    const checkpointFile = path.join(work, 'cp-1.txt');
    const checkpoint = runCli(['checkpoint', '--out', checkpointFile], { home });
    expect(checkpoint.code).toBe(0);
    const verifierKey = (checkpoint.json.data as { verifier_key: string }).verifier_key;
    expect(readFileSync(checkpointFile, 'utf8')).toMatch(/^deltatrace\/[0-9a-f]+\n21\n/);

    const verify = runCli(['verify', '--checkpoint', checkpointFile], { home });
    expect(verify.code).toBe(0);
    expect(verify.json.data).toMatchObject({ ok: true, entries_scanned: 21, findings: [] });

    const prove = runCli(['prove', '7'], { home });
    expect(prove.code).toBe(0);
    const proofFile = path.join(work, 'proof-7.json');
    const verifyProof = (text: string): ReturnType<typeof runCli> => {
      writeFileSync(proofFile, text);
      return runCli([
        'verify-proof',
        proofFile,
        '--checkpoint',
        checkpointFile,
        '--key',
        verifierKey,
      ]);
    };
    // As the README has it, `prove 7 > proof.json`: the result as printed, and the bare document.
    for (const text of [prove.stdout, JSON.stringify(prove.json.data)]) {
      const ok = verifyProof(text);
      expect(ok.code, ok.stdout).toBe(0);
      expect(ok.json.data).toMatchObject({ ok: true, seq: 7, type: 'md.tick', tree_size: 21 });
    }

    const forged = structuredClone(prove.json.data) as { entry: string };
    forged.entry = forged.entry.replace('"bid_px":107', '"bid_px":108');
    const bad = verifyProof(JSON.stringify(forged));
    expect(bad.code).toBe(3);
    expect(bad.json.error?.code).toBe('PROOF_INVALID');

    const outOfRange = runCli(['prove', '21'], { home });
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.json.error?.code).toBe('STORE_SEQ_OUT_OF_RANGE');
  });

  it('proves consistency with a kept checkpoint after the log grew', () => {
    expect(runCli(['append', '-'], { home, input: ticks(200, 15) }).code).toBe(0);
    expect(runCli(['checkpoint'], { home }).code).toBe(0);
    const result = runCli(['consistency', path.join(work, 'cp-1.txt')], { home });
    expect(result.code).toBe(0);
    expect(result.json.data).toMatchObject({ ok: true, old_size: 21, new_size: 36 });
  });

  it('exports JSONL and imports it into a fresh store with the same root, on both backends', () => {
    const exported = path.join(work, 'log.jsonl');
    const exportResult = runCli(['export', '--format', 'jsonl', '--output', exported], { home });
    expect(exportResult.code).toBe(0);
    const verify = runCli(['verify'], { home });
    const root = (verify.json.data as { root: string }).root;
    for (const backend of ['sqlite', 'jsonl']) {
      const other = path.join(work, `import-${backend}`);
      expect(runCli(['init', '--backend', backend, '--no-key'], { home: other }).code).toBe(0);
      const imported = runCli(['import', exported], { home: other });
      expect(imported.code).toBe(0);
      expect(imported.json.data).toMatchObject({ imported: 36, size: 36, root });
    }
  });

  it('appends the same log in a writer process as on its own thread', () => {
    const roots = ['inline', 'process'].map((writer) => {
      const other = path.join(work, `append-${writer}`);
      expect(runCli(['init', '--no-key'], { home: other }).code).toBe(0);
      const result = runCli(['append', '-', '--writer', writer, '--batch-size', '7'], {
        home: other,
        input: ticks(0, 40),
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.json.data).toMatchObject({ appended: 40, size: 40 });
      return (result.json.data as { root: string }).root;
    });
    expect(roots[1]).toBe(roots[0]);
    const bad = runCli(['append', '-', '--writer', 'elsewhere'], { home, input: ticks(0, 1) });
    expect(bad.code).toBe(2);
  });

  it('refuses to import a file with a broken chain, importing nothing', () => {
    const exported = readFileSync(path.join(work, 'log.jsonl'), 'utf8').split('\n');
    [exported[4], exported[5]] = [exported[5]!, exported[4]!];
    const file = path.join(work, 'broken.jsonl');
    writeFileSync(file, exported.join('\n'));
    const other = path.join(work, 'import-broken');
    runCli(['init', '--no-key'], { home: other });
    const result = runCli(['import', file], { home: other });
    expect(result.code).toBe(3);
    expect(result.json.error?.code).toBe('CHAIN_BROKEN');
    expect(result.json.error?.details['line']).toBe(5);
    expect(runCli(['log'], { home: other }).stdout).toBe('');
  });

  it('writes an audit export built from disk', () => {
    const file = path.join(work, 'audit.json');
    const result = runCli(['export', '--format', 'audit', '--output', file], { home });
    expect(result.code).toBe(0);
    const audit = JSON.parse(readFileSync(file, 'utf8')) as {
      format: string;
      integrity: { ok: boolean };
      type_counts: Record<string, number>;
      checkpoint: { size: number };
      events: Entry[];
    };
    expect(audit.format).toBe('deltatrace.audit.v1');
    expect(audit.integrity.ok).toBe(true);
    expect(audit.type_counts).toEqual({ 'md.tick': 35, signal: 1 });
    expect(audit.checkpoint.size).toBe(36);
    expect(audit.events.map((e) => e.seq)).toEqual(Array.from({ length: 36 }, (_, i) => i));
  });

  it('exits 3 with located findings when the store was damaged on disk', () => {
    const damaged = path.join(work, 'damaged');
    expect(runCli(['init', '--backend', 'jsonl'], { home: damaged }).code).toBe(0);
    expect(runCli(['append', '-'], { home: damaged, input: ticks(0, 30) }).code).toBe(0);
    expect(runCli(['checkpoint'], { home: damaged }).code).toBe(0);
    const file = path.join(damaged, 'events.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[12] = lines[12]!.replace('"bid_px":112', '"bid_px":113');
    writeFileSync(file, lines.join('\n'));
    const result = runCli(['verify'], { home: damaged });
    expect(result.code).toBe(3);
    expect(result.json.error?.code).toBe('CHAIN_VERIFY_FAILED');
    const report = result.json.error?.details['report'] as {
      findings: { seq: number; kind: string }[];
    };
    expect(report.findings[0]).toMatchObject({ seq: 12, kind: 'mutated' });
  });

  it('records byte-identical ledgers for the same demo seed, different ones for another', () => {
    const root = (seed: string, where: string): string => {
      const result = runCli(['demo', 'ledger', '--events', '1500', '--seed', seed], {
        home: path.join(work, where),
      });
      expect(result.code).toBe(0);
      return (result.json.data as { root: string }).root;
    };
    const first = root('11', 'demo-a');
    expect(root('11', 'demo-b')).toBe(first);
    expect(root('12', 'demo-c')).not.toBe(first);
  });

  it('runs the self-checking ledger demo', () => {
    const result = runCli(['demo', 'ledger', '--events', '3000', '--seed', '3'], {
      home: path.join(work, 'demo'),
    });
    expect(result.code).toBe(0);
    const data = result.json.data as {
      verify: { ok: boolean };
      tamper: { seq: number; located: { seq: number; kind: string }[] };
    };
    expect(data.verify.ok).toBe(true);
    expect(data.tamper.located[0]).toMatchObject({ seq: data.tamper.seq, kind: 'mutated' });
  });
});
