import { PlatformValidationError } from '../../constructs/core/errors';
import type { KubernetesDatabase, KubernetesServiceProps } from '../../constructs/k8s';

/**
 * Overrides of the reference data path on Kubernetes, from the environment (`npm run synth:k8s`, names as the
 * service's variables) or Pulumi config (the camelCase names). Every one is optional: see
 * {@link referenceDataPath} for the defaults.
 */
export interface ReferenceDataPathSettings {
  /** `DB_ENDPOINT` / `dbEndpoint`: the writer's host name; `none` runs the service without a data path. */
  readonly dbEndpoint?: string;
  /** `DB_READ_ONLY_ENDPOINT` / `dbReadOnlyEndpoint`: the read-only host name. */
  readonly dbReadOnlyEndpoint?: string;
  /** `DB_NAME` / `dbName`: the database. */
  readonly dbName?: string;
  /** `DB_USER` / `dbUser`: the user the service signs in as. */
  readonly dbUser?: string;
  /** `DB_TLS` / `dbTls`: `require` or `disable`. */
  readonly dbTls?: string;
  /** `DB_PASSWORD_SECRET` / `dbPasswordSecret`: the Secret whose key `password` holds the database password. */
  readonly dbPasswordSecret?: string;
  /** `CACHE_L2_ENDPOINT` / `cacheEndpoint`: the Valkey/Redis host name; `none` keeps the in-process cache only. */
  readonly cacheEndpoint?: string;
  /** `CACHE_L2_TLS` / `cacheTls`: TLS to the cache. */
  readonly cacheTls?: boolean;
  /** `CACHE_L2_PASSWORD_SECRET` / `cachePasswordSecret`: the Secret whose key `password` holds the cache password. */
  readonly cachePasswordSecret?: string;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT` / `otlpEndpoint`: a collector's OTLP/HTTP URL. */
  readonly otlpEndpoint?: string;
}

/** The key of the password in both Secrets. */
export const PASSWORD_KEY = 'password';

/**
 * The data path the reference app passes the service in `namespace` (README "Kubernetes (cdk8s) and Pulumi"):
 * PostgreSQL at `postgres.<namespace>.svc:5432`, database `postgres`, user `<service>`, TLS required, the password in
 * the Secret `<service>-db`; Valkey at `valkey.<namespace>.svc:6379` with TLS, the password in the Secret
 * `<service>-cache`; no collector. `settings` override each.
 */
export function referenceDataPath(service: string, namespace: string, settings: ReferenceDataPathSettings = {}):
  Pick<KubernetesServiceProps, 'database' | 'distributedCache' | 'otlpEndpoint'> {
  const otlp = settings.otlpEndpoint ? { otlpEndpoint: settings.otlpEndpoint } : {};
  const dbEndpoint = settings.dbEndpoint || `postgres.${namespace}.svc`;
  if (dbEndpoint === 'none') return otlp;
  const cacheEndpoint = settings.cacheEndpoint || `valkey.${namespace}.svc`;
  return {
    ...otlp,
    database: {
      endpoint: dbEndpoint,
      ...(settings.dbReadOnlyEndpoint ? { readOnlyEndpoint: settings.dbReadOnlyEndpoint } : {}),
      name: settings.dbName || 'postgres',
      user: settings.dbUser || service,
      tlsMode: (settings.dbTls || 'require') as KubernetesDatabase['tlsMode'],
      passwordSecret: { name: settings.dbPasswordSecret || `${service}-db`, key: PASSWORD_KEY },
    },
    ...(cacheEndpoint === 'none' ? {} : {
      distributedCache: {
        endpoint: cacheEndpoint,
        tls: settings.cacheTls ?? true,
        passwordSecret: { name: settings.cachePasswordSecret || `${service}-cache`, key: PASSWORD_KEY },
      },
    }),
  };
}

/** The settings from environment variables (`stacks/k8s/main.ts`); `CACHE_L2_TLS` must be `true` or `false`. */
export function dataPathSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): ReferenceDataPathSettings {
  const tls = env.CACHE_L2_TLS;
  if (tls !== undefined && tls !== '' && tls !== 'true' && tls !== 'false') {
    throw new PlatformValidationError('stacks/k8s (environment)', 'CACHE_L2_TLS', tls, 'must be "true" or "false"',
      'set CACHE_L2_TLS=false for a cache without TLS, or unset it');
  }
  return {
    dbEndpoint: env.DB_ENDPOINT,
    dbReadOnlyEndpoint: env.DB_READ_ONLY_ENDPOINT,
    dbName: env.DB_NAME,
    dbUser: env.DB_USER,
    dbTls: env.DB_TLS,
    dbPasswordSecret: env.DB_PASSWORD_SECRET,
    cacheEndpoint: env.CACHE_L2_ENDPOINT,
    cacheTls: tls === undefined || tls === '' ? undefined : tls === 'true',
    cachePasswordSecret: env.CACHE_L2_PASSWORD_SECRET,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}
