import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { ReleaseHooks } from '../../../constructs/aws/release/release-hooks';
import { Slo } from '../../../constructs/core/observability/slo';
import { testStack } from '../../helpers/test-stack';
import { IMAGE } from '../observability/fixture';
import { AVAILABILITY, releaseSafety } from './fixture';

describe('ReleaseHooks', () => {
  const built = releaseSafety();
  const template = Template.fromStack(built.stack);
  const hooks = () => (Object.values(template.findResources('AWS::ECS::Service'))[0].Properties.DeploymentConfiguration as {
    LifecycleHooks: Array<{ LifecycleStages: string[]; HookDetails: Record<string, unknown>; HookTargetArn: unknown; RoleArn: unknown }>;
  }).LifecycleHooks;

  test('the error-budget gate runs before the new revision scales up, with the load balancer and the availability SLO', () => {
    expect(hooks()[0]).toEqual({
      HookTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^ReleaseHooksFunction/), 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^ReleaseHooksInvokeRole/), 'Arn'] },
      LifecycleStages: ['PRE_SCALE_UP'],
      HookDetails: {
        check: 'error-budget', loadBalancer: { 'Fn::GetAtt': [expect.stringMatching(/^CheckoutLoadBalancer/), 'LoadBalancerFullName'] },
        target: 0.999, periodDays: 30, overrideParameter: '/checkout/release/budget-override', overrideRegion: 'eu-west-1',
      },
    });
  });

  test('the smoke test runs after test traffic, and again after production traffic, shifts: the critical paths through the test listener', () => {
    expect(hooks()[1]).toMatchObject({
      LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
      HookDetails: {
        check: 'smoke',
        baseUrl: { 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.stringMatching(/^CheckoutLoadBalancer/), 'DNSName'] }, ':9443']] },
        paths: expect.arrayContaining([{ name: 'order-validation', method: 'POST', path: '/orders', body: '{"itemId":"1","quantity":1}', expectStatus: 400 }]),
      },
    });
  });

  test('the function runs in the VPC\'s private subnets; ECS invokes it with a role trusting ECS of this account, allowed this function only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^release hooks of checkout'),
      VpcConfig: { SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcPrivateSubnet1') }]), SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ReleaseHooksFunctionSecurityGroup'), 'GroupId'] }] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ecs.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } })] },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ReleaseHooksInvokeRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReleaseHooksFunction'), 'Arn'] } })] },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Sid: 'ReadOverride', Action: ['ssm:GetParameter', 'ssm:GetParameterHistory'], Resource: 'arn:aws:ssm:eu-west-1:111111111111:parameter/checkout/release/budget-override' }),
      ]) },
    });
  });

  test('without smoke tests (a standby without tasks) only the gate is added; the smoke test defaults to the probes', () => {
    const stack = testStack();
    const network = new MultiAzNetwork(stack, 'Network');
    const standby = new ResilientService(stack, 'Standby', { vpc: network.vpc, image: IMAGE, deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN, minCapacity: 0, standby: true });
    const serving = new ResilientService(stack, 'Serving', { vpc: network.vpc, image: IMAGE, deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN });
    const h = new ReleaseHooks(stack, 'Hooks', { service: 'checkout', vpc: network.vpc, key: network.logKey });
    h.protect(standby, { availability: AVAILABILITY, smokeTest: false });
    h.protect(serving, { availability: AVAILABILITY });
    type Hooks = { LifecycleHooks: Array<{ LifecycleStages: string[]; HookDetails: { paths?: Array<{ path: string }> } }> };
    const byService = Object.values(Template.fromStack(stack).findResources('AWS::ECS::Service'))
      .map((s) => (s.Properties.DeploymentConfiguration as Hooks).LifecycleHooks);
    expect(byService.map((list) => list.map((x) => x.LifecycleStages.join('+')))).toEqual([['PRE_SCALE_UP'], ['PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT+POST_PRODUCTION_TRAFFIC_SHIFT']]);
    expect(byService[1][1].HookDetails.paths?.map((p) => p.path)).toEqual(['/health', '/ready']);
  });

  test('a ROLLING service, a latency SLO or a second protect() is refused', () => {
    const stack = testStack();
    const network = new MultiAzNetwork(stack, 'Network');
    const rolling = new ResilientService(stack, 'Rolling', { vpc: network.vpc, image: IMAGE });
    const canary = new ResilientService(stack, 'Canary', { vpc: network.vpc, image: IMAGE, deploymentStrategy: ecs.DeploymentStrategy.CANARY });
    const h = new ReleaseHooks(stack, 'Hooks', { service: 'checkout', vpc: network.vpc, key: network.logKey });
    expect(() => h.protect(rolling, { availability: AVAILABILITY })).toThrow(
      "Test/Hooks: service ('Test/Rolling') deploys ROLLING: it has no test listener and runs no lifecycle hook: give it deploymentStrategy BLUE_GREEN, LINEAR or CANARY");
    expect(() => h.protect(canary, { availability: Slo.latency({ service: 'checkout', threshold: 0.25, target: 0.99 }) })).toThrow(
      "Test/Hooks: availability ('checkout-latency') is a latency SLO: pass the service's availability SLO (Slo.availability): its error budget gates releases");
    h.protect(canary, { availability: AVAILABILITY });
    expect(() => h.protect(canary, { availability: AVAILABILITY })).toThrow("Test/Hooks: service ('Test/Canary') is protected twice: call protect() once per service");
  });
});
