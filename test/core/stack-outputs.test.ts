/**
 * StackOutput (constructs/core/stack-outputs.ts): the output names the stacks write and the drills, the drill CLI and
 * the global stack read. The names are API: a rename here is a rename in every `--outputs-file` consumer.
 */
import { StackOutput } from '../../constructs/core/stack-outputs';

/** `DatabaseClusterIdentifier` -> `DATABASE_CLUSTER_IDENTIFIER`. */
const constantCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

describe('StackOutput', () => {
  test('names the outputs of the drill-to-stack contract', () => {
    expect(Object.values(StackOutput).sort()).toEqual([
      'BackupVaultName', 'CacheReplicationGroupId', 'DatabaseClusterArn', 'DatabaseClusterIdentifier', 'DatabaseKmsKeyArn',
      'DatabaseProxyName', 'DatabaseSecretArn', 'DatabaseSecurityGroupId', 'DatabaseSubnetGroupName', 'DrillAutomationRoleArn',
      'EcsClusterArn', 'EcsClusterName', 'EcsServiceArn', 'GlobalClusterIdentifier', 'LoadBalancerArn', 'PageAlarmArn',
      'RestoreDatabaseKmsKeyArn', 'RestoreDatabaseSecurityGroupId', 'RestoreDatabaseSubnetGroupName', 'RestoreRoleArn',
      'ServiceName', 'StopConditionAlarmName', 'TargetGroupArn',
    ]);
  });

  test.each(Object.entries(StackOutput))('%s is the constant case of %s, a valid CloudFormation output name', (key, name) => {
    expect(key).toBe(constantCase(name));
    expect(name).toMatch(/^[A-Za-z0-9]{1,255}$/);
  });

  test('no two members share an output name', () => {
    const names = Object.values(StackOutput);
    expect(new Set(names).size).toBe(names.length);
  });
});
