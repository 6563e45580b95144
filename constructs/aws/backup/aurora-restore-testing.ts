import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { requireIntegerInRange } from '../../core/validate';
import { acknowledgeControlTower } from '../private/control-tower';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import { acknowledgeRoutedByComposer, createRunbookAlarm } from '../private/runbook-alarm';
import { BACKUP_TAG_KEY } from '../private/stateful';
import { iam5FindingId } from '../private/nag';

/** Namespace of the metrics the validation function emits. */
export const RESTORE_VALIDATION_METRIC_NAMESPACE = 'Platform/Backup';

/** Options of {@link AuroraRestoreTesting} when created by `BackupPolicy.addAuroraRestoreTesting()`. */
export interface AuroraRestoreTestingOptions {
  /**
   * When restore tests start (a cron schedule, UTC).
   * @default - weekly, Saturdays 06:00 UTC
   */
  readonly schedule?: events.Schedule;
  /**
   * How long the restored cluster is kept for validation before AWS Backup deletes it, 1 to 168 whole hours.
   * @default Duration.hours(4)
   */
  readonly validationWindow?: Duration;
  /**
   * Restore only this cluster.
   * @default - every Aurora cluster tagged `platform:backup=default`
   */
  readonly cluster?: rds.IDatabaseCluster;
  /**
   * Engine the restored cluster must run.
   * @default 'aurora-postgresql'
   */
  readonly expectedEngine?: string;
  /**
   * VPC to run the validation function in (private subnets with egress; it calls the AWS Backup and RDS APIs).
   * @default - outside a VPC (acknowledged: it reaches AWS APIs only and holds no data)
   */
  readonly vpc?: ec2.IVpc;
}

/** Props of {@link AuroraRestoreTesting}. */
export interface AuroraRestoreTestingProps extends AuroraRestoreTestingOptions {
  /** The vault whose latest Aurora recovery point is restored. */
  readonly vault: backup.IBackupVault;
}

/**
 * Scheduled restore tests of Aurora: an AWS Backup restore testing plan restores the latest recovery point (snapshot
 * or continuous) of the vault into a new cluster; a validation function, triggered when the restore job completes,
 * checks the restored cluster (available, encrypted, expected engine, endpoint) and reports SUCCESSFUL or FAILED
 * with `PutRestoreValidationResult`; AWS Backup then deletes the cluster. An alarm fires on a failed restore, a
 * failed validation or a validation function error.
 */
export class AuroraRestoreTesting extends Construct {
  /** The restore testing plan. */
  public readonly plan: backup.CfnRestoreTestingPlan;
  /** The restore testing selection (Aurora). */
  public readonly selection: backup.CfnRestoreTestingSelection;
  /** Name of the restore testing plan (a literal). */
  public readonly restoreTestingPlanName: string;
  /** Role AWS Backup assumes to restore the test cluster. */
  public readonly restoreRole: iam.Role;
  /** The validation function. */
  public readonly validationFunction: nodejs.NodejsFunction;
  /** Dead-letter queue of validation events the function failed to process (KMS-encrypted). */
  public readonly deadLetterQueue: sqs.Queue;
  /** Key of the function's logs and dead-letter queue (rotating, retained). */
  public readonly encryptionKey: kms.Key;
  /** Rule that invokes the function when a restore job completes. */
  public readonly rule: events.Rule;
  /** Alarm on failed restore tests (runbook `alerts/backup/RestoreTestFailed`). */
  public readonly restoreTestFailedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AuroraRestoreTestingProps) {
    super(scope, id);
    const where = this.node.path;
    const stack = Stack.of(this);

    // ---- validation
    const windowHours = (props.validationWindow ?? Duration.hours(4)).toHours({ integral: false });
    requireIntegerInRange(where, 'validationWindow (hours)', windowHours, 1, 168);
    const schedule = props.schedule ?? events.Schedule.cron({ weekDay: 'SAT', hour: '6', minute: '0' });
    if (!schedule.expressionString.startsWith('cron(')) {
      throw new PlatformValidationError(where, 'schedule', schedule.expressionString, 'is not a cron expression',
        "use events.Schedule.cron({ weekDay: 'SAT', hour: '6', minute: '0' })");
    }
    const expectedEngine = props.expectedEngine ?? 'aurora-postgresql';

    // ---- restore testing plan and selection
    this.restoreTestingPlanName = Names.uniqueResourceName(this, { maxLength: 50, separator: '_', allowedSpecialCharacters: '_' });
    this.plan = new backup.CfnRestoreTestingPlan(this, 'Plan', {
      restoreTestingPlanName: this.restoreTestingPlanName,
      scheduleExpression: schedule.expressionString,
      startWindowHours: 4,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [props.vault.backupVaultArn],
        recoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
        selectionWindowDays: 7,
      },
    });
    this.restoreRole = new iam.Role(this, 'RestoreRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `${where} AWS Backup restore testing`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores')],
    });
    Validations.of(this.restoreRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
      reason: 'AWSBackupServiceRolePolicyForRestores is the AWS managed policy made for the AWS Backup restore role (restore testing uses the same permissions as a restore).',
    });
    this.selection = new backup.CfnRestoreTestingSelection(this, 'Selection', {
      restoreTestingPlanName: this.restoreTestingPlanName,
      restoreTestingSelectionName: 'Aurora',
      protectedResourceType: 'Aurora',
      iamRoleArn: this.restoreRole.roleArn,
      validationWindowHours: windowHours,
      ...(props.cluster
        ? { protectedResourceArns: [props.cluster.clusterArn] }
        : {
          protectedResourceArns: ['*'],
          protectedResourceConditions: { stringEquals: [{ key: `aws:ResourceTag/${BACKUP_TAG_KEY}`, value: 'default' }] },
        }),
    });
    this.selection.node.addDependency(this.plan);

    // ---- validation function: encrypted logs and DLQ, reserved concurrency, least privilege
    this.encryptionKey = createDataKey(this, 'Key', `${where} restore validation logs and dead-letter queue`);
    allowCloudWatchLogs(this.encryptionKey);
    const logGroup = createEncryptedLogGroup(this, 'ValidationLogs', { key: this.encryptionKey, retention: logs.RetentionDays.ONE_YEAR });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Undelivered validation events are evidence of restore tests nobody checked.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the validation function (Lambda async DeadLetterConfig), which the rule only recognizes for SQS redrive.',
    });
    acknowledgeControlTower(this.deadLetterQueue, 'CT.SQS.PR.1',
      'This queue is itself the dead-letter queue of the validation function (Lambda asynchronous DeadLetterConfig); nothing consumes it, so there is no failed receive to redrive into a queue of its own. Its messages are kept 14 days.');
    const role = new iam.Role(this, 'ValidationRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${where} restore validation function`,
    });
    const restoredClusters = stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const policy = new iam.ManagedPolicy(this, 'ValidationPolicy', {
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
    Validations.of(policy).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'backup:DescribeRestoreJob and backup:PutRestoreValidationResult support no resource-level permissions (Service Authorization Reference): the only possible resource is *.',
      },
      {
        // Rendered as cdk-nag flattens it (`arn:<AWS::Partition>:...`, or `arn:aws:...` under enablePartitionLiterals).
        id: iam5FindingId(policy, restoredClusters),
        reason: 'Restore testing names the restored cluster at restore time; rds:DescribeDBClusters is read-only and scoped to clusters of this account and region.',
      },
    );
    if (props.vpc) {
      role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason: 'AWSLambdaVPCAccessExecutionRole is the AWS managed policy for the ENIs of a function in a VPC; its EC2 actions support no resource scoping.',
      });
    }

    this.validationFunction = new nodejs.NodejsFunction(this, 'ValidationFunction', {
      entry: handlerEntry(),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(1),
      reservedConcurrentExecutions: 2,
      role,
      logGroup,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      description: `${where} validates restored Aurora clusters of restore testing plan ${this.restoreTestingPlanName}`,
      environment: {
        RESTORE_TESTING_PLAN_ARN: this.plan.attrRestoreTestingPlanArn,
        RESTORE_TESTING_PLAN_NAME: this.restoreTestingPlanName,
        EXPECTED_ENGINE: expectedEngine,
        METRIC_NAMESPACE: RESTORE_VALIDATION_METRIC_NAMESPACE,
        MAX_ATTEMPTS: '5',
      },
      vpc: props.vpc,
      vpcSubnets: props.vpc ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : undefined,
      allowPublicSubnet: false,
      bundling: {
        // The AWS SDK v3 comes with the Node.js runtime; esbuild (a local dependency, never Docker) bundles the rest.
        externalModules: ['@aws-sdk/*'],
        minify: true,
        sourceMap: false,
        forceDockerBundling: false,
      },
    });
    // The L2 grants the DLQ (sqs:SendMessage and the key) to the role's default policy.
    const defaultPolicy = role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge(
        {
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason: "Generated by the Lambda L2 for its dead-letter queue: sqs:SendMessage on this construct's queue and its key only.",
        },
        {
          id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
          reason: "The L2's grant to send to the KMS-encrypted dead-letter queue, on this construct's key only.",
        },
        {
          id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
          reason: "The L2's grant to send to the KMS-encrypted dead-letter queue, on this construct's key only.",
        },
      );
    }
    if (!props.vpc) {
      Validations.of(this.validationFunction).acknowledge({
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason: 'The function only calls the AWS Backup and RDS control-plane APIs and holds no data; pass vpc to run it in the private subnets.',
      });
    }

    this.rule = new events.Rule(this, 'RestoreJobCompleted', {
      description: `${where}: AWS Backup restore jobs that completed, for the restore validation function`,
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Restore Job State Change'],
        detail: { status: ['COMPLETED'] },
      },
      targets: [new targets.LambdaFunction(this.validationFunction, { retryAttempts: 3, maxEventAge: Duration.hours(1) })],
    });

    // ---- alarm: a restore that failed, a validation that failed, or a validation that could not run
    this.restoreTestFailedAlarm = createRunbookAlarm(this, 'RestoreTestFailedAlarm', {
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(restoresFailed, 0) + FILL(validationsFailed, 0) + FILL(validatorErrors, 0)',
        usingMetrics: {
          restoresFailed: this.metricRestoreJobsFailed(),
          validationsFailed: this.metricValidationsFailed(),
          validatorErrors: this.validationFunction.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.hours(1) }),
        },
        label: 'Failed restore tests',
        period: Duration.hours(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      severity: 'warning',
      summary: `A restore test of ${where} failed: the latest Aurora recovery point may not be restorable.`,
      runbook: 'alerts/backup/RestoreTestFailed',
    });
    acknowledgeRoutedByComposer([this.restoreTestFailedAlarm], 'AuroraRestoreTesting.restoreTestFailedAlarm');
  }

  /** `NumberOfRestoreJobsFailed` of Aurora restore jobs (sum over 1 hour). */
  public metricRestoreJobsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Backup',
      metricName: 'NumberOfRestoreJobsFailed',
      dimensionsMap: { ResourceType: 'Aurora' },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.hours(1),
      ...props,
    });
  }

  /** `RestoreValidationFailed` the validation function emits for this plan (sum over 1 hour). */
  public metricValidationsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: RESTORE_VALIDATION_METRIC_NAMESPACE,
      metricName: 'RestoreValidationFailed',
      dimensionsMap: { RestoreTestingPlanName: this.restoreTestingPlanName },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.hours(1),
      ...props,
    });
  }
}

/** The handler source next to this file: TypeScript in the repository, compiled JavaScript in the package. */
function handlerEntry(): string {
  const ts = join(__dirname, 'restore-validation.handler.ts');
  return existsSync(ts) ? ts : join(__dirname, 'restore-validation.handler.js');
}
