/**
 * The IAM permissions each drill API call needs, keyed `<service>:<api>` as the drill steps name them (boto3 /
 * SSM `aws:executeAwsApi` names). Resources are ARN patterns of this account in any region (a drill's steps
 * act in the primary and the secondary region; identifiers are runtime parameters, so names are wildcards),
 * `*` only where the action has no resource-level permissions.
 */

/** One grant: IAM actions on resource ARN patterns (`{P}` partition, `{A}` account). */
export interface ApiGrant {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** IAM condition block of the statement, e.g. `{ StringEquals: { 'iam:PassedToService': '...' } }`. */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const rds = (type: string): string => `arn:{P}:rds:*:{A}:${type}:*`;
const GLOBAL_CLUSTER = 'arn:{P}:rds::{A}:global-cluster:*';
const KMS_KEYS = 'arn:{P}:kms:*:{A}:key/*';
const ECS_SERVICES = 'arn:{P}:ecs:*:{A}:service/*';
const LOAD_BALANCERS = 'arn:{P}:elasticloadbalancing:*:{A}:loadbalancer/*';
const REPLICATION_GROUPS = 'arn:{P}:elasticache:*:{A}:replicationgroup:*';
const BACKUP_VAULTS = 'arn:{P}:backup:*:{A}:backup-vault:*';
/** Recovery points: AWS Backup's own ARNs, and the cluster snapshots Aurora recovery points are. */
const RECOVERY_POINTS = ['arn:{P}:backup:*:{A}:recovery-point:*', rds('cluster-snapshot')];
/** The role a restore job runs as: any role of the account, passed to AWS Backup only. */
const PASS_ROLE_TO_BACKUP: ApiGrant = {
  actions: ['iam:PassRole'], resources: ['arn:{P}:iam::{A}:role/*'],
  conditions: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
};
/** Proxy target changes act on the proxy, its target group and the clusters. */
const PROXY_TARGETS = [rds('db-proxy'), rds('target-group'), rds('cluster'), rds('db')];

/** Restoring into an encrypted cluster: RDS creates a grant on the given key. */
const RESTORE_KMS: ApiGrant = { actions: ['kms:CreateGrant', 'kms:DescribeKey'], resources: [KMS_KEYS] };

/** `<service>:<api>` → grants. A drill step whose call is missing here fails synthesis of DrillAutomation. */
export const API_GRANTS: Readonly<Record<string, readonly ApiGrant[]>> = {
  'ecs:UpdateService': [{ actions: ['ecs:UpdateService'], resources: [ECS_SERVICES] }],
  'ecs:DescribeServices': [{ actions: ['ecs:DescribeServices'], resources: [ECS_SERVICES] }],
  'elbv2:DescribeTargetHealth': [{ actions: ['elasticloadbalancing:DescribeTargetHealth'], resources: ['*'] }],
  'rds:FailoverGlobalCluster': [{ actions: ['rds:FailoverGlobalCluster'], resources: [GLOBAL_CLUSTER, rds('cluster')] }],
  'rds:SwitchoverGlobalCluster': [{ actions: ['rds:SwitchoverGlobalCluster'], resources: [GLOBAL_CLUSTER, rds('cluster')] }],
  'rds:DescribeGlobalClusters': [{ actions: ['rds:DescribeGlobalClusters'], resources: [GLOBAL_CLUSTER] }],
  'rds:DescribeDBClusters': [{ actions: ['rds:DescribeDBClusters'], resources: [rds('cluster')] }],
  'rds:DescribeDBInstances': [{ actions: ['rds:DescribeDBInstances'], resources: [rds('db')] }],
  'rds:CreateDBInstance': [{
    actions: ['rds:CreateDBInstance'], resources: [rds('db'), rds('cluster'), rds('pg'), rds('og'), rds('subgrp')],
  }],
  'rds:RestoreDBClusterFromSnapshot': [
    {
      actions: ['rds:RestoreDBClusterFromSnapshot'],
      resources: [rds('cluster'), rds('cluster-snapshot'), rds('cluster-pg'), rds('og'), rds('subgrp')],
    },
    RESTORE_KMS,
  ],
  'rds:RestoreDBClusterToPointInTime': [
    { actions: ['rds:RestoreDBClusterToPointInTime'], resources: [rds('cluster'), rds('cluster-pg'), rds('og'), rds('subgrp')] },
    RESTORE_KMS,
  ],
  'rds:DeregisterDBProxyTargets': [{ actions: ['rds:DeregisterDBProxyTargets'], resources: PROXY_TARGETS }],
  'rds:RegisterDBProxyTargets': [{ actions: ['rds:RegisterDBProxyTargets'], resources: PROXY_TARGETS }],
  'backup:DescribeRecoveryPoint': [{ actions: ['backup:DescribeRecoveryPoint'], resources: [BACKUP_VAULTS, ...RECOVERY_POINTS] }],
  'backup:GetRecoveryPointRestoreMetadata': [{ actions: ['backup:GetRecoveryPointRestoreMetadata'], resources: [BACKUP_VAULTS, ...RECOVERY_POINTS] }],
  'backup:StartRestoreJob': [{ actions: ['backup:StartRestoreJob'], resources: RECOVERY_POINTS }, PASS_ROLE_TO_BACKUP],
  'backup:DescribeRestoreJob': [{ actions: ['backup:DescribeRestoreJob'], resources: ['*'] }],
  'arc-zonal-shift:StartZonalShift': [{ actions: ['arc-zonal-shift:StartZonalShift'], resources: [LOAD_BALANCERS] }],
  'arc-zonal-shift:GetManagedResource': [{ actions: ['arc-zonal-shift:GetManagedResource'], resources: [LOAD_BALANCERS] }],
  'arc-zonal-shift:CancelZonalShift': [{ actions: ['arc-zonal-shift:CancelZonalShift'], resources: [LOAD_BALANCERS] }],
  'elasticache:TestFailover': [{ actions: ['elasticache:TestFailover'], resources: [REPLICATION_GROUPS] }],
  'elasticache:DescribeReplicationGroups': [{ actions: ['elasticache:DescribeReplicationGroups'], resources: [REPLICATION_GROUPS] }],
};
