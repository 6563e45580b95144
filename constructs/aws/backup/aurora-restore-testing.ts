import { Duration } from 'aws-cdk-lib';
import type * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createRunbookAlarm } from '../private/runbook-alarm';
import type { AuroraRestoreTestingProps } from './aurora-restore-testing-props';
import { acknowledgeAuroraRestoreTestingFindings } from './private/acknowledge-aurora-restore-testing-findings';
import { createRestoreTestingPlan } from './private/restore-testing-plan';
import { RESTORE_VALIDATION_METRIC_NAMESPACE, createRestoreValidationFunction } from './private/restore-validation-function';
import { validateAuroraRestoreTestingProps } from './private/validate-aurora-restore-testing-props';

export type { AuroraRestoreTestingOptions, AuroraRestoreTestingProps } from './aurora-restore-testing-props';
export { RESTORE_VALIDATION_METRIC_NAMESPACE } from './private/restore-validation-function';

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
    const settings = validateAuroraRestoreTestingProps(this.node.path, props);

    const testing = createRestoreTestingPlan(this, {
      vault: props.vault,
      schedule: settings.schedule,
      validationWindowHours: settings.validationWindowHours,
      cluster: props.cluster,
    });
    this.restoreTestingPlanName = testing.planName;
    this.plan = testing.plan;
    this.restoreRole = testing.restoreRole;
    this.selection = testing.selection;

    const validation = createRestoreValidationFunction(this, {
      planArn: this.plan.attrRestoreTestingPlanArn,
      planName: this.restoreTestingPlanName,
      expectedEngine: settings.expectedEngine,
      vpc: props.vpc,
    });
    this.encryptionKey = validation.key;
    this.deadLetterQueue = validation.deadLetterQueue;
    this.validationFunction = validation.fn;
    this.rule = validation.rule;

    this.restoreTestFailedAlarm = this.createRestoreTestFailedAlarm();
    acknowledgeAuroraRestoreTestingFindings({
      restoreRole: this.restoreRole,
      deadLetterQueue: this.deadLetterQueue,
      validationRole: validation.role,
      validationPolicy: validation.policy,
      restoredClusters: validation.restoredClusters,
      validationFunction: this.validationFunction,
      inVpc: props.vpc !== undefined,
      restoreTestFailedAlarm: this.restoreTestFailedAlarm,
    });
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

  /** A restore that failed, a validation that failed, or a validation that could not run, in any hour. */
  private createRestoreTestFailedAlarm(): cloudwatch.Alarm {
    return createRunbookAlarm(this, 'RestoreTestFailedAlarm', {
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
      summary: `A restore test of ${this.node.path} failed: the latest Aurora recovery point may not be restorable.`,
      runbook: 'alerts/backup/RestoreTestFailed',
    });
  }
}
