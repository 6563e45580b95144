/**
 * The data path of a service on Kubernetes: the database and the distributed (L2) cache it reaches, rendered into the
 * container's environment under the names the reference service reads (reference-service/src/config.ts `ENV_VARS`;
 * DESIGN.md "The workload's settings"). Engine-neutral: no cdk8s or Pulumi import.
 */

/**
 * A key of a Kubernetes Secret in the service's namespace, rendered as the variable's `valueFrom.secretKeyRef`: the
 * value never appears in the manifests. A pod whose Secret or key is missing does not start
 * (`CreateContainerConfigError`), so create the Secret before applying.
 */
export interface KubernetesSecretKeyRef {
  /** Name of the Secret (a DNS-1123 subdomain, in the service's namespace). */
  readonly name: string;
  /** Key of the value in the Secret's data (letters, digits, `-`, `_` and `.`). */
  readonly key: string;
}

/**
 * The PostgreSQL database of a service on Kubernetes: the container gets `DB_ENDPOINT`, `DB_READ_ONLY_ENDPOINT`,
 * `DB_PORT`, `DB_NAME`, `DB_USER`, `DB_IAM_AUTH=false`, `DB_TLS` and the password as `DB_PASSWORD` from a Secret
 * (no IAM auth in-cluster, unlike the AWS path's RDS Proxy tokens).
 */
export interface KubernetesDatabase {
  /** Host name of the writer (`DB_ENDPOINT`), without scheme or port, e.g. `postgres.checkout.svc`. */
  readonly endpoint: string;
  /**
   * Host name of the read-only endpoint (`DB_READ_ONLY_ENDPOINT`): reads go there.
   * @default - the writer endpoint
   */
  readonly readOnlyEndpoint?: string;
  /**
   * Port of both endpoints (`DB_PORT`).
   * @default 5432
   */
  readonly port?: number;
  /**
   * Database the service uses (`DB_NAME`).
   * @default 'postgres' - as the AWS path
   */
  readonly name?: string;
  /** User the service signs in as (`DB_USER`). */
  readonly user: string;
  /**
   * TLS (`DB_TLS`): `require` verifies the server's certificate chain (against the image's trusted CAs) and host
   * name; `disable` is for development clusters only.
   * @default 'require'
   */
  readonly tlsMode?: 'require' | 'disable';
  /** The Secret key holding the user's password (`DB_PASSWORD`). The password itself is never a prop. */
  readonly passwordSecret: KubernetesSecretKeyRef;
}

/**
 * The distributed (L2) cache of a service on Kubernetes, Valkey or Redis: the container gets `CACHE_L2_ENDPOINT`,
 * `CACHE_L2_PORT`, `CACHE_L2_TLS`, `CACHE_L2_CLUSTER_MODE`, `CACHE_L2_TTL_SECONDS` and the credentials as
 * `CACHE_L2_USERNAME` and `CACHE_L2_PASSWORD` (from a Secret).
 */
export interface KubernetesDistributedCache {
  /** Host name of the cache (`CACHE_L2_ENDPOINT`), without scheme or port, e.g. `valkey.checkout.svc`. */
  readonly endpoint: string;
  /**
   * Port (`CACHE_L2_PORT`).
   * @default 6379
   */
  readonly port?: number;
  /**
   * TLS with the certificate verified (`CACHE_L2_TLS`).
   * @default true - as the service's own default
   */
  readonly tls?: boolean;
  /**
   * Whether the cache runs in cluster mode (`CACHE_L2_CLUSTER_MODE`): the service then uses a cluster client.
   * @default false
   */
  readonly clusterMode?: boolean;
  /**
   * ACL user the service signs in as (`CACHE_L2_USERNAME`); needs {@link passwordSecret}.
   * @default - the default user, with the password alone (Valkey/Redis `requirepass`)
   */
  readonly username?: string;
  /**
   * The Secret key holding the cache password (`CACHE_L2_PASSWORD`). Required with {@link username}.
   * @default - no password: the cache accepts unauthenticated connections
   */
  readonly passwordSecret?: KubernetesSecretKeyRef;
}
