import { Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from './encryption';
import { acknowledgeControlTower } from './control-tower';

/** Construct ID of the Lambda function CDK shares between the AwsCustomResources of a stack. */
const AWS_CUSTOM_RESOURCE_SINGLETON_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * The ID of an AWS-managed prefix list (e.g. `com.amazonaws.global.cloudfront.origin-facing`) in the stack's
 * region, read at deploy time (EC2 DescribeManagedPrefixLists through an AwsCustomResource) so synthesis needs
 * no lookup. The cdk-nag findings of the custom resource are acknowledged here, with their reasons, once.
 */
export function lookUpManagedPrefixListId(scope: Construct, id: string, prefixListName: string): string {
  const call: cr.AwsSdkCall = {
    service: 'EC2',
    action: 'describeManagedPrefixLists',
    parameters: { Filters: [{ Name: 'prefix-list-name', Values: [prefixListName] }] },
    physicalResourceId: cr.PhysicalResourceId.of(prefixListName),
    outputPaths: ['PrefixLists.0.PrefixListId'],
  };
  const lookup = new cr.AwsCustomResource(scope, id, {
    onCreate: call,
    onUpdate: call,
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    installLatestAwsSdk: false,
    // Read by the shared handler when the stack's first lookup creates it; every lookup passes the same group.
    logGroup: handlerLogGroup(Stack.of(scope)),
  });
  const readOnly = 'ec2:DescribeManagedPrefixLists, the only action of this policy, is a read-only call that supports no resource-level permissions (IAM requires Resource "*"); the policy is generated for this one custom resource.';
  Validations.of(lookup.node.findChild('CustomResourcePolicy')).acknowledge(
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: readOnly },
    { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: readOnly },
  );
  // The singleton function CDK shares between the AwsCustomResources of the stack (one per stack, at its root).
  const handler = Stack.of(scope).node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON_ID);
  if (handler) {
    const oneShot = 'CDK\'s AwsCustomResource handler runs only during CloudFormation deployments (one SDK call, answered synchronously to CloudFormation)';
    Validations.of(handler).acknowledge(
      { id: 'NIST.800.53.R5-LambdaConcurrency', reason: `${oneShot}: it is invoked once per stack operation, reserved concurrency would only add a quota to manage.` },
      { id: 'NIST.800.53.R5-LambdaDLQ', reason: `${oneShot}: CloudFormation is the caller and records failures, there is no asynchronous event to dead-letter.` },
      { id: 'NIST.800.53.R5-LambdaInsideVPC', reason: `${oneShot}: it calls only the regional EC2 API and reads no data in a VPC.` },
      { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: `${oneShot}; AWSLambdaBasicExecutionRole only lets it write its own logs.` },
    );
    acknowledgeControlTower(handler, 'CT.LAMBDA.PR.3', `${oneShot}: it calls only the regional EC2 API (DescribeManagedPrefixLists) and reaches nothing in a VPC; in one it would need a NAT path or an EC2 endpoint to do the same.`);
  }
  return lookup.getResponseField('PrefixLists.0.PrefixListId');
}

/** ID of the stack-level log group (and `<id>Key`, its key) of the shared handler. */
const HANDLER_LOGS_ID = 'PrefixListLookupLogs';

/**
 * The log group of the stack's AwsCustomResource handler: encrypted with its own rotating key and retained, like
 * every log group of the platform (without it CDK would create an unencrypted one under
 * `@aws-cdk/aws-lambda:useCdkManagedLogGroup`, or Lambda an untracked one without the flag).
 */
function handlerLogGroup(stack: Stack): logs.ILogGroup {
  const existing = stack.node.tryFindChild(HANDLER_LOGS_ID);
  if (existing) return existing as logs.LogGroup;
  const key = createDataKey(stack, `${HANDLER_LOGS_ID}Key`, `${stack.stackName}: logs of the prefix list lookup`);
  allowCloudWatchLogs(key);
  return createEncryptedLogGroup(stack, HANDLER_LOGS_ID, { key, retention: logs.RetentionDays.ONE_YEAR });
}

/**
 * The props the two origin-access constructs share: the output name prefix (letters and digits) and an optional
 * given ID of the `prefixListName` managed prefix list.
 */
export function requireOriginAccessProps(where: string, outputPrefix: string, prefixListId: string | undefined, prefixListName: string): void {
  if (!/^[A-Za-z][A-Za-z0-9]{0,200}$/.test(outputPrefix)) {
    throw new PlatformValidationError(where, 'outputPrefix', outputPrefix, 'is not a valid output name prefix',
      "use letters and digits only, starting with a letter (e.g. 'CheckoutOrigin')");
  }
  if (prefixListId !== undefined && !/^pl-[0-9a-f]{8,17}$/.test(prefixListId)) {
    throw new PlatformValidationError(where, 'prefixListId', prefixListId, 'is not a prefix list ID',
      `pass the ID of ${prefixListName} in this region (pl- and 8 to 17 hex digits), or omit it to look it up at deploy time`);
  }
}
