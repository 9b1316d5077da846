/**
 * @module
 * `deltatrace route`: the routing solvers on problem files, and the JSON Schemas of what routing
 * exchanges. No store is needed; the home is ignored.
 *
 * @example
 *   deltatrace route solve --problem allocation.json
 *   deltatrace route schema --name plan_delta
 */
import { type Command, Option } from 'commander';

import { InputError } from '../core/errors.js';
import {
  parseRouteProblem,
  routingJsonSchemas,
  type RoutingSchemaName,
  solveRouteProblem,
} from '../routing/index.js';
import { readInputFile } from './context.js';
import type { Output } from './output.js';

/** How main.ts runs a command: with the resolved home and the output for its flags. */
export type RunCommand = (
  work: (home: string, out: Output) => Promise<void> | void,
) => Promise<void>;

const SCHEMA_NAMES = Object.keys(routingJsonSchemas()) as RoutingSchemaName[];

/** The problem file as JSON; a syntax error becomes INPUT_INVALID_JSON, never a SyntaxError. */
function parseProblemText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError('INPUT_INVALID_JSON', `problem file ${file} is not valid JSON`, {
      details: { file, reason: error instanceof Error ? error.message : String(error) },
    });
  }
}

/**
 * Solves a problem file and prints the solution as the envelope's data.
 * @throws INPUT_INVALID_ARGUMENT (unreadable file), INPUT_INVALID_JSON, INPUT_SCHEMA_VIOLATION,
 *   ROUTE_INVALID_PROBLEM, ROUTE_INFEASIBLE.
 */
export function routeSolveCommand(file: string, out: Output): void {
  const problem = parseRouteProblem(parseProblemText(readInputFile(file, 'problem'), file));
  out.ok(solveRouteProblem(problem));
}

export function routeSchemaCommand(name: RoutingSchemaName | undefined, out: Output): void {
  const schemas = routingJsonSchemas();
  out.ok(name === undefined ? schemas : schemas[name]);
}

/** Adds the `route` command group to the program. */
export function registerRouteCommands(program: Command, run: RunCommand): void {
  const route = program.command('route').description('routing solvers (ADMM, Almgren–Chriss)');
  route
    .command('solve')
    .description('solve an allocation or schedule problem file; prints the solution as JSON')
    .requiredOption('--problem <file>', 'problem file (JSON; see `route schema`)')
    .action((options: { problem: string }) =>
      run((_home, out) => routeSolveCommand(options.problem, out)),
    );
  route
    .command('schema')
    .description('print the JSON Schemas of the problem files, the primitives and the IR')
    .addOption(new Option('--name <name>', 'only this schema').choices(SCHEMA_NAMES))
    .action((options: { name?: RoutingSchemaName }) =>
      run((_home, out) => routeSchemaCommand(options.name, out)),
    );
}
