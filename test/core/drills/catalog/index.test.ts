/**
 * The drill catalog (constructs/core/drills/catalog): every drill has steps, reads the stacks only through the
 * output names of StackOutput, applies to the tiers it was written for, and shows the redeploy command it was given.
 */
import { DrTier } from '../../../../constructs/core/dr-tier';
import type { Drill, RedeployCommand } from '../../../../constructs/core/drills';
import {
  CDK_REDEPLOY_COMMAND, DRILLS, ParameterSource, PILOT_LIGHT_FAILOVER, REGIONAL_FAILBACK, drillCatalog, findDrill,
} from '../../../../constructs/core/drills';
import { StackOutput } from '../../../../constructs/core/stack-outputs';

const OUTPUT_NAMES: ReadonlySet<string> = new Set(Object.values(StackOutput));
const STACK_ROLES = ['primary', 'secondary', 'secondary-base', 'global'];

/** `<drill>.<parameter>: <problem>` for every stack-output parameter not read through a StackOutput name. */
function outputContractViolations(drills: readonly Drill[]): string[] {
  return drills.flatMap((drill) => drill.parameters.flatMap((p) => {
    if (p.source.kind !== 'stack-output') return [];
    const problems: string[] = [];
    if (!OUTPUT_NAMES.has(p.source.output ?? '')) problems.push(`${drill.id}.${p.name}: output ${p.source.output} is not a StackOutput name`);
    if (!STACK_ROLES.includes(p.source.role ?? '')) problems.push(`${drill.id}.${p.name}: stack role ${p.source.role} is not a platform stack`);
    return problems;
  }));
}

/** The manual steps that move traffic (`MoveTrafficTo<Region>`) of `drills`, as `<drill>:<step>` -> instructions. */
function trafficMoves(drills: readonly Drill[]): Record<string, string> {
  return Object.fromEntries(drills.flatMap((d) => d.steps
    .flatMap((s) => (s.kind === 'manual' && s.name.startsWith('MoveTrafficTo') ? [[`${d.id}:${s.name}`, s.instructions] as const] : []))));
}

describe('drill catalog', () => {
  test.each(DRILLS.map((d) => [d.id, d] as const))('%s has steps, a unique id and is found by it', (id, drill) => {
    expect(drill.steps.length).toBeGreaterThan(0);
    expect(DRILLS.filter((d) => d.id === id)).toHaveLength(1);
    expect(findDrill(id)).toBe(drill);
  });

  test('an unknown id finds no drill', () => {
    expect(findDrill('region-failover')).toBeUndefined();
  });

  describe('the stack-output contract', () => {
    test('every stack-output parameter of every drill reads a StackOutput name from a platform stack', () => {
      expect(outputContractViolations(DRILLS)).toEqual([]);
    });

    test('the check catches an output name the stacks do not write', () => {
      // GIVEN a drill whose parameter reads a misspelt output
      const base = DRILLS[0];
      const broken = Object.create(base, {
        parameters: { value: [...base.parameters, { name: 'Typo', description: 't', source: ParameterSource.stackOutput('primary', 'DatabaseClusterIdentifer') }] },
      }) as Drill;
      // THEN
      expect(outputContractViolations([broken])).toEqual([`${base.id}.Typo: output DatabaseClusterIdentifer is not a StackOutput name`]);
    });

    test('the drills read these outputs, from these stacks', () => {
      const read = new Set(DRILLS.flatMap((d) => d.parameters.flatMap((p) => (p.source.kind === 'stack-output' ? [`${p.source.role}.${p.source.output}`] : []))));
      expect([...read].sort()).toEqual([
        'primary.CacheReplicationGroupId', 'primary.DatabaseClusterArn', 'primary.DatabaseClusterIdentifier', 'primary.DatabaseKmsKeyArn',
        'primary.DatabaseProxyName', 'primary.DatabaseSecretArn', 'primary.DatabaseSecurityGroupId', 'primary.DatabaseSubnetGroupName',
        'primary.EcsClusterName', 'primary.GlobalClusterIdentifier', 'primary.LoadBalancerArn', 'primary.ServiceName',
        'primary.StopConditionAlarmName', 'primary.TargetGroupArn',
        'secondary-base.BackupVaultName', 'secondary-base.RestoreDatabaseKmsKeyArn', 'secondary-base.RestoreDatabaseSecurityGroupId',
        'secondary-base.RestoreDatabaseSubnetGroupName', 'secondary-base.RestoreRoleArn',
        'secondary.DatabaseClusterArn', 'secondary.DatabaseClusterIdentifier', 'secondary.DatabaseKmsKeyArn', 'secondary.DatabaseSecurityGroupId',
        'secondary.DatabaseSubnetGroupName', 'secondary.EcsClusterName', 'secondary.ServiceName', 'secondary.StopConditionAlarmName',
        'secondary.TargetGroupArn',
      ]);
    });
  });

  test.each<[string, readonly DrTier[]]>([
    ['backup-restore-failover', [DrTier.BACKUP_RESTORE]],
    ['pilot-light-failover', [DrTier.PILOT_LIGHT]],
    ['warm-standby-failover', [DrTier.WARM_STANDBY]],
    ['active-active-failover', [DrTier.ACTIVE_ACTIVE]],
    ['regional-failback', [DrTier.PILOT_LIGHT, DrTier.WARM_STANDBY, DrTier.ACTIVE_ACTIVE]],
    ['az-evacuation', DrTier.ALL],
    ['cache-primary-failover', DrTier.ALL],
    ['restore-from-backup', DrTier.ALL],
    ['restore-point-in-time', DrTier.ALL],
  ])('%s applies to its tiers', (id, tiers) => {
    expect(findDrill(id)?.tiers).toEqual(tiers);
  });

  test('every tier has exactly one regional failover drill', () => {
    for (const tier of DrTier.ALL) {
      expect(DRILLS.filter((d) => d.id.endsWith('-failover') && d.id !== 'cache-primary-failover' && d.tiers.includes(tier)).map((d) => d.id)).toHaveLength(1);
    }
  });

  describe('the redeploy command', () => {
    test('defaults to the reference app\'s cdk deploy of the global stack', () => {
      expect(CDK_REDEPLOY_COMMAND('secondary', 'pilot-light')).toBe('npx cdk deploy <service>-global -c drTier=pilot-light -c activeRegion=secondary --require-approval never');
      expect(drillCatalog()).toBe(DRILLS);
      const moves = trafficMoves(DRILLS);
      expect(Object.keys(moves)).toEqual([
        'pilot-light-failover:MoveTrafficToSecondary', 'warm-standby-failover:MoveTrafficToSecondary',
        'active-active-failover:MoveTrafficToSecondary', 'regional-failback:MoveTrafficToPrimary',
      ]);
      expect(moves['warm-standby-failover:MoveTrafficToSecondary']).toContain(
        '`npx cdk deploy <service>-global -c drTier=warm-standby -c activeRegion=secondary --require-approval never`');
      expect(moves['regional-failback:MoveTrafficToPrimary']).toContain(
        '`npx cdk deploy <service>-global -c drTier={{ DrTier }} -c activeRegion=primary --require-approval never`');
    });

    test('an override is what every traffic move shows, with its region and tier; the other drills stay the same objects', () => {
      // GIVEN an app deployed by a pipeline instead of cdk deploy
      const calls: Array<[string, string]> = [];
      const redeployCommand: RedeployCommand = (activeRegion, drTier) => {
        calls.push([activeRegion, drTier]);
        return `./deploy-edge.sh --active ${activeRegion} --tier ${drTier}`;
      };
      // WHEN
      const drills = drillCatalog({ redeployCommand });
      // THEN
      expect(drills.map((d) => d.id)).toEqual(DRILLS.map((d) => d.id));
      expect(calls).toEqual([['secondary', 'pilot-light'], ['secondary', 'warm-standby'], ['secondary', 'active-active'], ['primary', '{{ DrTier }}']]);
      const moves = trafficMoves(drills);
      expect(moves['pilot-light-failover:MoveTrafficToSecondary']).toContain('`./deploy-edge.sh --active secondary --tier pilot-light`');
      expect(moves['regional-failback:MoveTrafficToPrimary']).toContain('`./deploy-edge.sh --active primary --tier {{ DrTier }}`');
      expect(Object.values(moves).filter((m) => m.includes('npx cdk deploy'))).toEqual([]);
      // the drills without a traffic move are shared, the exported defaults untouched
      expect(drills.filter((d, i) => d === DRILLS[i]).map((d) => d.id)).toEqual([
        'backup-restore-failover', 'az-evacuation', 'cache-primary-failover', 'restore-from-backup', 'restore-point-in-time',
      ]);
      expect(trafficMoves([PILOT_LIGHT_FAILOVER, REGIONAL_FAILBACK])).toEqual({
        'pilot-light-failover:MoveTrafficToSecondary': moves['pilot-light-failover:MoveTrafficToSecondary']
          .replace('./deploy-edge.sh --active secondary --tier pilot-light', CDK_REDEPLOY_COMMAND('secondary', 'pilot-light')),
        'regional-failback:MoveTrafficToPrimary': moves['regional-failback:MoveTrafficToPrimary']
          .replace('./deploy-edge.sh --active primary --tier {{ DrTier }}', CDK_REDEPLOY_COMMAND('primary', '{{ DrTier }}')),
      });
    });

    test('a command referencing an undeclared parameter fails validation like any step text', () => {
      expect(() => drillCatalog({ redeployCommand: () => 'deploy {{ GlobalStackName }}' })).toThrow(
        "drills/pilot-light-failover: step MoveTrafficToSecondary ('{{ GlobalStackName }}') references an undeclared parameter");
    });
  });
});
