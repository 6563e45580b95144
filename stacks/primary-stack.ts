import { CfnOutput } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BackupPolicy, ChaosExperiments, DrillAutomation, PlatformStack } from '../constructs';
import type { MultiAzNetwork } from '../constructs';
import type { AuroraDatabase, DistributedCache, ResilientService } from '../constructs';
import type { PlatformConfig } from './config';
import { platformStackProps } from './config';
import { addRegionalObservability } from './observability';
import type { RegionalObservability } from './observability';
import { addRegionalOutputs } from './outputs';
import { addRegionalApp } from './regional-app';
import type { PrimaryBaseStack } from './primary-base-stack';
import type { SecondaryBaseStack } from './secondary-base-stack';

/** Props of {@link PrimaryStack}. */
export interface PrimaryStackProps {
  readonly config: PlatformConfig;
  /** The primary region's network. */
  readonly base: PrimaryBaseStack;
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
    super(scope, id, platformStackProps(config, 'primary', 'primary-region platform (service, cache, Aurora, backups, observability, drills, chaos)'));
    // The copy destination vault must exist before the plan copies into it.
    this.addStackDependency(props.secondaryBase, 'backup copies go to its vault');

    this.addStackDependency(props.base, 'runs in its network');
    this.network = props.base.network;
    const app = addRegionalApp(this, {
      config,
      vpc: this.network.vpc,
      database: config.drTier.replicatesContinuously ? { globalClusterIdentifier: globalClusterIdentifier(config) } : {},
      cache: true,
      minCapacity: 3,
      maxCapacity: 20,
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

    // Drills run by hand (npm run drill) or as these SSM automations; chaos experiments stop on the page alarm.
    new DrillAutomation(this, 'Drills', { service: config.service, tier: config.drTier, regionRole: 'primary' });
    const chaos = new ChaosExperiments(this, 'Chaos', { stopConditionAlarms: [this.observability.monitoring.pageAlarm] });
    chaos.addTaskTermination({ service: this.service.service });
    chaos.addAzNetworkDisruption({ vpc: this.network.vpc });
    chaos.addAuroraFailover({ cluster: this.database.cluster });
    if (this.cache) {
      chaos.addCacheAzPowerInterruption({ replicationGroup: this.cache.replicationGroup, availabilityZone: this.network.availabilityZones[0] });
    }
    chaos.addNetworkLatency({ service: this.service.service });
  }
}
