import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { crossStackValue } from '../../../constructs/aws/cross-region';
import { flattenIntrinsics } from '../../../constructs/aws/private/nag';
import { RegionSwitchPlan } from '../../../constructs/aws/dr/region-switch-plan';
import type { RegionSwitchPlanProps } from '../../../constructs/aws/dr/region-switch-plan';
import { DrTier } from '../../../constructs/core/dr-tier';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

const targets = (region: string) => ({
  databaseClusterArn: `arn:aws:rds:${region}:111111111111:cluster:checkout`,
  ecsClusterArn: `arn:aws:ecs:${region}:111111111111:cluster/checkout`,
  ecsServiceArn: `arn:aws:ecs:${region}:111111111111:service/checkout/checkout`,
  pageAlarmArn: `arn:aws:cloudwatch:${region}:111111111111:alarm:checkout-page`,
});

const base: RegionSwitchPlanProps = {
  planName: 'checkout-region-switch',
  drTier: DrTier.WARM_STANDBY,
  primaryRegion: 'eu-west-1',
  secondaryRegion: 'eu-central-1',
  primary: targets('eu-west-1'),
  secondary: targets('eu-central-1'),
  globalClusterIdentifier: 'checkout-global',
};

function plan(props: Partial<RegionSwitchPlanProps> = {}, nag = false) {
  const stack = testStack({ region: 'us-east-1', nag });
  new RegionSwitchPlan(stack, 'RegionSwitch', { ...base, ...props });
  return stack;
}

describe('RegionSwitchPlan', () => {
  test('active/passive: one activation workflow per region, approval first, RTO from the tier', () => {
    const template = Template.fromStack(plan());
    template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      Name: 'checkout-region-switch',
      RecoveryApproach: 'activePassive',
      PrimaryRegion: 'eu-west-1',
      RecoveryTimeObjectiveMinutes: 10,
      Regions: ['eu-west-1', 'eu-central-1'],
      Workflows: [
        Match.objectLike({ WorkflowTargetAction: 'activate', WorkflowTargetRegion: 'eu-west-1' }),
        Match.objectLike({ WorkflowTargetAction: 'activate', WorkflowTargetRegion: 'eu-central-1' }),
      ],
    });
    const planResource = Object.values(template.findResources('AWS::ARCRegionSwitch::Plan'))[0] as { Properties: { Workflows: Array<{ Steps: Array<{ ExecutionBlockType: string; ExecutionBlockConfiguration: Record<string, unknown> }> }> } };
    const steps = planResource.Properties.Workflows[1].Steps;
    expect(steps.map((s) => s.ExecutionBlockType)).toEqual(['ManualApproval', 'ECSServiceScaling', 'AuroraGlobalDatabase']);
    expect(steps[1].ExecutionBlockConfiguration).toEqual({
      EcsCapacityIncreaseConfig: {
        Services: [
          { ClusterArn: base.primary.ecsClusterArn, ServiceArn: base.primary.ecsServiceArn },
          { ClusterArn: base.secondary.ecsClusterArn, ServiceArn: base.secondary.ecsServiceArn },
        ],
        TargetPercent: 100, TimeoutMinutes: 30, Ungraceful: { MinimumSuccessPercentage: 50 },
      },
    });
  });

  test('active/active adds deactivation workflows and no primary region', () => {
    const template = Template.fromStack(plan({ drTier: DrTier.ACTIVE_ACTIVE }));
    template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      RecoveryApproach: 'activeActive',
      PrimaryRegion: Match.absent(),
      Workflows: Match.arrayWith([Match.objectLike({ WorkflowTargetAction: 'deactivate', WorkflowTargetRegion: 'eu-west-1' })]),
    });
  });

  test('automatic trigger: the primary page alarm turning red activates the secondary, no approval step', () => {
    const template = Template.fromStack(plan({ automaticTrigger: true }));
    template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      AssociatedAlarms: { primaryPage: { AlarmType: 'trigger', ResourceIdentifier: base.primary.pageAlarmArn } },
      Triggers: [{ Action: 'activate', TargetRegion: 'eu-central-1', Conditions: [{ AssociatedAlarmName: 'primaryPage', Condition: 'red' }], MinDelayMinutesBetweenExecutions: 60, Description: Match.anyValue() }],
      Workflows: Match.arrayWith([Match.objectLike({
        WorkflowTargetRegion: 'eu-central-1',
        Steps: [Match.objectLike({ ExecutionBlockType: 'ECSServiceScaling' }), Match.objectLike({ ExecutionBlockType: 'AuroraGlobalDatabase' })],
      })]),
    });
  });

  test('the execution role may only switch this global database and scale these two services', () => {
    // Order-independent: IAM policy minimization (a recommended feature flag) sorts resources.
    const statements = Object.values(Template.fromStack(plan()).findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Array<{ Sid?: string; Resource: unknown[] }> } } })
        .Properties.PolicyDocument.Statement);
    const resources = (sid: string) => statements.filter((st) => st.Sid === sid).flatMap((st) => st.Resource.filter((r): r is string => typeof r === 'string'));
    expect(resources('AuroraGlobalDatabase')).toEqual(expect.arrayContaining([base.primary.databaseClusterArn, base.secondary.databaseClusterArn]));
    expect(resources('EcsCapacity').sort()).toEqual([base.primary.ecsServiceArn, base.secondary.ecsServiceArn].sort());
  });

  describe('Application Auto Scaling permissions', () => {
    type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
    const statements = (): Statement[] => {
      const policies = Object.values(Template.fromStack(plan()).findResources('AWS::IAM::ManagedPolicy')) as Array<{ Properties: { PolicyDocument: { Statement: Statement[] } } }>;
      return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    };
    const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
    const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(flattenIntrinsics);

    test('RegisterScalableTarget: scalable targets of the two regions, ECS service desired count only', () => {
      const granting = statements().filter((s) => actionsOf(s).includes('application-autoscaling:RegisterScalableTarget'));
      expect(granting).toHaveLength(1);
      const [statement] = granting;
      expect(actionsOf(statement)).toEqual(['application-autoscaling:RegisterScalableTarget']);
      expect(resourcesOf(statement).map((r) => r.replace('<AWS::Partition>', 'aws')).sort()).toEqual([
        'arn:aws:application-autoscaling:eu-central-1:111111111111:scalable-target/*',
        'arn:aws:application-autoscaling:eu-west-1:111111111111:scalable-target/*',
      ]);
      expect(statement.Condition).toEqual({
        StringEquals: {
          'application-autoscaling:service-namespace': 'ecs',
          'application-autoscaling:scalable-dimension': 'ecs:service:DesiredCount',
        },
      });
    });

    test('nothing but read-only calls on every resource (*)', () => {
      const onEverything = statements().filter((s) => resourcesOf(s).includes('*')).flatMap(actionsOf);
      expect(onEverything.sort()).toEqual(['application-autoscaling:DescribeScalableTargets', 'cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'iam:GetRole']);
    });

    test('ecs:DescribeClusters on the two clusters only', () => {
      const describing = statements().filter((s) => actionsOf(s).includes('ecs:DescribeClusters'));
      expect(describing.map((s) => resourcesOf(s).sort())).toEqual([[base.secondary.ecsClusterArn, base.primary.ecsClusterArn]]);
    });

    test('the acknowledgements name what each API really takes', () => {
      const stack = plan();
      const policy = stack.node.findAll().find((c) => c.node.id === 'ExecutionPolicy')!;
      const reasons = policy.node.metadata.map((m) => JSON.stringify(m.data)).join('\n');
      expect(reasons).not.toMatch(/take no resource ARN/);
      expect(reasons).toMatch(/RegisterScalableTarget\) is in its own statement, scoped to scalable targets of the two regions and to ECS service desired count/);
    });
  });

  test('cdk-nag AwsSolutions and NIST 800-53 rev 5 report nothing unacknowledged', () => {
    expect(formatFindings(nagFindings(plan({}, true)))).toEqual([]);
  });

  describe('without a global database', () => {
    const noGlobal = (props: Partial<RegionSwitchPlanProps> = {}, nag = false) => plan({ globalClusterIdentifier: undefined, ...props }, nag);

    test('warm standby: only approval and scaling steps, no Aurora step anywhere', () => {
      const template = Template.fromStack(noGlobal());
      const step = (type: string) => Match.objectLike({ ExecutionBlockType: type });
      template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
        RecoveryApproach: 'activePassive',
        Workflows: [
          Match.objectLike({ WorkflowTargetAction: 'activate', WorkflowTargetRegion: 'eu-west-1', Steps: [step('ManualApproval'), step('ECSServiceScaling')] }),
          Match.objectLike({ WorkflowTargetAction: 'activate', WorkflowTargetRegion: 'eu-central-1', Steps: [step('ManualApproval'), step('ECSServiceScaling')] }),
        ],
      });
      expect(JSON.stringify(template.toJSON())).not.toMatch(/AuroraGlobalDatabase|GlobalAuroraConfig/);
    });

    test('pilot light with automatic trigger: the scaling step alone', () => {
      Template.fromStack(noGlobal({ drTier: DrTier.PILOT_LIGHT, automaticTrigger: true })).hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
        Workflows: Match.arrayWith([Match.objectLike({ WorkflowTargetRegion: 'eu-central-1', Steps: [Match.objectLike({ ExecutionBlockType: 'ECSServiceScaling' })] })]),
      });
    });

    test('warns that the data must be replicated some other way', () => {
      Annotations.fromStack(noGlobal()).hasWarning('/Test/RegionSwitch', Match.stringLikeRegexp(
        '^No globalClusterIdentifier: the plan has no database step and only scales and switches compute\\. The data of the secondary region \\(eu-central-1\\) must be replicated some other way'));
    });

    test('no warning when the global database is given', () => {
      Annotations.fromStack(plan()).hasNoWarning('/Test/RegionSwitch', Match.anyValue());
    });

    test('the execution role gets no rds permission', () => {
      const template = Template.fromStack(noGlobal());
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'EcsCapacity' })]) },
      });
      template.resourcePropertiesCountIs('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AuroraGlobalDatabase' })]) },
      }, 0);
      expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).not.toMatch(/rds:|global-cluster/);
    });

    test('cdk-nag AwsSolutions and NIST 800-53 rev 5 report nothing unacknowledged', () => {
      expect(formatFindings(nagFindings(noGlobal({}, true)))).toEqual([]);
    });
  });

  test.each<[string, Partial<RegionSwitchPlanProps>, string]>([
    ['backup & restore has nothing to switch to', { drTier: DrTier.BACKUP_RESTORE },
      "Test/RegionSwitch: drTier ('backup-restore') keeps nothing running in the secondary region to switch to: recover with the backup-restore-failover drill (restore + deploy), or choose pilot-light or above"],
    ['the same region twice', { secondaryRegion: 'eu-west-1' },
      "Test/RegionSwitch: secondaryRegion ('eu-west-1') equals primaryRegion: switch between two different regions"],
    ['a bad plan name', { planName: 'checkout_region' },
      "Test/RegionSwitch: planName ('checkout_region') is not a Region switch plan name: use 1-32 letters, digits and dashes, starting and ending with a letter or digit"],
    ['a zero timeout', { stepTimeoutMinutes: 0 },
      'Test/RegionSwitch: stepTimeoutMinutes (0) must be a whole number of minutes from 1 to 1440: set stepTimeoutMinutes to e.g. 30'],
    ['active/active without a global database', { drTier: DrTier.ACTIVE_ACTIVE, globalClusterIdentifier: undefined },
      'Test/RegionSwitch: globalClusterIdentifier (undefined) is required for DR tier active-active: both regions take writes, which needs a globally replicated data store: pass the Aurora Global Database name (AuroraDatabase with globalClusterIdentifier and writeForwarding on the secondary), or choose warm-standby'],
  ])('%s', (_name, props, message) => {
    expect(() => plan(props)).toThrow(message);
  });
});

describe('crossStackValue', () => {
  test('an output in the producer, Fn::GetStackOutput in the consumer, and the deploy order', () => {
    const app = new App();
    const producer = new Stack(app, 'Producer', { env: { account: '111111111111', region: 'eu-west-1' } });
    const consumer = new Stack(app, 'Consumer', { env: { account: '111111111111', region: 'us-east-1' } });
    const value = crossStackValue(producer, consumer, 'ClusterArn', 'arn:aws:rds:eu-west-1:111111111111:cluster:x');
    new CfnOutput(consumer, 'Seen', { value });
    expect(Template.fromStack(producer).toJSON().Outputs.ClusterArn.Value).toBe('arn:aws:rds:eu-west-1:111111111111:cluster:x');
    expect(Template.fromStack(consumer).toJSON().Outputs.Seen.Value).toEqual({ 'Fn::GetStackOutput': { StackName: 'Producer', OutputName: 'ClusterArn', Region: 'eu-west-1' } });
    expect(consumer.dependencies).toContain(producer);
  });

  test('the same output requested twice is reused; a clash is refused', () => {
    const app = new App();
    const producer = new Stack(app, 'Producer', { env: { region: 'eu-west-1' } });
    const consumer = new Stack(app, 'Consumer', { env: { region: 'us-east-1' } });
    crossStackValue(producer, consumer, 'Arn', 'a');
    expect(() => crossStackValue(producer, consumer, 'Arn', 'a')).not.toThrow();
    expect(() => crossStackValue(producer, consumer, 'Arn', 'b')).toThrow(
      "Producer: outputName ('Arn') already names another output or construct: pick an output name unique in the producer stack");
  });
});
