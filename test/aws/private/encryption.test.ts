import type { CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../../../constructs/aws/private/encryption';
import { testStack } from '../../helpers/test-stack';

describe('encryption helpers', () => {
  test('createDataKey: yearly rotation, 30-day pending window, retained, grants only for AWS resources', () => {
    const stack = testStack();
    createDataKey(stack, 'Key', 'test data');
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({
        Description: 'test data',
        EnableKeyRotation: true,
        RotationPeriodInDays: 365,
        PendingWindowInDays: 30,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([Match.objectLike({
            Sid: 'DenyGrantsNotForAwsResources',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:CreateGrant',
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          })]),
        }),
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('allowCloudWatchLogs: the regional Logs service, for log groups of this account and region only', () => {
    const stack = testStack();
    allowCloudWatchLogs(createDataKey(stack, 'Key', 'logs'));
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCloudWatchLogs',
          Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111111111111:log-group:*' } },
        })]),
      }),
    });
  });

  test('createEncryptedLogGroup: encrypted with the key, with the retention and name given, retained', () => {
    const stack = testStack();
    const key = createDataKey(stack, 'Key', 'logs');
    createEncryptedLogGroup(stack, 'Logs', { key, retention: logs.RetentionDays.ONE_MONTH, logGroupName: '/platform/test' });
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', {
      Properties: {
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as CfnResource), 'Arn'] },
        RetentionInDays: 30,
        LogGroupName: '/platform/test',
        Tags: Match.anyValue(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});
