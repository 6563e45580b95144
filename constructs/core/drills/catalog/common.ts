/**
 * Parameters and steps several drills share. Parameters read the platform's stack outputs by their names in
 * {@link StackOutput} (`cdk deploy --outputs-file`); the drill CLI resolves them, the SSM documents take them as parameters.
 */
import { platformStackId } from '../../stack-naming';
import { StackOutput } from '../../stack-outputs';
import type { DrillParameter, DrillRegion } from '../parameters';
import { ParameterSource } from '../parameters';
import type { AnyStep } from '../steps';
import { Step } from '../steps';

const cap = (role: DrillRegion): string => (role === 'primary' ? 'Primary' : 'Secondary');

/** The parameters several drills declare, by name (functions take the region the parameter is about). */
export const PARAMETERS = {
  globalClusterIdentifier: {
    name: 'GlobalClusterIdentifier', description: 'Aurora global database identifier.',
    source: ParameterSource.stackOutput('primary', StackOutput.GLOBAL_CLUSTER_IDENTIFIER),
  },
  clusterIdentifier: (role: DrillRegion): DrillParameter => ({
    name: `${cap(role)}ClusterIdentifier`, description: `Aurora DB cluster identifier in the ${role} region.`,
    source: ParameterSource.stackOutput(role, StackOutput.DATABASE_CLUSTER_IDENTIFIER),
  }),
  clusterArn: (role: DrillRegion): DrillParameter => ({
    name: `${cap(role)}ClusterArn`, description: `Aurora DB cluster ARN in the ${role} region.`,
    source: ParameterSource.stackOutput(role, StackOutput.DATABASE_CLUSTER_ARN),
  }),
  dbSubnetGroup: (role: DrillRegion): DrillParameter => ({
    name: `${cap(role)}DbSubnetGroupName`, description: `DB subnet group (isolated subnets) in the ${role} region.`,
    source: ParameterSource.stackOutput(role, StackOutput.DATABASE_SUBNET_GROUP_NAME),
  }),
  dbSecurityGroup: (role: DrillRegion): DrillParameter => ({
    name: `${cap(role)}DbSecurityGroupId`, description: `Security group of the database (the service may connect) in the ${role} region.`,
    source: ParameterSource.stackOutput(role, StackOutput.DATABASE_SECURITY_GROUP_ID),
  }),
  dbKmsKey: (role: DrillRegion): DrillParameter => ({
    name: `${cap(role)}DbKmsKeyArn`, description: `KMS key that encrypts the database in the ${role} region.`,
    source: ParameterSource.stackOutput(role, StackOutput.DATABASE_KMS_KEY_ARN),
  }),
  ecsCluster: (role: DrillRegion): DrillParameter => ({
    name: `${cap(role)}EcsClusterName`, description: `ECS cluster of the service in the ${role} region.`,
    source: ParameterSource.stackOutput(role, StackOutput.ECS_CLUSTER_NAME),
  }),
  serviceName: (role: DrillRegion): DrillParameter => ({
    name: `${cap(role)}ServiceName`, description: `ECS service name in the ${role} region.`,
    source: ParameterSource.stackOutput(role, StackOutput.SERVICE_NAME),
  }),
  targetGroup: (role: DrillRegion): DrillParameter => ({
    name: `${cap(role)}TargetGroupArn`, description: `ALB target group of the service in the ${role} region.`,
    source: ParameterSource.stackOutput(role, StackOutput.TARGET_GROUP_ARN),
  }),
  desiredCount: {
    name: 'ServiceDesiredCount', description: 'Tasks the service runs at full capacity (the primary\'s desired count).',
    source: ParameterSource.input('6', '3'), type: 'Integer',
  } satisfies DrillParameter,
  secondaryBackupVaultName: {
    name: 'SecondaryBackupVaultName', description: 'Backup vault in the secondary region that receives the cross-region copies of the recovery points.',
    source: ParameterSource.stackOutput('secondary-base', StackOutput.BACKUP_VAULT_NAME),
  } satisfies DrillParameter,
  restoreDbSubnetGroup: {
    name: 'RestoreDbSubnetGroupName', description: 'DB subnet group (isolated subnets of the secondary network) a restore in the secondary region uses.',
    source: ParameterSource.stackOutput('secondary-base', StackOutput.RESTORE_DATABASE_SUBNET_GROUP_NAME),
  } satisfies DrillParameter,
  restoreDbSecurityGroup: {
    name: 'RestoreDbSecurityGroupId', description: 'Security group of a database restored in the secondary region (the database port, from the VPC).',
    source: ParameterSource.stackOutput('secondary-base', StackOutput.RESTORE_DATABASE_SECURITY_GROUP_ID),
  } satisfies DrillParameter,
  restoreDbKmsKey: {
    name: 'RestoreDbKmsKeyArn', description: 'KMS key in the secondary region that encrypts a restored database.',
    source: ParameterSource.stackOutput('secondary-base', StackOutput.RESTORE_DATABASE_KMS_KEY_ARN),
  } satisfies DrillParameter,
  restoreRoleArn: {
    name: 'RestoreRoleArn', description: 'IAM role AWS Backup assumes to restore in the secondary region.',
    source: ParameterSource.stackOutput('secondary-base', StackOutput.RESTORE_ROLE_ARN),
  } satisfies DrillParameter,
  restoredClusterIdentifier: {
    name: 'RestoredClusterIdentifier', description: 'Identifier of the new cluster the restore creates (must not exist).',
    source: ParameterSource.input('checkout-restore-20260101'),
  } satisfies DrillParameter,
  dbInstanceClass: {
    name: 'DbInstanceClass', description: 'Instance class of the restored cluster\'s writer.',
    source: ParameterSource.input('db.r6g.large', 'db.r6g.large'),
  } satisfies DrillParameter,
};

/**
 * The shell command that redeploys the global stack so that `activeRegion` becomes CloudFront's main origin for every
 * request, at DR tier `drTier` (a tier id, or a `{{ DrTier }}` reference when the operator supplies it).
 */
export type RedeployCommand = (activeRegion: DrillRegion, drTier: string) => string;

/**
 * The reference app's redeploy command: `npx cdk deploy <service>-global -c drTier=<tier> -c activeRegion=<region>
 * --require-approval never` (the `drTier` and `activeRegion` context of the CDK app).
 */
export const CDK_REDEPLOY_COMMAND: RedeployCommand = (activeRegion, drTier) =>
  `npx cdk deploy ${platformStackId('<service>', 'global')} -c drTier=${drTier} -c activeRegion=${activeRegion} --require-approval never`;

/**
 * Moves all traffic (writes included) to `role`'s load balancer: CloudFront's origin group only fails reads
 * (GET, HEAD, OPTIONS) over on 5xx by itself, so the global stack is redeployed with the active region swapped
 * (`activeRegion`): the VPC origins swap, or, with a domain, the Route 53 failover records swap PRIMARY and SECONDARY
 * (their health checks already moved traffic off a failed region; the redeploy makes the move stick after it
 * recovers). `tier` is the `-c drTier` of the deployment (a literal or a `{{ Name }}`); `redeploy` renders the command.
 */
export function moveTrafficTo(name: string, role: DrillRegion, tier: string, redeploy: RedeployCommand): AnyStep {
  const other: DrillRegion = role === 'primary' ? 'secondary' : 'primary';
  return Step.manual({
    name, timeout: '45m',
    description: `Make the ${role} region CloudFront's main origin for every request, writes included: redeploy the global stack with \`activeRegion=${role}\` `
      + `(the ${other} region stays the read fallback where the tier serves from both). With a domain, this makes the ${role} region the PRIMARY `
      + 'of the Route 53 failover records of `origin.<domain>` (latency records, active/active, keep routing to every healthy region).',
    instructions: `From the platform repository, with the account and regions of the deployment (\`-c account=... -c primaryRegion=... -c secondaryRegion=...\` `
      + 'unless cdk.json holds them), run '
      + `\`${redeploy(role, tier)}\` `
      + 'and wait for `UPDATE_COMPLETE` (CloudFront then takes a few minutes to deploy the distribution everywhere). '
      + `Set \`"activeRegion": "${role}"\` in the cdk.json context too, so later deployments keep it.`,
  });
}

/** Sets the desired count of the ECS service in `role`. */
export function scaleService(name: string, description: string, role: DrillRegion, count: string, region?: DrillRegion): AnyStep {
  return Step.awsApi({
    name, description, timeout: '5m', ...(region ? { region } : {}),
    service: 'ecs', api: 'UpdateService',
    params: { cluster: `{{ ${cap(role)}EcsClusterName }}`, service: `{{ ${cap(role)}ServiceName }}`, desiredCount: count },
  });
}

/** Waits until the ECS service in `role` runs `count` tasks. */
export function waitServiceRunning(name: string, role: DrillRegion, count: string, timeout: '10m' | '15m' | '20m' | '30m'): AnyStep {
  return Step.waitFor({
    name, timeout, description: `Wait until the ${role} service runs ${count} tasks (they pass the ALB health check on \`/health\` to count as running).`,
    service: 'ecs', api: 'DescribeServices',
    params: { cluster: `{{ ${cap(role)}EcsClusterName }}`, services: [`{{ ${cap(role)}ServiceName }}`] },
    selector: '$.services[0].runningCount', desiredValues: [count],
  });
}

/** Waits until the first target of the service's target group in `role` is healthy. */
export function waitTargetsHealthy(name: string, role: DrillRegion, timeout: '10m' | '15m' | '30m'): AnyStep {
  return Step.waitFor({
    name, timeout,
    description: `Wait until the ALB in the ${role} region reports the service's targets healthy: the service answers \`/health\` there.`,
    service: 'elbv2', api: 'DescribeTargetHealth',
    params: { TargetGroupArn: `{{ ${cap(role)}TargetGroupArn }}` },
    selector: '$.TargetHealthDescriptions[0].TargetHealth.State', desiredValues: ['healthy'],
  });
}

/** Waits until the DB cluster `clusterRef` is available. */
export function waitClusterAvailable(name: string, clusterRef: string, timeout: '30m' | '1h' | '2h' | '4h'): AnyStep {
  return Step.waitFor({
    name, timeout, description: `Wait until DB cluster \`${clusterRef}\` is \`available\`.`,
    service: 'rds', api: 'DescribeDBClusters', params: { DBClusterIdentifier: clusterRef },
    selector: '$.DBClusters[0].Status', desiredValues: ['available'],
  });
}

/** Waits until the Aurora global cluster is available again (after a failover or switchover). */
export function waitGlobalClusterAvailable(name: string, timeout: '30m' | '1h'): AnyStep {
  return Step.waitFor({
    name, timeout, description: 'Wait until the global cluster is `available` again (it is `failing-over` or `switching-over` meanwhile).',
    service: 'rds', api: 'DescribeGlobalClusters', params: { GlobalClusterIdentifier: '{{ GlobalClusterIdentifier }}' },
    selector: '$.GlobalClusters[0].Status', desiredValues: ['available'],
  });
}

/** Adds a writer instance to a restored cluster (a restore creates the cluster without instances) and waits for it. */
export function createWriterAndWait(engine: string): AnyStep[] {
  return [
    Step.awsApi({
      name: 'CreateWriterInstance', timeout: '5m',
      description: 'A restored Aurora cluster has no instances: add the writer.',
      service: 'rds', api: 'CreateDBInstance',
      params: {
        DBInstanceIdentifier: '{{ RestoredClusterIdentifier }}-writer', DBClusterIdentifier: '{{ RestoredClusterIdentifier }}',
        Engine: engine, DBInstanceClass: '{{ DbInstanceClass }}',
      },
    }),
    Step.waitFor({
      name: 'WaitWriterAvailable', timeout: '1h',
      description: 'Wait until the writer instance is `available`: the restored database accepts connections.',
      service: 'rds', api: 'DescribeDBInstances', params: { DBInstanceIdentifier: '{{ RestoredClusterIdentifier }}-writer' },
      selector: '$.DBInstances[0].DBInstanceStatus', desiredValues: ['available'],
    }),
  ];
}

/** The engine of the reference database. */
export const DB_ENGINE = 'aurora-postgresql';
