import { Validations } from 'aws-cdk-lib';
import { acknowledgeControlTower, acknowledgeLogBucketControls } from '../../private/control-tower';
import type { AuditTrail } from '../audit-trail';

/** Every cdk-nag finding and Control Tower control an AuditTrail fails by design, acknowledged where it arises, with the reason. */
export function acknowledgeAuditTrailFindings(trail: AuditTrail, logRetentionDays: number): void {
  const selfLogging = 'This bucket receives the server access logs of the audit bucket; logging its own accesses would need another log bucket that needs one in turn. API access to it is recorded by the trail itself.';
  Validations.of(trail.accessLogBucket).acknowledge(
    { id: 'AwsSolutions-S1', reason: selfLogging },
    { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: selfLogging },
    { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'S3 server access logging delivers only to buckets encrypted with SSE-S3 (Amazon S3 managed keys); SSE-KMS is not supported for the target bucket.' },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'Server access logs of the audit bucket are diagnostics; they are covered by the backup plan (platform:backup tag, copied to another region) rather than by replication.' },
  );
  acknowledgeLogBucketControls(trail.accessLogBucket, 'S3 server access logs of the audit bucket', { sseS3Only: true });
  Validations.of(trail.trail.node.findChild('LogsRole').node.findChild('DefaultPolicy')).acknowledge({
    id: 'NIST.800.53.R5-IAMNoInlinePolicy',
    reason: 'The policy CloudTrail\'s construct generates for its own log delivery role (PutLogEvents and CreateLogStream on the trail\'s log group only) is attached to that one role and lives and dies with it; a managed policy would not narrow it.',
  });
  Validations.of(trail.bucket).acknowledge({
    id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
    reason: 'The audit bucket is in the backup plan (platform:backup tag), whose every recovery point is copied to a vault in another region; the trail itself records every region, so a second live copy adds nothing a restore does not.',
  });
  acknowledgeControlTower(trail.bucket, 'CT.S3.PR.4',
    'Nothing consumes per-object events of the audit bucket: trail and AWS Config files are read on demand (Athena, CloudTrail Lake import, download) during an investigation; the trail\'s CloudWatch Logs copy is what metric filters and Logs Insights read.');
  acknowledgeControlTower(trail.bucket, 'CT.S3.PR.9',
    'AWS Config does not deliver to a bucket with S3 Object Lock, and the audit bucket takes both the trail and AWS Config history. Tampering is detected instead: the trail\'s log file validation (signed digest files), versioning (an overwritten or deleted file stays recoverable), TLS-only access and the backup plan\'s copies in another region.');
  if (logRetentionDays < 365) {
    acknowledgeControlTower(trail.logGroup, 'CT.CLOUDWATCH.PR.2',
      `The trail's CloudWatch Logs copy is kept ${logRetentionDays} days (logRetention) for metric filters and queries; the audit bucket keeps every record for the full retention.`);
  }
}
