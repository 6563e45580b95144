import type { CfnResource } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeWildcards, flattenIntrinsics, iam5FindingId } from '../../../constructs/aws/private/nag';
import { testStack } from '../../helpers/test-stack';

describe('cdk-nag finding ids', () => {
  test.each<[string, unknown, string]>([
    ['a literal', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/*'],
    ['a Ref', { Ref: 'BucketABC' }, '<BucketABC>'],
    ['a GetAtt', { 'Fn::GetAtt': ['BucketABC', 'Arn'] }, '<BucketABC.Arn>'],
    ['a Join', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'BucketABC' }, '/*']] }, 'arn:<AWS::Partition>:s3:::<BucketABC>/*'],
    ['anything else', { 'Fn::Sub': 'x' }, '{"Fn::Sub":"x"}'],
  ])('flattenIntrinsics writes %s as cdk-nag does', (_name, value, expected) => {
    expect(flattenIntrinsics(value)).toBe(expected);
  });

  test('iam5FindingId resolves tokens of the scope\'s stack', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(iam5FindingId(role, `${role.roleArn}/*`)).toBe(`AwsSolutions-IAM5[Resource::<${stack.getLogicalId(role.node.defaultChild as CfnResource)}.Arn>/*]`);
  });

  test('acknowledgeWildcards acknowledges each wildcard resource once and nothing else', () => {
    const stack = testStack();
    const policy = new iam.ManagedPolicy(stack, 'Policy', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] });
    const acknowledge = jest.spyOn(Validations.prototype, 'acknowledge');
    try {
      acknowledgeWildcards(policy, ['arn:aws:s3:::a/*', 'arn:aws:s3:::a/*', 'arn:aws:s3:::b'], 'why');
      expect(acknowledge).toHaveBeenCalledTimes(1);
      expect(acknowledge.mock.calls[0]).toEqual([{ id: 'AwsSolutions-IAM5[Resource::arn:aws:s3:::a/*]', reason: 'why' }]);
      acknowledge.mockClear();
      acknowledgeWildcards(policy, ['arn:aws:s3:::b'], 'why');
      expect(acknowledge).not.toHaveBeenCalled();
    } finally {
      acknowledge.mockRestore();
    }
  });
});
