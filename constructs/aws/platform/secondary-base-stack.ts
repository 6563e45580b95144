import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import { BackupCopyVault } from '../backup/backup-copy-vault';
import { MultiAzNetwork } from '../network/multi-az-network';
import { PlatformStack } from '../platform-stack';
import { limitGrantsToAwsServices } from '../private/encryption';
import type { PlatformSpec } from './multi-region-platform-props';
import { platformStackProps, useRunbookBase } from './private/platform-stack-props';
import { addRegionalRelease } from './regional-release';
import type { RegionalRelease } from './regional-release';
import { secondaryRegionShape } from './secondary-region-stack';
import { StackOutput } from '../../core/stack-outputs';

/** Props of {@link SecondaryBaseStack}. */
export interface SecondaryBaseStackProps {
  /** The platform this stack belongs to. */
  readonly spec: PlatformSpec;
}

/**
 * What the secondary region needs at every DR tier, deployed first: the network (the region's planned,
 * non-overlapping CIDR) and the backup vault every primary recovery point is copied to. For the
 * backup-and-restore tier this is all that runs in the secondary region until a recovery. It also holds what a
 * restore of a copied recovery point into this region needs (the `restore-from-backup` drill): a DB subnet group
 * over the isolated subnets, a security group, a key and the role AWS Backup restores with.
 */
export class SecondaryBaseStack extends PlatformStack {
  public readonly network: MultiAzNetwork;
  public readonly backupVault: BackupCopyVault;
  /** DB subnet group (isolated subnets) a database restored in this region uses. */
  public readonly restoreSubnetGroup: rds.SubnetGroup;
  /** Security group of a database restored in this region: the database port from the VPC. */
  public readonly restoreSecurityGroup: ec2.SecurityGroup;
  /** Key a database restored in this region is encrypted with (rotating, retained). */
  public readonly restoreKey: kms.Key;
  /** Role AWS Backup assumes to restore recovery points in this region. */
  public readonly restoreRole: iam.Role;
  /**
   * Feature flags and deployment hooks of the region's service, from pilot light up (the tiers with a secondary
   * application); with the edge canary where the region serves (active/active, or the active region after a failover).
   */
  public readonly release?: RegionalRelease;

  constructor(scope: Construct, id: string, props: SecondaryBaseStackProps) {
    const { spec } = props;
    super(scope, id, platformStackProps(spec, 'secondary', 'secondary-region network, backup copy vault and restore target'));
    useRunbookBase(this, spec);
    this.network = new MultiAzNetwork(this, 'Network', { availabilityZones: spec.secondaryAzs });
    // The ID predates the BackupCopyVault name: it holds the vault (and its derived name), so it stays.
    this.backupVault = new BackupCopyVault(this, 'BackupReplica');
    new CfnOutput(this, StackOutput.BACKUP_VAULT_NAME, { value: this.backupVault.backupVaultName, description: 'Vault holding the copies of the primary recovery points' });

    // ---- what a restore into this region needs (restore-from-backup drill)
    const vpc = this.network.vpc;
    this.restoreSubnetGroup = new rds.SubnetGroup(this, 'RestoreSubnetGroup', {
      vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      description: `${spec.service}: isolated subnets of a database restored in ${spec.secondaryRegion}`,
    });
    this.restoreSecurityGroup = new ec2.SecurityGroup(this, 'RestoreSecurityGroup', {
      vpc, allowAllOutbound: false, description: `${spec.service}: database restored in ${spec.secondaryRegion}`,
    });
    this.restoreSecurityGroup.addIngressRule(ec2.Peer.ipv4(this.network.cidr), ec2.Port.tcp(5432), 'PostgreSQL from the VPC');
    this.restoreKey = new kms.Key(this, 'RestoreKey', {
      description: `${spec.service}: database restored in ${spec.secondaryRegion}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    limitGrantsToAwsServices(this.restoreKey);
    this.restoreRole = new iam.Role(this, 'RestoreRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `${spec.service}: AWS Backup restores in ${spec.secondaryRegion}`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores')],
    });
    Validations.of(this.restoreRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
      reason: 'AWSBackupServiceRolePolicyForRestores is the AWS managed policy made for the AWS Backup restore role.',
    });
    this.restoreKey.grantEncryptDecrypt(this.restoreRole);
    const restorePolicy = this.restoreRole.node.findChild('DefaultPolicy');
    for (const id of ['AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'NIST.800.53.R5-IAMNoInlinePolicy']) {
      Validations.of(restorePolicy).acknowledge({
        id,
        reason: 'The grant CDK generates for the restore role on this one key (encrypting the restored cluster): the wildcards are the KMS action families of a single-key grant, attached to this role only.',
      });
    }
    new CfnOutput(this, StackOutput.RESTORE_DATABASE_SUBNET_GROUP_NAME, { value: this.restoreSubnetGroup.subnetGroupName, description: 'Subnet group a restored cluster uses' });
    new CfnOutput(this, StackOutput.RESTORE_DATABASE_SECURITY_GROUP_ID, { value: this.restoreSecurityGroup.securityGroupId, description: 'Security group a restored cluster uses' });
    new CfnOutput(this, StackOutput.RESTORE_DATABASE_KMS_KEY_ARN, { value: this.restoreKey.keyArn, description: 'Key a restored cluster is encrypted with' });
    new CfnOutput(this, StackOutput.RESTORE_ROLE_ARN, { value: this.restoreRole.roleArn, description: 'Role AWS Backup restores with (restore-from-backup drill)' });
    if (secondaryRegionShape(spec.drTier, spec.capacity)) {
      this.release = addRegionalRelease(this, spec, this.network, spec.drTier.secondaryServes || spec.activeRegion === 'secondary');
    }
  }
}
