import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PlatformValidationError } from '../../../core/errors';
import { requireIntegerInRange, requireMinNotAboveMax, requireNumberInRange } from '../../../core/validate';
import type { AuroraDatabaseProps, GlobalDatabaseRole, GlobalReplicationLagAlarmOptions } from '../aurora-database-props';

/** Aurora allows at most 15 replicas per cluster. */
const MAX_AURORA_REPLICAS = 15;

/** Serverless v2 capacity range of every instance, in Aurora capacity units. */
export interface ServerlessCapacity {
  readonly min: number;
  readonly max: number;
}

/** {@link AuroraDatabaseProps} validated, with their defaults applied. */
export interface AuroraDatabaseSettings {
  /** Role in the global database, or undefined for a regional cluster. */
  readonly globalRole?: GlobalDatabaseRole;
  /** Reader instances created with the cluster (0 only on a global secondary). */
  readonly readers: number;
  /** Upper bound of read-replica auto scaling. */
  readonly maxReaders: number;
  /** Average reader CPU (percent) that read-replica auto scaling keeps. */
  readonly readerCpuTargetPercent: number;
  /** Retention of automated backups, whole days from 1 to 35. */
  readonly backupRetentionDays: number;
  /** Serverless v2 capacities, or undefined for provisioned instances. */
  readonly serverless?: ServerlessCapacity;
}

/**
 * Validates `props` of the AuroraDatabase `scope` before anything is built and returns them with their defaults
 * (2 readers, up to 5 or `readers`, 70% reader CPU, 14 days of backups). Throws {@link PlatformValidationError};
 * warns (`platform:aurora:single-reader`) when a cluster that takes writes has fewer than 2 readers.
 */
export function validateAuroraDatabaseProps(scope: Construct, props: AuroraDatabaseProps): AuroraDatabaseSettings {
  const where = scope.node.path;
  const globalRole = globalRoleOf(where, props);
  const secondary = globalRole === 'secondary';
  const readers = props.readers ?? 2;
  // A global secondary may run its writer-to-be alone (pilot light): replication needs no reader.
  requireIntegerInRange(where, 'readers', readers, secondary ? 0 : 1, MAX_AURORA_REPLICAS);
  const maxReaders = props.maxReaders ?? Math.max(5, readers);
  requireIntegerInRange(where, 'maxReaders', maxReaders, 1, MAX_AURORA_REPLICAS);
  requireMinNotAboveMax(where, 'readers', readers, 'maxReaders', maxReaders);
  const readerCpuTargetPercent = props.readerCpuTargetPercent ?? 70;
  requireNumberInRange(where, 'readerCpuTargetPercent', readerCpuTargetPercent, 10, 90);
  const backupRetentionDays = (props.backupRetention ?? Duration.days(14)).toDays({ integral: false });
  requireIntegerInRange(where, 'backupRetention (days)', backupRetentionDays, 1, 35);
  const serverless = serverlessCapacity(where, props);
  validateSecretProps(scope, props, secondary);
  if (readers < 2 && !secondary) {
    Annotations.of(scope).addWarningV2('platform:aurora:single-reader',
      `readers is ${readers}: after a failover the cluster runs without a standby until a new reader is up. Use 2 or more readers for production.`);
  }
  return { globalRole, readers, maxReaders, readerCpuTargetPercent, backupRetentionDays, serverless };
}

/**
 * Validates a call of `addGlobalReplicationLagAlarm()` on the AuroraDatabase at `where` (its `globalRole`, whether
 * the alarm `exists` already) and returns the RPO in whole milliseconds, 1000 or more.
 */
export function validateGlobalReplicationLagAlarmOptions(where: string, globalRole: GlobalDatabaseRole | undefined, exists: boolean,
  options: GlobalReplicationLagAlarmOptions): number {
  if (globalRole !== 'secondary') {
    throw new PlatformValidationError(where, 'globalRole', globalRole ?? 'none (a regional cluster)',
      'publishes no cross-region replication lag: AuroraGlobalDBRPOLag comes from a global secondary',
      "call addGlobalReplicationLagAlarm() on the AuroraDatabase with globalRole: 'secondary'");
  }
  if (exists) {
    throw new PlatformValidationError(where, 'addGlobalReplicationLagAlarm()', 2, 'calls: the replication lag alarm already exists',
      'call addGlobalReplicationLagAlarm() once, with the RPO of the DR tier');
  }
  const rpoMs = options.rpo.toMilliseconds();
  if (!Number.isInteger(rpoMs) || rpoMs < 1000) {
    throw new PlatformValidationError(where, 'rpo (milliseconds)', rpoMs, 'is below 1 second (Aurora Global Database replicates with typical lag under a second)',
      'pass the RPO of the DR tier, e.g. Duration.seconds(60)');
  }
  return rpoMs;
}

/** The validated global-database role, or undefined for a regional cluster. */
function globalRoleOf(where: string, props: AuroraDatabaseProps): GlobalDatabaseRole | undefined {
  if (props.globalClusterIdentifier === undefined) {
    if (props.globalRole !== undefined || props.writeForwarding !== undefined) {
      const prop = props.globalRole !== undefined ? 'globalRole' : 'writeForwarding';
      throw new PlatformValidationError(where, prop, props[prop], 'needs globalClusterIdentifier',
        'set globalClusterIdentifier to the Aurora Global Database name, or drop ' + prop);
    }
    return undefined;
  }
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(props.globalClusterIdentifier) || /--|-$/.test(props.globalClusterIdentifier)) {
    throw new PlatformValidationError(where, 'globalClusterIdentifier', props.globalClusterIdentifier, 'is not a valid global cluster identifier',
      'use 1-63 letters, digits and single dashes, starting with a letter, e.g. checkout-global');
  }
  const role = props.globalRole ?? 'primary';
  if (role !== 'primary' && role !== 'secondary') {
    throw new PlatformValidationError(where, 'globalRole', role, 'is not a global database role', 'use primary or secondary');
  }
  if (props.writeForwarding && role !== 'secondary') {
    throw new PlatformValidationError(where, 'writeForwarding', true, 'only applies to a global secondary (the primary takes writes itself)',
      "set globalRole: 'secondary' on the cluster in the other region, or drop writeForwarding");
  }
  return role;
}

/**
 * A global secondary needs `proxySecret` (the primary's secret replicated to its region) and has no secret of its
 * own to replicate; a cluster that takes writes registers its own secret and replicates it to other regions only.
 */
function validateSecretProps(scope: Construct, props: AuroraDatabaseProps, secondary: boolean): void {
  const where = scope.node.path;
  if (secondary && props.proxySecret === undefined) {
    throw new PlatformValidationError(where, 'proxySecret', undefined,
      "is required on a global secondary: its RDS Proxy logs in with the primary's master secret, replicated to this region",
      "set secretReplicaRegions on the primary's AuroraDatabase to this region and pass that replica here, e.g. "
      + "secretsmanager.Secret.fromSecretCompleteArn(this, 'DatabaseProxySecret', <the primary secret's ARN with this region>)");
  }
  if (!secondary && props.proxySecret !== undefined) {
    throw new PlatformValidationError(where, 'proxySecret', props.proxySecret.node.path,
      "only applies to a global secondary (a cluster that takes writes generates its own master secret for its proxy)",
      "drop proxySecret, or set globalRole: 'secondary'");
  }
  if (secondary && props.secretReplicaRegions !== undefined) {
    throw new PlatformValidationError(where, 'secretReplicaRegions', props.secretReplicaRegions,
      "does not apply to a global secondary: it has no master secret of its own (the primary's is replicated to it)",
      "set secretReplicaRegions on the primary's AuroraDatabase");
  }
  const region = Stack.of(scope).region;
  for (const replica of props.secretReplicaRegions ?? []) {
    if (!Token.isUnresolved(region) && replica === region) {
      throw new PlatformValidationError(where, 'secretReplicaRegions', props.secretReplicaRegions,
        `names the secret's own region (${region})`, 'list other regions only, e.g. the secondary region');
    }
  }
}

/** Validated Serverless v2 capacities, or undefined for provisioned instances. */
function serverlessCapacity(where: string, props: AuroraDatabaseProps): ServerlessCapacity | undefined {
  if (props.serverlessV2MinCapacity === undefined && props.serverlessV2MaxCapacity === undefined) return undefined;
  if (props.instanceType !== undefined) {
    throw new PlatformValidationError(where, 'instanceType', props.instanceType.toString(),
      'is set together with serverlessV2MinCapacity/serverlessV2MaxCapacity',
      'set instanceType for provisioned instances or the Serverless v2 capacities, not both');
  }
  const min = props.serverlessV2MinCapacity ?? 0.5;
  const max = props.serverlessV2MaxCapacity ?? Math.max(16, min);
  requireHalfStep(where, 'serverlessV2MinCapacity', min, 0);
  requireHalfStep(where, 'serverlessV2MaxCapacity', max, 1);
  requireMinNotAboveMax(where, 'serverlessV2MinCapacity', min, 'serverlessV2MaxCapacity', max);
  return { min, max };
}

/** An ACU value from `lowest` to 256 in steps of 0.5. */
function requireHalfStep(where: string, prop: string, value: number, lowest: number): void {
  if (!Number.isFinite(value) || value < lowest || value > 256 || !Number.isInteger(value * 2)) {
    throw new PlatformValidationError(where, prop, value, `must be from ${lowest} to 256 in steps of 0.5`,
      `set ${prop} to a value such as ${lowest === 0 ? '0.5' : '2'}, 8 or 16.5`);
  }
}
