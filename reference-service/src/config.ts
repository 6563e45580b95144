import { parseFaults } from './faults';
import type { CacheSettings, DatabaseSettings } from './settings';
import type { ServerOptions } from './server';

/** Environment the service is started with. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Every environment variable the service reads (documented in reference-service/README.md), and who sets it:
 * `platform` variables come from the stacks and charts that run it; `operator` variables are knobs for local runs
 * and game days (fault injection, shutdown timing), unset on the platform, where their defaults apply. Reading goes
 * through {@link read}, typed by this list, so the list cannot miss a variable the code reads.
 */
export const ENV_VARS = {
  PORT: 'platform',
  SERVICE_NAME: 'platform',
  OTEL_SERVICE_NAME: 'platform',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'platform',
  AWS_REGION: 'platform',
  DB_ENDPOINT: 'platform',
  DB_READ_ONLY_ENDPOINT: 'platform',
  DB_PORT: 'platform',
  DB_NAME: 'platform',
  DB_USER: 'platform',
  DB_IAM_AUTH: 'platform',
  // Password sign-in, for a database without IAM auth: the Kubernetes charts (from a Secret), local runs and the game
  // day (the AWS stacks use IAM tokens).
  DB_PASSWORD: 'platform',
  DB_TLS: 'platform',
  CACHE_L1_TTL_SECONDS: 'platform',
  CACHE_L1_MAX_ITEMS: 'platform',
  CACHE_L2_ENDPOINT: 'platform',
  CACHE_L2_PORT: 'platform',
  CACHE_L2_TLS: 'platform',
  CACHE_L2_CLUSTER_MODE: 'platform',
  CACHE_L2_TTL_SECONDS: 'platform',
  CACHE_L2_USERNAME: 'platform',
  CACHE_L2_PASSWORD: 'platform',
  // The feature flags: the AppConfig agent's local URL on ECS, a mounted ConfigMap file (file://) on Kubernetes.
  FLAGS_URL: 'platform',
  FAULT_INJECTION_ENABLED: 'operator',
  FAULT_ERROR_RATE: 'operator',
  FAULT_ADDED_LATENCY_MS: 'operator',
  FAULT_ADMIN_TOKEN: 'operator',
  SHUTDOWN_DRAIN_DELAY_MS: 'operator',
  SHUTDOWN_TIMEOUT_MS: 'operator',
  TIME_SCALE: 'operator',
  MAX_IN_FLIGHT: 'operator',
  DB_POOL_MAX: 'operator',
  DB_QUERY_TIMEOUT_MS: 'operator',
  DB_TLS_CA_FILE: 'operator',
  CACHE_L2_TLS_CA_FILE: 'operator',
  FLAGS_POLL_INTERVAL_MS: 'operator',
  FLAGS_TIMEOUT_MS: 'operator',
} as const satisfies Record<string, 'platform' | 'operator'>;

/** The timeout of one database call (statement and client side) unless DB_QUERY_TIMEOUT_MS says otherwise. */
export const DEFAULT_QUERY_TIMEOUT_MS = 2000;

/** A variable the service reads. */
export type EnvVar = keyof typeof ENV_VARS;

function read(env: Env, name: EnvVar): string | undefined {
  return env[name];
}

function intFromEnv(env: Env, name: EnvVar, fallback: number, max = Number.MAX_SAFE_INTEGER, min = 0): number {
  const raw = read(env, name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`reference-service: ${name}=${JSON.stringify(raw)} is not an integer between ${min} and ${max}; unset it or fix the value`);
  }
  return value;
}

function boolFromEnv(env: Env, name: EnvVar, fallback = false): boolean {
  const raw = read(env, name);
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`reference-service: ${name}=${JSON.stringify(raw)} must be "true" or "false"`);
}

function stringFromEnv(env: Env, name: EnvVar): string | undefined {
  const raw = read(env, name);
  return raw === undefined || raw === '' ? undefined : raw;
}

/** Reads the data path's settings. Undefined when DB_ENDPOINT is unset (the service then serves probes and the sample route only). */
function dataFromEnv(env: Env): { database?: DatabaseSettings; cache?: CacheSettings } {
  // Every variable is read up front, whatever is set, so the declared list and the reads cannot drift apart.
  const endpoint = stringFromEnv(env, 'DB_ENDPOINT');
  const readOnlyEndpoint = stringFromEnv(env, 'DB_READ_ONLY_ENDPOINT');
  const port = intFromEnv(env, 'DB_PORT', 5432, 65535, 1);
  const database = stringFromEnv(env, 'DB_NAME');
  const user = stringFromEnv(env, 'DB_USER');
  const iamAuth = boolFromEnv(env, 'DB_IAM_AUTH');
  const password = stringFromEnv(env, 'DB_PASSWORD');
  const tlsMode = stringFromEnv(env, 'DB_TLS') ?? 'require';
  const tlsCaFile = stringFromEnv(env, 'DB_TLS_CA_FILE');
  const region = stringFromEnv(env, 'AWS_REGION');
  const poolMax = intFromEnv(env, 'DB_POOL_MAX', 20, 1000, 1);
  const queryTimeoutMs = intFromEnv(env, 'DB_QUERY_TIMEOUT_MS', DEFAULT_QUERY_TIMEOUT_MS, 600_000, 1);
  const l1TtlSeconds = intFromEnv(env, 'CACHE_L1_TTL_SECONDS', 300, 86_400, 1);
  const l1MaxItems = intFromEnv(env, 'CACHE_L1_MAX_ITEMS', 10_000, 10_000_000);
  const l2Endpoint = stringFromEnv(env, 'CACHE_L2_ENDPOINT');
  const l2Port = intFromEnv(env, 'CACHE_L2_PORT', 6379, 65535, 1);
  const l2Tls = boolFromEnv(env, 'CACHE_L2_TLS', true);
  const l2ClusterMode = boolFromEnv(env, 'CACHE_L2_CLUSTER_MODE');
  const l2TtlSeconds = intFromEnv(env, 'CACHE_L2_TTL_SECONDS', 1800, 30 * 86_400, 1);
  const l2Username = stringFromEnv(env, 'CACHE_L2_USERNAME');
  const l2Password = stringFromEnv(env, 'CACHE_L2_PASSWORD');
  const l2TlsCaFile = stringFromEnv(env, 'CACHE_L2_TLS_CA_FILE');

  if (endpoint === undefined) {
    const stray = (Object.keys(ENV_VARS) as EnvVar[])
      .filter((n) => (n.startsWith('DB_') || n.startsWith('CACHE_')) && stringFromEnv(env, n) !== undefined);
    if (stray.length > 0) {
      throw new Error(`reference-service: ${stray.join(', ')} set but DB_ENDPOINT is not; set DB_ENDPOINT (the writer endpoint) or unset them`);
    }
    return {};
  }
  if (user === undefined) throw new Error('reference-service: DB_USER is required with DB_ENDPOINT');
  if (tlsMode !== 'require' && tlsMode !== 'disable') {
    throw new Error(`reference-service: DB_TLS=${JSON.stringify(tlsMode)} must be "require" (TLS, certificate and host name verified) or "disable" (local development only)`);
  }
  if (iamAuth && password !== undefined) {
    throw new Error('reference-service: DB_PASSWORD is set but DB_IAM_AUTH is "true"; use one: IAM auth tokens (RDS Proxy) or a password');
  }
  if (iamAuth && region === undefined) throw new Error('reference-service: DB_IAM_AUTH is "true" but AWS_REGION is not set; the auth token is signed for a region');
  if (iamAuth && tlsMode !== 'require') throw new Error('reference-service: DB_IAM_AUTH is "true" but DB_TLS is not "require"; IAM authentication needs TLS');
  if (!iamAuth && password === undefined) throw new Error('reference-service: DB_PASSWORD is required unless DB_IAM_AUTH is "true"');
  if (l2Username !== undefined && l2Password === undefined) {
    throw new Error('reference-service: CACHE_L2_USERNAME is set without CACHE_L2_PASSWORD; the RBAC user needs its password');
  }
  const l2Vars = { CACHE_L2_USERNAME: l2Username, CACHE_L2_PASSWORD: l2Password, CACHE_L2_TLS_CA_FILE: l2TlsCaFile };
  if (l2Endpoint === undefined) {
    const stray = Object.entries(l2Vars).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (stray.length > 0) throw new Error(`reference-service: ${stray.join(', ')} set but CACHE_L2_ENDPOINT is not; set it or unset them`);
  }

  return {
    database: {
      endpoint,
      readOnlyEndpoint: readOnlyEndpoint ?? endpoint,
      port,
      database: database ?? 'postgres',
      user,
      password,
      iamAuth,
      region,
      tls: tlsMode === 'require',
      tlsCaFile,
      poolMax,
      queryTimeoutMs,
    },
    cache: {
      l1TtlSeconds,
      l1MaxItems,
      l2: l2Endpoint === undefined ? undefined : {
        endpoint: l2Endpoint,
        port: l2Port,
        tls: l2Tls,
        tlsCaFile: l2TlsCaFile,
        clusterMode: l2ClusterMode,
        ttlSeconds: l2TtlSeconds,
        username: l2Username,
        password: l2Password,
      },
    },
  };
}

function timeScaleFromEnv(env: Env): number {
  const raw = read(env, 'TIME_SCALE');
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 1) {
    throw new Error(`reference-service: TIME_SCALE=${JSON.stringify(raw)} must be a number in (0, 1]: it shrinks the health-check, half-open and retry intervals for tests`);
  }
  return value;
}

/** Server options from environment variables; throws with the variable name and the fix on a bad value. */
export function optionsFromEnv(env: Env): ServerOptions {
  const faultInjectionEnabled = boolFromEnv(env, 'FAULT_INJECTION_ENABLED');
  const faultSpec: Record<string, number> = {};
  const errorRate = read(env, 'FAULT_ERROR_RATE');
  const addedLatencyMs = read(env, 'FAULT_ADDED_LATENCY_MS');
  if (errorRate !== undefined && errorRate !== '') faultSpec.errorRate = Number(errorRate);
  if (addedLatencyMs !== undefined && addedLatencyMs !== '') faultSpec.addedLatencyMs = Number(addedLatencyMs);
  const faults = parseFaults(faultSpec);
  if (typeof faults === 'string') {
    throw new Error(`reference-service: FAULT_ERROR_RATE / FAULT_ADDED_LATENCY_MS: ${faults}`);
  }
  if (!faultInjectionEnabled && Object.keys(faultSpec).length > 0) {
    throw new Error('reference-service: FAULT_ERROR_RATE / FAULT_ADDED_LATENCY_MS are set but FAULT_INJECTION_ENABLED is not "true"; set it or unset them');
  }
  const otlpEndpoint = stringFromEnv(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (otlpEndpoint !== undefined && !/^https?:\/\/[^/]+/.test(otlpEndpoint)) {
    throw new Error(`reference-service: OTEL_EXPORTER_OTLP_ENDPOINT=${JSON.stringify(otlpEndpoint)} must be an http(s) URL such as http://localhost:4318 (OTLP/HTTP)`);
  }
  const flagsUrl = stringFromEnv(env, 'FLAGS_URL');
  if (flagsUrl !== undefined && !/^(https?:\/\/[^/]+|file:\/\/\/)/.test(flagsUrl)) {
    throw new Error(`reference-service: FLAGS_URL=${JSON.stringify(flagsUrl)} must be an http(s) URL (the AppConfig agent, e.g. http://localhost:2772/applications/...) or a file:/// URL (a mounted ConfigMap)`);
  }
  const flagsPollIntervalMs = intFromEnv(env, 'FLAGS_POLL_INTERVAL_MS', 5000, 600_000, 100);
  const flagsTimeoutMs = intFromEnv(env, 'FLAGS_TIMEOUT_MS', 1000, 60_000, 1);
  if (flagsUrl === undefined && (stringFromEnv(env, 'FLAGS_POLL_INTERVAL_MS') !== undefined || stringFromEnv(env, 'FLAGS_TIMEOUT_MS') !== undefined)) {
    throw new Error('reference-service: FLAGS_POLL_INTERVAL_MS / FLAGS_TIMEOUT_MS are set but FLAGS_URL is not; set FLAGS_URL or unset them');
  }
  return {
    port: intFromEnv(env, 'PORT', 8080, 65535),
    flagsUrl,
    flagsPollIntervalMs,
    flagsTimeoutMs,
    serviceName: read(env, 'SERVICE_NAME') || read(env, 'OTEL_SERVICE_NAME') || 'reference-service',
    faultInjectionEnabled,
    faults,
    adminToken: read(env, 'FAULT_ADMIN_TOKEN') || undefined,
    drainDelayMs: intFromEnv(env, 'SHUTDOWN_DRAIN_DELAY_MS', 5000),
    shutdownTimeoutMs: intFromEnv(env, 'SHUTDOWN_TIMEOUT_MS', 25_000),
    otlpEndpoint,
    timeScale: timeScaleFromEnv(env),
    maxInFlight: intFromEnv(env, 'MAX_IN_FLIGHT', 200, 100_000, 1),
    ...dataFromEnv(env),
  };
}
