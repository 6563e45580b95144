import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import { BackupCopyVault, MultiAzNetwork, PlatformStack } from '../constructs';
import { limitGrantsToAwsServices } from '../constructs/aws/private/encryption';
import type { PlatformConfig } from './config';
import { platformStackProps } from './config';

/** Props of {@link SecondaryBaseStack}. */
export interface SecondaryBaseStackProps {
  readonly config: PlatformConfig;
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

  constructor(scope: Construct, id: string, props: SecondaryBaseStackProps) {
    const { config } = props;
    super(scope, id, platformStackProps(config, 'secondary', 'secondary-region network, backup copy vault and restore target'));
    this.network = new MultiAzNetwork(this, 'Network', { availabilityZones: config.secondaryAzs });
    // The ID predates the BackupCopyVault name: it holds the vault (and its derived name), so it stays.
    this.backupVault = new BackupCopyVault(this, 'BackupReplica');
    new CfnOutput(this, 'BackupVaultName', { value: this.backupVault.backupVaultName, description: 'Vault holding the copies of the primary recovery points' });

    // ---- what a restore into this region needs (restore-from-backup drill)
    const vpc = this.network.vpc;
    this.restoreSubnetGroup = new rds.SubnetGroup(this, 'RestoreSubnetGroup', {
      vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      description: `${config.service}: isolated subnets of a database restored in ${config.secondaryRegion}`,
    });
    this.restoreSecurityGroup = new ec2.SecurityGroup(this, 'RestoreSecurityGroup', {
      vpc, allowAllOutbound: false, description: `${config.service}: database restored in ${config.secondaryRegion}`,
    });
    this.restoreSecurityGroup.addIngressRule(ec2.Peer.ipv4(this.network.cidr), ec2.Port.tcp(5432), 'PostgreSQL from the VPC');
    this.restoreKey = new kms.Key(this, 'RestoreKey', {
      description: `${config.service}: database restored in ${config.secondaryRegion}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    limitGrantsToAwsServices(this.restoreKey);
    this.restoreRole = new iam.Role(this, 'RestoreRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `${config.service}: AWS Backup restores in ${config.secondaryRegion}`,
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
    new CfnOutput(this, 'RestoreDatabaseSubnetGroupName', { value: this.restoreSubnetGroup.subnetGroupName, description: 'Subnet group a restored cluster uses' });
    new CfnOutput(this, 'RestoreDatabaseSecurityGroupId', { value: this.restoreSecurityGroup.securityGroupId, description: 'Security group a restored cluster uses' });
    new CfnOutput(this, 'RestoreDatabaseKmsKeyArn', { value: this.restoreKey.keyArn, description: 'Key a restored cluster is encrypted with' });
    new CfnOutput(this, 'RestoreRoleArn', { value: this.restoreRole.roleArn, description: 'Role AWS Backup restores with (restore-from-backup drill)' });
  }
}
