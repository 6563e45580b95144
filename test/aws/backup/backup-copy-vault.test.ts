import { App, Duration, Stack } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { BackupCopyVault, BackupVaultReplica } from '../../../constructs/aws/backup/backup-copy-vault';
import type { BackupCopyVaultProps } from '../../../constructs/aws/backup/backup-copy-vault';
import { BackupPolicy } from '../../../constructs/aws/backup/backup-policy';
import { testApp, testStack } from '../../helpers/test-stack';

const SECONDARY = 'eu-central-1';

/** A secondary-region stack with a BackupCopyVault `BackupReplica` built from `props`. */
function copyVaultStack(props: BackupCopyVaultProps = {}): { secondary: Stack; replica: BackupCopyVault; template: Template } {
  const secondary = testStack({ id: 'Secondary', region: SECONDARY });
  const replica = new BackupCopyVault(secondary, 'BackupReplica', props);
  return { secondary, replica, template: Template.fromStack(secondary) };
}

describe('BackupCopyVault', () => {
  let defaults: ReturnType<typeof copyVaultStack>;
  beforeAll(() => {
    defaults = copyVaultStack();
  });

  describe('vault and key (nothing lost)', () => {
    test('a retained, KMS-encrypted, locked vault with a deterministic name', () => {
      const { replica, template } = defaults;
      template.hasResource('AWS::Backup::BackupVault', {
        Properties: Match.objectLike({
          BackupVaultName: Match.stringLikeRegexp('^Secondary-BackupReplica-[0-9A-F]{8}$'),
          EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupReplicaKey'), 'Arn'] },
          LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 365 },
        }),
        DeletionPolicy: 'Retain',
      });
      expect(replica.backupVaultArn).toBe(`arn:aws:backup:eu-central-1:111111111111:backup-vault:${replica.backupVaultName}`);
    });

    test('the vault is retained on replacement too, in governance mode (no compliance warning)', () => {
      const { secondary, template } = defaults;
      template.hasResource('AWS::Backup::BackupVault', {
        Properties: Match.objectLike({ LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 365, ChangeableForDays: Match.absent() } }),
        UpdateReplacePolicy: 'Retain',
      });
      Annotations.fromStack(secondary).hasNoWarning('*', Match.stringLikeRegexp('compliance mode'));
    });

    test('its key rotates yearly and is retained', () => {
      const { secondary, replica, template } = defaults;
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(Object.keys(template.findResources('AWS::KMS::Key'))).toEqual([secondary.getLogicalId(replica.encryptionKey.node.defaultChild as CfnResource)]);
    });

    test('stateful logical IDs are stable', () => {
      expect(Object.keys(defaults.template.toJSON().Resources as Record<string, unknown>))
        .toEqual(expect.arrayContaining(['BackupReplicaKey87595E51', 'BackupReplicaVault309CA2BD']));
    });

    test('an explicit name and lock bounds are used as given; complianceLockAfter warns that the lock becomes immutable', () => {
      const { secondary, replica, template } = copyVaultStack({
        backupVaultName: 'platform-backup-replica',
        lockMinRetention: Duration.days(14),
        lockMaxRetention: Duration.days(730),
        complianceLockAfter: Duration.days(3),
      });
      template.hasResourceProperties('AWS::Backup::BackupVault', {
        BackupVaultName: 'platform-backup-replica',
        LockConfiguration: { MinRetentionDays: 14, MaxRetentionDays: 730, ChangeableForDays: 3 },
      });
      expect(replica.backupVaultArn).toBe('arn:aws:backup:eu-central-1:111111111111:backup-vault:platform-backup-replica');
      Annotations.fromStack(secondary).hasWarning('/Secondary/BackupReplica', Match.stringLikeRegexp('compliance mode and becomes immutable .* irreversible'));
    });
  });

  describe('copy destination', () => {
    test('is an import by the literal ARN in the vault\'s region', () => {
      const { replica } = defaults;
      expect(replica.copyDestination.backupVaultArn).toBe(replica.backupVaultArn);
      expect(replica.copyDestination.env.region).toBe(SECONDARY);
      expect(replica.copyDestination.env.account).toBe('111111111111');
    });

    test('a plan in the primary region copies to it with no cross-stack reference', () => {
      const app = testApp();
      const secondary = testStack({ app, id: 'Secondary', region: SECONDARY });
      const replica = new BackupCopyVault(secondary, 'BackupReplica');
      const primary = testStack({ app });
      new BackupPolicy(primary, 'Backup', { copyDestination: replica.copyDestination });
      const json = JSON.stringify(Template.fromStack(primary).toJSON());
      expect(json).toContain(replica.backupVaultArn);
      expect(json).not.toContain('Fn::ImportValue');
      expect(json).not.toContain('Fn::GetStackOutput');
      expect(Template.fromStack(secondary).toJSON()).not.toHaveProperty('Outputs');
    });

    test('the ARN carries the partition of the region', () => {
      const stack = new Stack(new App(), 'China', { env: { account: '111111111111', region: 'cn-north-1' } });
      const replica = new BackupCopyVault(stack, 'Replica', { backupVaultName: 'platform-backup-replica' });
      expect(replica.backupVaultArn).toBe('arn:aws-cn:backup:cn-north-1:111111111111:backup-vault:platform-backup-replica');
    });

    test('BackupVaultReplica is the deprecated name of the same construct', () => {
      expect(BackupVaultReplica).toBe(BackupCopyVault);
    });
  });

  describe('validation', () => {
    test.each<[string, BackupCopyVaultProps, string]>([
      ['bad vault name', { backupVaultName: 'no spaces allowed' },
        "Secondary/Replica: backupVaultName ('no spaces allowed') is not 2 to 50 letters, digits, - or _: use a name such as 'platform-backup-replica'"],
      ['lock minimum of 0 days', { lockMinRetention: Duration.days(0) },
        'Secondary/Replica: lockMinRetention (days) (0) must be an integer from 1 to 36500: set lockMinRetention (days) to a whole number between 1 and 36500'],
    ])('replica: %s', (_name, props, message) => {
      const secondary = testStack({ id: 'Secondary', region: SECONDARY });
      expect(() => new BackupCopyVault(secondary, 'Replica', props)).toThrow(message);
    });

    test.each<[string, BackupCopyVaultProps, string]>([
      ['a one-letter name', { backupVaultName: 'a' },
        "Secondary/Replica: backupVaultName ('a') is not 2 to 50 letters, digits, - or _: use a name such as 'platform-backup-replica'"],
      ['a lock maximum not above the minimum', { lockMinRetention: Duration.days(30), lockMaxRetention: Duration.days(30) },
        'Secondary/Replica: lockMaxRetention (days) (30) is not above lockMinRetention (30 days): raise lockMaxRetention or lower lockMinRetention'],
      ['a compliance grace time under 72 hours', { complianceLockAfter: Duration.hours(48) },
        'Secondary/Replica: complianceLockAfter (hours) (48) is shorter than the 72-hour grace time AWS Backup enforces or not a whole number of days: set complianceLockAfter to Duration.days(3) or more, or leave it unset for a governance-mode lock'],
    ])('%s is rejected before anything is built', (_name, props, message) => {
      const secondary = testStack({ id: 'Secondary', region: SECONDARY });
      expect(() => new BackupCopyVault(secondary, 'Replica', props)).toThrow(message);
      expect(secondary.node.findChild('Replica').node.children).toHaveLength(0);
    });

    test('a stack without a concrete account and region is rejected: other regions address the vault by its ARN', () => {
      const stack = new Stack(new App(), 'Agnostic');
      expect(() => new BackupCopyVault(stack, 'Replica')).toThrow(
        /^Agnostic\/Replica: env \(\{"account":"\$\{Token\[AWS\.AccountId\.\d+\]\}","region":"\$\{Token\[AWS\.Region\.\d+\]\}"\}\) is not concrete: the primary plan addresses this vault by an ARN built from account and region: give the secondary stack an explicit env \(\{ account, region \}\) from the platform config$/);
    });
  });
});
