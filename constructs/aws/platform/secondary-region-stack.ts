import { CfnOutput, Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DrTier } from '../../core/dr-tier';
import { PlatformValidationError } from '../../core/errors';
import { BackupPolicy } from '../backup/backup-policy';
import type { DistributedCache } from '../cache/distributed-cache';
import type { ResilientService } from '../compute/resilient-service';
import type { AuroraDatabase } from '../data/aurora-database';
import { DrillAutomation } from '../dr/drill-automation';
import { PlatformStack } from '../platform-stack';
import type { PlatformSpec } from './multi-region-platform-props';
import type { PrimaryBaseStack } from './primary-base-stack';
import type { PrimaryRegionStack } from './primary-region-stack';
import { globalClusterIdentifier } from './private/origin-routing';
import { platformStackProps, useRunbookBase } from './private/platform-stack-props';
import { replicatedDatabaseSecret } from './private/replicated-database-secret';
import { addRegionalApp } from './regional-app';
import { addRegionalObservability } from './regional-observability';
import type { RegionalObservability } from './regional-observability';
import { addRegionalOutputs } from './regional-outputs';
import type { SecondaryBaseStack } from './secondary-base-stack';
import { StackOutput } from '../../core/stack-outputs';

/** Props of {@link SecondaryRegionStack}. */
export interface SecondaryRegionStackProps {
  /** The platform this stack belongs to. */
  readonly spec: PlatformSpec;
  readonly base: SecondaryBaseStack;
  readonly primary: PrimaryRegionStack;
  /** The primary region's base: its vault is the copy destination of this region's backup plan. */
  readonly primaryBase: PrimaryBaseStack;
}

/** How the secondary region runs at a tier that keeps it provisioned ({@link secondaryRegionShape}). */
export interface SecondaryRegionShape {
  /** Aurora readers of the global secondary cluster. */
  readonly readers: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Whether the region runs its own L2 cache. */
  readonly cache: boolean;
  /** Whether the global secondary forwards writes to the primary (active/active). */
  readonly writeForwarding: boolean;
  /** A standby failover scales out (below one task per AZ on purpose), rather than a serving copy. */
  readonly standby: boolean;
}

/**
 * The secondary region's share of each tier (DESIGN.md "DR tiers", after the AWS whitepaper), sized from the
 * primary's task range `capacity`:
 * - pilot light: the data replicates (a global secondary with its writer-to-be only), the service and its load
 *   balancer exist with zero tasks; failover promotes the cluster and scales the service out to `capacity.max`.
 * - warm standby: a scaled-down copy runs (two tasks, one reader, its own cache) and serves health checks.
 * - active/active: a full copy (the primary's task range, two readers, its own cache) serves traffic; writes issued
 *   here are forwarded to the primary.
 * Backup & restore keeps no application in the secondary region: undefined.
 */
export function secondaryRegionShape(tier: DrTier,
  capacity: { readonly min: number; readonly max: number } = { min: 3, max: 20 }): SecondaryRegionShape | undefined {
  switch (tier) {
    case DrTier.PILOT_LIGHT: return {
      readers: 0, minCapacity: 0, maxCapacity: capacity.max, cache: false, writeForwarding: false, standby: true,
    };
    case DrTier.WARM_STANDBY: return {
      readers: 1, minCapacity: Math.min(2, capacity.min), maxCapacity: capacity.max, cache: true, writeForwarding: false, standby: true,
    };
    case DrTier.ACTIVE_ACTIVE: return {
      readers: 2, minCapacity: capacity.min, maxCapacity: capacity.max, cache: true, writeForwarding: true, standby: false,
    };
    default: return undefined;
  }
}

/**
 * The secondary region's application for the tiers that keep it provisioned (pilot light and up), deployed
 * after the primary (it joins the primary's Aurora Global Database). The service reaches the global secondary through
 * this region's own RDS Proxy, which logs in with the primary's master secret replicated to this region (read from
 * the primary's `DatabaseSecretArn` output): reads work at once, writes once a failover promotes the cluster.
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
export class SecondaryRegionStack extends PlatformStack {
  public readonly database: AuroraDatabase;
  public readonly cache?: DistributedCache;
  public readonly service: ResilientService;
  /** AWS Backup of this region's data, copied to the primary region's vault. */
  public readonly backup: BackupPolicy;
  public readonly observability: RegionalObservability;

  constructor(scope: Construct, id: string, props: SecondaryRegionStackProps) {
    const { spec } = props;
    const shape = secondaryRegionShape(spec.drTier, spec.capacity);
    if (!shape) {
      throw new PlatformValidationError(`${scope.node.path}/${id}`, 'spec.drTier', spec.drTier.id, 'keeps no application in the secondary region',
        'create a SecondaryRegionStack only for pilot-light, warm-standby or active-active (MultiRegionPlatform does)');
    }
    super(scope, id, platformStackProps(spec, 'secondary', 'secondary-region application'));
    useRunbookBase(this, spec);
    this.addStackDependency(props.primary, 'joins its Aurora Global Database');
    this.addStackDependency(props.base, 'runs in its network');
    // The copy destination vault must exist before the plan copies into it.
    this.addStackDependency(props.primaryBase, 'backup copies go to its vault');
    const primarySecret = props.primary.database.secret;
    if (!primarySecret) {
      throw new PlatformValidationError(props.primary.node.path, 'database.secret', undefined, 'is missing: the primary database registers no master secret',
        'pass the PrimaryRegionStack of the same platform (its database is the global primary)');
    }
    const app = addRegionalApp(this, {
      spec,
      vpc: props.base.network.vpc,
      database: {
        globalClusterIdentifier: globalClusterIdentifier(spec),
        globalRole: 'secondary',
        readers: shape.readers,
        writeForwarding: shape.writeForwarding || undefined,
        // The proxy logs in with the primary's master secret as replicated to this region.
        proxySecret: replicatedDatabaseSecret(props.primary, this, 'DatabaseProxySecret', primarySecret),
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
    new CfnOutput(this, StackOutput.BACKUP_VAULT_NAME, { value: this.backup.vault.backupVaultName });
    const replicationLag = this.database.addGlobalReplicationLagAlarm({ rpo: Duration.seconds(spec.drTier.envelope.rpoSeconds) });
    this.observability = addRegionalObservability(this, {
      spec,
      app,
      grafana: false,
      release: props.base.release,
      smokeTest: shape.minCapacity > 0,
      extraAlarms: {
        Backups: [this.backup.backupJobFailedAlarm, ...(this.backup.copyJobFailedAlarm ? [this.backup.copyJobFailedAlarm] : [])],
        Replication: [replicationLag],
      },
    });
    addRegionalOutputs(this, app);
    new DrillAutomation(this, 'Drills', { service: spec.service, tier: spec.drTier, catalog: spec.drills, regionRole: 'secondary' });
  }
}
