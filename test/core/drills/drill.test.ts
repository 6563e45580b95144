import { DrTier } from '../../../constructs/core/dr-tier';
import type { AnyStep, AwsApiStepOptions, DrillProps } from '../../../constructs/core/drills';
import { DRILLS, Drill, RpoMeasurement, Step, kebabCase } from '../../../constructs/core/drills';

const scaleOptions: AwsApiStepOptions = {
  name: 'ScaleUp', description: 'Scale up.', timeout: '5m',
  service: 'ecs', api: 'UpdateService', params: { cluster: '{{ Cluster }}', service: 'svc', desiredCount: 3 },
};
const scale = Step.awsApi(scaleOptions);

function props(steps: AnyStep[], extra: Partial<DrillProps> = {}): DrillProps {
  return {
    id: 'test-drill', title: 'Test', summary: 'Test drill.', tiers: [DrTier.PILOT_LIGHT], region: 'secondary',
    parameters: [{ name: 'Cluster', description: 'ECS cluster.', source: { kind: 'input' } as never }],
    preconditions: [], steps, failback: [],
    verification: { recoveredWhen: steps[0]?.name ?? 'ScaleUp', checks: [], rpo: RpoMeasurement.none('no data moves') },
    ...extra,
  };
}

describe('Drill validation', () => {
  test('a drill step without a timeout is an error naming the step and the fix', () => {
    // GIVEN a step built without a timeout (what untyped or JSON-sourced drills can do)
    const noTimeout = Step.awsApi({ ...scaleOptions, name: 'ScaleUp', timeout: undefined as never, service: 'ecs', api: 'UpdateService', params: {} });
    // THEN
    expect(() => new Drill(props([noTimeout]))).toThrow(
      "drills/test-drill: step ScaleUp timeout (undefined) is missing: give every drill step a timeout, e.g. timeout: '15m' (a step without one could hang the drill)");
  });

  test.each<[string, () => DrillProps, string]>([
    ['empty drill', () => props([]), 'drills/test-drill: steps ([]) is empty: declare at least one step'],
    ['duplicate step names', () => props([scale, scale]), "drills/test-drill: step ScaleUp ('ScaleUp') is declared twice: give every step a unique name"],
    ['unknown parameter', () => props([Step.awsApi({ ...scaleOptions, params: { cluster: '{{ Clustr }}' } })]),
      "drills/test-drill: step ScaleUp ('{{ Clustr }}') references an undeclared parameter: declare Clustr in parameters"],
    ['bad timeout text', () => props([Step.sleep({ name: 'Pause', description: 'p', timeout: '5 minutes' as never, duration: '1m' })]),
      "drills/test-drill: step Pause timeout ('5 minutes') is not a duration"],
    ['unbounded retries', () => props([Step.awsApi({ ...scaleOptions, maxAttempts: 50 })]),
      'drills/test-drill: step ScaleUp maxAttempts (50) must be an integer from 1 to 10'],
    ['sleep longer than its timeout', () => props([Step.sleep({ name: 'Pause', description: 'p', timeout: '1m', duration: '5m' })]),
      "drills/test-drill: step Pause duration ('5m') is longer than its timeout (1m)"],
    ['undeclared step output', () => props([Step.awsApi({ ...scaleOptions, params: { id: '{{ Start.ShiftId }}' } })]),
      "drills/test-drill: step ScaleUp ('{{ Start.ShiftId }}') references no output of an earlier step"],
    ['RTO end that is not a step', () => props([scale], { verification: { recoveredWhen: 'Nope', checks: [], rpo: RpoMeasurement.none('x') } }),
      "drills/test-drill: verification.recoveredWhen ('Nope') is not a step of the drill"],
    ['built-in parameter declared again', () => props([scale], { parameters: [{ name: 'PrimaryRegion', description: 'x', source: {} as never }] }),
      "drills/test-drill: parameters.name ('PrimaryRegion') is declared twice"],
  ])('%s', (_name, make, message) => {
    expect(() => new Drill(make())).toThrow(message);
  });

  test('objectives default to the tier envelope', () => {
    const drill = new Drill(props([scale], { parameters: [{ name: 'Cluster', description: 'c', source: {} as never }] }));
    expect(drill.objectivesFor(DrTier.PILOT_LIGHT)).toEqual({ rto: '30m', rpo: '1m' });
  });
});

describe('the drill catalog', () => {
  test('covers regional failover for each tier, failback, AZ evacuation, cache failover and both restores', () => {
    expect(DRILLS.map((d) => d.id)).toEqual([
      'backup-restore-failover', 'pilot-light-failover', 'warm-standby-failover', 'active-active-failover', 'regional-failback',
      'az-evacuation', 'cache-primary-failover', 'restore-from-backup', 'restore-point-in-time',
    ]);
    for (const tier of DrTier.ALL) {
      expect(DRILLS.filter((d) => d.id.endsWith('-failover') && d.tiers.length === 1 && d.tiers[0] === tier)).toHaveLength(1);
    }
  });

  test.each(DRILLS.map((d) => [d.id, d] as const))('%s has an automated step and every step a timeout', (_id, drill) => {
    expect(drill.steps.some((s) => s.automated)).toBe(true);
    expect(drill.steps.every((s) => typeof s.timeout === 'string')).toBe(true);
  });

  test('the regional failovers call the AWS APIs of their tier', () => {
    const apis = (id: string) => DRILLS.find((d) => d.id === id)!.steps.flatMap((s) => (s.kind === 'aws-api' ? [`${s.call.service}:${s.call.api}`] : []));
    expect(apis('pilot-light-failover')).toEqual(['rds:FailoverGlobalCluster', 'ecs:UpdateService']);
    expect(apis('restore-from-backup')).toEqual(['backup:GetRecoveryPointRestoreMetadata', 'backup:StartRestoreJob', 'rds:CreateDBInstance']);
    expect(apis('regional-failback')).toContain('rds:SwitchoverGlobalCluster');
    expect(apis('az-evacuation')).toEqual(['arc-zonal-shift:StartZonalShift', 'arc-zonal-shift:CancelZonalShift']);
    expect(apis('cache-primary-failover')).toEqual(['elasticache:TestFailover']);
    expect(apis('restore-point-in-time')).toEqual([
      'rds:RestoreDBClusterToPointInTime', 'rds:CreateDBInstance', 'rds:DeregisterDBProxyTargets', 'rds:RegisterDBProxyTargets',
    ]);
  });

  test('no drill uses Route 53 ARC routing controls: traffic moves by redeploying the global stack with activeRegion', () => {
    for (const drill of DRILLS) {
      expect(drill.steps.filter((s) => (s.kind === 'aws-api' || s.kind === 'wait-for') && s.call.service.startsWith('route53'))).toEqual([]);
      expect(drill.parameters.map((p) => p.name).filter((n) => /RoutingControl/.test(n))).toEqual([]);
    }
    const moves = DRILLS.flatMap((d) => d.steps.filter((s) => s.kind === 'manual' && /^MoveTrafficTo/.test(s.name)).map((s) => [d.id, s] as const));
    expect(moves.map(([id, s]) => `${id}:${s.name}`)).toEqual([
      'pilot-light-failover:MoveTrafficToSecondary', 'warm-standby-failover:MoveTrafficToSecondary',
      'active-active-failover:MoveTrafficToSecondary', 'regional-failback:MoveTrafficToPrimary',
    ]);
    const instructions = (id: string) => moves.find(([d]) => d === id)![1];
    expect(instructions('pilot-light-failover')).toEqual(expect.objectContaining({
      instructions: expect.stringContaining('`npx cdk deploy <service>-global -c drTier=pilot-light -c activeRegion=secondary --require-approval never`'),
    }));
    expect(instructions('regional-failback')).toEqual(expect.objectContaining({
      instructions: expect.stringContaining('`npx cdk deploy <service>-global -c drTier={{ DrTier }} -c activeRegion=primary --require-approval never`'),
    }));
  });

  test('restore-from-backup restores the copy in the secondary vault with the secondary network, key and restore role', () => {
    const drill = DRILLS.find((d) => d.id === 'restore-from-backup')!;
    expect(drill.region).toBe('secondary');
    const source = (name: string) => drill.parameter(name)!.source.describe();
    expect(source('SecondaryBackupVaultName')).toBe('stack output `<service>-secondary-base.BackupVaultName`');
    expect(source('RestoreDbSubnetGroupName')).toBe('stack output `<service>-secondary-base.RestoreDatabaseSubnetGroupName`');
    expect(source('RestoreRoleArn')).toBe('stack output `<service>-secondary-base.RestoreRoleArn`');
    const start = drill.step('StartRestoreJob');
    expect(start?.kind === 'aws-api' && start.call.params.Metadata).toEqual({
      DBClusterIdentifier: '{{ RestoredClusterIdentifier }}', Engine: 'aurora-postgresql', DBSubnetGroupName: '{{ RestoreDbSubnetGroupName }}',
      VpcSecurityGroupIds: '["{{ RestoreDbSecurityGroupId }}"]', KmsKeyId: '{{ RestoreDbKmsKeyArn }}',
      DeletionProtection: 'true', EnableIAMDatabaseAuthentication: 'true', CopyTagsToSnapshot: 'true',
    });
  });
});

test.each([
  ['FailoverGlobalCluster', 'failover-global-cluster'],
  ['DBClusterIdentifier', 'db-cluster-identifier'],
  ['RestoreDBClusterToPointInTime', 'restore-db-cluster-to-point-in-time'],
  ['EnableIAMDatabaseAuthentication', 'enable-iam-database-authentication'],
  ['desiredCount', 'desired-count'],
])('kebabCase(%s) is the AWS CLI name %s', (api, cli) => {
  expect(kebabCase(api)).toBe(cli);
});
