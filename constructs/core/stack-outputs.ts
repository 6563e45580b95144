/**
 * The drill-to-stack contract, declared once: the CloudFormation output names the platform's stacks write and the
 * drill catalog (constructs/core/drills/catalog), the drill CLI (cli/drill) and the global stack read. Stacks are named
 * `<service>-<role>` (core/stack-naming.ts); `cdk deploy --all --outputs-file outputs.json` writes these names under
 * each stack's name, which is what `npm run drill -- <drill> --stack-outputs outputs.json` resolves parameters from.
 *
 * A writer renames an output only together with this object: every reader takes the name from here.
 */
export const StackOutput = {
  /**
   * Aurora DB cluster identifier. Written by the primary and secondary region stacks (`<service>-primary`,
   * `<service>-secondary`); read by the drills as `PrimaryClusterIdentifier` / `SecondaryClusterIdentifier`.
   */
  DATABASE_CLUSTER_IDENTIFIER: 'DatabaseClusterIdentifier',
  /**
   * Aurora DB cluster ARN. Written by the region stacks; read by the drills (`PrimaryClusterArn` /
   * `SecondaryClusterArn`: the target of a global-cluster failover or switchover) and by the global stack's Region
   * switch plan (`Fn::GetStackOutput`).
   */
  DATABASE_CLUSTER_ARN: 'DatabaseClusterArn',
  /**
   * DB subnet group of the cluster. Written by the region stacks; read by the point-in-time restore and the backup &
   * restore failover drills (`PrimaryDbSubnetGroupName` / `SecondaryDbSubnetGroupName`: where the restored cluster goes).
   */
  DATABASE_SUBNET_GROUP_NAME: 'DatabaseSubnetGroupName',
  /**
   * Security group of the cluster. Written by the region stacks; read by the same drills (`PrimaryDbSecurityGroupId` /
   * `SecondaryDbSecurityGroupId`).
   */
  DATABASE_SECURITY_GROUP_ID: 'DatabaseSecurityGroupId',
  /** KMS key the cluster is encrypted with. Written by the region stacks; read by the same drills (`PrimaryDbKmsKeyArn` / `SecondaryDbKmsKeyArn`). */
  DATABASE_KMS_KEY_ARN: 'DatabaseKmsKeyArn',
  /**
   * RDS Proxy in front of the cluster. Written by the region stacks when the database has a proxy; read by the
   * point-in-time restore drill (`DatabaseProxyName`: the cutover retargets the proxy).
   */
  DATABASE_PROXY_NAME: 'DatabaseProxyName',
  /**
   * Secrets Manager secret of the master user (its ARN, never its value). Written by the region stacks when the
   * database has one; read by the point-in-time restore drill (`DatabaseSecretArn`).
   */
  DATABASE_SECRET_ARN: 'DatabaseSecretArn',
  /**
   * Aurora Global Database identifier. Written by the primary region stack when the tier replicates the database;
   * read by the regional failover and failback drills (`GlobalClusterIdentifier`).
   */
  GLOBAL_CLUSTER_IDENTIFIER: 'GlobalClusterIdentifier',
  /** ECS cluster name. Written by the region stacks; read by the drills (`PrimaryEcsClusterName` / `SecondaryEcsClusterName`). */
  ECS_CLUSTER_NAME: 'EcsClusterName',
  /** ECS cluster ARN. Written by the region stacks; read by the global stack's Region switch plan (`Fn::GetStackOutput`). */
  ECS_CLUSTER_ARN: 'EcsClusterArn',
  /** ECS service name. Written by the region stacks; read by the drills (`PrimaryServiceName` / `SecondaryServiceName`). */
  SERVICE_NAME: 'ServiceName',
  /** ECS service ARN. Written by the region stacks; read by the global stack's Region switch plan (`Fn::GetStackOutput`). */
  ECS_SERVICE_ARN: 'EcsServiceArn',
  /** ALB target group of the service. Written by the region stacks; read by the drills (`PrimaryTargetGroupArn` / `SecondaryTargetGroupArn`). */
  TARGET_GROUP_ARN: 'TargetGroupArn',
  /** Application load balancer of the service. Written by the region stacks; read by the AZ evacuation drill (`LoadBalancerArn`, zonal shift). */
  LOAD_BALANCER_ARN: 'LoadBalancerArn',
  /**
   * ElastiCache replication group of the service cache. Written by the region stacks when the service has a cache;
   * read by the cache primary failover drill (`CacheReplicationGroupId`).
   */
  CACHE_REPLICATION_GROUP_ID: 'CacheReplicationGroupId',
  /**
   * The region's page alarm. Written by the region stacks (regional observability); read by every drill (the built-in
   * `StopConditionAlarmName` parameter: the drill stops while it is in ALARM) and by the drill CLI.
   */
  STOP_CONDITION_ALARM_NAME: 'StopConditionAlarmName',
  /** ARN of the region's page alarm. Written by the region stacks; read by the global stack's Region switch plan (`Fn::GetStackOutput`). */
  PAGE_ALARM_ARN: 'PageAlarmArn',
  /**
   * Backup vault. Written by the base stacks (`<service>-primary-base`, `<service>-secondary-base`: the vaults
   * receiving cross-region copies) and the region stacks (their own vault); the drills read the secondary base stack's
   * (`SecondaryBackupVaultName`).
   */
  BACKUP_VAULT_NAME: 'BackupVaultName',
  /** DB subnet group a restore in the secondary region uses. Written by `<service>-secondary-base`; read by the restore-from-backup drill. */
  RESTORE_DATABASE_SUBNET_GROUP_NAME: 'RestoreDatabaseSubnetGroupName',
  /** Security group of a database restored in the secondary region. Written by `<service>-secondary-base`; read by the restore-from-backup drill. */
  RESTORE_DATABASE_SECURITY_GROUP_ID: 'RestoreDatabaseSecurityGroupId',
  /** KMS key of a database restored in the secondary region. Written by `<service>-secondary-base`; read by the restore-from-backup drill. */
  RESTORE_DATABASE_KMS_KEY_ARN: 'RestoreDatabaseKmsKeyArn',
  /** IAM role AWS Backup restores with in the secondary region. Written by `<service>-secondary-base`; read by the restore-from-backup drill. */
  RESTORE_ROLE_ARN: 'RestoreRoleArn',
  /**
   * The role the drills' SSM Automation documents assume. Written by `DrillAutomation` in each region stack; read by
   * the drill CLI (`--via-automation`: `AutomationAssumeRole`).
   */
  DRILL_AUTOMATION_ROLE_ARN: 'DrillAutomationRoleArn',
} as const;

/** One of the output names of {@link StackOutput}. */
export type StackOutputName = (typeof StackOutput)[keyof typeof StackOutput];
