/**
 * @module
 * The strategies and routers a run.start can name, and how to build them back from the
 * parameters it recorded: what a replay needs to run the same code on the same inputs.
 */
import { InputError } from '../core/index.js';
import { ADMM_ROUTER, AdmmRouter } from './admm-router.js';
import { type Router, WATER_FILLING_ROUTER, WaterFillingRouter } from './router.js';
import type { Strategy, StrategyParams } from './strategy.js';
import { VWAP_STRATEGY_NAME, VwapStrategy } from './vwap-strategy.js';

export type StrategyFactory = (params: StrategyParams) => Strategy;
export type RouterFactory = (params: StrategyParams) => Router;

export interface StrategyCatalog {
  readonly strategies: Readonly<Record<string, StrategyFactory>>;
  readonly routers: Readonly<Record<string, RouterFactory>>;
}

/** The strategies and routers that ship with DeltaTrace. */
export const BUILT_IN_CATALOG: StrategyCatalog = {
  strategies: { [VWAP_STRATEGY_NAME]: (params) => VwapStrategy.fromParams(params) },
  routers: {
    [ADMM_ROUTER]: (params) => AdmmRouter.fromParams(params),
    [WATER_FILLING_ROUTER]: (params) => WaterFillingRouter.fromParams(params),
  },
};

function lookup<T>(table: Readonly<Record<string, T>>, kind: string, name: string): T {
  const factory = Object.hasOwn(table, name) ? table[name] : undefined;
  if (factory === undefined) {
    throw new InputError('PIPELINE_INVALID_CONFIG', `no ${kind} named ${name}`, {
      details: { [kind]: name, known: Object.keys(table).sort() },
    });
  }
  return factory;
}

/** @throws PIPELINE_INVALID_CONFIG for a name the catalog does not hold, or bad parameters. */
export function buildStrategy(
  catalog: StrategyCatalog,
  name: string,
  params: StrategyParams,
): Strategy {
  return lookup(catalog.strategies, 'strategy', name)(params);
}

/** @throws PIPELINE_INVALID_CONFIG for a name the catalog does not hold, or bad parameters. */
export function buildRouter(
  catalog: StrategyCatalog,
  name: string,
  params: StrategyParams,
): Router {
  return lookup(catalog.routers, 'router', name)(params);
}
