/**
 * `deltatrace parity --scenario FILE --output DIR`: the pipeline in paper mode against the sandbox
 * venues, every intent also offered to a live executor that is disabled and fails closed; then the
 * ledger verified and the production-parity report written as JSON and Markdown. Exit 0 only when
 * every check holds (3 otherwise).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import {
  formatIssues,
  InputError,
  IntegrityError,
  type JsonObject,
  verifyLog,
} from '../core/index.js';
import type { OutboundCommand } from '../pipeline/index.js';
import {
  buildParityReport,
  parityMarkdown,
  parseRecordedEvent,
  type RecordedEvent,
  type ShadowLog,
} from '../replay/index.js';
import { createStore, openStore } from '../storage/index.js';
import { BackgroundCapture } from './capture/background-capture.js';
import { readInputFile } from './context.js';
import { runDemoSession } from './demo/demo-session.js';
import type { Output } from './output.js';
import { parseJsonLine } from './session.js';

const ScenarioSchema = z.strictObject({
  name: z.string().min(1).max(128).default('parity'),
  seed: z.number().int().nonnegative().default(7),
  ticks: z.number().int().positive().max(1_000_000).default(3000),
  params: z.record(z.string(), z.union([z.string(), z.number().int(), z.boolean()])).default({}),
});

/** A live executor that is switched off: it sees every intent and refuses it, never sending. */
class DisabledLiveExecutor {
  readonly refused: { kind: string; key: string }[] = [];
  intents = 0;
  /** Orders that reached a live adapter: stays zero, since nothing is ever forwarded. */
  readonly liveOrders = 0;

  offer(command: OutboundCommand): void {
    this.intents++;
    this.refused.push({ kind: command.kind, key: command.orderId });
  }

  log(): ShadowLog {
    return { intents: this.intents, refused: this.refused, liveOrders: this.liveOrders };
  }
}

export async function parityCommand(
  options: { readonly scenario: string; readonly output: string },
  out: Output,
): Promise<void> {
  const parsed = ScenarioSchema.safeParse(
    parseJsonLine(readInputFile(options.scenario, 'scenario'), 1),
  );
  if (!parsed.success) {
    throw new InputError('INPUT_SCHEMA_VIOLATION', 'the scenario does not match its schema', {
      details: { issues: formatIssues(parsed.error.issues) },
    });
  }
  const scenario = parsed.data;
  const dir = path.resolve(options.output);
  const storeDir = path.join(dir, 'store');
  rmSync(storeDir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const run = `parity-${scenario.name}-${scenario.seed}`;
  await (await createStore(storeDir, { backend: 'sqlite', origin: `deltatrace/${run}` })).close();
  const shadow = new DisabledLiveExecutor();
  const capture = BackgroundCapture.start({ dir: storeDir, run });
  try {
    await runDemoSession({
      seed: scenario.seed,
      clock: 'simulated',
      ticks: scenario.ticks,
      capture,
      params: scenario.params,
      info: (text) => out.info(text),
      progress: (ticks) => out.progress.update('ticks', ticks, scenario.ticks),
      onCommand: (command) => shadow.offer(command),
    });
    out.progress.done();
  } catch (error) {
    await capture.close().catch(() => undefined);
    throw error;
  }
  await capture.close();

  const store = await openStore(storeDir, { readonly: true });
  const events: RecordedEvent[] = [];
  let integrity: { ok: boolean; findings: number; root: string; size: number };
  let snapshot: { size: number; root: string };
  try {
    const verified = await verifyLog(store, {
      openCheckpoint: () => {
        throw new InputError('STORE_NO_CHECKPOINT', 'a parity store has no checkpoints');
      },
    });
    integrity = {
      ok: verified.ok,
      findings: verified.findings.length,
      root: verified.root,
      size: verified.log_size,
    };
    const stored = await store.snapshot();
    snapshot = { size: stored.size, root: stored.root };
    for await (const lines of store.query({ run }))
      for (const line of lines) events.push(parseRecordedEvent(line));
  } finally {
    await store.close();
  }
  const report = buildParityReport({ scenario, events, shadow: shadow.log(), integrity, snapshot });
  writeFileSync(path.join(dir, 'parity-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(dir, 'parity-report.md'), parityMarkdown(report));
  for (const check of report.checks)
    out.info(`  ${check.ok ? 'pass' : 'FAIL'} ${check.name}: ${check.detail}`);
  out.info(`parity ${report.ok ? 'ok' : 'NOT ok'}, hash ${report.parity_hash}; report in ${dir}`);
  if (!report.ok) {
    throw new IntegrityError('PARITY_FAILED', 'a production-parity check failed', {
      details: { report: JSON.parse(JSON.stringify(report)) as JsonObject },
    });
  }
  out.ok(report);
}
