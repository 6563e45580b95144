import { CfnOutput } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BackupPolicy, MultiAzNetwork, PlatformStack } from '../constructs';
import type { AuroraDatabase, DistributedCache, ResilientService } from '../constructs';
import type { PlatformConfig } from './config';
import { addRegionalObservability } from './observability';
import type { RegionalObservability } from './observability';
import { addRegionalOutputs } from './outputs';
import { addRegionalApp } from './regional-app';
import type { SecondaryBaseStack } from './secondary-base-stack';

/** Props of {@link PrimaryStack}. */
export interface PrimaryStackProps {
  readonly config: PlatformConfig;
  /** The secondary region's base: the backup copy destination. */
  readonly secondaryBase: SecondaryBaseStack;
}

/** Name of the Aurora Global Database of a service. */
export function globalClusterIdentifier(config: PlatformConfig): string {
  return `${config.service}-global`;
}

/**
 * The primary-region platform of the reference service: a multi-AZ network, the service on ECS Fargate behind
 * an ALB with its L2 cache, an Aurora PostgreSQL cluster with read replicas behind RDS Proxy (the primary of an
 * Aurora Global Database from pilot light up), and the AWS Backup plan copying every recovery point to the
 * secondary region, with weekly restore tests.
 */
export class PrimaryStack extends PlatformStack {
  public readonly network: MultiAzNetwork;
  public readonly database: AuroraDatabase;
  public readonly cache?: DistributedCache;
  public readonly service: ResilientService;
  public readonly backup: BackupPolicy;
  public readonly observability: RegionalObservability;

  constructor(scope: Construct, id: string, props: PrimaryStackProps) {
    const { config } = props;
    super(scope, id, {
      env: { account: config.account, region: config.primaryRegion },
      service: config.service,
      regionRole: 'primary',
      drTier: config.drTier,
      availabilityZones: config.primaryAzs,
      description: `${config.service}: primary-region platform (network, service, cache, Aurora, backups) at DR tier ${config.drTier.id}`,
      terminationProtection: true,
    });
    // The copy destination vault must exist before the plan copies into it.
    this.addStackDependency(props.secondaryBase, 'backup copies go to its vault');

    this.network = new MultiAzNetwork(this, 'Network', { availabilityZones: config.primaryAzs });
    const app = addRegionalApp(this, {
      config,
      vpc: this.network.vpc,
      database: config.drTier.replicatesContinuously ? { globalClusterIdentifier: globalClusterIdentifier(config) } : {},
      cache: true,
      minCapacity: 3,
      maxCapacity: 20,
      certificateArn: config.certificateArn,
    });
    this.database = app.database;
    this.cache = app.cache;
    this.service = app.service;

    this.backup = new BackupPolicy(this, 'Backup', { copyDestination: props.secondaryBase.backupVault.copyDestination });
    const restoreTesting = this.backup.addAuroraRestoreTesting({ vpc: this.network.vpc });
    new CfnOutput(this, 'BackupVaultName', { value: this.backup.vault.backupVaultName });
    addRegionalOutputs(this, app);

    this.observability = addRegionalObservability(this, {
      config,
      app,
      grafana: true,
      extraAlarms: {
        Backups: [
          this.backup.backupJobFailedAlarm,
          ...(this.backup.copyJobFailedAlarm ? [this.backup.copyJobFailedAlarm] : []),
          restoreTesting.restoreTestFailedAlarm,
        ],
      },
    });
  }
}
