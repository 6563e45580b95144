import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import { markForBackup } from '../private/stateful';
import type { AuditTrailProps } from './audit-trail-props';
import { acknowledgeAuditTrailFindings } from './private/acknowledge-audit-trail-findings';
import { validateAuditTrailProps } from './private/validate-audit-trail-props';

export type { AuditTrailProps } from './audit-trail-props';

/**
 * The account's audit record: a CloudTrail trail (every region by default, global service events, log file
 * validation) encrypted with a rotating customer key, delivered to an audit bucket (KMS, versioned, private, TLS
 * only, retained, kept `retention`, access-logged to a second bucket, in the backup plan) and to a KMS-encrypted log
 * group. The audit bucket also takes AWS Config's history from any region of the account (`ThreatDetection`'s `configDelivery`).
 */
export class AuditTrail extends Construct {
  /** The rotating, retained key of the trail, its log group and the audit bucket. */
  public readonly key: kms.Key;
  /** Where the trail (and AWS Config) deliver: KMS, versioned, retained. */
  public readonly bucket: s3.Bucket;
  /** Server access logs of {@link bucket} (SSE-S3: S3 server access logging writes to no other kind). */
  public readonly accessLogBucket: s3.Bucket;
  /** The trail's CloudWatch Logs copy. */
  public readonly logGroup: logs.LogGroup;
  public readonly trail: cloudtrail.Trail;

  constructor(scope: Construct, id: string, props: AuditTrailProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const { retentionDays } = validateAuditTrailProps(this.node.path, props);
    this.key = createDataKey(this, 'Key', `${this.node.path} audit trail, AWS Config history and their logs`);
    allowCloudWatchLogs(this.key);
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailEncrypt',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
      },
    }));
    const expiry = [{ id: 'ExpireAuditRecords', expiration: Duration.days(retentionDays), noncurrentVersionExpiration: Duration.days(90) }];
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: expiry,
    });
    markForBackup(this.accessLogBucket);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'audit-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: expiry,
    });
    markForBackup(this.bucket);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.logGroup = createEncryptedLogGroup(this, 'Logs', { key: this.key, retention: logRetention });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: props.trailName,
      bucket: this.bucket,
      encryptionKey: this.key,
      isMultiRegionTrail: props.multiRegion ?? true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      isOrganizationTrail: props.organizationTrail ?? false,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
    });
    acknowledgeAuditTrailFindings(this, logRetention);
  }
}
