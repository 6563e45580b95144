/**
 * Restore-testing validation function (bundled by esbuild, AWS SDK v3 from the Lambda runtime).
 *
 * Triggered by EventBridge on `Restore Job State Change` COMPLETED: for restore jobs of this restore testing plan,
 * checks the restored Aurora cluster and reports SUCCESSFUL or FAILED with `PutRestoreValidationResult`, and emits
 * the `RestoreValidationFailed` metric (CloudWatch embedded metric format). Calls retry throttling with bounded
 * exponential backoff and jitter; exhausted retries fail the invocation (Lambda retries, then the DLQ).
 */
import { BackupClient, DescribeRestoreJobCommand, PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { DBClusterNotFoundFault, DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import type { EventBridgeEvent } from 'aws-lambda';
import { checkRestoredCluster, clusterIdentifierFromArn, failed, withRetries } from './private/restore-validation';
import type { RetryOptions, ValidationVerdict } from './private/restore-validation';

/** `detail` of an AWS Backup `Restore Job State Change` event (the fields read). */
export interface RestoreJobStateChangeDetail {
  readonly restoreJobId?: string;
  readonly status?: string;
}

export type RestoreJobEvent = EventBridgeEvent<'Restore Job State Change', RestoreJobStateChangeDetail>;

/** What one invocation did. */
export type ValidationOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | { readonly outcome: 'reported'; readonly restoreJobId: string; readonly verdict: ValidationVerdict };

/** Configuration of the function (environment variables in Lambda). */
export interface ValidationConfig {
  /** Only jobs created by this restore testing plan (ARN) are validated. */
  readonly restoreTestingPlanArn: string;
  /** Name of the plan, the dimension of the emitted metric. */
  readonly restoreTestingPlanName: string;
  /** Engine the restored cluster must run (`aurora-postgresql`). */
  readonly expectedEngine: string;
  /** Namespace of the `RestoreValidationFailed` metric. */
  readonly metricNamespace: string;
}

/** Dependencies of {@link createHandler}: clients, configuration, retry policy and the metric sink. */
export interface HandlerDependencies {
  readonly backup: BackupClient;
  readonly rds: RDSClient;
  readonly config: ValidationConfig;
  readonly retry: RetryOptions;
  /** Writes one line of embedded metric format. */
  readonly emit: (line: string) => void;
}

/** The handler over `deps`. */
export function createHandler(deps: HandlerDependencies): (event: RestoreJobEvent) => Promise<ValidationOutcome> {
  const retried = <T>(label: string, call: () => Promise<T>): Promise<T> => withRetries(label, call, deps.retry);

  return async (event) => {
    const restoreJobId = event.detail?.restoreJobId;
    if (!restoreJobId) return { outcome: 'ignored', reason: 'event has no restoreJobId' };
    if (event.detail.status !== 'COMPLETED') return { outcome: 'ignored', reason: `restore job status is ${event.detail.status ?? 'unknown'}` };

    const job = await retried('DescribeRestoreJob', () => deps.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId })));
    const planArn = job.CreatedBy?.RestoreTestingPlanArn;
    if (planArn !== deps.config.restoreTestingPlanArn) {
      return { outcome: 'ignored', reason: planArn ? `restore job of another restore testing plan (${planArn})` : 'not a restore testing job' };
    }

    const verdict = await verdictFor(job.CreatedResourceArn);
    await retried('PutRestoreValidationResult', () => deps.backup.send(new PutRestoreValidationResultCommand({
      RestoreJobId: restoreJobId,
      ValidationStatus: verdict.status,
      ValidationStatusMessage: verdict.message,
    })));
    deps.emit(JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [{ Namespace: deps.config.metricNamespace, Dimensions: [['RestoreTestingPlanName']], Metrics: [{ Name: 'RestoreValidationFailed', Unit: 'Count' }] }],
      },
      RestoreTestingPlanName: deps.config.restoreTestingPlanName,
      RestoreValidationFailed: verdict.status === 'FAILED' ? 1 : 0,
      restoreJobId,
      message: verdict.message,
    }));
    return { outcome: 'reported', restoreJobId, verdict };
  };

  async function verdictFor(createdResourceArn: string | undefined): Promise<ValidationVerdict> {
    if (!createdResourceArn) return failed('The restore job reports no created resource');
    const identifier = clusterIdentifierFromArn(createdResourceArn);
    if (!identifier) return failed(`The restored resource ${createdResourceArn} is not an RDS DB cluster`);
    try {
      const { DBClusters } = await retried('DescribeDBClusters', () => deps.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier })));
      const cluster = DBClusters?.[0];
      if (!cluster) return failed(`Restored cluster ${identifier} was not found`);
      return checkRestoredCluster(cluster, deps.config.expectedEngine);
    } catch (error) {
      if (error instanceof DBClusterNotFoundFault) return failed(`Restored cluster ${identifier} was not found`);
      throw error;
    }
  }
}

/** Required environment variable `name`. */
function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

let lambdaHandler: ((event: RestoreJobEvent) => Promise<ValidationOutcome>) | undefined;

/** Lambda entry point: clients with SDK retries off (the bounded retries above are the only ones). */
export async function handler(event: RestoreJobEvent): Promise<ValidationOutcome> {
  lambdaHandler ??= createHandler({
    backup: new BackupClient({ maxAttempts: 1 }),
    rds: new RDSClient({ maxAttempts: 1 }),
    config: {
      restoreTestingPlanArn: env('RESTORE_TESTING_PLAN_ARN'),
      restoreTestingPlanName: env('RESTORE_TESTING_PLAN_NAME'),
      expectedEngine: env('EXPECTED_ENGINE'),
      metricNamespace: env('METRIC_NAMESPACE'),
    },
    retry: {
      maxAttempts: Number(process.env.MAX_ATTEMPTS ?? '5'),
      baseDelayMs: 200,
      maxDelayMs: 5000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
    },
    // Raw stdout, not console.log: the log line must be the bare JSON document for CloudWatch to extract the metric.
    emit: (line) => { process.stdout.write(`${line}\n`); },
  });
  const outcome = await lambdaHandler(event);
  console.log(JSON.stringify(outcome));
  return outcome;
}
