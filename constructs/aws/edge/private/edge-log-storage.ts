import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { allowCloudWatchLogs, createDataKey } from '../../private/encryption';
import { markForBackup } from '../../private/stateful';

/** What {@link buildEdgeLogStorage} builds. */
export interface EdgeLogStorage {
  /** Customer-managed key (rotating, retained) of the access logs and the WAF logs. */
  readonly encryptionKey: kms.Key;
  /** Bucket of the CloudFront standard access logs. */
  readonly logBucket: s3.Bucket;
}

/**
 * The key and the access-log bucket of an `EdgeDistribution`, built in `scope` (construct IDs `Key`, `AccessLogs`).
 * The key serves CloudWatch Logs (the WAF log group) and the log delivery service (standard logging encrypts with
 * it); the bucket is KMS-encrypted, versioned, private, retained, tagged for the backup plan, keeps ACLs (standard
 * logging grants the awslogsdelivery account through one) and expires logs after `accessLogDays` days
 * (noncurrent versions after 30).
 */
export function buildEdgeLogStorage(scope: Construct, accessLogDays: number): EdgeLogStorage {
  const encryptionKey = createDataKey(scope, 'Key', `${scope.node.path} CloudFront access logs and WAF logs`);
  allowCloudWatchLogs(encryptionKey);
  // Standard (legacy) logging writes as the log delivery service: it must be able to encrypt with the bucket's key.
  encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudFrontLogDelivery',
    principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    resources: ['*'],
  }));
  const logBucket = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    // Standard logging grants the awslogsdelivery account through an ACL: ACLs must stay enabled.
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(accessLogDays), noncurrentVersionExpiration: Duration.days(30) }],
  });
  markForBackup(logBucket);
  return { encryptionKey, logBucket };
}
