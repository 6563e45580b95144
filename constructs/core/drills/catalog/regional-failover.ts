/** Regional failover drills, one per DR tier, and the failback that undoes them. */
import { DrTier } from '../../dr-tier';
import { Drill } from '../drill';
import { ParameterSource } from '../parameters';
import { Step } from '../steps';
import { RpoMeasurement } from '../verification';
import type { RedeployCommand } from './common';
import {
  CDK_REDEPLOY_COMMAND, DB_ENGINE, PARAMETERS, createWriterAndWait, moveTrafficTo, scaleService, waitClusterAvailable,
  waitGlobalClusterAvailable, waitServiceRunning, waitTargetsHealthy,
} from './common';

const approveFailover = Step.approve({
  name: 'ApproveFailover', timeout: '30m',
  description: 'Go/no-go: the incident commander confirms the drill window and that the secondary is ready.',
  message: 'Start the regional failover drill: traffic and writes move to {{ SecondaryRegion }}.',
});

const failoverGlobalCluster = Step.awsApi({
  name: 'FailoverGlobalCluster', timeout: '5m', maxAttempts: 3,
  description: 'Promote the secondary Aurora cluster to writer as if the primary region were lost (`AllowDataLoss`: the replication lag is the RPO). '
    + 'For a planned move without data loss use `SwitchoverGlobalCluster` (the failback drill does).',
  service: 'rds', api: 'FailoverGlobalCluster',
  params: { GlobalClusterIdentifier: '{{ GlobalClusterIdentifier }}', TargetDbClusterIdentifier: '{{ SecondaryClusterArn }}', AllowDataLoss: true },
});

const replicationLagRpo = RpoMeasurement.replicationLag({ atStep: 'FailoverGlobalCluster', clusterParameter: 'SecondaryClusterIdentifier' });

const dataReplicationParameters = [
  PARAMETERS.globalClusterIdentifier, PARAMETERS.clusterIdentifier('secondary'), PARAMETERS.clusterArn('secondary'),
  PARAMETERS.ecsCluster('secondary'), PARAMETERS.serviceName('secondary'), PARAMETERS.targetGroup('secondary'), PARAMETERS.desiredCount,
];

const replicatedPreconditions = [
  'The global cluster `{{ GlobalClusterIdentifier }}` is `available` and `AuroraGlobalDBReplicationLag` of `{{ SecondaryClusterIdentifier }}` is under a second.',
  'The on-call knows: the drill moves production traffic and writes to {{ SecondaryRegion }}.',
];

const recoveryChecks = [
  'RTO: from the drill start (or `--fault-at`, when a fault was injected) to the success of `WaitSecondaryTargetsHealthy`: the service is healthy in {{ SecondaryRegion }} and CloudFront sends every request there.',
  'Synthetic checks against the public endpoint succeed; the SLO dashboard shows traffic served from {{ SecondaryRegion }}.',
];

const failbackToPrimary = [
  'Run the `regional-failback` drill once {{ PrimaryRegion }} is healthy: it scales the primary up, switches the global cluster back without data loss and redeploys the global stack with `activeRegion=primary`.',
];

const reportFields = ['Replication lag at failover (ms)', 'Writes rejected during failover', 'Who approved'];

/** Backup & restore: restore the cross-region copy in the secondary region, deploy, and point DNS there. */
export const BACKUP_RESTORE_FAILOVER = new Drill({
  id: 'backup-restore-failover',
  title: 'Regional failover: backup & restore',
  summary: 'Recovers the service in the secondary region from the cross-region backup copy: restore the Aurora cluster from the copied recovery point, '
    + 'deploy the service against it, scale it out and point traffic at it. Proves the backup copies restore and the RTO of hours holds.',
  tiers: [DrTier.BACKUP_RESTORE],
  region: 'secondary',
  parameters: [
    {
      name: 'RecoveryPointArn',
      description: 'ARN of the newest Aurora recovery point (a cluster snapshot) in the secondary backup vault: '
        + '`aws backup list-recovery-points-by-backup-vault --backup-vault-name "$SecondaryBackupVaultName" --region "$SecondaryRegion"`.',
      source: ParameterSource.input('arn:aws:rds:eu-central-1:111111111111:cluster-snapshot:awsbackup:copyjob-0123abcd'),
    },
    PARAMETERS.secondaryBackupVaultName,
    PARAMETERS.restoredClusterIdentifier, PARAMETERS.dbInstanceClass,
    PARAMETERS.dbSubnetGroup('secondary'), PARAMETERS.dbSecurityGroup('secondary'), PARAMETERS.dbKmsKey('secondary'),
    PARAMETERS.ecsCluster('secondary'), PARAMETERS.serviceName('secondary'), PARAMETERS.targetGroup('secondary'), PARAMETERS.desiredCount,
  ],
  preconditions: [
    'A recovery point of the Aurora cluster was copied to `{{ SecondaryBackupVaultName }}` in {{ SecondaryRegion }} within the RPO (the `BackupCopyJobFailed` alarm is `OK`).',
    'The secondary stack (network, service at zero tasks) is deployed in {{ SecondaryRegion }}.',
    ],
  steps: [
    approveFailover,
    Step.awsApi({
      name: 'RestoreDatabaseCluster', timeout: '10m',
      description: 'Restore the copied recovery point into a new Aurora cluster in the secondary region, encrypted with the secondary key, deletion protection on.',
      service: 'rds', api: 'RestoreDBClusterFromSnapshot',
      params: {
        DBClusterIdentifier: '{{ RestoredClusterIdentifier }}', SnapshotIdentifier: '{{ RecoveryPointArn }}', Engine: DB_ENGINE,
        DBSubnetGroupName: '{{ SecondaryDbSubnetGroupName }}', VpcSecurityGroupIds: ['{{ SecondaryDbSecurityGroupId }}'],
        KmsKeyId: '{{ SecondaryDbKmsKeyArn }}', DeletionProtection: true, EnableIAMDatabaseAuthentication: true, CopyTagsToSnapshot: true,
      },
    }),
    waitClusterAvailable('WaitRestoredClusterAvailable', '{{ RestoredClusterIdentifier }}', '4h'),
    ...createWriterAndWait(DB_ENGINE),
    Step.manual({
      name: 'DeployServiceAgainstRestoredCluster', timeout: '1h',
      description: 'Point the service in the secondary region at the restored database.',
      instructions: 'Deploy the secondary stack with the restored cluster as its database (`npx cdk deploy <service>-secondary` with the restored cluster '
        + 'identifier `{{ RestoredClusterIdentifier }}` configured), then confirm the stack reached `UPDATE_COMPLETE`.',
    }),
    scaleService('ScaleUpSecondaryService', 'Scale the secondary service from zero to full capacity.', 'secondary', '{{ ServiceDesiredCount }}'),
    waitServiceRunning('WaitSecondaryServiceRunning', 'secondary', '{{ ServiceDesiredCount }}', '20m'),
    Step.manual({
      name: 'PointDnsAtSecondary', timeout: '30m',
      description: 'Send users to the secondary region.',
      instructions: 'Change the service\'s DNS record to the secondary load balancer (alias record in the hosted zone), then wait one TTL.',
    }),
    waitTargetsHealthy('WaitSecondaryTargetsHealthy', 'secondary', '15m'),
  ],
  verification: {
    recoveredWhen: 'WaitSecondaryTargetsHealthy',
    checks: recoveryChecks,
    rpo: RpoMeasurement.explicit('the creation time of `{{ RecoveryPointArn }}` (`aws backup describe-recovery-point`) to the fault: every write after the recovery point is lost. Pass it as `--rpo-seconds`.'),
  },
  failback: [
    'Once {{ PrimaryRegion }} is back, take a snapshot of `{{ RestoredClusterIdentifier }}`, copy it to {{ PrimaryRegion }}, restore it there and repeat this drill in the other direction.',
    'Keep `{{ RestoredClusterIdentifier }}` until the failback is verified (deletion protection is on); then scale the secondary service back to zero.',
  ],
  reportFields: ['Recovery point ARN and creation time', 'Restore duration', 'Who approved'],
});

/** Pilot light: promote the Aurora secondary, scale the zero-task service up, move CloudFront's traffic to the secondary. */
function pilotLightFailover(redeploy: RedeployCommand): Drill {
  return new Drill({
    id: 'pilot-light-failover',
    title: 'Regional failover: pilot light',
    summary: 'Fails the service over to the secondary region where data replicates continuously and the service is provisioned with zero tasks: '
      + 'promote the Aurora secondary cluster, scale the service up from zero, redeploy the global stack so CloudFront sends every request '
      + '(writes included) to the secondary, verify.',
    tiers: [DrTier.PILOT_LIGHT],
    region: 'secondary',
    parameters: dataReplicationParameters,
    preconditions: replicatedPreconditions,
    steps: [
      approveFailover,
      failoverGlobalCluster,
      waitGlobalClusterAvailable('WaitGlobalClusterAvailable', '30m'),
      waitClusterAvailable('WaitSecondaryClusterWriter', '{{ SecondaryClusterIdentifier }}', '30m'),
      scaleService('ScaleUpSecondaryService', 'Scale the pilot-light service from zero tasks to full capacity.', 'secondary', '{{ ServiceDesiredCount }}'),
      waitServiceRunning('WaitSecondaryServiceRunning', 'secondary', '{{ ServiceDesiredCount }}', '20m'),
      moveTrafficTo('MoveTrafficToSecondary', 'secondary', 'pilot-light', redeploy),
      waitTargetsHealthy('WaitSecondaryTargetsHealthy', 'secondary', '15m'),
    ],
    verification: { recoveredWhen: 'WaitSecondaryTargetsHealthy', checks: recoveryChecks, rpo: replicationLagRpo },
    failback: failbackToPrimary,
    reportFields,
  });
}

/** Warm standby: promote the Aurora secondary, scale the running minimum up to full capacity, move CloudFront's traffic. */
function warmStandbyFailover(redeploy: RedeployCommand): Drill {
  return new Drill({
    id: 'warm-standby-failover',
    title: 'Regional failover: warm standby',
    summary: 'Fails the service over to the secondary region that already serves health checks at minimum capacity: promote the Aurora secondary, '
      + 'scale the service from its minimum to full capacity, redeploy the global stack so CloudFront sends every request to the secondary, verify.',
    tiers: [DrTier.WARM_STANDBY],
    region: 'secondary',
    parameters: dataReplicationParameters,
    preconditions: [
      ...replicatedPreconditions,
      'The secondary service runs its minimum tasks and its targets are healthy (`aws elbv2 describe-target-health`).',
    ],
    steps: [
      approveFailover,
      scaleService('ScaleUpSecondaryService', 'Scale the standby from its minimum to full capacity first: it is already healthy, so this overlaps with the database promotion.',
        'secondary', '{{ ServiceDesiredCount }}'),
      failoverGlobalCluster,
      waitGlobalClusterAvailable('WaitGlobalClusterAvailable', '30m'),
      waitServiceRunning('WaitSecondaryServiceRunning', 'secondary', '{{ ServiceDesiredCount }}', '15m'),
      moveTrafficTo('MoveTrafficToSecondary', 'secondary', 'warm-standby', redeploy),
      waitTargetsHealthy('WaitSecondaryTargetsHealthy', 'secondary', '10m'),
    ],
    verification: { recoveredWhen: 'WaitSecondaryTargetsHealthy', checks: recoveryChecks, rpo: replicationLagRpo },
    failback: failbackToPrimary,
    reportFields,
  });
}

/** Active/active: make the surviving region CloudFront's main origin, promote its writer, absorb the load. */
function activeActiveFailover(redeploy: RedeployCommand): Drill {
  return new Drill({
    id: 'active-active-failover',
    title: 'Regional failover: active/active',
    summary: 'Both regions serve; the drill makes the secondary CloudFront\'s main origin first (the global stack redeployed with '
      + '`activeRegion=secondary`: every request, writes included, goes there), then promotes the secondary Aurora cluster to writer (write forwarding stops) and scales the secondary to carry all the traffic.',
    tiers: [DrTier.ACTIVE_ACTIVE],
    region: 'secondary',
    parameters: dataReplicationParameters,
    preconditions: [
      ...replicatedPreconditions,
      'Both regions serve traffic: CloudFront\'s reads fail over between them, writes go to the primary (`activeRegion` is `primary`).',
    ],
    steps: [
      approveFailover,
      moveTrafficTo('MoveTrafficToSecondary', 'secondary', 'active-active', redeploy),
      scaleService('ScaleUpSecondaryService', 'Scale the secondary to carry both regions\' traffic.', 'secondary', '{{ ServiceDesiredCount }}'),
      failoverGlobalCluster,
      waitGlobalClusterAvailable('WaitGlobalClusterAvailable', '30m'),
      waitServiceRunning('WaitSecondaryServiceRunning', 'secondary', '{{ ServiceDesiredCount }}', '10m'),
      waitTargetsHealthy('WaitSecondaryTargetsHealthy', 'secondary', '10m'),
    ],
    verification: {
      recoveredWhen: 'WaitSecondaryTargetsHealthy',
      checks: [
        ...recoveryChecks,
        'Writes succeed in {{ SecondaryRegion }} against its own writer (write forwarding is no longer involved).',
      ],
      rpo: replicationLagRpo,
    },
    failback: failbackToPrimary,
    reportFields: [...reportFields, 'Write conflicts observed (see the active-active conflicts note)'],
  });
}

/** Failback after a regional failover: scale the primary up, switch the global cluster back without data loss, move traffic back. */
function regionalFailback(redeploy: RedeployCommand): Drill {
  return new Drill({
    id: 'regional-failback',
    title: 'Regional failback',
    summary: 'Returns the service to the primary region after a regional failover drill: scale the primary service up, switch the Aurora global '
      + 'cluster back with `SwitchoverGlobalCluster` (no data loss: it waits for the primary to catch up), redeploy the global stack with '
      + '`activeRegion=primary` so CloudFront sends every request to the primary again, and return the '
      + 'secondary to its standby size.',
    tiers: [DrTier.PILOT_LIGHT, DrTier.WARM_STANDBY, DrTier.ACTIVE_ACTIVE],
    region: 'primary',
    parameters: [
      PARAMETERS.globalClusterIdentifier, PARAMETERS.clusterIdentifier('primary'), PARAMETERS.clusterArn('primary'),
      PARAMETERS.ecsCluster('primary'), PARAMETERS.serviceName('primary'), PARAMETERS.targetGroup('primary'), PARAMETERS.desiredCount,
      PARAMETERS.ecsCluster('secondary'), PARAMETERS.serviceName('secondary'),
      {
        name: 'SecondaryStandbyCount', description: 'Tasks the secondary runs in standby: 0 (pilot light), its minimum (warm standby), full (active/active).',
        source: ParameterSource.input('2', '0'), type: 'Integer',
      },
      {
        name: 'DrTier', description: 'DR tier the platform runs at (its `platform:dr-tier` tag): `pilot-light`, `warm-standby` or `active-active`.',
        source: ParameterSource.input('warm-standby'),
      },
    ],
    preconditions: [
      'The primary region is healthy again and the primary cluster `{{ PrimaryClusterIdentifier }}` has rejoined the global cluster as a secondary (status `available`, replication lag under a second).',
      ],
    steps: [
      Step.approve({
        name: 'ApproveFailback', timeout: '30m',
        description: 'Go/no-go: the incident commander confirms the primary region is healthy.',
        message: 'Fail back to {{ PrimaryRegion }}: writes move back to the primary cluster.',
      }),
      scaleService('ScaleUpPrimaryService', 'Scale the primary service to full capacity before it takes traffic.', 'primary', '{{ ServiceDesiredCount }}'),
      waitServiceRunning('WaitPrimaryServiceRunning', 'primary', '{{ ServiceDesiredCount }}', '20m'),
      Step.awsApi({
        name: 'SwitchoverGlobalCluster', timeout: '5m',
        description: 'Make the primary cluster the writer again. A switchover waits until the primary has caught up: no data is lost.',
        service: 'rds', api: 'SwitchoverGlobalCluster',
        params: { GlobalClusterIdentifier: '{{ GlobalClusterIdentifier }}', TargetDbClusterIdentifier: '{{ PrimaryClusterArn }}' },
      }),
      waitGlobalClusterAvailable('WaitGlobalClusterAvailable', '1h'),
      moveTrafficTo('MoveTrafficToPrimary', 'primary', '{{ DrTier }}', redeploy),
      waitTargetsHealthy('WaitPrimaryTargetsHealthy', 'primary', '15m'),
      scaleService('ScaleDownSecondaryService', 'Return the secondary service to its standby size (a call to the secondary region).',
        'secondary', '{{ SecondaryStandbyCount }}', 'secondary'),
    ],
    verification: {
      recoveredWhen: 'WaitPrimaryTargetsHealthy',
      checks: [
        'RTO: from the drill start to the success of `WaitPrimaryTargetsHealthy`: the primary serves again and CloudFront sends every request to it.',
        'The global cluster lists `{{ PrimaryClusterIdentifier }}` as writer; replication lag to the secondary is back under a second.',
      ],
      rpo: RpoMeasurement.none('`SwitchoverGlobalCluster` promotes the primary only after it has caught up with the writer: no committed write is lost, RPO is 0.'),
    },
    failback: [
      'This drill is the failback. If it stops half-way, re-run it: every step is idempotent (a switchover to the current writer fails fast; run the regional failover drill to return to the secondary instead).',
    ],
    reportFields: ['Time from switchover start to global cluster available', 'Who approved'],
  });
}

/** The drills that move traffic by redeploying the global stack, built with `redeploy` as the command they show. */
export interface TrafficMovingDrills {
  readonly pilotLight: Drill;
  readonly warmStandby: Drill;
  readonly activeActive: Drill;
  readonly failback: Drill;
}

/** The pilot light, warm standby and active/active failovers and the failback, their traffic moves rendered by `redeploy`. */
export function trafficMovingDrills(redeploy: RedeployCommand): TrafficMovingDrills {
  return {
    pilotLight: pilotLightFailover(redeploy),
    warmStandby: warmStandbyFailover(redeploy),
    activeActive: activeActiveFailover(redeploy),
    failback: regionalFailback(redeploy),
  };
}

const REFERENCE_APP = trafficMovingDrills(CDK_REDEPLOY_COMMAND);
/** Pilot light failover, with the reference app's redeploy command. */
export const PILOT_LIGHT_FAILOVER = REFERENCE_APP.pilotLight;
/** Warm standby failover, with the reference app's redeploy command. */
export const WARM_STANDBY_FAILOVER = REFERENCE_APP.warmStandby;
/** Active/active failover, with the reference app's redeploy command. */
export const ACTIVE_ACTIVE_FAILOVER = REFERENCE_APP.activeActive;
/** Regional failback, with the reference app's redeploy command. */
export const REGIONAL_FAILBACK = REFERENCE_APP.failback;
