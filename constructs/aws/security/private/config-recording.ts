import { Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeWildcards } from '../../private/nag';
import type { ConfigDelivery } from '../threat-detection-props';

/**
 * The AWS managed Config rules of the conformance pack: what the library's constructs set, checked on the account's
 * live resources (drift or a resource made outside the library shows as non-compliant in Config and Security Hub).
 */
export const CONFORMANCE_RULES: readonly string[] = [
  config.ManagedRuleIdentifiers.CLOUDTRAIL_MULTI_REGION_ENABLED,
  config.ManagedRuleIdentifiers.CLOUD_TRAIL_ENCRYPTION_ENABLED,
  config.ManagedRuleIdentifiers.CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED,
  config.ManagedRuleIdentifiers.CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED,
  config.ManagedRuleIdentifiers.GUARDDUTY_ENABLED_CENTRALIZED,
  config.ManagedRuleIdentifiers.SECURITYHUB_ENABLED,
  config.ManagedRuleIdentifiers.CMK_BACKING_KEY_ROTATION_ENABLED,
  config.ManagedRuleIdentifiers.S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED,
  config.ManagedRuleIdentifiers.S3_BUCKET_SSL_REQUESTS_ONLY,
  config.ManagedRuleIdentifiers.S3_BUCKET_VERSIONING_ENABLED,
  config.ManagedRuleIdentifiers.RDS_STORAGE_ENCRYPTED,
  config.ManagedRuleIdentifiers.RDS_CLUSTER_DELETION_PROTECTION_ENABLED,
  config.ManagedRuleIdentifiers.CLOUDWATCH_LOG_GROUP_ENCRYPTED,
  config.ManagedRuleIdentifiers.VPC_FLOW_LOGS_ENABLED,
  config.ManagedRuleIdentifiers.VPC_DEFAULT_SECURITY_GROUP_CLOSED,
  config.ManagedRuleIdentifiers.ECS_CONTAINERS_READONLY_ACCESS,
  config.ManagedRuleIdentifiers.ECS_CONTAINERS_NONPRIVILEGED,
  config.ManagedRuleIdentifiers.SNS_ENCRYPTED_KMS,
  config.ManagedRuleIdentifiers.SECRETSMANAGER_ROTATION_ENABLED_CHECK,
  config.ManagedRuleIdentifiers.ALB_HTTP_DROP_INVALID_HEADER_ENABLED,
  config.ManagedRuleIdentifiers.IAM_ROOT_ACCESS_KEY_CHECK,
  config.ManagedRuleIdentifiers.ROOT_ACCOUNT_MFA_ENABLED,
];

/** What {@link buildConfigRecording} built. */
export interface ConfigRecording {
  readonly role: iam.Role;
  readonly recorder: config.CfnConfigurationRecorder;
  readonly deliveryChannel: config.CfnDeliveryChannel;
  readonly conformancePack: config.CfnConformancePack;
}

/** The conformance pack's template: one AWS managed Config rule per identifier. */
export function conformancePackTemplate(rules: readonly string[]): string {
  const resources = Object.fromEntries(rules.map((rule) => {
    const name = rule.toLowerCase().replace(/_/g, '-');
    const logicalId = rule.split('_').map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join('');
    return [logicalId, { Type: 'AWS::Config::ConfigRule', Properties: { ConfigRuleName: name, Source: { Owner: 'AWS', SourceIdentifier: rule } } }];
  }));
  return JSON.stringify({ Resources: resources });
}

/**
 * AWS Config in `scope`'s region: a recorder of every supported resource type (global ones with `recordGlobal`) with a
 * role of its own that may write only the account's Config prefix of the delivery bucket, the delivery channel (daily
 * snapshots) and the conformance pack.
 */
export function buildConfigRecording(scope: Construct, delivery: ConfigDelivery, recordGlobal: boolean, packName: string): ConfigRecording {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'ConfigRole', {
    description: `${scope.node.path}: AWS Config recorder of ${stack.region}`,
    assumedBy: new iam.ServicePrincipal('config.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
  });
  const history = delivery.bucket.arnForObjects(`AWSLogs/${stack.account}/Config/*`);
  const policy = new iam.ManagedPolicy(scope, 'ConfigDeliveryPolicy', {
    description: `${scope.node.path}: AWS Config of ${stack.region} delivers to the account's prefix of the delivery bucket`,
    roles: [role],
    statements: [
      new iam.PolicyStatement({ sid: 'ReadDeliveryBucketAcl', actions: ['s3:GetBucketAcl', 's3:ListBucket'], resources: [delivery.bucket.bucketArn] }),
      new iam.PolicyStatement({ sid: 'DeliverConfigHistory', actions: ['s3:PutObject'], resources: [history] }),
      ...(delivery.key ? [new iam.PolicyStatement({ sid: 'EncryptConfigHistory', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [delivery.key.keyArn] })] : []),
    ],
  });
  acknowledgeWildcards(policy, [history],
    'AWS Config writes one object per snapshot and history file under the account\'s Config prefix, named at delivery time; the policy allows that prefix only.');
  const recorder = new config.CfnConfigurationRecorder(scope, 'ConfigRecorder', {
    roleArn: role.roleArn,
    recordingGroup: { allSupported: true, includeGlobalResourceTypes: recordGlobal },
  });
  const deliveryChannel = new config.CfnDeliveryChannel(scope, 'ConfigDelivery', {
    s3BucketName: delivery.bucket.bucketName,
    s3KmsKeyArn: delivery.key?.keyArn,
    configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
  });
  // The channel needs the recorder; the recorder starts once the channel exists.
  deliveryChannel.addDependency(recorder);
  const conformancePack = new config.CfnConformancePack(scope, 'ConformancePack', {
    conformancePackName: packName,
    templateBody: conformancePackTemplate(CONFORMANCE_RULES),
  });
  conformancePack.addDependency(deliveryChannel);
  return { role, recorder, deliveryChannel, conformancePack };
}
