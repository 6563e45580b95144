import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import { AuroraRestoreTesting, RESTORE_VALIDATION_METRIC_NAMESPACE } from '../../../constructs/aws/backup/aurora-restore-testing';
import type { AuroraRestoreTestingOptions, AuroraRestoreTestingProps } from '../../../constructs/aws/backup/aurora-restore-testing-props';
import { BackupPolicy } from '../../../constructs/aws/backup/backup-policy';
import { runbookPathFromUrl } from '../../../constructs/core/runbooks';
import { testStack } from '../../helpers/test-stack';

type ExtraProps = Omit<AuroraRestoreTestingProps, 'vault'>;

/** A test stack with an imported vault and an AuroraRestoreTesting `RestoreTesting` restoring from it. */
function restoreTestingStack(props: ExtraProps = {}): { stack: Stack; testing: AuroraRestoreTesting; template: Template } {
  const stack = testStack();
  const vault = backup.BackupVault.fromBackupVaultName(stack, 'Vault', 'platform-vault');
  const testing = new AuroraRestoreTesting(stack, 'RestoreTesting', { vault, ...props });
  return { stack, testing, template: Template.fromStack(stack) };
}

/** The logical ID of `construct`'s default child in `stack`. */
function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnResource);
}

describe('AuroraRestoreTesting', () => {
  // One synthesis of the defaults (bundling the validation function dominates test time).
  let defaults: ReturnType<typeof restoreTestingStack>;
  beforeAll(() => {
    defaults = restoreTestingStack();
  });

  describe('restore testing plan and selection', () => {
    test('the plan restores the latest recovery point of the vault of the last 7 days, weekly on Saturdays 06:00 UTC', () => {
      const { testing, template } = defaults;
      expect(testing.restoreTestingPlanName).toMatch(/^Test_RestoreTesting_[0-9A-F]{8}$/);
      template.resourceCountIs('AWS::Backup::RestoreTestingPlan', 1);
      template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
        RestoreTestingPlanName: testing.restoreTestingPlanName,
        ScheduleExpression: 'cron(0 6 ? * SAT *)',
        StartWindowHours: 4,
        RecoveryPointSelection: {
          Algorithm: 'LATEST_WITHIN_WINDOW',
          IncludeVaults: ['arn:aws:backup:eu-west-1:111111111111:backup-vault:platform-vault'],
          RecoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
          SelectionWindowDays: 7,
        },
      });
    });

    test('the selection restores every Aurora cluster tagged platform:backup=default, after the plan exists', () => {
      const { stack, testing, template } = defaults;
      template.hasResource('AWS::Backup::RestoreTestingSelection', {
        Properties: {
          RestoreTestingPlanName: testing.restoreTestingPlanName,
          RestoreTestingSelectionName: 'Aurora',
          ProtectedResourceType: 'Aurora',
          ProtectedResourceArns: ['*'],
          ProtectedResourceConditions: { StringEquals: [{ Key: 'aws:ResourceTag/platform:backup', Value: 'default' }] },
          ValidationWindowHours: 4,
          IamRoleArn: { 'Fn::GetAtt': [logicalIdOf(stack, testing.restoreRole), 'Arn'] },
        },
        DependsOn: Match.arrayWith([stack.getLogicalId(testing.plan)]),
      });
    });

    test('the restore role is assumed by AWS Backup with the AWS managed restore policy only', () => {
      defaults.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' })],
        }),
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores']] }],
      });
    });

    test('validationWindow and schedule are applied', () => {
      const { template } = restoreTestingStack({
        validationWindow: Duration.hours(24),
        schedule: events.Schedule.cron({ weekDay: 'WED', hour: '1', minute: '30' }),
      });
      template.hasResourceProperties('AWS::Backup::RestoreTestingSelection', { ValidationWindowHours: 24 });
      template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', { ScheduleExpression: 'cron(30 1 ? * WED *)' });
    });
  });

  describe('validation function', () => {
    test('checks the engine given as expectedEngine, outside a VPC by default', () => {
      const { template } = restoreTestingStack({ expectedEngine: 'aurora-mysql' });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ EXPECTED_ENGINE: 'aurora-mysql', METRIC_NAMESPACE: RESTORE_VALIDATION_METRIC_NAMESPACE }) },
        VpcConfig: Match.absent(),
      });
    });

    test('its key rotates and is retained; its logs and dead-letter queue are encrypted with it and retained', () => {
      const { stack, testing, template } = defaults;
      const key = logicalIdOf(stack, testing.encryptionKey);
      template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      template.hasResource('AWS::SQS::Queue', {
        Properties: Match.objectLike({ KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] }, MessageRetentionPeriod: 1209600 }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: Match.objectLike({ KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] }, RetentionInDays: 365 }),
        DeletionPolicy: 'Retain',
      });
    });

    test('the dead-letter queue refuses requests without TLS', () => {
      defaults.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        }),
      });
    });

    test('the rule invokes the validation function', () => {
      const { stack, testing, template } = defaults;
      template.hasResourceProperties('AWS::Events::Rule', {
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalIdOf(stack, testing.validationFunction), 'Arn'] } })],
      });
      expect(testing.rule.node.id).toBe('RestoreJobCompleted');
    });
  });

  describe('alarm', () => {
    test('restoreTestFailedAlarm is the one alarm: any failed restore, validation or validator run in an hour', () => {
      const { stack, testing, template } = defaults;
      const alarms = template.findResources('AWS::CloudWatch::Alarm');
      expect(Object.keys(alarms)).toEqual([logicalIdOf(stack, testing.restoreTestFailedAlarm)]);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(restoresFailed, 0) + FILL(validationsFailed, 0) + FILL(validatorErrors, 0)' })]),
      });
    });

    test('its description starts with the severity and ends with the committed runbook RestoreTestFailed', () => {
      const { stack, testing, template } = defaults;
      const alarm = template.findResources('AWS::CloudWatch::Alarm')[logicalIdOf(stack, testing.restoreTestFailedAlarm)];
      const description = (alarm.Properties as { AlarmDescription: string }).AlarmDescription;
      expect(description).toMatch(/^\[warning\] A restore test of Test\/RestoreTesting failed: the latest Aurora recovery point may not be restorable\. Runbook: /);
      const path = runbookPathFromUrl(description.replace(/^.*Runbook: /, ''));
      expect(path).toBe('alerts/backup/RestoreTestFailed');
      expect(existsSync(join(__dirname, '../../../runbooks', `${path}.md`))).toBe(true);
    });

    test('the metrics: failed Aurora restore jobs, failed validations of this plan', () => {
      const { stack, testing } = defaults;
      const restores = testing.metricRestoreJobsFailed();
      expect([restores.namespace, restores.metricName, restores.statistic, restores.period.toSeconds()]).toEqual(['AWS/Backup', 'NumberOfRestoreJobsFailed', 'Sum', 3600]);
      expect(restores.dimensions).toEqual({ ResourceType: 'Aurora' });
      const validations = testing.metricValidationsFailed({ period: Duration.minutes(5) });
      expect([validations.namespace, validations.metricName, validations.period.toSeconds()]).toEqual(['Platform/Backup', 'RestoreValidationFailed', 300]);
      expect(stack.resolve(validations.dimensions)).toEqual({ RestoreTestingPlanName: testing.restoreTestingPlanName });
    });
  });

  describe('validation', () => {
    const P = 'Test/Backup';
    test.each<[string, AuroraRestoreTestingOptions, string]>([
      ['validation window over a week', { validationWindow: Duration.hours(169) },
        `${P}/AuroraRestoreTesting: validationWindow (hours) (169) must be an integer from 1 to 168: set validationWindow (hours) to a whole number between 1 and 168`],
      ['rate schedule', { schedule: events.Schedule.rate(Duration.days(7)) },
        `${P}/AuroraRestoreTesting: schedule ('rate(7 days)') is not a cron expression: use events.Schedule.cron({ weekDay: 'SAT', hour: '6', minute: '0' })`],
    ])('restore testing: %s', (_name, options, message) => {
      const stack = testStack();
      const policy = new BackupPolicy(stack, 'Backup');
      expect(() => policy.addAuroraRestoreTesting(options)).toThrow(message);
    });

    test.each<[string, ExtraProps, string]>([
      ['a validation window of 0 hours', { validationWindow: Duration.hours(0) },
        'Test/RestoreTesting: validationWindow (hours) (0) must be an integer from 1 to 168: set validationWindow (hours) to a whole number between 1 and 168'],
      ['a validation window of 90 minutes', { validationWindow: Duration.minutes(90) },
        'Test/RestoreTesting: validationWindow (hours) (1.5) must be an integer from 1 to 168: set validationWindow (hours) to a whole number between 1 and 168'],
      ['a schedule from an expression', { schedule: events.Schedule.expression('rate(1 day)') },
        "Test/RestoreTesting: schedule ('rate(1 day)') is not a cron expression: use events.Schedule.cron({ weekDay: 'SAT', hour: '6', minute: '0' })"],
    ])('%s is rejected before anything is built', (_name, props, message) => {
      const stack = testStack();
      const vault = backup.BackupVault.fromBackupVaultName(stack, 'Vault', 'platform-vault');
      expect(() => new AuroraRestoreTesting(stack, 'RestoreTesting', { vault, ...props })).toThrow(message);
      expect(stack.node.findChild('RestoreTesting').node.children).toHaveLength(0);
    });
  });
});
