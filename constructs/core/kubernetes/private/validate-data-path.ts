import { PlatformValidationError } from '../../errors';
import { requireIntegerInRange, requireOneOf } from '../../validate';
import type { KubernetesSecretKeyRef } from '../data-path-props';
import type { KubernetesServiceProps } from '../service-props';

/** The database with every default applied. */
export interface ResolvedDatabase {
  readonly endpoint: string;
  readonly readOnlyEndpoint: string;
  readonly port: number;
  readonly name: string;
  readonly user: string;
  readonly tlsMode: 'require' | 'disable';
  readonly passwordSecret: KubernetesSecretKeyRef;
}

/** The L2 cache with every default applied. */
export interface ResolvedDistributedCache {
  readonly endpoint: string;
  readonly port: number;
  readonly tls: boolean;
  readonly clusterMode: boolean;
  readonly ttlSeconds: number;
  readonly username?: string;
  readonly passwordSecret?: KubernetesSecretKeyRef;
}

/** The data path (database, both cache tiers) with every default applied. */
export interface ResolvedDataPath {
  readonly database: ResolvedDatabase;
  readonly l1TtlSeconds: number;
  readonly l1MaxItems: number;
  readonly l2?: ResolvedDistributedCache;
}

/** Settings the service reads only with `DB_ENDPOINT` (it rejects `CACHE_*` without it). */
const NEEDS_DATABASE = ['cacheL1TtlSeconds', 'cacheL1MaxItems', 'distributedCache', 'cacheL2TtlSeconds'] as const;
const HOST_LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST = new RegExp(`^${HOST_LABEL}(\\.${HOST_LABEL})*\\.?$`);

/** A host name or IPv4 address: no scheme, no port, no path (the service takes the port from its own variable). */
function requireHost(where: string, prop: string, value: string, portProp: string, example: string): void {
  if (typeof value !== 'string') {
    throw new PlatformValidationError(where, prop, value, 'is not a host name', `use a DNS name such as '${example}' or an IPv4 address`);
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    throw new PlatformValidationError(where, prop, value, 'has a scheme', `pass the host name only, e.g. '${example}' (the port is ${portProp})`);
  }
  if (/^[^:/]+:[0-9]+$/.test(value)) {
    throw new PlatformValidationError(where, prop, value, 'has a port', `pass the host name only and the port as ${portProp}`);
  }
  if (value.length > 253 || !HOST.test(value)) {
    throw new PlatformValidationError(where, prop, value, 'is not a host name', `use a DNS name such as '${example}' or an IPv4 address`);
  }
}

/** A PostgreSQL or ACL name: 1 to 63 characters, no whitespace. */
function requireName(where: string, prop: string, value: string, example: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 63 || /\s/.test(value)) {
    throw new PlatformValidationError(where, prop, value, 'is not a valid name', `use 1 to 63 characters without whitespace, e.g. '${example}'`);
  }
}

/** A Secret reference `{ name, key }`; a string (a password given inline by an untyped caller) is refused and not echoed. */
function requireSecretRef(where: string, prop: string, ref: KubernetesSecretKeyRef | undefined, variable: string): KubernetesSecretKeyRef {
  if (ref === undefined || ref === null || typeof ref !== 'object') {
    throw new PlatformValidationError(where, prop, typeof ref === 'string' ? '<redacted>' : ref, 'is not a Secret reference',
      `store the password in a Kubernetes Secret of the service's namespace and pass its { name, key }: the container reads ${variable} from it`);
  }
  if (typeof ref.name !== 'string' || ref.name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(ref.name)) {
    throw new PlatformValidationError(where, `${prop}.name`, ref.name, 'is not a valid Secret name',
      'use at most 253 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit');
  }
  if (typeof ref.key !== 'string' || ref.key.length > 253 || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) {
    throw new PlatformValidationError(where, `${prop}.key`, ref.key, 'is not a valid Secret key', 'use at most 253 letters, digits, \'-\', \'_\' and \'.\'');
  }
  return { name: ref.name, key: ref.key };
}

function resolveDistributedCache(where: string, props: KubernetesServiceProps): ResolvedDistributedCache | undefined {
  const c = props.distributedCache;
  if (c === undefined) {
    if (props.cacheL2TtlSeconds !== undefined) {
      throw new PlatformValidationError(where, 'cacheL2TtlSeconds', props.cacheL2TtlSeconds, 'is set without distributedCache',
        'pass distributedCache or remove cacheL2TtlSeconds');
    }
    return undefined;
  }
  requireHost(where, 'distributedCache.endpoint', c.endpoint, 'distributedCache.port', 'valkey.checkout.svc');
  const port = c.port ?? 6379;
  requireIntegerInRange(where, 'distributedCache.port', port, 1, 65535);
  const ttlSeconds = props.cacheL2TtlSeconds ?? 1800;
  requireIntegerInRange(where, 'cacheL2TtlSeconds', ttlSeconds, 1, 604_800);
  if (c.username !== undefined) {
    requireName(where, 'distributedCache.username', c.username, 'checkout');
    if (c.passwordSecret === undefined) {
      throw new PlatformValidationError(where, 'distributedCache.passwordSecret', undefined,
        `is not set while distributedCache.username ('${c.username}') is, and the service requires CACHE_L2_PASSWORD with CACHE_L2_USERNAME`,
        'pass distributedCache.passwordSecret: { name, key } of the Secret holding the user\'s password');
    }
  }
  const passwordSecret = c.passwordSecret === undefined ? undefined
    : requireSecretRef(where, 'distributedCache.passwordSecret', c.passwordSecret, 'CACHE_L2_PASSWORD');
  return { endpoint: c.endpoint, port, tls: c.tls ?? true, clusterMode: c.clusterMode ?? false, ttlSeconds, username: c.username, passwordSecret };
}

/**
 * Validates the data path of `props` (errors name `where`, the prop, the value and the fix; a password is never
 * echoed) and applies the defaults the AWS path uses. Undefined without `database`.
 */
export function resolveDataPath(where: string, props: KubernetesServiceProps): ResolvedDataPath | undefined {
  const db = props.database;
  if (db === undefined) {
    const stray = NEEDS_DATABASE.find((prop) => props[prop] !== undefined);
    if (stray !== undefined) {
      throw new PlatformValidationError(where, stray, props[stray], 'is set without database',
        `the service reads its cache settings only with a database (DB_ENDPOINT): pass database or remove ${stray}`);
    }
    return undefined;
  }
  requireHost(where, 'database.endpoint', db.endpoint, 'database.port', 'postgres.checkout.svc');
  if (db.readOnlyEndpoint !== undefined) requireHost(where, 'database.readOnlyEndpoint', db.readOnlyEndpoint, 'database.port', 'postgres-ro.checkout.svc');
  const port = db.port ?? 5432;
  requireIntegerInRange(where, 'database.port', port, 1, 65535);
  const name = db.name ?? 'postgres';
  requireName(where, 'database.name', name, 'postgres');
  requireName(where, 'database.user', db.user, 'checkout');
  const tlsMode = requireOneOf(where, 'database.tlsMode', db.tlsMode ?? 'require', ['require', 'disable'] as const);
  const passwordSecret = requireSecretRef(where, 'database.passwordSecret', db.passwordSecret, 'DB_PASSWORD');
  const l1TtlSeconds = props.cacheL1TtlSeconds ?? 300;
  requireIntegerInRange(where, 'cacheL1TtlSeconds', l1TtlSeconds, 1, 86_400);
  const l1MaxItems = props.cacheL1MaxItems ?? 10_000;
  requireIntegerInRange(where, 'cacheL1MaxItems', l1MaxItems, 1, 10_000_000);
  return {
    database: { endpoint: db.endpoint, readOnlyEndpoint: db.readOnlyEndpoint ?? db.endpoint, port, name, user: db.user, tlsMode, passwordSecret },
    l1TtlSeconds,
    l1MaxItems,
    l2: resolveDistributedCache(where, props),
  };
}

/** The OTLP/HTTP endpoint as the service accepts it (an http(s) URL with a host), and its TCP port. */
export function resolveOtlpEndpoint(where: string, endpoint: string | undefined): { url: string; port: number } | undefined {
  if (endpoint === undefined) return undefined;
  const m = /^(https?):\/\/([^/\s:?#]+)(?::([0-9]{1,5}))?(\/\S*)?$/.exec(endpoint);
  const port = m ? Number(m[3] ?? (m[1] === 'https' ? 443 : 80)) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new PlatformValidationError(where, 'otlpEndpoint', endpoint, 'is not an http(s) URL',
      'use the collector\'s OTLP/HTTP endpoint, e.g. \'http://otel-collector.monitoring.svc:4318\'');
  }
  return { url: endpoint, port };
}
