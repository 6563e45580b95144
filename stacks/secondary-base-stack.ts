import { CfnOutput } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BackupVaultReplica, MultiAzNetwork, PlatformStack } from '../constructs';
import type { PlatformConfig } from './config';

/** Props of {@link SecondaryBaseStack}. */
export interface SecondaryBaseStackProps {
  readonly config: PlatformConfig;
}

/**
 * What the secondary region needs at every DR tier, deployed first: the network (the region's planned,
 * non-overlapping CIDR) and the backup vault every primary recovery point is copied to. For the
 * backup-and-restore tier this is all that runs in the secondary region until a recovery.
 */
export class SecondaryBaseStack extends PlatformStack {
  public readonly network: MultiAzNetwork;
  public readonly backupVault: BackupVaultReplica;

  constructor(scope: Construct, id: string, props: SecondaryBaseStackProps) {
    const { config } = props;
    super(scope, id, {
      env: { account: config.account, region: config.secondaryRegion },
      service: config.service,
      regionRole: 'secondary',
      drTier: config.drTier,
      availabilityZones: config.secondaryAzs,
      description: `${config.service}: secondary-region network and backup copy vault (DR tier ${config.drTier.id})`,
      terminationProtection: true,
    });
    this.network = new MultiAzNetwork(this, 'Network', { availabilityZones: config.secondaryAzs });
    this.backupVault = new BackupVaultReplica(this, 'BackupReplica');
    new CfnOutput(this, 'BackupVaultName', { value: this.backupVault.backupVaultName, description: 'Vault holding the copies of the primary recovery points' });
  }
}
