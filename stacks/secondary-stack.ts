import { CfnOutput, Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BackupPolicy, DrTier, DrillAutomation, PlatformStack } from '../constructs';
import type { AuroraDatabase, DistributedCache, ResilientService } from '../constructs';
import type { PlatformConfig } from './config';
import { platformStackProps } from './config';
import type { PrimaryStack } from './primary-stack';
import { globalClusterIdentifier } from './primary-stack';
import { addRegionalObservability } from './observability';
import type { RegionalObservability } from './observability';
import { addRegionalOutputs } from './outputs';
import { addRegionalApp } from './regional-app';
import type { PrimaryBaseStack } from './primary-base-stack';
import type { SecondaryBaseStack } from './secondary-base-stack';

/** Props of {@link SecondaryStack}. */
export interface SecondaryStackProps {
  readonly config: PlatformConfig;
  readonly base: SecondaryBaseStack;
  readonly primary: PrimaryStack;
  /** The primary region's base: its vault is the copy destination of this region's backup plan. */
  readonly primaryBase: PrimaryBaseStack;
}

/** How the secondary region runs at each tier that keeps it provisioned. */
interface SecondaryShape {
  readonly readers: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly cache: boolean;
  readonly writeForwarding: boolean;
  /** A standby failover scales out (below one task per AZ on purpose), rather than a serving copy. */
  readonly standby: boolean;
}

/**
 * The secondary region's share of each tier (the AWS whitepaper's definitions):
 * - pilot light: the data replicates (a global secondary with its writer-to-be only), the service and its load
 *   balancer exist with zero tasks; failover promotes the cluster and scales the service out.
 * - warm standby: a scaled-down copy runs (two tasks, one reader, its own cache) and serves health checks.
 * - active/active: a full copy serves traffic; writes issued here are forwarded to the primary.
 */
export function secondaryShape(tier: DrTier): SecondaryShape | undefined {
  switch (tier) {
    case DrTier.PILOT_LIGHT: return { readers: 0, minCapacity: 0, maxCapacity: 20, cache: false, writeForwarding: false, standby: true };
    case DrTier.WARM_STANDBY: return { readers: 1, minCapacity: 2, maxCapacity: 20, cache: true, writeForwarding: false, standby: true };
    case DrTier.ACTIVE_ACTIVE: return { readers: 2, minCapacity: 3, maxCapacity: 20, cache: true, writeForwarding: true, standby: false };
    default: return undefined;
  }
}

/**
 * The secondary region's application for the tiers that keep it provisioned (pilot light and up), deployed
 * after the primary (it joins the primary's Aurora Global Database).
 *
 * Its own AWS Backup plan selects what is stateful in this region (the Aurora global secondary and the access log
 * bucket, by the `platform:backup` tag) and copies every recovery point to the primary region's vault, so the
 * database promoted by a failover is already in a plan with an off-region copy. The cache has no AWS Backup support:
 * its daily snapshots and final snapshot are its backups. The replication lag of the global secondary is alarmed
 * at the tier's RPO.
 *
 * Caveat: AWS Backup backs up an Aurora cluster by cluster snapshot (and continuous backup for point-in-time
 * recovery); the AWS Backup and Aurora Global Database guides consulted (offline copies) do not say whether either
 * is supported on a global secondary cluster before it is promoted (read-only, storage replicated from the primary).
 * If AWS Backup refuses the secondary's jobs, the `BackupJobFailed` alarm of this region fires; once a failover
 * promotes the cluster it is a regular regional cluster and the plan applies in full.
 */
export class SecondaryStack extends PlatformStack {
  public readonly database: AuroraDatabase;
  public readonly cache?: DistributedCache;
  public readonly service: ResilientService;
  /** AWS Backup of this region's data, copied to the primary region's vault. */
  public readonly backup: BackupPolicy;
  public readonly observability: RegionalObservability;

  constructor(scope: Construct, id: string, props: SecondaryStackProps) {
    const { config } = props;
    const shape = secondaryShape(config.drTier);
    if (!shape) {
      throw new Error(`SecondaryStack: DR tier ${config.drTier.id} keeps no application in the secondary region`);
    }
    super(scope, id, platformStackProps(config, 'secondary', 'secondary-region application'));
    this.addStackDependency(props.primary, 'joins its Aurora Global Database');
    this.addStackDependency(props.base, 'runs in its network');
    // The copy destination vault must exist before the plan copies into it.
    this.addStackDependency(props.primaryBase, 'backup copies go to its vault');
    const app = addRegionalApp(this, {
      config,
      vpc: props.base.network.vpc,
      database: {
        globalClusterIdentifier: globalClusterIdentifier(config),
        globalRole: 'secondary',
        readers: shape.readers,
        writeForwarding: shape.writeForwarding || undefined,
      },
      cache: shape.cache,
      minCapacity: shape.minCapacity,
      maxCapacity: shape.maxCapacity,
      // Pilot light (0 tasks) and warm standby (2 tasks) are sized below one task per AZ by design: failover scales
      // them out (the failover drill and the Region switch plan), so the service does not warn about it.
      standby: shape.standby,
    });
    this.database = app.database;
    this.cache = app.cache;
    this.service = app.service;
    this.backup = new BackupPolicy(this, 'Backup', { copyDestination: props.primaryBase.backupVault.copyDestination });
    new CfnOutput(this, 'BackupVaultName', { value: this.backup.vault.backupVaultName });
    const replicationLag = this.database.addGlobalReplicationLagAlarm({ rpo: Duration.seconds(config.drTier.envelope.rpoSeconds) });
    this.observability = addRegionalObservability(this, {
      config,
      app,
      grafana: false,
      extraAlarms: {
        Backups: [this.backup.backupJobFailedAlarm, ...(this.backup.copyJobFailedAlarm ? [this.backup.copyJobFailedAlarm] : [])],
        Replication: [replicationLag],
      },
    });
    addRegionalOutputs(this, app);
    new DrillAutomation(this, 'Drills', { service: config.service, tier: config.drTier, regionRole: 'secondary' });
  }
}
