/** The data path's settings, read from the environment by config.ts (names in ENV_VARS). */

/** PostgreSQL: writer and read-only endpoints (RDS Proxy or Aurora), credentials, TLS and pool limits. */
export interface DatabaseSettings {
  /** Writer endpoint (DB_ENDPOINT): writes and the migration. */
  readonly endpoint: string;
  /** Read-only endpoint (DB_READ_ONLY_ENDPOINT, default the writer): reads. */
  readonly readOnlyEndpoint: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** Password (DB_PASSWORD), when not using IAM auth tokens. */
  readonly password?: string;
  /** RDS IAM authentication (DB_IAM_AUTH): a token signed with the task's role for each new connection. */
  readonly iamAuth: boolean;
  /** AWS region the IAM token is signed for (AWS_REGION). */
  readonly region?: string;
  /** TLS with the certificate chain and host name verified (DB_TLS=require). */
  readonly tls: boolean;
  /** Extra CA bundle to trust (DB_TLS_CA_FILE), e.g. the RDS CA bundle for direct Aurora connections. */
  readonly tlsCaFile?: string;
  /** Connections per task across both pools (DB_POOL_MAX, platform table: 20). */
  readonly poolMax: number;
  /** Timeout of one database call, client and server side (DB_QUERY_TIMEOUT_MS). */
  readonly queryTimeoutMs: number;
}

/** The L2 cache: Valkey/Redis (ElastiCache), cluster mode or not, TLS and the RBAC user. */
export interface L2Settings {
  readonly endpoint: string;
  readonly port: number;
  readonly tls: boolean;
  readonly tlsCaFile?: string;
  readonly clusterMode: boolean;
  readonly ttlSeconds: number;
  readonly username?: string;
  readonly password?: string;
}

/** Tiered cache: L1 in-process LRU (0 items = off), then L2 when configured. */
export interface CacheSettings {
  readonly l1TtlSeconds: number;
  readonly l1MaxItems: number;
  readonly l2?: L2Settings;
}
