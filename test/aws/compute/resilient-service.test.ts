import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import type { ResilientServiceProps } from '../../../constructs/aws/compute/resilient-service';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

/** GIVEN a network; WHEN a ResilientService is added with `props`. */
function build(props: Partial<ResilientServiceProps> = {}, options: { nag?: boolean } = {}) {
  const stack = testStack({ nag: options.nag });
  const network = new MultiAzNetwork(stack, 'Network');
  const service = new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, ...props });
  return { stack, service };
}

function synth(props: Partial<ResilientServiceProps> = {}): Template {
  return Template.fromStack(build(props).stack);
}

describe('ResilientService', () => {
  describe('placement and capacity', () => {
    test('tasks run in the private subnets of all three AZs, without public IPs, rebalanced across AZs', () => {
      const template = synth();
      template.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        AvailabilityZoneRebalancing: 'ENABLED',
        DesiredCount: 3,
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: 'DISABLED',
            Subnets: [
              { Ref: Match.stringLikeRegexp('^NetworkVpcPrivateSubnet1') },
              { Ref: Match.stringLikeRegexp('^NetworkVpcPrivateSubnet2') },
              { Ref: Match.stringLikeRegexp('^NetworkVpcPrivateSubnet3') },
            ],
          },
        },
      });
    });

    test('a created cluster has enhanced Container Insights', () => {
      synth().hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
      });
    });

    test('a given cluster is used instead of creating one', () => {
      const stack = testStack();
      const network = new MultiAzNetwork(stack, 'Network');
      const cluster = new ecs.Cluster(stack, 'Shared', { vpc: network.vpc });
      new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, cluster });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECS::Cluster', 1);
      template.hasResourceProperties('AWS::ECS::Service', { Cluster: { Ref: Match.stringLikeRegexp('^Shared') } });
    });

    test('task size is explicit on the task and the container', () => {
      synth({ cpu: 2048, memoryLimitMiB: 4096 }).hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '2048',
        Memory: '4096',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [Match.objectLike({ Cpu: 2048, Memory: 4096 })],
      });
    });
  });

  describe('health checks', () => {
    test('the target group checks readiness every 10 s, 2 s timeout, 3 failures out, 2 successes in', () => {
      synth().hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'ip',
        Port: 8080,
        Protocol: 'HTTP',
        HealthCheckPath: '/ready',
        HealthCheckIntervalSeconds: 10,
        HealthCheckTimeoutSeconds: 2,
        UnhealthyThresholdCount: 3,
        HealthyThresholdCount: 2,
      });
    });

    test('the container checks liveness on its own path', () => {
      synth({ containerPort: 9000, livenessPath: '/live' }).hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          PortMappings: [Match.objectLike({ ContainerPort: 9000, Protocol: 'tcp' })],
          HealthCheck: {
            Command: ['CMD-SHELL', 'curl -fsS http://localhost:9000/live || exit 1'],
            Interval: 10,
            Timeout: 2,
            Retries: 3,
            StartPeriod: 60,
          },
        })],
      });
    });
  });

  describe('auto scaling', () => {
    test('scales 3..20 tasks by default', () => {
      synth().hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 3,
        MaxCapacity: 20,
        ScalableDimension: 'ecs:service:DesiredCount',
      });
    });

    test('tracks CPU at 70% and 1000 requests per target', () => {
      const template = synth();
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 70,
        }),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
          TargetValue: 1000,
        }),
      });
    });

    test('custom capacity and targets are applied, desired count follows minCapacity', () => {
      const template = synth({ minCapacity: 6, maxCapacity: 12, cpuTargetPercent: 55, requestsPerTarget: 300 });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 6, MaxCapacity: 12 });
      template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 6 });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 55 }),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 300 }),
      });
    });

    test('minCapacity 0 on a serving service is allowed with a warning naming standby', () => {
      const { stack } = build({ minCapacity: 0 });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
      Annotations.fromStack(stack).hasWarning('/Test/Checkout',
        'minCapacity is 0: the service runs no task until scaled up. Use at least one task per AZ for a serving service, or set standby: true for a DR standby that failover scales out. [ack: platform:service:min-capacity-zero]');
    });

    test('minCapacity below the AZ count warns', () => {
      const { stack } = build({ minCapacity: 2 });
      Annotations.fromStack(stack).hasWarning('/Test/Checkout',
        'minCapacity (2) is below the number of AZs (3): some AZs run no task, and losing an AZ can take out the whole service. Raise minCapacity to 3, or set standby: true for a DR standby that failover scales out. [ack: platform:service:min-below-azs]');
    });

    test.each([
      ['pilot light (0 tasks)', 0],
      ['warm standby (2 tasks in 3 AZs)', 2],
    ])('a DR standby (standby: true) sized as a %s does not warn', (_name, minCapacity) => {
      const { stack } = build({ minCapacity, standby: true });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', { DesiredCount: minCapacity });
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));
      expect(warnings.filter((w) => w.includes('minCapacity'))).toEqual([]);
    });
  });

  describe('deployment safety', () => {
    test('circuit breaker with rollback, and rollback on the 5xx, unhealthy-target and p99-latency alarms', () => {
      // (No DeploymentController assertion: under @aws-cdk/aws-ecs:disableExplicitDeploymentControllerForCircuitBreaker
      // the ECS controller is implicit.)
      synth().hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: {
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          Alarms: {
            Enable: true,
            Rollback: true,
            AlarmNames: [
              { Ref: Match.stringLikeRegexp('^CheckoutHigh5xxRateAlarm') },
              { Ref: Match.stringLikeRegexp('^CheckoutUnhealthyTargetsAlarm') },
              { Ref: Match.stringLikeRegexp('^CheckoutHighLatencyAlarm') },
            ],
          },
        },
      });
    });

    test('ROLLING is the default and has no bake time nor alternate target group', () => {
      const template = synth();
      template.hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({ BakeTimeInMinutes: Match.absent(), Strategy: 'ROLLING' }),
        LoadBalancers: [{ ContainerName: 'App', ContainerPort: 8080, TargetGroupArn: { Ref: Match.stringLikeRegexp('^CheckoutTargetGroup') } }],
      });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    });

    test.each([
      [ecs.DeploymentStrategy.BLUE_GREEN, {}],
      [ecs.DeploymentStrategy.LINEAR, { LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 5 } }],
      [ecs.DeploymentStrategy.CANARY, { CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 } }],
    ])('%s shifts traffic between two target groups through the production rule, 5 min bake', (strategy, extra) => {
      const template = synth({ deploymentStrategy: strategy });
      template.hasResourceProperties('AWS::ECS::Service', {
        // The ECS controller (the default: @aws-cdk/aws-ecs:disableExplicitDeploymentControllerForCircuitBreaker omits it).
        DeploymentController: Match.absent(),
        DeploymentConfiguration: Match.objectLike({
          Strategy: strategy,
          BakeTimeInMinutes: 5,
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          Alarms: Match.objectLike({ Enable: true, Rollback: true }),
          ...extra,
        }),
        LoadBalancers: [{
          ContainerName: 'App',
          ContainerPort: 8080,
          TargetGroupArn: { Ref: Match.stringLikeRegexp('^CheckoutTargetGroup') },
          AdvancedConfiguration: {
            AlternateTargetGroupArn: { Ref: Match.stringLikeRegexp('^CheckoutAlternateTargetGroup') },
            ProductionListenerRule: { Ref: Match.stringLikeRegexp('^CheckoutProductionRule') },
            TestListenerRule: { Ref: Match.stringLikeRegexp('^CheckoutTestRule') },
            RoleArn: Match.anyValue(),
          },
        }],
      });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 1,
        Actions: [{
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: { Ref: Match.stringLikeRegexp('^CheckoutTargetGroup') }, Weight: 100 },
              { TargetGroupArn: { Ref: Match.stringLikeRegexp('^CheckoutAlternateTargetGroup') }, Weight: 0 },
            ],
          },
        }],
      });
    });

    test('bakeTime is applied to progressive strategies', () => {
      synth({ deploymentStrategy: ecs.DeploymentStrategy.CANARY, bakeTime: Duration.minutes(15) }).hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({ BakeTimeInMinutes: 15, CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 15 } }),
      });
    });
  });

  describe('graceful shutdown', () => {
    test('targets drain 30 s, the container gets 60 s between SIGTERM and SIGKILL', () => {
      const template = synth();
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
      });
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ StopTimeout: 60 })],
      });
    });
  });

  describe('container hardening and logs', () => {
    test('runs as a non-root user on a read-only root file system with a writable /tmp', () => {
      synth().hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          User: '1000:1000',
          ReadonlyRootFilesystem: true,
          Essential: true,
          MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
        })],
        Volumes: [{ Name: 'tmp' }],
      });
    });

    test('environment and secrets reach the container', () => {
      synth({ environment: { LOG_FORMAT: 'json' } }).hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'LOG_FORMAT', Value: 'json' }]) })],
      });
    });

    test('logs go non-blocking through awslogs to a KMS-encrypted, retained log group kept 90 days', () => {
      const template = synth();
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: Match.objectLike({
              'awslogs-group': { Ref: Match.stringLikeRegexp('^CheckoutLogs') },
              'mode': 'non-blocking',
            }),
          },
        })],
      });
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 90, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CheckoutLogKey'), 'Arn'] } },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Test/Checkout container logs' });
    });

    test('logRetention overrides the retention', () => {
      synth({ logRetention: logs.RetentionDays.ONE_YEAR }).hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CheckoutLogKey'), 'Arn'] },
      });
    });
  });

  describe('load balancer and listeners', () => {
    test('with a certificate: HTTPS 443 with a TLS 1.2+ policy, and 80 redirects to it', () => {
      const stack = testStack();
      const network = new MultiAzNetwork(stack, 'Network');
      const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
      new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, certificate });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: CERT_ARN }],
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' }) }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        ListenerArn: { Ref: Match.stringLikeRegexp('^CheckoutLoadBalancerHttps') },
      });
      Annotations.fromStack(stack).hasNoWarning('/Test/Checkout', Match.stringLikeRegexp('No certificate'));
    });

    test('without a certificate: an internal load balancer serves HTTP 80 inside the VPC, with a warning', () => {
      const { stack } = build();
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
      Annotations.fromStack(stack).hasWarning('/Test/Checkout',
        'No certificate: the internal load balancer serves plain HTTP on port 80 inside the VPC. Pass certificate for HTTPS on 443 with HTTP redirected to it. [ack: platform:service:no-certificate]');
    });

    test('secure by default: internal, in the private subnets, nothing admitted from outside the VPC', () => {
      const template = synth();
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internal',
        Subnets: [
          { Ref: Match.stringLikeRegexp('^NetworkVpcPrivateSubnet1') },
          { Ref: Match.stringLikeRegexp('^NetworkVpcPrivateSubnet2') },
          { Ref: Match.stringLikeRegexp('^NetworkVpcPrivateSubnet3') },
        ],
      });
      const ingress = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('Security Group for ELB') } });
      const cidrs = Object.values(ingress).flatMap((g) => (g.Properties.SecurityGroupIngress ?? []).map((rule: { CidrIp?: unknown }) => rule.CidrIp));
      expect(cidrs).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^NetworkVpc/), 'CidrBlock'] }]);
    });

    test('internetFacing with a certificate: public subnets, HTTPS 443 only (80 redirects)', () => {
      const stack = testStack();
      const network = new MultiAzNetwork(stack, 'Network');
      const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
      new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, certificate, internetFacing: true });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcPublicSubnet1') }]),
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        DefaultActions: [Match.objectLike({ Type: 'redirect' })],
      });
    });

    test('zonal shift is enabled on the load balancer and cross-zone is off in the target groups (az-evacuation precondition)', () => {
      const template = synth({ deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'zonal_shift.config.enabled', Value: 'true' }]),
      });
      const groups = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
      expect(groups).toHaveLength(2);
      for (const group of groups) {
        expect(group.Properties.TargetGroupAttributes).toContainEqual({ Key: 'load_balancing.cross_zone.enabled', Value: 'false' });
      }
      template.resourceCountIs('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', 0);
    });

    test('zonalAutoshift: autoshift enabled on the load balancer, practice runs judged by the 5xx alarm, blocked by unhealthy targets', () => {
      const { service, stack } = build({ zonalAutoshift: true });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', 1);
      template.hasResourceProperties('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', {
        ResourceIdentifier: { Ref: Match.stringLikeRegexp('^CheckoutLoadBalancer') },
        ZonalAutoshiftStatus: 'ENABLED',
        PracticeRunConfiguration: {
          OutcomeAlarms: [
            { Type: 'CLOUDWATCH', AlarmIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CheckoutHigh5xxRateAlarm'), 'Arn'] } },
          ],
          BlockingAlarms: [
            { Type: 'CLOUDWATCH', AlarmIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CheckoutUnhealthyTargetsAlarm'), 'Arn'] } },
          ],
        },
      });
      expect(service.zonalAutoshiftConfiguration).toBeDefined();
    });

    test('the ALB drops invalid headers, has deletion protection and logs to the access-log bucket', () => {
      synth().hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: 'true' },
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: { Ref: Match.stringLikeRegexp('^CheckoutAccessLogs') } },
        ]),
      });
    });

    test('internetFacing false makes an internal ALB reachable from the VPC only', () => {
      const template = synth({ internetFacing: false });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('Security Group for ELB'),
        SecurityGroupIngress: [Match.objectLike({ CidrIp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkVpc'), 'CidrBlock'] }, FromPort: 80, ToPort: 80 })],
      });
    });

    test('the access-log bucket is SSE-S3, private, TLS-only, versioned, retained, expiring and backed up', () => {
      const template = synth();
      template.hasResource('AWS::S3::Bucket', {
        Properties: {
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          VersioningConfiguration: { Status: 'Enabled' },
          LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365, Status: 'Enabled' })] },
          Tags: Match.arrayWith([{ Key: 'platform:backup', Value: 'default' }]),
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });
  });

  describe('security groups', () => {
    test('tasks accept traffic only from the load balancer, only on the container port', () => {
      const template = synth({ containerPort: 9000 });
      const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', {
        Properties: { GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CheckoutServiceSecurityGroup'), 'GroupId'] } },
      });
      expect(Object.values(ingress).map((r) => r.Properties)).toEqual([{
        Description: 'Load balancer to target',
        IpProtocol: 'tcp',
        FromPort: 9000,
        ToPort: 9000,
        GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^CheckoutServiceSecurityGroup/), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^CheckoutLoadBalancerSecurityGroup/), 'GroupId'] },
      }]);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Test/Checkout/Service/SecurityGroup',
        SecurityGroupIngress: Match.absent(),
      });
    });

    test('the load balancer sends only to the tasks on the container port', () => {
      const template = synth({ containerPort: 9000 });
      // No inline allow-all egress on the ALB group: its only egress rule is the one to the tasks.
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('Security Group for ELB'),
        SecurityGroupEgress: Match.absent(),
      });
      const egress = template.findResources('AWS::EC2::SecurityGroupEgress');
      expect(Object.values(egress).map((r) => r.Properties)).toEqual([{
        Description: 'Load balancer to target',
        IpProtocol: 'tcp',
        FromPort: 9000,
        ToPort: 9000,
        GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^CheckoutLoadBalancerSecurityGroup/), 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^CheckoutServiceSecurityGroup/), 'GroupId'] },
      }]);
    });
  });

  describe('alarms and metrics', () => {
    test('three alarms, each with a severity and a runbook link to a committed runbook', () => {
      const { service, stack } = build();
      expect(service.alarms).toHaveLength(3);
      const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
      const descriptions = Object.values(alarms).map((a) => String(a.Properties.AlarmDescription));
      expect(descriptions).toHaveLength(3);
      const runbooks = descriptions.map((d) => {
        const m = /^\[(critical|warning)\] .+ Runbook: https:\/\/\S+\/runbooks\/(alerts\/service\/\w+)\.md$/.exec(d);
        expect(m).not.toBeNull();
        return m?.[2] ?? '';
      });
      expect(runbooks.sort()).toEqual(['alerts/service/ServiceHigh5xxRate', 'alerts/service/ServiceHighLatency', 'alerts/service/ServiceUnhealthyTargets']);
      for (const path of runbooks) {
        const file = join(__dirname, '../../../runbooks', `${path}.md`);
        expect(existsSync(file)).toBe(true);
        const text = readFileSync(file, 'utf8');
        expect(text).toMatch(/^---\nid: \S+\nseverity: (critical|warning)\nowner: \S+/);
        for (const section of ['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Escalation']) expect(text).toContain(`## ${section}\n`);
      }
    });

    test('the 5xx alarm is critical: (target + ELB 5xx) / requests above 1% for 2 minutes', () => {
      synth().hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: Match.stringLikeRegexp('^\\[critical\\] More than 1% of requests'),
        Threshold: 1,
        EvaluationPeriods: 2,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)' }),
          Match.objectLike({ Id: 'target5xx', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'HTTPCode_Target_5XX_Count' }) }) }),
          Match.objectLike({ Id: 'elb5xx', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'HTTPCode_ELB_5XX_Count' }) }) }),
        ]),
      });
    });

    test('the unhealthy-target alarm covers both target groups of a blue/green service', () => {
      synth({ deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN }).hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: Match.stringLikeRegexp('^\\[warning\\] Tasks of Test/Checkout have failed the readiness check'),
        Threshold: 1,
        EvaluationPeriods: 3,
        Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(blue, 0) + FILL(green, 0)' })]),
      });
    });

    test('the latency alarm fires on p99 above latencyThreshold in 3 of 5 minutes', () => {
      synth({ latencyThreshold: Duration.millis(500) }).hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'TargetResponseTime',
        ExtendedStatistic: 'p99',
        Threshold: 0.5,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
      });
    });

    test('metric helpers name the right metrics and accept options', () => {
      const { service } = build();
      expect(service.metricRequestCount().metricName).toBe('RequestCount');
      expect(service.metricTarget5xxCount().metricName).toBe('HTTPCode_Target_5XX_Count');
      expect(service.metricTargetResponseTime().statistic).toBe('p99');
      expect(service.metricTargetResponseTime({ statistic: 'p50' }).statistic).toBe('p50');
      expect(service.metricUnhealthyHostCount().metricName).toBe('UnHealthyHostCount');
      expect(service.metricCpuUtilization({ period: Duration.minutes(5) }).period.toMinutes()).toBe(5);
      expect(service.metricCpuUtilization().metricName).toBe('CPUUtilization');
      expect(service.metricMemoryUtilization().metricName).toBe('MemoryUtilization');
    });

    test('each alarm is a named field; alarms lists them in rollback order', () => {
      // GIVEN a service WHEN its alarms are read by name THEN they are the construct IDs the rollback and runbooks use
      const { service } = build();
      expect(service.high5xxRateAlarm.node.id).toBe('High5xxRateAlarm');
      expect(service.unhealthyTargetsAlarm.node.id).toBe('UnhealthyTargetsAlarm');
      expect(service.highLatencyAlarm.node.id).toBe('HighLatencyAlarm');
      expect(service.alarms).toEqual([service.high5xxRateAlarm, service.unhealthyTargetsAlarm, service.highLatencyAlarm]);
    });

    test('metric5xxRate is what the 5xx alarm watches', () => {
      const { service, stack } = build();
      const rate = service.metric5xxRate();
      expect(rate.expression).toBe('IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)');
      expect(Object.keys(rate.usingMetrics)).toEqual(['requests', 'target5xx', 'elb5xx']);
      expect(rate.period.toMinutes()).toBe(1);
      expect(stack.resolve(rate.toMetricConfig())).toEqual(stack.resolve(service.high5xxRateAlarm.metric.toMetricConfig()));
      expect(service.metric5xxRate({ period: Duration.minutes(5) }).period.toMinutes()).toBe(5);
    });
  });

  describe('sidecars', () => {
    interface ContainerDef { Name: string; Cpu?: number; Memory?: number; Essential?: boolean }
    const containers = (stack: Parameters<typeof Template.fromStack>[0]): ContainerDef[] => {
      const [task] = Object.values(Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition'));
      return task.Properties.ContainerDefinitions as ContainerDef[];
    };
    const sidecar = (cpu: number, memoryLimitMiB: number) => ({ image: IMAGE, cpu, memoryLimitMiB, essential: false });

    test('without sidecars the application container has the whole task', () => {
      const { service, stack } = build();
      expect(containers(stack).map((c) => [c.Name, c.Cpu, c.Memory])).toEqual([['App', 1024, 2048]]);
      expect(service.containerLimits).toEqual({ cpuCores: 1, memoryBytes: 2048 * 1024 ** 2 });
    });

    test('a sidecar takes its share from the application container; the task size and containerLimits follow', () => {
      // GIVEN a 1024/2048 service WHEN two sidecars are added THEN the app keeps the rest and the task adds up
      const { service, stack } = build();
      service.addSidecar('Proxy', sidecar(256, 512));
      service.addSidecar('Agent', sidecar(128, 256));
      expect(containers(stack).map((c) => [c.Name, c.Cpu, c.Memory])).toEqual([['App', 640, 1280], ['Proxy', 256, 512], ['Agent', 128, 256]]);
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048' });
      expect(service.containerLimits).toEqual({ cpuCores: 640 / 1024, memoryBytes: 1280 * 1024 ** 2 });
    });

    test('the application container\'s own definition carries its share (no property overrides)', () => {
      const { service, stack } = build();
      service.addSidecar('Proxy', sidecar(256, 512));
      const cfn = service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
      const rendered = stack.resolve(cfn.containerDefinitions) as Array<{ name: string; cpu: number; memory: number }>;
      expect(rendered.map((c) => [c.name, c.cpu, c.memory])).toEqual([['App', 768, 1536], ['Proxy', 256, 512]]);
    });

    test('a sidecar that leaves the application less than 256 CPU units and 512 MiB is refused', () => {
      const { service } = build();
      expect(() => service.addSidecar('Proxy', sidecar(896, 512))).toThrow(
        "Test/Checkout: cpu/memoryLimitMiB of sidecar Proxy ('896/512') leave the application 128 CPU units and 1536 MiB of the 1024/2048 task (at least 256 and 512 needed): raise the service's cpu and memoryLimitMiB or lower the sidecar's");
      expect(service.containerLimits).toEqual({ cpuCores: 1, memoryBytes: 2048 * 1024 ** 2 });
    });

    test('a second container with the same id is refused', () => {
      const { service } = build();
      service.addSidecar('Proxy', sidecar(256, 512));
      expect(() => service.addSidecar('Proxy', sidecar(256, 512))).toThrow(
        "Test/Checkout: sidecar id ('Proxy') is already a container of the task: give each sidecar its own id");
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<ResilientServiceProps>, string]>([
      ['min above max', { minCapacity: 5, maxCapacity: 4 },
        'Test/Checkout: maxCapacity (4) is below minCapacity (5): raise maxCapacity or lower minCapacity'],
      ['negative min', { minCapacity: -1 },
        'Test/Checkout: minCapacity (-1) must be an integer from 0 to 1000: set minCapacity to a whole number between 0 and 1000'],
      ['zero max', { minCapacity: 0, maxCapacity: 0 },
        'Test/Checkout: maxCapacity (0) must be an integer from 1 to 1000: set maxCapacity to a whole number between 1 and 1000'],
      ['unknown cpu', { cpu: 1000 },
        'Test/Checkout: cpu (1000) is not a Fargate CPU size: use one of 256, 512, 1024, 2048, 4096, 8192, 16384'],
      ['memory not valid for cpu', { cpu: 1024, memoryLimitMiB: 1024 },
        'Test/Checkout: memoryLimitMiB (1024) is not valid with cpu 1024 on Fargate: use 2048 to 8192 in steps of 1024, or change cpu'],
      ['memory not valid for 256 cpu', { cpu: 256, memoryLimitMiB: 4096 },
        'Test/Checkout: memoryLimitMiB (4096) is not valid with cpu 256 on Fargate: use 512, 1024 or 2048, or change cpu'],
      ['readiness equals liveness', { readinessPath: '/health', livenessPath: '/health' },
        "Test/Checkout: livenessPath ('/health') equals readinessPath: serve readiness and liveness on different paths (e.g. '/ready' and '/health') so an overloaded task leaves rotation instead of being restarted"],
      ['relative readiness path', { readinessPath: 'ready' },
        "Test/Checkout: readinessPath ('ready') is not an absolute URL path: use a path such as '/ready' (starting with '/', no query string)"],
      ['liveness path with a query', { livenessPath: '/health?full=1' },
        "Test/Checkout: livenessPath ('/health?full=1') is not an absolute URL path: use a path such as '/ready' (starting with '/', no query string)"],
      ['stopTimeout equal to deregistration delay', { stopTimeout: Duration.seconds(30) },
        "Test/Checkout: stopTimeout ('30 seconds') does not exceed deregistrationDelay (30 seconds): raise stopTimeout (at most 120 seconds) or lower deregistrationDelay"],
      ['stopTimeout below deregistration delay', { deregistrationDelay: Duration.seconds(90), stopTimeout: Duration.seconds(60) },
        "Test/Checkout: stopTimeout ('60 seconds') does not exceed deregistrationDelay (90 seconds): raise stopTimeout (at most 120 seconds) or lower deregistrationDelay"],
      ['stopTimeout above the Fargate limit', { stopTimeout: Duration.seconds(180) },
        'Test/Checkout: stopTimeout (180) must be an integer from 2 to 120: set stopTimeout to a whole number between 2 and 120'],
      ['cpuTargetPercent too high', { cpuTargetPercent: 95 },
        'Test/Checkout: cpuTargetPercent (95) must be between 10 and 90: set cpuTargetPercent to a value between 10 and 90'],
      ['cpuTargetPercent too low', { cpuTargetPercent: 5 },
        'Test/Checkout: cpuTargetPercent (5) must be between 10 and 90: set cpuTargetPercent to a value between 10 and 90'],
      ['requestsPerTarget zero', { requestsPerTarget: 0 },
        'Test/Checkout: requestsPerTarget (0) must be an integer from 1 to 1000000: set requestsPerTarget to a whole number between 1 and 1000000'],
      ['container port out of range', { containerPort: 70000 },
        'Test/Checkout: containerPort (70000) must be an integer from 1 to 65535: set containerPort to a whole number between 1 and 65535'],
      ['privileged container port with the default non-root user', { containerPort: 80 },
        "Test/Checkout: containerPort (80) is a privileged port, which the non-root user '1000:1000' cannot bind: listen on a port from 1024 to 65535 (e.g. 8080)"],
      ['privileged container port with another non-root user', { containerPort: 443, user: '101:101' },
        "Test/Checkout: containerPort (443) is a privileged port, which the non-root user '101:101' cannot bind: listen on a port from 1024 to 65535 (e.g. 8080)"],
      ['internet-facing without a certificate', { internetFacing: true },
        'Test/Checkout: certificate (undefined) is required with internetFacing: true (a public load balancer serves HTTPS only): pass certificate (an ACM certificate for the name clients use), or remove internetFacing for an internal load balancer reachable from the VPC'],
      ['root user', { user: 'root' },
        "Test/Checkout: user ('root') runs the container as root: use a non-root uid:gid such as '1000:1000'"],
      ['uid 0', { user: '0:0' },
        "Test/Checkout: user ('0:0') runs the container as root: use a non-root uid:gid such as '1000:1000'"],
      ['bakeTime with ROLLING', { bakeTime: Duration.minutes(5) },
        "Test/Checkout: bakeTime ('5 minutes') does not apply to deploymentStrategy ROLLING: remove bakeTime or use BLUE_GREEN, LINEAR or CANARY"],
      ['bakeTime not whole minutes', { deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN, bakeTime: Duration.seconds(90) },
        "Test/Checkout: bakeTime ('1 minute 30 seconds') must be a whole number of minutes from 0 to 1440: use Duration.minutes(n) with n between 0 and 1440"],
    ])('%s', (_name, props, message) => {
      // GIVEN a network, WHEN the service gets bad props, THEN synthesis stops with the exact message
      expect(() => build(props)).toThrow(message);
    });

    test.each<[string, ec2.SubnetConfiguration[], string]>([
      ['one AZ', [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ], "Test/Checkout: vpc ('Test/Vpc') has its private subnets in one availability zone (eu-west-1a): losing that zone takes out every task: use a VPC with subnets in at least 2 availability zones (MultiAzNetwork builds 3)"],
      ['no private subnets with egress', [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ], "Test/Checkout: vpc ('Test/Vpc') has no private subnets with egress, where the tasks run: use a VPC with PRIVATE_WITH_EGRESS subnets in at least 2 availability zones (MultiAzNetwork builds them in 3)"],
    ])('a VPC with %s is refused', (_name, subnetConfiguration, message) => {
      // GIVEN a VPC the tasks cannot spread over; WHEN a service is placed in it; THEN synthesis stops with the fix
      const stack = testStack();
      const egress = subnetConfiguration.some((subnet) => subnet.subnetType === ec2.SubnetType.PRIVATE_WITH_EGRESS);
      const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a'], subnetConfiguration, natGateways: egress ? 1 : 0 });
      expect(() => new ResilientService(stack, 'Checkout', { vpc, image: IMAGE })).toThrow(message);
    });
  });

  describe('cdk-nag', () => {
    test('AwsSolutions and NIST 800-53 rev 5 report nothing unacknowledged (HTTPS, rolling)', () => {
      const stack = testStack({ nag: true });
      const network = new MultiAzNetwork(stack, 'Network');
      const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
      new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, certificate, environment: { LOG_FORMAT: 'json' } });
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });

    test('AwsSolutions and NIST 800-53 rev 5 report nothing unacknowledged (HTTPS, blue/green)', () => {
      const stack = testStack({ nag: true });
      const network = new MultiAzNetwork(stack, 'Network');
      const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
      new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, certificate, deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN });
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });

    test('without a certificate the plain-HTTP listener is reported, not hidden', () => {
      const { stack } = build({}, { nag: true });
      const rules = nagFindings(stack).map((f) => `${f.path} ${f.rule}`);
      expect(rules).toEqual(expect.arrayContaining(['Test/Checkout/LoadBalancer/Http/Resource NIST.800.53.R5-ELBv2ACMCertificateRequired']));
      expect(rules.every((r) => r.startsWith('Test/Checkout/LoadBalancer/'))).toBe(true);
    });
  });
});
