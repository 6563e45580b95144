import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeDBClustersCommand, DescribeGlobalClustersCommand, FailoverGlobalClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { DrTier } from '../../../constructs/core/dr-tier';
import { PILOT_LIGHT_FAILOVER } from '../../../constructs/core/drills';
import { SdkAwsCaller } from '../../../cli/drill/aws';
import type { RunDrillOptions } from '../../../cli/drill/runner';
import { runDrill } from '../../../cli/drill/runner';
import { FakeClock, PILOT_LIGHT_VALUES } from './fixtures';

const rds = mockClient(RDSClient);
const ecs = mockClient(ECSClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const cw = mockClient(CloudWatchClient);

function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
}

/** A healthy AWS: every call succeeds, every wait reaches its desired value on the second poll. */
function healthyAws(): void {
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'checkout-secondary-critical', StateValue: 'OK' }] });
  cw.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Maximum: 850 }, { Maximum: 1200 }] });
  rds.on(FailoverGlobalClusterCommand).resolves({});
  rds.on(DescribeGlobalClustersCommand).resolvesOnce({ GlobalClusters: [{ Status: 'failing-over' }] }).resolves({ GlobalClusters: [{ Status: 'available' }] });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'available' }] });
  ecs.on(UpdateServiceCommand).resolves({});
  ecs.on(DescribeServicesCommand).resolvesOnce({ services: [{ runningCount: 1 }] }).resolves({ services: [{ runningCount: 3 }] });
  elb.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [{ TargetHealth: { State: 'healthy' } }] });
}

let clock: FakeClock;
function options(extra: Partial<RunDrillOptions> = {}): RunDrillOptions {
  return {
    drill: PILOT_LIGHT_FAILOVER, tier: DrTier.PILOT_LIGHT, values: PILOT_LIGHT_VALUES, aws: new SdkAwsCaller(),
    clock, random: () => 0.5, confirm: async () => true, pollIntervalMs: 15_000, ...extra,
  };
}

beforeEach(() => {
  for (const m of [rds, ecs, elb, cw]) m.reset();
  clock = new FakeClock();
});

describe('runDrill', () => {
  test('a successful run passes, with RTO from the fake clock and RPO from the replication lag', async () => {
    // GIVEN
    healthyAws();
    // WHEN
    const report = await runDrill(options());
    // THEN every step succeeded once, waits polled twice
    expect(report.outcome).toBe('pass');
    expect(report.timeline.map((r) => [r.step, r.outcome, r.attempts])).toEqual([
      ['ApproveFailover', 'succeeded', 1], ['FailoverGlobalCluster', 'succeeded', 1], ['WaitGlobalClusterAvailable', 'succeeded', 2],
      ['WaitSecondaryClusterWriter', 'succeeded', 1], ['ScaleUpSecondaryService', 'succeeded', 1], ['WaitSecondaryServiceRunning', 'succeeded', 2],
      ['MoveTrafficToSecondary', 'succeeded', 1], ['WaitSecondaryTargetsHealthy', 'succeeded', 1],
    ]);
    // two 15 s polls: the service is healthy in the secondary 30 s after the start
    expect(report.rto).toEqual(expect.objectContaining({ measuredSeconds: 30, objectiveSeconds: 1800, pass: true }));
    expect(report.rpo).toEqual(expect.objectContaining({ measuredSeconds: 1.2, objectiveSeconds: 60, pass: true, method: 'replication-lag' }));
    // AND the calls carried the resolved parameters, to the right region and endpoint
    expect(rds.commandCalls(FailoverGlobalClusterCommand)[0].args[0].input).toEqual({
      GlobalClusterIdentifier: 'checkout-global', TargetDbClusterIdentifier: PILOT_LIGHT_VALUES.SecondaryClusterArn, AllowDataLoss: true,
    });
    expect(ecs.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({ cluster: 'checkout-secondary', service: 'checkout', desiredCount: 3 });
    expect(cw.commandCalls(GetMetricStatisticsCommand)[0].args[0].input).toEqual(expect.objectContaining({
      Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag', Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'checkout-secondary-db' }],
    }));
    // the stop condition is checked before each of the 8 steps
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(8);
  });

  test('RTO is measured from --fault-at and fails when it exceeds the objective', async () => {
    healthyAws();
    const report = await runDrill(options({ faultAt: clock.now() - 3600_000 }));
    expect(report.rto).toEqual(expect.objectContaining({ measuredSeconds: 3630, pass: false }));
    expect(report.outcome).toBe('fail');
    expect(report.reason).toBe('RTO 3630s misses 30m');
  });

  test('throttling is retried with backoff and jitter, and the attempts are recorded', async () => {
    healthyAws();
    rds.on(FailoverGlobalClusterCommand).rejectsOnce(throttling()).rejectsOnce(throttling()).resolves({});
    const report = await runDrill(options());
    expect(report.outcome).toBe('pass');
    expect(report.timeline.find((r) => r.step === 'FailoverGlobalCluster')).toEqual(expect.objectContaining({ outcome: 'succeeded', attempts: 3 }));
    // full jitter (random 0.5) on 1 s, then 2 s
    expect(clock.sleeps.slice(0, 2)).toEqual([500, 1000]);
  });

  test('retries are bounded: a step always throttled fails after maxAttempts and later steps do not run', async () => {
    healthyAws();
    rds.on(FailoverGlobalClusterCommand).rejects(throttling());
    const report = await runDrill(options());
    expect(rds.commandCalls(FailoverGlobalClusterCommand)).toHaveLength(3);
    expect(report.outcome).toBe('fail');
    expect(report.timeline.at(-1)).toEqual(expect.objectContaining({ step: 'FailoverGlobalCluster', outcome: 'failed', attempts: 3 }));
    expect(report.notRun).toContain('ScaleUpSecondaryService');
  });

  test('a failing step fails the drill and stops it', async () => {
    healthyAws();
    ecs.on(UpdateServiceCommand).rejects(Object.assign(new Error('service checkout not found'), { name: 'ServiceNotFoundException' }));
    const report = await runDrill(options());
    expect(report.outcome).toBe('fail');
    expect(report.reason).toBe('step ScaleUpSecondaryService failed: ServiceNotFoundException: service checkout not found');
    expect(report.timeline.at(-1)).toEqual(expect.objectContaining({ step: 'ScaleUpSecondaryService', outcome: 'failed', attempts: 1 }));
    expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(0);
    expect(report.rto.pass).toBe(false);
  });

  test('a wait that never reaches its desired value times out at the step timeout', async () => {
    healthyAws();
    rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [{ Status: 'failing-over' }] });
    const report = await runDrill(options());
    const step = report.timeline.at(-1)!;
    expect(step).toEqual(expect.objectContaining({ step: 'WaitGlobalClusterAvailable', outcome: 'timed-out', attempts: 121 }));
    expect(step.error).toBe('timed out after 30m: $.GlobalClusters[0].Status is "failing-over", waiting for available');
    expect(step.end - step.start).toBeLessThanOrEqual(30 * 60_000);
    expect(report.outcome).toBe('fail');
  });

  test('the stop-condition alarm in ALARM aborts the drill before the next step', async () => {
    healthyAws();
    cw.on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ StateValue: 'OK' }] })
      .resolvesOnce({ MetricAlarms: [{ StateValue: 'OK' }] })
      .resolves({ MetricAlarms: [{ StateValue: 'ALARM' }] });
    const report = await runDrill(options());
    expect(report.outcome).toBe('aborted');
    expect(report.reason).toBe('stop condition: alarm checkout-secondary-critical is in ALARM before step WaitGlobalClusterAvailable');
    expect(report.timeline.map((r) => r.step)).toEqual(['ApproveFailover', 'FailoverGlobalCluster']);
    expect(rds.commandCalls(DescribeGlobalClustersCommand)).toHaveLength(0);
    // The report keeps the alarm's first check and its change of state, when the CLI saw them (the HTML draws them).
    expect(report.alarms).toEqual([
      { alarm: 'checkout-secondary-critical', at: report.timeline[0].start, inAlarm: false },
      { alarm: 'checkout-secondary-critical', at: report.timeline[1].end, inAlarm: true },
    ]);
  });

  test('an abort signal (SIGINT) stops after the current step', async () => {
    healthyAws();
    const abort = new AbortController();
    rds.on(FailoverGlobalClusterCommand).callsFake(async () => {
      abort.abort();
      return {};
    });
    const report = await runDrill(options({ signal: abort.signal }));
    expect(report.outcome).toBe('aborted');
    expect(report.reason).toBe('aborted by the operator before step WaitGlobalClusterAvailable');
    expect(report.timeline.at(-1)).toEqual(expect.objectContaining({ step: 'FailoverGlobalCluster', outcome: 'succeeded' }));
  });

  test('a declined approval aborts before any AWS change', async () => {
    healthyAws();
    const report = await runDrill(options({ confirm: async () => false }));
    expect(report.outcome).toBe('aborted');
    expect(rds.commandCalls(FailoverGlobalClusterCommand)).toHaveLength(0);
  });
});
