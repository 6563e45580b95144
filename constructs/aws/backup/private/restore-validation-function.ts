import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../../private/encryption';

/** Namespace of the metrics the validation function emits. */
export const RESTORE_VALIDATION_METRIC_NAMESPACE = 'Platform/Backup';

/** Options of {@link createRestoreValidationFunction}. */
export interface RestoreValidationFunctionOptions {
  /** The restore testing plan whose restored clusters the function validates. */
  readonly planArn: string;
  /** Name of that plan (a literal). */
  readonly planName: string;
  /** Engine the restored cluster must run. */
  readonly expectedEngine: string;
  /** VPC of the function (private subnets with egress); outside a VPC when undefined. */
  readonly vpc?: ec2.IVpc;
}

/** What {@link createRestoreValidationFunction} built. */
export interface RestoreValidationFunction {
  /** Key of the function's logs and dead-letter queue (rotating, retained). */
  readonly key: kms.Key;
  /** Dead-letter queue of validation events the function failed to process. */
  readonly deadLetterQueue: sqs.Queue;
  /** The function's role. */
  readonly role: iam.Role;
  /** The function's least-privilege managed policy. */
  readonly policy: iam.ManagedPolicy;
  /** ARN pattern of the restored clusters the policy may describe (every cluster of this account and region). */
  readonly restoredClusters: string;
  readonly fn: nodejs.NodejsFunction;
  /** Rule that invokes the function when a restore job completes. */
  readonly rule: events.Rule;
}

/**
 * The validation function of restore testing, built under `scope`: encrypted logs (`ValidationLogs`) and dead-letter
 * queue (`DeadLetterQueue`, retained) under their own key (`Key`), reserved concurrency 2, a least-privilege role
 * (`ValidationRole`, `ValidationPolicy`), the bundled handler (`ValidationFunction`, Node.js 24 on ARM64, esbuild,
 * never Docker) and the EventBridge rule (`RestoreJobCompleted`) that invokes it on completed restore jobs.
 */
export function createRestoreValidationFunction(scope: Construct, options: RestoreValidationFunctionOptions): RestoreValidationFunction {
  const where = scope.node.path;
  const key = createDataKey(scope, 'Key', `${where} restore validation logs and dead-letter queue`);
  allowCloudWatchLogs(key);
  const logGroup = createEncryptedLogGroup(scope, 'ValidationLogs', { key, retention: logs.RetentionDays.ONE_YEAR });
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    // Undelivered validation events are evidence of restore tests nobody checked.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = new iam.Role(scope, 'ValidationRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `${where} restore validation function`,
  });
  const restoredClusters = Stack.of(scope).formatArn({ service: 'rds', resource: 'cluster', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const policy = new iam.ManagedPolicy(scope, 'ValidationPolicy', {
    description: `${where} restore validation: read the restore job and restored cluster, report the result, write logs`,
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        sid: 'RestoreJobs',
        actions: ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'RestoredClusters',
        actions: ['rds:DescribeDBClusters'],
        resources: [restoredClusters],
      }),
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    ],
  });
  if (options.vpc) role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));

  const fn = new nodejs.NodejsFunction(scope, 'ValidationFunction', {
    entry: handlerEntry(),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: Duration.minutes(1),
    reservedConcurrentExecutions: 2,
    role,
    logGroup,
    deadLetterQueue,
    retryAttempts: 2,
    description: `${where} validates restored Aurora clusters of restore testing plan ${options.planName}`,
    environment: {
      RESTORE_TESTING_PLAN_ARN: options.planArn,
      RESTORE_TESTING_PLAN_NAME: options.planName,
      EXPECTED_ENGINE: options.expectedEngine,
      METRIC_NAMESPACE: RESTORE_VALIDATION_METRIC_NAMESPACE,
      MAX_ATTEMPTS: '5',
    },
    vpc: options.vpc,
    vpcSubnets: options.vpc ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : undefined,
    allowPublicSubnet: false,
    bundling: {
      // The AWS SDK v3 comes with the Node.js runtime; esbuild (a local dependency, never Docker) bundles the rest.
      externalModules: ['@aws-sdk/*'],
      minify: true,
      sourceMap: false,
      forceDockerBundling: false,
    },
  });

  const rule = new events.Rule(scope, 'RestoreJobCompleted', {
    description: `${where}: AWS Backup restore jobs that completed, for the restore validation function`,
    eventPattern: {
      source: ['aws.backup'],
      detailType: ['Restore Job State Change'],
      detail: { status: ['COMPLETED'] },
    },
    targets: [new targets.LambdaFunction(fn, { retryAttempts: 3, maxEventAge: Duration.hours(1) })],
  });
  return { key, deadLetterQueue, role, policy, restoredClusters, fn, rule };
}

/** The handler source beside the construct: TypeScript in the repository, compiled JavaScript in the package. */
function handlerEntry(): string {
  const ts = join(__dirname, '..', 'restore-validation.handler.ts');
  return existsSync(ts) ? ts : join(__dirname, '..', 'restore-validation.handler.js');
}
