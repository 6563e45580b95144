import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Name of the validation plugin that runs the AWS Control Tower proactive controls
 * (`CfnGuardValidator` of `@cdklabs/cdk-validator-cfnguard`): aws-cdk-lib matches an acknowledgement
 * `<plugin name>::<rule>` against the plugin's findings.
 */
export const CONTROL_TOWER_PLUGIN_NAME = 'cdk-validator-cfnguard';

/**
 * The Control Tower proactive controls the library acknowledges somewhere, by control ID, with the name of the
 * cfn-guard rule that implements each (the name the plugin reports).
 */
export const CONTROL_TOWER_RULES = {
  'CT.CLOUDFRONT.PR.1': 'cloudfront_default_root_object_configured_check',
  'CT.CLOUDFRONT.PR.4': 'cloudfront_origin_failover_enabled_check',
  'CT.CLOUDFRONT.PR.6': 'cloudfront_custom_ssl_certificate_check',
  'CT.CLOUDFRONT.PR.7': 'cloudfront_sni_enabled_check',
  'CT.CLOUDFRONT.PR.9': 'cloudfront_security_policy_check',
  'CT.CLOUDWATCH.PR.1': 'cloudwatch_alarm_action_check',
  'CT.CLOUDWATCH.PR.2': 'cloudwatch_log_group_retention_period_check',
  'CT.CLOUDWATCH.PR.3': 'cloudwatch_log_group_encrypted_check',
  'CT.ECS.PR.2': 'ecs_container_insights_enabled_check',
  'CT.ELASTICLOADBALANCING.PR.1': 'alb_http_to_https_redirection_check',
  'CT.ELASTICLOADBALANCING.PR.15': 'elbv2_target_group_cross_zone_check',
  'CT.LAMBDA.PR.3': 'lambda_inside_vpc_check',
  'CT.S3.PR.2': 's3_bucket_logging_enabled_check',
  'CT.S3.PR.4': 's3_event_notifications_enabled_check',
  'CT.S3.PR.9': 's3_bucket_object_lock_enabled_check',
  'CT.S3.PR.10': 's3_bucket_default_encryption_kms_check',
  'CT.SQS.PR.1': 'sqs_dlq_check',
} as const;

/** A Control Tower proactive control the library may acknowledge. */
export type ControlTowerControl = keyof typeof CONTROL_TOWER_RULES;

/** The acknowledgement ID of `control` (`cdk-validator-cfnguard::<rule>`). */
export function controlTowerAcknowledgementId(control: ControlTowerControl): string {
  return `${CONTROL_TOWER_PLUGIN_NAME}::${CONTROL_TOWER_RULES[control]}`;
}

/**
 * Acknowledge that `scope` (and what it contains) fails Control Tower proactive control `control`, with the
 * reason, exactly like a cdk-nag acknowledgement. An account whose OU enables the control rejects the resource at
 * deploy time (the controls run as CloudFormation hooks): the reason says what such an account must change.
 */
export function acknowledgeControlTower(scope: IConstruct, control: ControlTowerControl, reason: string): void {
  Validations.of(scope).acknowledge({ id: controlTowerAcknowledgementId(control), reason: `[${control}] ${reason}` });
}

/**
 * The controls a bucket that receives service logs (`source`, e.g. 'ALB access logs') fails by design, with
 * their reasons; `sseS3Only` when the log service cannot write to a KMS-encrypted bucket.
 */
export function acknowledgeLogBucketControls(bucket: IConstruct, source: string, options: { readonly sseS3Only?: boolean } = {}): void {
  acknowledgeControlTower(bucket, 'CT.S3.PR.2',
    `This bucket is itself the log destination (${source}); logging its own accesses would need another log bucket that needs one in turn. API access to it is recorded by CloudTrail.`);
  acknowledgeControlTower(bucket, 'CT.S3.PR.4',
    `Nothing consumes per-object events of this bucket: ${source} are read on demand (Athena, download) during an investigation. Add a notification (e.g. EventBridge) when a log pipeline reads them.`);
  acknowledgeControlTower(bucket, 'CT.S3.PR.9',
    `${source} are diagnostics, expired by the lifecycle rule; the bucket is versioned (an overwritten or deleted log stays recoverable for 30 days), blocks public access and is in the backup plan. Object Lock (WORM) is for records under a retention mandate; the library offers no option to turn it on, so an OU that enforces CT.S3.PR.9 rejects this bucket.`);
  if (options.sseS3Only) {
    acknowledgeControlTower(bucket, 'CT.S3.PR.10',
      `Elastic Load Balancing writes ${source} only to buckets encrypted with SSE-S3 (Amazon S3 managed keys); SSE-KMS is not supported for them.`);
  }
}

/**
 * CT.CLOUDWATCH.PR.2 (retention of at least a year) on a log group kept `retentionDays` (a `logs.RetentionDays`
 * value) because of prop `prop`: acknowledged only when shorter than a year, with the reason and the fix.
 */
export function acknowledgeShortLogRetention(logGroup: IConstruct, retentionDays: number, what: string, prop: string): void {
  // RetentionDays.INFINITE (9999) passes the control; anything from 365 days up does too.
  if (retentionDays >= 365) return;
  acknowledgeControlTower(logGroup, 'CT.CLOUDWATCH.PR.2',
    `${what} are kept ${retentionDays} days (${prop}): high-volume operational logs read during incidents, where a year would multiply the storage bill; records kept as evidence (database, VPC flow, WAF and restore-validation logs) keep a year. Set ${prop} to ONE_YEAR or longer where CT.CLOUDWATCH.PR.2 is enforced.`);
}
