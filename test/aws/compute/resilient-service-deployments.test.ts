import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import type { ResilientServiceProps } from '../../../constructs/aws/compute/resilient-service';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { testStack } from '../../helpers/test-stack';
import { CERT_ARN, IMAGE } from '../observability/fixture';

/** GIVEN a network; WHEN a ResilientService is added with `props`. */
function build(props: Partial<ResilientServiceProps> = {}) {
  const stack = testStack();
  const network = new MultiAzNetwork(stack, 'Network');
  const service = new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, ...props });
  return { stack, service, template: () => Template.fromStack(stack) };
}

describe('ResilientService deployments: test listener, rollback alarms, lifecycle hooks', () => {
  test('a progressive strategy gets a test listener (HTTP 9080 on an internal load balancer, admitted from the VPC only) routed by ECS', () => {
    const { template, service } = build({ deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN });
    const t = template();
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 9080, Protocol: 'HTTP' });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      ListenerArn: { Ref: Match.stringLikeRegexp('^CheckoutLoadBalancerTestHttp') },
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [
        { TargetGroupArn: { Ref: Match.stringLikeRegexp('^CheckoutTargetGroup') }, Weight: 100 },
        { TargetGroupArn: { Ref: Match.stringLikeRegexp('^CheckoutAlternateTargetGroup') }, Weight: 0 },
      ] } }],
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ FromPort: 9080, ToPort: 9080, CidrIp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkVpc'), 'CidrBlock'] } })]),
    });
    expect(service.testListener?.port).toBe(9080);
  });

  test('with a certificate the test listener serves HTTPS on 9443; ROLLING has none', () => {
    const https = build({ deploymentStrategy: ecs.DeploymentStrategy.CANARY, certificate: acm.Certificate.fromCertificateArn(testStack(), 'C', CERT_ARN) });
    https.template().hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 9443, Protocol: 'HTTPS', SslPolicy: Match.anyValue() });
    const rolling = build();
    expect(rolling.service.testListener).toBeUndefined();
    rolling.template().resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
  });

  test.each([
    [{ testListenerPort: 9000 }, "Test/Checkout: testListenerPort (9000) does not apply to deploymentStrategy ROLLING (no test listener): remove testListenerPort or use BLUE_GREEN, LINEAR or CANARY"],
    [{ deploymentStrategy: ecs.DeploymentStrategy.CANARY, testListenerPort: 80 }, 'Test/Checkout: testListenerPort (80) is a port of the production listeners: use another port, e.g. 9443 (with a certificate) or 9080'],
    [{ deploymentStrategy: ecs.DeploymentStrategy.CANARY, testListenerPort: 70000 }, 'Test/Checkout: testListenerPort (70000) must be an integer from 1 to 65535: set testListenerPort to a whole number between 1 and 65535'],
  ])('refuses %j', (props, message) => {
    expect(() => build(props as Partial<ResilientServiceProps>)).toThrow(message);
  });

  test('addDeploymentAlarm: an alarm added later (an SLO fast burn) rolls deployments back too, after the service\'s own, once', () => {
    const { stack, service, template } = build();
    const fastBurn = new cloudwatch.Alarm(stack, 'FastBurn', { metric: service.metricTarget5xxCount(), threshold: 1, evaluationPeriods: 1 });
    service.addDeploymentAlarm(fastBurn);
    service.addDeploymentAlarm(fastBurn);
    service.addDeploymentAlarm(service.highLatencyAlarm);
    template().hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Alarms: { Enable: true, Rollback: true, AlarmNames: [
        { Ref: Match.stringLikeRegexp('^CheckoutHigh5xxRateAlarm') }, { Ref: Match.stringLikeRegexp('^CheckoutUnhealthyTargetsAlarm') },
        { Ref: Match.stringLikeRegexp('^CheckoutHighLatencyAlarm') }, { Ref: Match.stringLikeRegexp('^FastBurn') },
      ] } }),
    });
  });

  test('addDeploymentLifecycleHook: rendered with its role, stages and details (the test listener\'s stages need a progressive strategy)', () => {
    const { stack, service, template } = build({ deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN });
    const fn = lambda.Function.fromFunctionArn(stack, 'Hook', 'arn:aws:lambda:eu-west-1:111111111111:function:hook');
    const role = iam.Role.fromRoleArn(stack, 'HookRole', 'arn:aws:iam::111111111111:role/hook');
    service.addDeploymentLifecycleHook({ target: fn, role, stages: [ecs.DeploymentLifecycleStage.PRE_SCALE_UP], details: { check: 'x' } });
    service.addDeploymentLifecycleHook({ target: fn, role, stages: [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT] });
    template().hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ LifecycleHooks: [
        { HookTargetArn: 'arn:aws:lambda:eu-west-1:111111111111:function:hook', RoleArn: 'arn:aws:iam::111111111111:role/hook', LifecycleStages: ['PRE_SCALE_UP'], HookDetails: { check: 'x' } },
        { HookTargetArn: 'arn:aws:lambda:eu-west-1:111111111111:function:hook', RoleArn: 'arn:aws:iam::111111111111:role/hook', LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] },
      ] }),
    });
    expect(() => service.addDeploymentLifecycleHook({ target: fn, role, stages: [] })).toThrow(
      "Test/Checkout: stages ([]) is empty: the hook would never run: name at least one DeploymentLifecycleStage");
    const rolling = build();
    expect(() => rolling.service.addDeploymentLifecycleHook({ target: fn, role, stages: [ecs.DeploymentLifecycleStage.PRE_SCALE_UP] })).toThrow(
      "Test/Checkout: deploymentStrategy ('ROLLING') runs no lifecycle hook (no traffic shift between two target groups): use BLUE_GREEN, LINEAR or CANARY to add deployment lifecycle hooks");
  });
});
