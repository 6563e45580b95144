import { parseFaults } from './faults';
import type { ServerOptions } from './server';

/** Environment variables the service reads (documented in reference-service/README.md). */
export type Env = Readonly<Record<string, string | undefined>>;

function intFromEnv(env: Env, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`reference-service: ${name}=${JSON.stringify(raw)} is not an integer between 0 and ${max}; unset it or fix the value`);
  }
  return value;
}

function boolFromEnv(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`reference-service: ${name}=${JSON.stringify(raw)} must be "true" or "false"`);
}

/** Server options from the environment; a bad value throws an error naming the variable and the fix. */
export function optionsFromEnv(env: Env): ServerOptions {
  const faultInjectionEnabled = boolFromEnv(env, 'FAULT_INJECTION_ENABLED');
  const faultSpec: Record<string, number> = {};
  if (env.FAULT_ERROR_RATE !== undefined && env.FAULT_ERROR_RATE !== '') faultSpec.errorRate = Number(env.FAULT_ERROR_RATE);
  if (env.FAULT_ADDED_LATENCY_MS !== undefined && env.FAULT_ADDED_LATENCY_MS !== '') faultSpec.addedLatencyMs = Number(env.FAULT_ADDED_LATENCY_MS);
  const faults = parseFaults(faultSpec);
  if (typeof faults === 'string') {
    throw new Error(`reference-service: FAULT_ERROR_RATE / FAULT_ADDED_LATENCY_MS: ${faults}`);
  }
  if (!faultInjectionEnabled && Object.keys(faultSpec).length > 0) {
    throw new Error('reference-service: FAULT_ERROR_RATE / FAULT_ADDED_LATENCY_MS are set but FAULT_INJECTION_ENABLED is not "true"; set it or unset them');
  }
  return {
    port: intFromEnv(env, 'PORT', 8080, 65535),
    serviceName: env.SERVICE_NAME || env.OTEL_SERVICE_NAME || 'reference-service',
    faultInjectionEnabled,
    faults,
    adminToken: env.FAULT_ADMIN_TOKEN || undefined,
    drainDelayMs: intFromEnv(env, 'SHUTDOWN_DRAIN_DELAY_MS', 5000),
    shutdownTimeoutMs: intFromEnv(env, 'SHUTDOWN_TIMEOUT_MS', 25_000),
  };
}
