import { CfnOutput } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BackupPolicy } from '../backup/backup-policy';
import type { DistributedCache } from '../cache/distributed-cache';
import type { ResilientService } from '../compute/resilient-service';
import type { AuroraDatabase } from '../data/aurora-database';
import { ChaosExperiments } from '../dr/chaos-experiments';
import { DrillAutomation } from '../dr/drill-automation';
import type { MultiAzNetwork } from '../network/multi-az-network';
import { PlatformStack } from '../platform-stack';
import type { PlatformSpec } from './multi-region-platform-props';
import type { PrimaryBaseStack } from './primary-base-stack';
import { globalClusterIdentifier } from './private/origin-routing';
import { platformStackProps, useRunbookBase } from './private/platform-stack-props';
import { addRegionalApp } from './regional-app';
import { addRegionalObservability } from './regional-observability';
import type { RegionalObservability } from './regional-observability';
import { addRegionalOutputs } from './regional-outputs';
import type { SecondaryBaseStack } from './secondary-base-stack';
import { StackOutput } from '../../core/stack-outputs';

/** Props of {@link PrimaryRegionStack}. */
export interface PrimaryRegionStackProps {
  /** The platform this stack belongs to. */
  readonly spec: PlatformSpec;
  /** The primary region's network. */
  readonly base: PrimaryBaseStack;
  /** The secondary region's base: the backup copy destination. */
  readonly secondaryBase: SecondaryBaseStack;
}

/**
 * The primary region of a platform: a multi-AZ network, the service on ECS Fargate behind
 * an ALB with its L2 cache, an Aurora PostgreSQL cluster with read replicas behind RDS Proxy (the primary of an
 * Aurora Global Database from pilot light up, its master secret then replicated to the secondary region for the
 * secondary's proxy), and the AWS Backup plan copying every recovery point to the
 * secondary region, with weekly restore tests.
 */
export class PrimaryRegionStack extends PlatformStack {
  public readonly network: MultiAzNetwork;
  public readonly database: AuroraDatabase;
  public readonly cache?: DistributedCache;
  public readonly service: ResilientService;
  public readonly backup: BackupPolicy;
  public readonly observability: RegionalObservability;

  constructor(scope: Construct, id: string, props: PrimaryRegionStackProps) {
    const { spec } = props;
    super(scope, id, platformStackProps(spec, 'primary', 'primary-region platform (service, cache, Aurora, backups, observability, drills, chaos)'));
    useRunbookBase(this, spec);
    // The copy destination vault must exist before the plan copies into it.
    this.addStackDependency(props.secondaryBase, 'backup copies go to its vault');

    this.addStackDependency(props.base, 'runs in its network');
    this.network = props.base.network;
    const app = addRegionalApp(this, {
      spec,
      vpc: this.network.vpc,
      // From pilot light up, the master secret is replicated to the secondary region, where the global secondary's
      // proxy logs in with it.
      database: spec.drTier.replicatesContinuously
        ? { globalClusterIdentifier: globalClusterIdentifier(spec), secretReplicaRegions: [spec.secondaryRegion] }
        : {},
      cache: true,
      minCapacity: spec.capacity.min,
      maxCapacity: spec.capacity.max,
    });
    this.database = app.database;
    this.cache = app.cache;
    this.service = app.service;

    this.backup = new BackupPolicy(this, 'Backup', { copyDestination: props.secondaryBase.backupVault.copyDestination });
    const restoreTesting = this.backup.addAuroraRestoreTesting({ vpc: this.network.vpc });
    new CfnOutput(this, StackOutput.BACKUP_VAULT_NAME, { value: this.backup.vault.backupVaultName });
    addRegionalOutputs(this, app);

    this.observability = addRegionalObservability(this, {
      spec,
      app,
      grafana: true,
      release: props.base.release,
      smokeTest: spec.capacity.min > 0,
      extraAlarms: {
        Backups: [
          this.backup.backupJobFailedAlarm,
          ...(this.backup.copyJobFailedAlarm ? [this.backup.copyJobFailedAlarm] : []),
          restoreTesting.restoreTestFailedAlarm,
        ],
      },
    });

    // Drills run by hand (npm run drill) or as these SSM automations; chaos experiments stop on the page alarm.
    new DrillAutomation(this, 'Drills', { service: spec.service, tier: spec.drTier, catalog: spec.drills, regionRole: 'primary' });
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
