import { Duration } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { DistributedCache } from '../../../constructs/aws/cache/distributed-cache';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import { AuroraDatabase } from '../../../constructs/aws/data/aurora-database';
import { CHAOS_EXPERIMENTS, CHAOS_TARGET_TAG, ChaosExperiments } from '../../../constructs/aws/dr/chaos-experiments';
import type { ChaosExperimentsProps } from '../../../constructs/aws/dr/chaos-experiments';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';
const PAGE_ALARM_ARN = 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:checkout-page';
const SLO_ALARM_ARN = 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:checkout-slo-fast-burn';

interface Fixture {
  readonly stack: Stack;
  readonly network: MultiAzNetwork;
  readonly service: ResilientService;
  readonly database: AuroraDatabase;
  readonly cache: DistributedCache;
  readonly chaos: ChaosExperiments;
}

/** GIVEN a network, a service with fault injection enabled, a database, a cache and ChaosExperiments stopping on the page alarm. */
function fixture(options: { nag?: boolean; faultInjection?: boolean; props?: Partial<ChaosExperimentsProps> } = {}): Fixture {
  const stack = testStack({ nag: options.nag });
  const network = new MultiAzNetwork(stack, 'Network');
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
  const service = new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, certificate });
  if (options.faultInjection ?? true) {
    (service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).enableFaultInjection = true;
  }
  const database = new AuroraDatabase(stack, 'Database', { vpc: network.vpc });
  const cache = new DistributedCache(stack, 'Cache', { vpc: network.vpc });
  const pageAlarm = cloudwatch.Alarm.fromAlarmArn(stack, 'PageAlarm', PAGE_ALARM_ARN);
  const chaos = new ChaosExperiments(stack, 'Chaos', { stopConditionAlarms: [pageAlarm], ...options.props });
  return { stack, network, service, database, cache, chaos };
}

/** The fixture with all five experiments added. */
function allExperiments(options: { nag?: boolean } = {}): Fixture {
  const f = fixture(options);
  f.chaos.addTaskTermination({ service: f.service.service });
  f.chaos.addAzNetworkDisruption({ vpc: f.network.vpc });
  f.chaos.addAuroraFailover({ cluster: f.database.cluster });
  f.chaos.addCacheAzPowerInterruption({ replicationGroup: f.cache.replicationGroup, availabilityZone: 'eu-west-1a' });
  f.chaos.addNetworkLatency({ service: f.service.service });
  return f;
}

/** The single experiment template's properties, and its role's policy statements. */
function onlyExperiment(template: Template): { props: Record<string, unknown>; statements: Array<Record<string, unknown>> } {
  const templates = template.findResources('AWS::FIS::ExperimentTemplate');
  expect(Object.keys(templates)).toHaveLength(1);
  const props = Object.values(templates)[0].Properties as Record<string, unknown>;
  const roleLogicalId = (props.RoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleLogicalId }] } });
  const statements = Object.values(policies).flatMap((p) => (p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>));
  return { props, statements };
}

const actionsOf = (statements: Array<Record<string, unknown>>): string[] => statements.flatMap((s) => [s.Action].flat() as string[]).sort();
const PAGE_STOP = [{ Source: 'aws:cloudwatch:alarm', Value: PAGE_ALARM_ARN }];

describe('ChaosExperiments', () => {
  describe('every experiment', () => {
    const f = allExperiments();
    const template = Template.fromStack(f.stack);
    const experiments = template.findResources('AWS::FIS::ExperimentTemplate');

    test('one template per experiment of the chaos matrix', () => {
      expect(Object.values(experiments).map((e) => e.Properties.Tags['platform:chaos-experiment']).sort())
        .toEqual(Object.values(CHAOS_EXPERIMENTS).map((e) => e.id).sort());
    });

    test.each(Object.keys(experiments))('%s stops on the critical alarm, runs as its own role and logs to the encrypted log group', (logicalId) => {
      const props = experiments[logicalId].Properties;
      expect(props.StopConditions).toEqual(PAGE_STOP);
      expect(props.LogConfiguration).toEqual({
        LogSchemaVersion: 2,
        CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [f.stack.getLogicalId(f.chaos.logGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] } },
      });
      expect(props.ExperimentOptions).toEqual({ AccountTargeting: 'single-account', EmptyTargetResolutionMode: 'fail' });
      expect(props.Description).toMatch(new RegExp(`Runbook: https://\\S+/runbooks/chaos/${props.Tags['platform:chaos-experiment']}\\.md$`));
      const roleIds = Object.values(experiments).map((e) => e.Properties.RoleArn['Fn::GetAtt'][0]);
      expect(new Set(roleIds).size).toBe(roleIds.length);
    });

    test('the experiment roles trust FIS experiments of this account only', () => {
      const roles = template.findResources('AWS::IAM::Role', {
        Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'fis.amazonaws.com' } })] } },
      });
      expect(Object.keys(roles)).toHaveLength(5);
      for (const role of Object.values(roles)) {
        expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
          StringEquals: { 'aws:SourceAccount': '111111111111' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:fis:eu-west-1:111111111111:experiment/*' },
        });
      }
    });

    test('the log group is KMS-encrypted and retained, its key rotates', () => {
      template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365, KmsKeyId: Match.anyValue() }, DeletionPolicy: 'Retain' });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Test/Chaos FIS experiment logs' });
    });

    test('the template ids are stack outputs the runbooks read', () => {
      const outputs = template.findOutputs('*');
      for (const meta of Object.values(CHAOS_EXPERIMENTS)) {
        expect(outputs[meta.output]?.Value).toEqual({ Ref: expect.stringMatching(/^Chaos/) });
      }
    });
  });

  describe('ECS task termination', () => {
    test('stops a percentage of the service\'s tasks, allowed only on the cluster\'s tasks', () => {
      const f = fixture();
      f.chaos.addTaskTermination({ service: f.service.service, percent: 25 });
      const { props, statements } = onlyExperiment(Template.fromStack(f.stack));
      expect(props.Actions).toEqual({
        EcsTaskTermination: expect.objectContaining({ ActionId: 'aws:ecs:stop-task', Targets: { Tasks: 'Tasks' } }),
      });
      const clusterRef = { Ref: Template.fromStack(f.stack).getResourceId('AWS::ECS::Cluster') };
      expect(props.Targets).toEqual({
        Tasks: {
          ResourceType: 'aws:ecs:task', SelectionMode: 'PERCENT(25)',
          Parameters: { cluster: clusterRef, service: { 'Fn::GetAtt': [expect.stringMatching(/^CheckoutService/), 'Name'] } },
        },
      });
      expect(actionsOf(statements)).toEqual(['ecs:DescribeTasks', 'ecs:ListTasks', 'ecs:StopTask',
        'logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy'].sort());
      const stop = statements.find((s) => [s.Action].flat().includes('ecs:StopTask'));
      expect(stop?.Resource).toEqual({ 'Fn::Join': ['', ['arn:aws:ecs:eu-west-1:111111111111:task/', clusterRef, '/*']] });
    });

    test('defaults to 30 percent and warns above half', () => {
      const f = fixture();
      f.chaos.addTaskTermination({ service: f.service.service });
      expect(onlyExperiment(Template.fromStack(f.stack)).props.Targets).toMatchObject({ Tasks: { SelectionMode: 'PERCENT(30)' } });
      const g = fixture();
      g.chaos.addTaskTermination({ service: g.service.service, percent: 60 });
      Annotations.fromStack(g.stack).hasWarning('/Test/Chaos', Match.stringLikeRegexp('percent \\(60\\) stops more than half'));
    });
  });

  describe('AZ network disruption', () => {
    test('denies all traffic of the public and private subnets of one AZ, NACL changes limited to FIS-tagged ACLs', () => {
      const f = fixture();
      f.chaos.addAzNetworkDisruption({ vpc: f.network.vpc, availabilityZone: 'eu-west-1b', duration: Duration.minutes(5) });
      const { props, statements } = onlyExperiment(Template.fromStack(f.stack));
      const zoneSubnets = [...f.network.vpc.publicSubnets, ...f.network.vpc.privateSubnets].filter((s) => s.availabilityZone === 'eu-west-1b');
      expect(zoneSubnets).toHaveLength(2);
      expect(props.Actions).toEqual({
        AzNetworkDisruption: expect.objectContaining({ ActionId: 'aws:network:disrupt-connectivity', Parameters: { duration: 'PT5M', scope: 'all' } }),
      });
      const targets = props.Targets as { Subnets: { ResourceArns: unknown[]; SelectionMode: string; ResourceType: string } };
      expect(targets.Subnets.ResourceType).toBe('aws:ec2:subnet');
      expect(targets.Subnets.SelectionMode).toBe('ALL');
      expect(JSON.stringify(targets.Subnets.ResourceArns)).toEqual(JSON.stringify(zoneSubnets.map((s) => ({
        'Fn::Join': ['', ['arn:aws:ec2:eu-west-1:111111111111:subnet/', { Ref: f.stack.getLogicalId(s.node.defaultChild as never) }]],
      }))));
      const mutate = statements.find((s) => [s.Action].flat().includes('ec2:DeleteNetworkAcl'));
      expect(mutate?.Condition).toEqual({ StringEquals: { 'ec2:ResourceTag/managedByFIS': 'true' } });
      const create = statements.find((s) => s.Condition && [s.Action].flat().includes('ec2:CreateNetworkAcl'));
      expect(create?.Condition).toEqual({ StringEquals: { 'aws:RequestTag/managedByFIS': 'true' } });
    });

    test('defaults to the first zone and 10 minutes', () => {
      const f = fixture();
      f.chaos.addAzNetworkDisruption({ vpc: f.network.vpc });
      const { props } = onlyExperiment(Template.fromStack(f.stack));
      expect(props.Description).toMatch(/^Deny all traffic in and out of the public and private subnets of eu-west-1a for PT10M/);
    });
  });

  describe('Aurora failover', () => {
    test('fails the cluster over, allowed on that cluster only', () => {
      const f = fixture();
      f.chaos.addAuroraFailover({ cluster: f.database.cluster });
      const { props, statements } = onlyExperiment(Template.fromStack(f.stack));
      const clusterArn = { 'Fn::Join': ['', ['arn:aws:rds:eu-west-1:111111111111:cluster:', { Ref: f.stack.getLogicalId(f.database.cluster.node.defaultChild as never) }]] };
      expect(props.Actions).toEqual({ AuroraFailover: expect.objectContaining({ ActionId: 'aws:rds:failover-db-cluster', Targets: { Clusters: 'Clusters' } }) });
      expect(props.Targets).toEqual({ Clusters: { ResourceType: 'aws:rds:cluster', ResourceArns: [clusterArn], SelectionMode: 'ALL' } });
      expect(statements.find((s) => [s.Action].flat().includes('rds:FailoverDBCluster'))?.Resource).toEqual(clusterArn);
    });
  });

  describe('cache primary failover', () => {
    test('interrupts the power of one zone of the tagged replication group', () => {
      const f = fixture();
      f.chaos.addCacheAzPowerInterruption({ replicationGroup: f.cache.replicationGroup, availabilityZone: 'eu-west-1a', duration: Duration.minutes(15) });
      const template = Template.fromStack(f.stack);
      const { props, statements } = onlyExperiment(template);
      expect(props.Actions).toEqual({
        CacheAzPowerInterruption: expect.objectContaining({ ActionId: 'aws:elasticache:replicationgroup-interrupt-az-power', Parameters: { duration: 'PT15M' } }),
      });
      const target = (props.Targets as Record<string, { ResourceTags: Record<string, string> }>).ReplicationGroups;
      expect(target).toEqual({
        ResourceType: 'aws:elasticache:replicationgroup', SelectionMode: 'ALL',
        ResourceTags: { [CHAOS_TARGET_TAG]: expect.any(String) }, Parameters: { availabilityZoneIdentifier: 'eu-west-1a' },
      });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        Tags: Match.arrayWith([{ Key: CHAOS_TARGET_TAG, Value: target.ResourceTags[CHAOS_TARGET_TAG] }]),
      });
      expect(actionsOf(statements)).toEqual(expect.arrayContaining(['elasticache:InterruptClusterAzPower', 'elasticache:DescribeReplicationGroups', 'tag:GetResources']));
    });
  });

  describe('network latency', () => {
    test('adds latency to a percentage of the tasks through the ECS fault injection endpoints', () => {
      const f = fixture();
      f.chaos.addNetworkLatency({ service: f.service.service, delay: Duration.millis(300), jitter: Duration.millis(50), percent: 20 });
      const { props, statements } = onlyExperiment(Template.fromStack(f.stack));
      expect(props.Actions).toEqual({
        EcsNetworkLatency: expect.objectContaining({
          ActionId: 'aws:ecs:task-network-latency',
          Parameters: { duration: 'PT10M', delayMilliseconds: '300', jitterMilliseconds: '50', flowsPercent: '100', useEcsFaultInjectionEndpoints: 'true' },
        }),
      });
      expect(props.Targets).toMatchObject({ Tasks: { ResourceType: 'aws:ecs:task', SelectionMode: 'PERCENT(20)' } });
      expect(actionsOf(statements)).toEqual(expect.arrayContaining(['ssm:SendCommand', 'ecs:DescribeTasks']));
      expect(actionsOf(statements)).not.toContain('ecs:StopTask');
      const send = statements.find((s) => [s.Action].flat().includes('ssm:SendCommand'));
      expect(JSON.stringify(send?.Resource)).toContain(':document/AWSFIS-Run-Network-Latency-ECS');
    });
  });

  describe('bad input', () => {
    test('a chaos experiment without a stop condition is refused', () => {
      const stack = testStack();
      expect(() => new ChaosExperiments(stack, 'Chaos', { stopConditionAlarms: [] })).toThrow(
        'Test/Chaos: stopConditionAlarms ([]) is empty: give at least one critical alarm (e.g. ServiceMonitoring.pageAlarm): FIS stops the experiment when it goes to ALARM, and a chaos experiment without a stop condition is not allowed');
    });

    test('more stop conditions than FIS allows are refused', () => {
      const stack = testStack();
      const alarms = Array.from({ length: 6 }, (_, i) => cloudwatch.Alarm.fromAlarmArn(stack, `A${i}`, `${SLO_ALARM_ARN}-${i}`));
      expect(() => new ChaosExperiments(stack, 'Chaos', { stopConditionAlarms: alarms })).toThrow(
        "Test/Chaos: stopConditionAlarms ('6 alarms') exceeds the 5 stop conditions FIS allows per template: combine the alarms in a composite alarm (ServiceMonitoring.pageAlarm already is one) and give that");
    });

    test.each<[string, (f: Fixture) => void, string]>([
      ['percent 0', (f) => f.chaos.addTaskTermination({ service: f.service.service, percent: 0 }),
        'Test/Chaos/TaskTermination: percent (0) must be an integer from 1 to 100: set percent to a whole number between 1 and 100'],
      ['a zone outside the VPC', (f) => f.chaos.addAzNetworkDisruption({ vpc: f.network.vpc, availabilityZone: 'eu-west-1d' }),
        "Test/Chaos/AzNetworkDisruption: availabilityZone ('eu-west-1d') is not a zone of the VPC: use one of eu-west-1a, eu-west-1b, eu-west-1c (zones must be known at synth: set them in config)"],
      ['a duration under a minute', (f) => f.chaos.addAzNetworkDisruption({ vpc: f.network.vpc, duration: Duration.seconds(30) }),
        "Test/Chaos/AzNetworkDisruption: duration ('30 seconds') is outside 1 minute to 12 hours (whole seconds): use a duration FIS accepts, e.g. Duration.minutes(10)"],
      ['a cache zone that is not a zone name', (f) => f.chaos.addCacheAzPowerInterruption({ replicationGroup: f.cache.replicationGroup, availabilityZone: 'euw1-az1' }),
        "Test/Chaos/CacheAzPowerInterruption: availabilityZone ('euw1-az1') is not an availability zone name: use a zone name of eu-west-1 such as eu-west-1a"],
      ['latency jitter above the delay', (f) => f.chaos.addNetworkLatency({ service: f.service.service, delay: Duration.millis(100), jitter: Duration.millis(150) }),
        "Test/Chaos/NetworkLatency: jitter ('150 ms') is outside 0 to delay (100 ms): lower the jitter or raise the delay"],
      ['the same experiment twice', (f) => { f.chaos.addAuroraFailover({ cluster: f.database.cluster }); f.chaos.addAuroraFailover({ cluster: f.database.cluster }); },
        "Test/Chaos: experiment ('aurora-failover') is added twice: add each experiment once per ChaosExperiments (use another ChaosExperiments for a second target)"],
    ])('%s', (_name, act, message) => {
      const f = fixture();
      expect(() => act(f)).toThrow(message);
    });

    test('a cache without Multi-AZ is refused', () => {
      const stack = testStack();
      const network = new MultiAzNetwork(stack, 'Network');
      const cache = new DistributedCache(stack, 'Cache', { vpc: network.vpc, automaticFailover: false, replicasPerShard: 0 });
      const chaos = new ChaosExperiments(stack, 'Chaos', { stopConditionAlarms: [cloudwatch.Alarm.fromAlarmArn(stack, 'Page', PAGE_ALARM_ARN)] });
      expect(() => chaos.addCacheAzPowerInterruption({ replicationGroup: cache.replicationGroup, availabilityZone: 'eu-west-1a' })).toThrow(
        'Test/Chaos/CacheAzPowerInterruption: replicationGroup.multiAzEnabled (false) is not true: use a Multi-AZ replication group with automatic failover (DistributedCache defaults): without a replica in another zone there is nothing to fail over to');
    });

    test('latency injection needs fault injection on the task definition', () => {
      const f = fixture({ faultInjection: false });
      expect(() => f.chaos.addNetworkLatency({ service: f.service.service })).toThrow(
        'Test/Chaos/NetworkLatency: service.taskDefinition.enableFaultInjection (undefined) is not true: enable fault injection on the task definition '
        + '(enableFaultInjection: true, or the escape hatch (taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).enableFaultInjection = true) before adding the experiment');
    });
  });

  describe('compliance', () => {
    test('AwsSolutions and NIST 800-53 rev 5 report nothing on the experiments', () => {
      const f = allExperiments({ nag: true });
      expect(formatFindings(nagFindings(f.stack))).toEqual([]);
    });
  });
});
