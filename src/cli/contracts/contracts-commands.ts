/**
 * @module
 * `deltatrace contracts list` (NDJSON: one line per contract version with its producers,
 * consumers and engines) and `deltatrace contracts check` (compatibility of every edge, published
 * JSON Schemas, and adapter conformance on the recorded fixtures; exit 3 when anything fails).
 */
import type { Command } from 'commander';

import { checkContracts, type ContractsCheckReport } from '../../contracts/index.js';
import { IntegrityError, type JsonObject } from '../../core/index.js';
import type { Output } from '../output.js';
import { defaultFixturesDir, readFixtureSet } from './fixture-files.js';
import { buildContractGraph } from './graph.js';

/** How main.ts runs a command: with the resolved home and the output. */
export type CommandRunner = (
  work: (home: string, out: Output) => Promise<void> | void,
) => Promise<void>;

/**
 * @example deltatrace contracts list | jq -c '{contract, producers, consumers}'
 */
export function contractsListCommand(out: Output): void {
  for (const listing of buildContractGraph().registry.listContracts()) out.record(listing);
}

function summarize(report: ContractsCheckReport, out: Output): void {
  const s = report.summary;
  out.info(
    `${s.contracts} contracts, ${s.parties} parties: ${s.edges - s.incompatible_edges}/${s.edges} edges compatible, ` +
      `${s.schema_failures} schema failure(s), conformance ${s.conformance_passed} passed, ` +
      `${s.conformance_failed} failed, ${s.conformance_untested} untested, on ${s.fixtures} fixtures`,
  );
  for (const edge of report.compatibility.edges.filter((e) => !e.compatible)) {
    out.info(
      `  incompatible: ${edge.producer} → ${edge.contract} → ${edge.consumer}: ${edge.reason}`,
    );
  }
  for (const schema of report.schemas.filter((c) => c.status === 'fail')) {
    out.info(`  schema ${schema.contract}@${schema.version}: ${schema.reason}`);
  }
  for (const result of report.conformance.filter((r) => r.status === 'fail')) {
    const first = result.failures[0];
    out.info(
      `  ${result.party} on ${result.contract}@${result.version}: ${first?.stage} at ${first?.location}: ${first?.message}`,
    );
  }
  for (const location of report.unknown_fixtures)
    out.info(`  fixture of an unknown contract: ${location}`);
}

/**
 * @throws CONTRACT_CHECK_FAILED (exit 3) with the report in `details.report` when anything fails.
 * @example deltatrace contracts check --fixtures test/fixtures/contracts
 */
export function contractsCheckCommand(options: { readonly fixtures?: string }, out: Output): void {
  const { registry, suites } = buildContractGraph();
  const set = readFixtureSet(options.fixtures ?? defaultFixturesDir());
  const report = checkContracts(registry, { suites, ...set });
  summarize(report, out);
  if (!report.ok) {
    throw new IntegrityError('CONTRACT_CHECK_FAILED', 'the contract graph does not check out', {
      details: { report: JSON.parse(JSON.stringify(report)) as JsonObject },
    });
  }
  out.ok(report);
}

/** Adds the `contracts` command group to the program. */
export function registerContractsCommands(program: Command, run: CommandRunner): void {
  const contracts = program
    .command('contracts')
    .description('the Graph-of-Contracts: data contracts, adapters, engines');
  contracts
    .command('list')
    .description('one NDJSON line per contract version: producers, consumers, engines')
    .action(() => run((_home, out) => contractsListCommand(out)));
  contracts
    .command('check')
    .description(
      'compatibility of every edge, published JSON Schemas, adapter conformance on recorded fixtures; exit 3 on failure',
    )
    .option('--fixtures <dir>', 'recorded fixture directory (default: the repository’s)')
    .action((options: { fixtures?: string }) =>
      run((_home, out) => contractsCheckCommand(options, out)),
    );
}
