import { App, CfnWaitConditionHandle } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { PlatformStack } from '../../constructs/aws/platform-stack';
import type { PlatformStackProps } from '../../constructs/aws/platform-stack';
import { DrTier } from '../../constructs/core/dr-tier';
import { testApp } from '../helpers/test-stack';

const PROPS = { env: { account: '111111111111', region: 'eu-west-1' }, service: 'checkout', regionRole: 'primary', drTier: DrTier.WARM_STANDBY } as const;
/** A stack with one resource (the recommended flags make an empty template a synth error). */
function platformStack(scope: Construct, props: Partial<PlatformStackProps> = {}): PlatformStack {
  const stack = new PlatformStack(scope, 'Tagged', { ...PROPS, ...props });
  new CfnWaitConditionHandle(stack, 'Placeholder');
  return stack;
}
const TAGS = { 'platform:service': 'checkout', 'platform:region-role': 'primary', 'platform:dr-tier': 'warm-standby' };

describe('PlatformStack', () => {
  describe('stack tags (DESIGN.md contract)', () => {
    test.each([
      ['the recommended flags (@aws-cdk/core:explicitStackTags on)', testApp()],
      ['no flags', new App()],
    ])('the stack artifact carries the platform tags under %s', (_name, app) => {
      const stack = platformStack(app);
      expect(app.synth().getStackArtifact(stack.artifactId).tags).toEqual(TAGS);
    });

    test('user tags are kept beside the platform tags', () => {
      const app = testApp();
      const stack = platformStack(app, { tags: { team: 'payments' } });
      expect(app.synth().getStackArtifact(stack.artifactId).tags).toEqual({ team: 'payments', ...TAGS });
    });
  });

  describe('termination protection (secure by default)', () => {
    test('is on by default, with no warning', () => {
      const app = testApp();
      const stack = platformStack(app);
      expect(stack.terminationProtection).toBe(true);
      expect(app.synth().getStackArtifact(stack.artifactId).terminationProtection).toBe(true);
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('terminationProtection'));
    });

    test('terminationProtection: false turns it off and warns', () => {
      const stack = platformStack(testApp(), { terminationProtection: false });
      expect(stack.terminationProtection).toBe(false);
      Annotations.fromStack(stack).hasWarning('/Tagged',
        'terminationProtection is false: a `cdk destroy` or a console click deletes the stack without a second step. Leave it on (the default) for every stack that serves or holds data. [ack: platform:stack:no-termination-protection]');
    });
  });

  describe('region', () => {
    test.each<[string, string, string]>([
      ['a missing dash', 'eu-west1',
        "Tagged: env.region ('eu-west1') is not an AWS region code (<area>-<direction>-<number>): write it eu-west-1 (a region code has a dash before its number)"],
      ['underscores', 'eu_central_1',
        "Tagged: env.region ('eu_central_1') is not an AWS region code (<area>-<direction>-<number>): write it eu-central-1 (a region code has a dash before its number)"],
      ['a name', 'Ireland',
        "Tagged: env.region ('Ireland') is not an AWS region code (<area>-<direction>-<number>): use a region code such as us-east-1, us-east-2, us-west-1, us-west-2"],
    ])('a region with %s is refused', (_name, region, message) => {
      expect(() => platformStack(testApp(), { env: { account: '111111111111', region } })).toThrow(message);
    });

    test('a well-formed region this project does not know yet is accepted (zones and CIDR then come from the user)', () => {
      expect(() => platformStack(testApp(), { env: { account: '111111111111', region: 'eu-west-9' }, availabilityZones: ['eu-west-9a', 'eu-west-9b'] })).not.toThrow();
    });
  });
});
