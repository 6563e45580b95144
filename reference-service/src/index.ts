import type { Env } from './config';
import { optionsFromEnv } from './config';
import type { ReferenceServer, ServerOptions } from './server';
import { createServer } from './server';

export { createServer, DURATION_BUCKETS_SECONDS, DURATION_METRIC } from './server';
export type { ReferenceServer, ServerOptions, ServerState } from './server';
export type { Faults } from './faults';
export { NO_FAULTS, parseFaults } from './faults';
export { ENV_VARS, optionsFromEnv } from './config';
export { FLAG_KEYS, FLAGS_OFF, KILLABLE_FEATURES, PlatformFlagsProvider, SHED_MORE_ADMIT_PERCENT, ServiceFlags, killSwitchKey } from './flags';
export type { FlagState, KillableFeature, ServiceFlagsOptions } from './flags';
export type { Env, EnvVar } from './config';
export { traceContextFrom } from './trace';
export type { TraceContext } from './trace';
export type { CacheSettings, DatabaseSettings, L2Settings } from './settings';
export { Catalog } from './catalog';
export type { Item, Order, OrderOutcome, ReadSource } from './catalog';
export { CACHE_KEY_VERSION, HIT_RATE_TARGETS, TieredCache } from './cache';
export { Database, isDatabaseFailure, MIGRATIONS, passwordFor, POOL_IDLE_TIMEOUT_MS, SEED_ITEMS } from './db';
export type { IamCredentials } from './db';
export { METRICS } from './metrics';
export { Dependency, DependencyUnavailableError, fullJitter, PLATFORM_RESILIENCE } from './resilience';
export type { DependencyOptions } from './resilience';

export interface StartOptions {
  /** Environment to read (default process.env). */
  readonly env?: Env;
  /** Options that win over the environment (tests pass `{ port: 0 }`). */
  readonly overrides?: ServerOptions;
  /** Exit the process after SIGTERM/SIGINT once the shutdown finishes. Default true. */
  readonly handleSignals?: boolean;
}

/**
 * Starts the service from the environment (the variables in ENV_VARS) and, unless
 * told otherwise, shuts it down gracefully on SIGTERM/SIGINT: readiness 503, in-flight requests finish,
 * then the process exits 0.
 */
export async function start(opts: StartOptions = {}): Promise<ReferenceServer> {
  const server = createServer({ ...optionsFromEnv(opts.env ?? process.env), ...opts.overrides });
  if (opts.handleSignals ?? true) {
    const onSignal = (): void => {
      server.shutdown().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  await server.listen();
  return server;
}
