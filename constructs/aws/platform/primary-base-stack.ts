import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { BackupCopyVault } from '../backup/backup-copy-vault';
import { MultiAzNetwork } from '../network/multi-az-network';
import { PlatformStack } from '../platform-stack';
import { createDataKey } from '../private/encryption';
import type { PlatformSpec } from './multi-region-platform-props';
import { originRoutingNames } from './private/origin-routing';
import { platformStackProps, useRunbookBase } from './private/platform-stack-props';
import { addRegionalRelease } from './regional-release';
import type { RegionalRelease } from './regional-release';
import { StackOutput } from '../../core/stack-outputs';

/** Props of {@link PrimaryBaseStack}. */
export interface PrimaryBaseStackProps {
  /** The platform this stack belongs to. */
  readonly spec: PlatformSpec;
}

/**
 * The primary region's network (its planned, non-overlapping CIDR), in a stack of its own like the
 * secondary's: the network outlives application deployments, and the application stack keeps room under the
 * per-stack resource budget. It also holds the primary region's copy vault (the mirror of the secondary base's):
 * the destination of the backup plans of the other regions (the secondary region's plan, which covers the promoted
 * database after a failover, and the global stack's), deployed before them. With a domain, also the origin-verify
 * secret (deployed before every stack that reads it: the regional listener rules and CloudFront, through replicas
 * in their regions). And the region's release infrastructure (feature flags on AppConfig, the deployment hooks, the
 * edge canary), which the application stack references.
 */
export class PrimaryBaseStack extends PlatformStack {
  public readonly network: MultiAzNetwork;
  /** The vault every recovery point of the other regions' plans is copied to (the secondary region's and the global stack's). */
  public readonly backupVault: BackupCopyVault;
  /** The origin-verify header value, replicated to the secondary region and us-east-1 (with a domain only). */
  public readonly originVerifySecret?: secretsmanager.Secret;
  /** Feature flags, deployment hooks and the edge canary of the primary region's service. */
  public readonly release: RegionalRelease;

  constructor(scope: Construct, id: string, props: PrimaryBaseStackProps) {
    const { spec } = props;
    super(scope, id, platformStackProps(spec, 'primary', 'primary-region network and backup copy vault'));
    useRunbookBase(this, spec);
    this.network = new MultiAzNetwork(this, 'Network', { availabilityZones: spec.primaryAzs });
    // The ID predates the BackupCopyVault name: it holds the vault (and its derived name), so it stays.
    this.backupVault = new BackupCopyVault(this, 'BackupReplica');
    new CfnOutput(this, StackOutput.BACKUP_VAULT_NAME, { value: this.backupVault.backupVaultName, description: 'Vault holding the copies of the other regions\' recovery points' });
    // The primary region serves at every tier (also while the secondary is active: it serves again after failback).
    this.release = addRegionalRelease(this, spec, this.network, true);

    const names = originRoutingNames(spec);
    if (names) {
      this.originVerifySecret = new secretsmanager.Secret(this, 'OriginVerifySecret', {
        secretName: names.secretName,
        description: `${spec.service}: value of the ${names.headerName} header CloudFront adds and the load balancers require`,
        encryptionKey: createDataKey(this, 'OriginVerifyKey', `${spec.service} origin-verify secret`),
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        // Replicas are read by CloudFormation dynamic references in the secondary region and in us-east-1 (CloudFront),
        // unless one of them is the primary region itself;
        // each is encrypted with that region's aws/secretsmanager key (a customer key of this stack cannot cross regions).
        replicaRegions: [...new Set([spec.secondaryRegion, 'us-east-1'])]
          .filter((region) => region !== spec.primaryRegion)
          .map((region) => ({ region })),
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const rotation = 'The value is read at deploy time by three stacks (both regions\' listener rules and CloudFront): it rotates by a planned change (put-secret-value, then redeploy the regional stacks and the global stack; README "Rotating the origin-verify secret"), not by a Lambda that would break the listener rules between deployments.';
      Validations.of(this.originVerifySecret).acknowledge(
        { id: 'AwsSolutions-SMG4', reason: rotation },
        { id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason: rotation },
      );
    }
  }
}
