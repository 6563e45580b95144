import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { AuroraRestoreTesting } from '../../../constructs/aws/backup/aurora-restore-testing';
import { BackupPolicy } from '../../../constructs/aws/backup/backup-policy';
import type { BackupPolicyProps } from '../../../constructs/aws/backup/backup-policy';
import { BackupCopyVault } from '../../../constructs/aws/backup/backup-copy-vault';
import { AuroraDatabase } from '../../../constructs/aws/data/aurora-database';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { runbookPathFromUrl } from '../../../constructs/core/runbooks';
import { formatFindings, nagFindings, testApp, testStack } from '../../helpers/test-stack';

const SECONDARY = 'eu-central-1';

/** A secondary-region stack with a replica vault and a primary stack with a BackupPolicy copying to it. */
function backupStacks(props: BackupPolicyProps = {}, use?: (stack: Stack, policy: BackupPolicy) => void):
{ stack: Stack; secondary: Stack; policy: BackupPolicy; replica: BackupCopyVault; template: Template } {
  const app = testApp();
  const secondary = testStack({ app, id: 'Secondary', region: SECONDARY });
  const replica = new BackupCopyVault(secondary, 'BackupReplica');
  const stack = testStack({ app });
  const policy = new BackupPolicy(stack, 'Backup', { copyDestination: replica.copyDestination, ...props });
  use?.(stack, policy);
  return { stack, secondary, policy, replica, template: Template.fromStack(stack) };
}

/** Rule `name` of the plan in `template`. */
function ruleNamed(template: Template, name: string): Record<string, unknown> {
  const plan = Object.values(template.findResources('AWS::Backup::BackupPlan'))[0];
  const rules = (plan.Properties as { BackupPlan: { BackupPlanRule: Array<Record<string, unknown>> } }).BackupPlan.BackupPlanRule;
  const rule = rules.find((r) => r.RuleName === name);
  if (!rule) throw new Error(`no rule ${name} in ${rules.map((r) => String(r.RuleName)).join(', ')}`);
  return rule;
}

const REPLICA_ARN = /^arn:aws:backup:eu-central-1:111111111111:backup-vault:Secondary-BackupReplica-[0-9A-F]{8}$/;

describe('BackupPolicy', () => {
  let defaults: ReturnType<typeof backupStacks>;
  beforeAll(() => {
    defaults = backupStacks({}, (_stack, policy) => { policy.addAuroraRestoreTesting(); });
  });

  describe('vault', () => {
    test('is encrypted with a rotating, retained customer-managed key and retained itself', () => {
      defaults.template.hasResource('AWS::Backup::BackupVault', {
        Properties: Match.objectLike({ EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupKey'), 'Arn'] } }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      defaults.template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true, Description: 'Test/Backup AWS Backup vault' }),
        DeletionPolicy: 'Retain',
      });
    });

    test('is locked in governance mode from 7 to 365 days by default', () => {
      defaults.template.hasResourceProperties('AWS::Backup::BackupVault', {
        LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 365, ChangeableForDays: Match.absent() },
      });
      Annotations.fromStack(defaults.stack).hasNoWarning('*', Match.stringLikeRegexp('compliance mode'));
    });

    test('complianceLockAfter switches to compliance mode with an irreversibility warning', () => {
      const { stack, template } = backupStacks({
        complianceLockAfter: Duration.days(3), lockMinRetention: Duration.days(30), lockMaxRetention: Duration.days(400),
      });
      template.hasResourceProperties('AWS::Backup::BackupVault', {
        LockConfiguration: { MinRetentionDays: 30, MaxRetentionDays: 400, ChangeableForDays: 3 },
      });
      Annotations.fromStack(stack).hasWarning('/Test/Backup', Match.stringLikeRegexp('compliance mode and becomes immutable .* irreversible'));
    });

    test('stateful logical IDs are stable', () => {
      const ids = Object.keys(defaults.template.toJSON().Resources as Record<string, unknown>);
      expect(ids).toEqual(expect.arrayContaining([
        'BackupKey570ED138', 'BackupVaultADF21B19',
        'BackupAuroraRestoreTestingKeyC8DACC8A', 'BackupAuroraRestoreTestingValidationLogsEBE15C5B', 'BackupAuroraRestoreTestingDeadLetterQueue622FE6F7',
      ]));
      expect(Object.keys(Template.fromStack(defaults.secondary).toJSON().Resources as Record<string, unknown>))
        .toEqual(expect.arrayContaining(['BackupReplicaKey87595E51', 'BackupReplicaVault309CA2BD']));
    });
  });

  describe('plan rules', () => {
    test('continuous backup (point-in-time recovery) kept 35 days, copied to the secondary vault', () => {
      const rule = ruleNamed(defaults.template, 'Continuous');
      expect(rule).toMatchObject({
        EnableContinuousBackup: true,
        Lifecycle: { DeleteAfterDays: 35 },
        CopyActions: [{ DestinationBackupVaultArn: expect.stringMatching(REPLICA_ARN), Lifecycle: { DeleteAfterDays: 35 } }],
      });
      expect(rule.Lifecycle).not.toHaveProperty('MoveToColdStorageAfterDays');
    });

    test.each([
      ['Daily', 'cron(0 5 * * ? *)', 35],
      ['Weekly', 'cron(0 5 ? * SUN *)', 90],
    ])('%s snapshots on %s kept %i days, copied with the same retention', (name, schedule, days) => {
      expect(ruleNamed(defaults.template, name)).toMatchObject({
        ScheduleExpression: schedule,
        Lifecycle: { DeleteAfterDays: days },
        TargetBackupVault: { 'Fn::GetAtt': [expect.stringMatching(/^BackupVault/), 'BackupVaultName'] },
        CopyActions: [{ DestinationBackupVaultArn: expect.stringMatching(REPLICA_ARN), Lifecycle: { DeleteAfterDays: days } }],
      });
    });

    test('monthly snapshots kept 1 year, moved to cold storage after 30 days, in the copy too', () => {
      expect(ruleNamed(defaults.template, 'Monthly')).toMatchObject({
        ScheduleExpression: 'cron(0 5 1 * ? *)',
        Lifecycle: { DeleteAfterDays: 365, MoveToColdStorageAfterDays: 30 },
        CopyActions: [{
          DestinationBackupVaultArn: expect.stringMatching(REPLICA_ARN),
          Lifecycle: { DeleteAfterDays: 365, MoveToColdStorageAfterDays: 30 },
        }],
      });
    });

    test('the copy destination is a literal ARN: no cross-stack reference between regions', () => {
      expect(defaults.replica.backupVaultArn).toMatch(REPLICA_ARN);
      expect(JSON.stringify(defaults.template.toJSON())).not.toMatch(/Fn::ImportValue|ExportsReader/);
    });

    test('a backup account vault is an extra copy destination of every rule', () => {
      const arn = 'arn:aws:backup:eu-west-1:222222222222:backup-vault:central';
      const stack = testStack();
      new BackupPolicy(stack, 'Backup', {
        copyDestination: backup.BackupVault.fromBackupVaultArn(stack, 'Replica', 'arn:aws:backup:eu-central-1:111111111111:backup-vault:replica'),
        backupAccountVault: backup.BackupVault.fromBackupVaultArn(stack, 'Central', arn),
      });
      const rule = ruleNamed(Template.fromStack(stack), 'Weekly') as { CopyActions: Array<{ DestinationBackupVaultArn: string }> };
      expect(rule.CopyActions.map((c) => c.DestinationBackupVaultArn)).toEqual([
        'arn:aws:backup:eu-central-1:111111111111:backup-vault:replica', arn,
      ]);
    });

    test('retentions are configurable', () => {
      const { template } = backupStacks({
        continuousBackupRetention: Duration.days(14),
        dailyRetention: Duration.days(14),
        weeklyRetention: Duration.days(60),
        monthlyRetention: Duration.days(200),
        monthlyColdStorageAfter: Duration.days(100),
      });
      expect(ruleNamed(template, 'Continuous')).toMatchObject({ Lifecycle: { DeleteAfterDays: 14 } });
      expect(ruleNamed(template, 'Daily')).toMatchObject({ Lifecycle: { DeleteAfterDays: 14 } });
      expect(ruleNamed(template, 'Weekly')).toMatchObject({ Lifecycle: { DeleteAfterDays: 60 } });
      expect(ruleNamed(template, 'Monthly')).toMatchObject({ Lifecycle: { DeleteAfterDays: 200, MoveToColdStorageAfterDays: 100 } });
    });

    test('without a copy destination there are no copy actions and a 3-2-1 warning', () => {
      const stack = testStack();
      new BackupPolicy(stack, 'Backup');
      const template = Template.fromStack(stack);
      expect(ruleNamed(template, 'Daily')).not.toHaveProperty('CopyActions');
      Annotations.fromStack(stack).hasWarning('/Test', Match.stringLikeRegexp('no copyDestination: .*3-2-1 rule not met'));
      template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    });
  });

  describe('selection', () => {
    test('selects every resource tagged platform:backup=default with the backup role', () => {
      defaults.template.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: {
          SelectionName: 'TagSelection',
          IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupBackupRole'), 'Arn'] },
          ListOfTags: [{ ConditionKey: 'platform:backup', ConditionType: 'STRINGEQUALS', ConditionValue: 'default' }],
        },
      });
    });

    test('the backup role may back up and restore every type, S3 included', () => {
      defaults.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })] },
        ManagedPolicyArns: ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores', 'AWSBackupServiceRolePolicyForS3Backup', 'AWSBackupServiceRolePolicyForS3Restore']
          .map((name) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/service-role/${name}`]] })),
      });
    });

    test('explicit resources (props and addResources) get their own selections', () => {
      const { template } = backupStacks({ resources: [backup.BackupResource.fromArn('arn:aws:s3:::bucket-a')] }, (_stack, policy) => {
        policy.addResources('Buckets', backup.BackupResource.fromArn('arn:aws:s3:::bucket-b'));
      });
      template.hasResourceProperties('AWS::Backup::BackupSelection', { BackupSelection: Match.objectLike({ SelectionName: 'ResourceSelection', Resources: ['arn:aws:s3:::bucket-a'] }) });
      template.hasResourceProperties('AWS::Backup::BackupSelection', { BackupSelection: Match.objectLike({ SelectionName: 'Buckets', Resources: ['arn:aws:s3:::bucket-b'] }) });
    });
  });

  describe('restore testing', () => {
    test('restores the latest Aurora recovery point of the vault weekly', () => {
      defaults.template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
        ScheduleExpression: 'cron(0 6 ? * SAT *)',
        RestoreTestingPlanName: Match.stringLikeRegexp('^Test_Backup_AuroraRestoreTesting_[0-9A-F]{8}$'),
        RecoveryPointSelection: {
          Algorithm: 'LATEST_WITHIN_WINDOW',
          IncludeVaults: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupVault'), 'BackupVaultArn'] }],
          RecoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
          SelectionWindowDays: 7,
        },
      });
    });

    test('selects Aurora clusters by the backup tag and keeps the restore 4 hours for validation', () => {
      defaults.template.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
        ProtectedResourceType: 'Aurora',
        ProtectedResourceArns: ['*'],
        ProtectedResourceConditions: { StringEquals: [{ Key: 'aws:ResourceTag/platform:backup', Value: 'default' }] },
        ValidationWindowHours: 4,
        IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RestoreRole'), 'Arn'] },
      });
    });

    test('selects one cluster by ARN when given', () => {
      const { template } = backupStacks({}, (stack, policy) => {
        const database = new AuroraDatabase(stack, 'Database', { vpc: new MultiAzNetwork(stack, 'Network').vpc });
        policy.addAuroraRestoreTesting({ cluster: database.cluster, validationWindow: Duration.hours(2), schedule: events.Schedule.cron({ day: '1', hour: '3', minute: '0' }) });
      });
      template.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
        ProtectedResourceArns: [{ 'Fn::Join': ['', ['arn:aws:rds:eu-west-1:111111111111:cluster:', { Ref: Match.stringLikeRegexp('^DatabaseCluster') }]] }],
        ProtectedResourceConditions: Match.absent(),
        ValidationWindowHours: 2,
      });
      template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', { ScheduleExpression: 'cron(0 3 1 * ? *)' });
    });

    test('the validation function: Node.js 24 on ARM64, reserved concurrency, DLQ, encrypted log group, configured by env', () => {
      defaults.template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        ReservedConcurrentExecutions: 2,
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('ValidationLogs') } },
        Environment: {
          Variables: {
            RESTORE_TESTING_PLAN_ARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuroraRestoreTestingPlan'), 'RestoreTestingPlanArn'] },
            RESTORE_TESTING_PLAN_NAME: Match.stringLikeRegexp('^Test_Backup_AuroraRestoreTesting_'),
            EXPECTED_ENGINE: 'aurora-postgresql',
            METRIC_NAMESPACE: 'Platform/Backup',
            MAX_ATTEMPTS: '5',
          },
        },
      });
      defaults.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
      defaults.template.hasResource('AWS::Logs::LogGroup', {
        Properties: Match.objectLike({ RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuroraRestoreTestingKey'), 'Arn'] } }),
        DeletionPolicy: 'Retain',
      });
      defaults.template.hasResourceProperties('AWS::SQS::Queue', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuroraRestoreTestingKey'), 'Arn'] },
        MessageRetentionPeriod: 1209600,
      });
    });

    test('the validation function may only read restore jobs and clusters, report results and write its logs', () => {
      defaults.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [
            { Sid: 'RestoreJobs', Effect: 'Allow', Action: ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult'], Resource: '*' },
            { Sid: 'RestoredClusters', Effect: 'Allow', Action: 'rds:DescribeDBClusters', Resource: 'arn:aws:rds:eu-west-1:111111111111:cluster:*' },
            { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('ValidationLogs'), 'Arn'] } },
          ],
        },
      });
      // No AWS managed execution role: logs are granted on the function's own log group only.
      const roles = Object.values(defaults.template.findResources('AWS::IAM::Role'))
        .filter((r) => JSON.stringify(r.Properties).includes('lambda.amazonaws.com'));
      expect(roles).toHaveLength(1);
      expect(roles[0].Properties).not.toHaveProperty('ManagedPolicyArns');
    });

    test('EventBridge invokes the function on completed restore jobs', () => {
      defaults.template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'source': ['aws.backup'], 'detail-type': ['Restore Job State Change'], 'detail': { status: ['COMPLETED'] } },
        Targets: [Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ValidationFunction'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        })],
      });
    });

    test('a vpc puts the function in the private subnets', () => {
      const { template } = backupStacks({}, (stack, policy) => {
        policy.addAuroraRestoreTesting({ vpc: new MultiAzNetwork(stack, 'Network').vpc });
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        VpcConfig: { SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcPrivateSubnet1') }]) },
      });
    });

    test('is configured once per policy', () => {
      expect(() => defaults.policy.addAuroraRestoreTesting()).toThrow(
        'Test/Backup: addAuroraRestoreTesting() (2) calls: restore testing is already configured for this policy: call addAuroraRestoreTesting() once; its plan restores every Aurora cluster tagged platform:backup');
    });
  });

  describe('alarms', () => {
    test.each([
      ['NumberOfBackupJobsFailed', 'BackupJobFailed'],
      ['NumberOfCopyJobsFailed', 'BackupCopyJobFailed'],
    ])('%s of the vault >= 1 in an hour alarms with runbook %s', (metricName, runbook) => {
      defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Backup',
        MetricName: metricName,
        Dimensions: [{ Name: 'BackupVaultName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupVault'), 'BackupVaultName'] } }],
        Statistic: 'Sum',
        Period: 3600,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmDescription: Match.stringLikeRegexp(`^\\[warning\\] .* Runbook: https://.*/runbooks/alerts/backup/${runbook}\\.md$`),
      });
    });

    test('failed restores, failed validations and validation errors alarm with runbook RestoreTestFailed', () => {
      defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: Match.stringLikeRegexp('Runbook: https://.*/runbooks/alerts/backup/RestoreTestFailed\\.md$'),
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'FILL(restoresFailed, 0) + FILL(validationsFailed, 0) + FILL(validatorErrors, 0)' }),
          Match.objectLike({ Id: 'restoresFailed', MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/Backup', MetricName: 'NumberOfRestoreJobsFailed' }) }) }),
          Match.objectLike({ Id: 'validationsFailed', MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'Platform/Backup', MetricName: 'RestoreValidationFailed' }) }) }),
          Match.objectLike({ Id: 'validatorErrors', MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/Lambda', MetricName: 'Errors' }) }) }),
        ]),
      });
    });

    test('the alarms are the named fields: backup jobs, copy jobs and restore tests', () => {
      const { stack, policy, template } = defaults;
      const restoreTesting = policy.node.findChild('AuroraRestoreTesting') as AuroraRestoreTesting;
      const idOf = (alarm: cloudwatch.Alarm): string => stack.getLogicalId(alarm.node.defaultChild as CfnResource);
      expect(policy.copyJobFailedAlarm).toBeDefined();
      const alarms = template.findResources('AWS::CloudWatch::Alarm');
      const named = [policy.backupJobFailedAlarm, policy.copyJobFailedAlarm!, restoreTesting.restoreTestFailedAlarm];
      expect(Object.keys(alarms).sort()).toEqual(named.map(idOf).sort());
      expect(alarms[idOf(policy.backupJobFailedAlarm)].Properties).toMatchObject({ MetricName: 'NumberOfBackupJobsFailed' });
      expect(alarms[idOf(policy.copyJobFailedAlarm!)].Properties).toMatchObject({ MetricName: 'NumberOfCopyJobsFailed' });
    });

    test('without a copy destination there is no copy job alarm', () => {
      const stack = testStack();
      expect(new BackupPolicy(stack, 'Backup').copyJobFailedAlarm).toBeUndefined();
    });

    test('every alarm links a committed runbook', () => {
      const descriptions = Object.values(defaults.template.findResources('AWS::CloudWatch::Alarm'))
        .map((r) => (r.Properties as { AlarmDescription: string }).AlarmDescription);
      expect(descriptions).toHaveLength(3);
      for (const description of descriptions) {
        const path = runbookPathFromUrl(description.replace(/^.*Runbook: /, ''));
        expect(path).toBeDefined();
        expect(existsSync(join(__dirname, '../../../runbooks', `${path}.md`))).toBe(true);
      }
    });
  });

  describe('validation', () => {
    const P = 'Test/Backup';
    const sameRegion = (stack: Stack): BackupPolicyProps => ({
      copyDestination: backup.BackupVault.fromBackupVaultArn(stack, 'Same', 'arn:aws:backup:eu-west-1:111111111111:backup-vault:same'),
    });
    const sameAccount = (stack: Stack): BackupPolicyProps => ({
      backupAccountVault: backup.BackupVault.fromBackupVaultArn(stack, 'Own', 'arn:aws:backup:eu-central-1:111111111111:backup-vault:own'),
    });
    test.each<[string, (stack: Stack) => BackupPolicyProps, string]>([
      ['copy destination in the same region', sameRegion,
        `${P}: copyDestination (region) ('eu-west-1') is the vault's own region: a copy in the same region does not survive a regional outage: pass the copyDestination of a BackupCopyVault deployed in the secondary region`],
      ['backup account vault in the same account', sameAccount,
        `${P}: backupAccountVault (account) ('111111111111') is this policy's own account: a copy in the same account is lost with the account: pass a vault of the separate backup account (BackupVault.fromBackupVaultArn with that account's ARN), or use copyDestination for the secondary region`],
      ['monthly retention shorter than cold storage + 90 days', () => ({ monthlyRetention: Duration.days(100) }),
        `${P}: monthlyRetention (days) (100) is shorter than monthlyColdStorageAfter (30 days) plus the 90 days a recovery point must stay in cold storage: raise monthlyRetention to at least 120 days or lower monthlyColdStorageAfter`],
      ['cold storage pushed past the retention', () => ({ monthlyColdStorageAfter: Duration.days(300) }),
        `${P}: monthlyRetention (days) (365) is shorter than monthlyColdStorageAfter (300 days) plus the 90 days a recovery point must stay in cold storage: raise monthlyRetention to at least 390 days or lower monthlyColdStorageAfter`],
      ['continuous backup retention over 35 days', () => ({ continuousBackupRetention: Duration.days(36) }),
        `${P}: continuousBackupRetention (days) (36) must be an integer from 1 to 35: set continuousBackupRetention (days) to a whole number between 1 and 35`],
      ['continuous backup retention in hours', () => ({ continuousBackupRetention: Duration.hours(36) }),
        `${P}: continuousBackupRetention (days) (1.5) must be an integer from 1 to 35: set continuousBackupRetention (days) to a whole number between 1 and 35`],
      ['weekly retention above the lock maximum', () => ({ weeklyRetention: Duration.days(400) }),
        `${P}: weeklyRetention (days) (400) is above lockMaxRetention (365 days): the vault lock would fail every job of this rule: lower weeklyRetention or raise lockMaxRetention`],
      ['monthly retention above the lock maximum', () => ({ monthlyRetention: Duration.days(730) }),
        `${P}: monthlyRetention (days) (730) is above lockMaxRetention (365 days): the vault lock would fail every job of this rule: lower monthlyRetention or raise lockMaxRetention`],
      ['daily retention below the lock minimum', () => ({ dailyRetention: Duration.days(3) }),
        `${P}: dailyRetention (days) (3) is below lockMinRetention (7 days): the vault lock would fail every job of this rule: raise dailyRetention or lower lockMinRetention`],
      ['lock minimum above the continuous retention', () => ({ lockMinRetention: Duration.days(60) }),
        `${P}: continuousBackupRetention (days) (35) is below lockMinRetention (60 days): the vault lock would fail every job of this rule: raise continuousBackupRetention or lower lockMinRetention`],
      ['lock maximum not above the minimum', () => ({ lockMinRetention: Duration.days(30), lockMaxRetention: Duration.days(30) }),
        `${P}: lockMaxRetention (days) (30) is not above lockMinRetention (30 days): raise lockMaxRetention or lower lockMinRetention`],
      ['compliance grace time under 72 hours', () => ({ complianceLockAfter: Duration.hours(48) }),
        `${P}: complianceLockAfter (hours) (48) is shorter than the 72-hour grace time AWS Backup enforces or not a whole number of days: set complianceLockAfter to Duration.days(3) or more, or leave it unset for a governance-mode lock`],
    ])('%s', (_name, props, message) => {
      const stack = testStack();
      expect(() => new BackupPolicy(stack, 'Backup', props(stack))).toThrow(message);
    });
  });

  describe('compliance', () => {
    test('AwsSolutions and NIST 800-53 rev 5 find nothing on a network, Aurora, backups and restore testing', () => {
      // GIVEN a nag-enabled app (separate from the stacks above: with the packs registered, synthesis throws on findings)
      const app = testApp();
      const secondary = testStack({ app, id: 'Secondary', region: SECONDARY, nag: true });
      const replica = new BackupCopyVault(secondary, 'BackupReplica');
      const stack = testStack({ app });
      const network = new MultiAzNetwork(stack, 'Network');
      new AuroraDatabase(stack, 'Database', { vpc: network.vpc });
      const policy = new BackupPolicy(stack, 'Backup', { copyDestination: replica.copyDestination });
      const restoreTesting: AuroraRestoreTesting = policy.addAuroraRestoreTesting({ vpc: network.vpc });
      expect(restoreTesting).toBeInstanceOf(AuroraRestoreTesting);
      // WHEN / THEN
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });

    test('the function outside a VPC is acknowledged, not a finding', () => {
      const app = testApp();
      const stack = testStack({ app, nag: true });
      new BackupPolicy(stack, 'Backup').addAuroraRestoreTesting();
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });
  });
});
