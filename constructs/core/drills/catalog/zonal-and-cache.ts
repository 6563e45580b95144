/** Drills inside one region: evacuate an availability zone with ARC zonal shift, fail the cache primary over. */
import { DrTier } from '../../dr-tier';
import { StackOutput } from '../../stack-outputs';
import { Drill } from '../drill';
import { ParameterSource } from '../parameters';
import { Step } from '../steps';
import { RpoMeasurement } from '../verification';
import { PARAMETERS, waitTargetsHealthy } from './common';

/** AZ evacuation: shift the load balancer's traffic away from one zone, observe, cancel the shift. */
export const AZ_EVACUATION = new Drill({
  id: 'az-evacuation',
  title: 'AZ evacuation (ARC zonal shift)',
  summary: 'Moves the primary load balancer\'s traffic away from one availability zone with a Route 53 ARC zonal shift, as an AZ impairment would '
    + 'require, verifies the remaining zones carry the load within the SLO, and cancels the shift.',
  tiers: DrTier.ALL,
  objectives: { rto: '5m', rpo: '0s' },
  region: 'primary',
  parameters: [
    {
      name: 'LoadBalancerArn', description: 'ARN of the primary application load balancer (zonal shift is enabled on it).',
      source: ParameterSource.stackOutput('primary', StackOutput.LOAD_BALANCER_ARN),
    },
    {
      name: 'AvailabilityZoneId', description: 'Zone ID (not name) to evacuate, e.g. `euw1-az1`: `aws ec2 describe-availability-zones` maps names to IDs.',
      source: ParameterSource.input('euw1-az1'),
    },
    {
      name: 'ZonalShiftExpiresIn', description: 'How long the shift lasts unless cancelled (it expires on its own, a safety net).',
      source: ParameterSource.input('2h', '1h'),
    },
    PARAMETERS.targetGroup('primary'),
  ],
  preconditions: [
    'Zonal shift is enabled on `{{ LoadBalancerArn }}` (load balancer attribute `zonal_shift.config.enabled`) and cross-zone load balancing is off.',
    'Every remaining zone has capacity for the whole load: the service runs at least as many tasks per zone as one zone\'s share of peak.',
    'No other zonal shift or autoshift is active on the load balancer.',
  ],
  steps: [
    Step.approve({
      name: 'ApproveZonalShift', timeout: '30m',
      description: 'Go/no-go for moving traffic out of one zone.',
      message: 'Shift traffic away from {{ AvailabilityZoneId }} on the primary load balancer.',
    }),
    Step.awsApi({
      name: 'StartZonalShift', timeout: '5m',
      description: 'Start the zonal shift: the load balancer\'s DNS stops answering with the zone\'s IPs.',
      service: 'arc-zonal-shift', api: 'StartZonalShift',
      params: {
        resourceIdentifier: '{{ LoadBalancerArn }}', awayFrom: '{{ AvailabilityZoneId }}', expiresIn: '{{ ZonalShiftExpiresIn }}',
        comment: 'DR drill: AZ evacuation',
      },
      outputs: { ZonalShiftId: '$.zonalShiftId' },
    }),
    Step.waitFor({
      name: 'WaitZonalShiftActive', timeout: '5m',
      description: 'Wait until the shift is `ACTIVE`.',
      service: 'arc-zonal-shift', api: 'GetManagedResource', params: { resourceIdentifier: '{{ LoadBalancerArn }}' },
      selector: '$.zonalShifts[0].status', desiredValues: ['ACTIVE'],
    }),
    waitTargetsHealthy('WaitTargetsHealthy', 'primary', '10m'),
    Step.sleep({
      name: 'ObserveRemainingZones', timeout: '20m', duration: '15m',
      description: 'Let the remaining zones carry the load for 15 minutes; watch the golden-signal dashboard (5xx rate, p99 latency, CPU).',
    }),
    Step.awsApi({
      name: 'CancelZonalShift', timeout: '5m',
      description: 'End the shift: the zone takes traffic again.',
      service: 'arc-zonal-shift', api: 'CancelZonalShift', params: { zonalShiftId: '{{ StartZonalShift.ZonalShiftId }}' },
    }),
  ],
  verification: {
    recoveredWhen: 'WaitTargetsHealthy',
    checks: [
      'RTO: from the drill start to the success of `WaitTargetsHealthy`: traffic is served from the remaining zones only.',
      'During `ObserveRemainingZones` the availability and latency SLO burn-rate alerts stay silent.',
    ],
    rpo: RpoMeasurement.none('A zonal shift moves traffic, not data: the database and cache stay multi-AZ, nothing is lost.'),
  },
  failback: [
    '`CancelZonalShift` is the failback. If the drill stopped before it, cancel by hand: `aws arc-zonal-shift list-zonal-shifts --status ACTIVE`, then `aws arc-zonal-shift cancel-zonal-shift --zonal-shift-id <id>`; the shift also expires after `{{ ZonalShiftExpiresIn }}`.',
  ],
  reportFields: ['Zone evacuated', 'Peak 5xx rate and p99 latency during the shift'],
});

/** Cache primary failover: ElastiCache TestFailover on one shard, wait for the group to be available. */
export const CACHE_PRIMARY_FAILOVER = new Drill({
  id: 'cache-primary-failover',
  title: 'Cache primary failover',
  summary: 'Fails the primary node of one ElastiCache shard over to a replica with `TestFailover` and verifies the service keeps serving '
    + '(the client reconnects to the new primary through the configuration or primary endpoint).',
  tiers: DrTier.ALL,
  objectives: { rto: '5m', rpo: '1m' },
  region: 'primary',
  parameters: [
    {
      name: 'CacheReplicationGroupId', description: 'ElastiCache replication group of the service cache.',
      source: ParameterSource.stackOutput('primary', StackOutput.CACHE_REPLICATION_GROUP_ID),
    },
    {
      name: 'CacheNodeGroupId', description: 'Shard (node group) whose primary fails over; `0001` is the only one without cluster mode.',
      source: ParameterSource.input('0002', '0001'),
    },
  ],
  preconditions: [
    'The replication group `{{ CacheReplicationGroupId }}` is `available`, multi-AZ with automatic failover, and its replication lag is under a second.',
    'No other `TestFailover` ran on it in the last 24 hours (ElastiCache allows at most 15 per rolling day).',
  ],
  steps: [
    Step.approve({
      name: 'ApproveCacheFailover', timeout: '30m',
      description: 'Go/no-go for failing the cache primary over.',
      message: 'Fail over the primary of shard {{ CacheNodeGroupId }} of {{ CacheReplicationGroupId }}.',
    }),
    Step.awsApi({
      name: 'TestFailover', timeout: '5m',
      description: 'Fail the shard\'s primary over to a replica in another zone.',
      service: 'elasticache', api: 'TestFailover',
      params: { ReplicationGroupId: '{{ CacheReplicationGroupId }}', NodeGroupId: '{{ CacheNodeGroupId }}' },
    }),
    Step.sleep({
      name: 'LetFailoverStart', timeout: '2m', duration: '30s',
      description: 'The group turns `modifying` a few seconds after the call; waiting before polling avoids reading the old `available`.',
    }),
    Step.waitFor({
      name: 'WaitReplicationGroupAvailable', timeout: '15m',
      description: 'Wait until the replication group is `available` again with the new primary.',
      service: 'elasticache', api: 'DescribeReplicationGroups', params: { ReplicationGroupId: '{{ CacheReplicationGroupId }}' },
      selector: '$.ReplicationGroups[0].Status', desiredValues: ['available'],
    }),
  ],
  verification: {
    recoveredWhen: 'WaitReplicationGroupAvailable',
    checks: [
      'RTO: from the drill start to the success of `WaitReplicationGroupAvailable`; the service\'s 5xx rate stays within its SLO throughout.',
      'The cache hit rate recovers to its pre-drill level within 10 minutes.',
    ],
    rpo: RpoMeasurement.explicit('the `ReplicationLag` metric of the replica that was promoted, maximum over the minute before `TestFailover` (writes not yet replicated are lost). Pass it as `--rpo-seconds`.'),
  },
  failback: [
    'None needed: the former primary rejoins as a replica. Run the drill again to move the primary back if zone placement matters.',
  ],
  reportFields: ['New primary node id', 'Client reconnect errors', 'Cache hit rate before and after'],
});
