/**
 * Pure logic of the restore-validation function: what a healthy restored Aurora cluster is, and bounded retries
 * with exponential backoff and full jitter on throttling. No AWS SDK import, so it is tested without mocks.
 */
import { backoffDelayMs } from '../../../core/retry';

/** The fields of `DescribeDBClusters`' `DBCluster` the checks read. */
export interface RestoredClusterFacts {
  readonly DBClusterIdentifier?: string;
  readonly Status?: string;
  readonly StorageEncrypted?: boolean;
  readonly KmsKeyId?: string;
  readonly Engine?: string;
  readonly EngineVersion?: string;
  readonly Endpoint?: string;
}

/** What the function reports with `PutRestoreValidationResult`. */
export interface ValidationVerdict {
  readonly status: 'SUCCESSFUL' | 'FAILED';
  readonly message: string;
}

/** `ValidationStatusMessage` is kept short enough for the console and the API. */
const MAX_MESSAGE_LENGTH = 1000;

/** Checks a restored cluster: available, storage encrypted with a KMS key, the expected engine, an endpoint. */
export function checkRestoredCluster(cluster: RestoredClusterFacts, expectedEngine: string): ValidationVerdict {
  const id = cluster.DBClusterIdentifier ?? '(unknown)';
  const problems: string[] = [];
  if (cluster.Status !== 'available') problems.push(`status is '${cluster.Status ?? 'unknown'}', expected 'available'`);
  if (cluster.StorageEncrypted !== true || !cluster.KmsKeyId) problems.push('storage is not encrypted with a KMS key');
  if (cluster.Engine !== expectedEngine) problems.push(`engine is '${cluster.Engine ?? 'unknown'}', expected '${expectedEngine}'`);
  if (!cluster.Endpoint) problems.push('the cluster has no endpoint');
  if (problems.length > 0) return failed(`Restored cluster ${id} failed validation: ${problems.join('; ')}`);
  return {
    status: 'SUCCESSFUL',
    message: truncate(`Restored cluster ${id} is available, encrypted with ${cluster.KmsKeyId}, engine ${cluster.Engine} ${cluster.EngineVersion ?? ''}`.trim()),
  };
}

/** A FAILED verdict with `message`. */
export function failed(message: string): ValidationVerdict {
  return { status: 'FAILED', message: truncate(message) };
}

/** The cluster identifier of an RDS cluster ARN (`arn:aws:rds:eu-west-1:111111111111:cluster:name`), else undefined. */
export function clusterIdentifierFromArn(arn: string): string | undefined {
  const m = /^arn:[^:]+:rds:[^:]+:\d{12}:cluster:([a-zA-Z][a-zA-Z0-9-]*)$/.exec(arn);
  return m ? m[1] : undefined;
}

function truncate(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_MESSAGE_LENGTH - 3)}...`;
}

/** Error names the AWS APIs use for throttling and transient unavailability. */
const RETRYABLE_ERROR_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException', 'ServiceUnavailableException',
]);

/** Whether `error` is throttling (or a transient unavailability) worth retrying. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  return (typeof e.name === 'string' && RETRYABLE_ERROR_NAMES.has(e.name))
    || e.$retryable?.throttling === true
    || e.$metadata?.httpStatusCode === 429;
}

/** Options of {@link withRetries}. */
export interface RetryOptions {
  /** Attempts in all, the first included (at least 1). */
  readonly maxAttempts: number;
  /** Backoff ceiling of the first retry in ms; doubles each retry. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling in ms. */
  readonly maxDelayMs: number;
  /** Waits `ms` (injected so tests do not wait). */
  readonly sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1) (injected so tests are deterministic). */
  readonly random: () => number;
}

/** The full-jitter backoff of constructs/core/retry, re-exported for the handler's tests. */
export { backoffDelayMs };

/** Raised when every attempt was throttled; `cause` is the last error. */
export class RetriesExhaustedError extends Error {
  constructor(label: string, attempts: number, cause: unknown) {
    super(`${label}: still throttled after ${attempts} attempts, giving up`, { cause });
    this.name = 'RetriesExhaustedError';
  }
}

/**
 * Runs `call`, retrying throttling errors with exponential backoff and full jitter at most `maxAttempts` times in
 * all; other errors are raised at once. Exhausted retries raise {@link RetriesExhaustedError}.
 */
export async function withRetries<T>(label: string, call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = Math.max(1, Math.floor(options.maxAttempts));
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      lastError = error;
      if (attempt < attempts) await options.sleep(backoffDelayMs(attempt, options));
    }
  }
  throw new RetriesExhaustedError(label, attempts, lastError);
}
