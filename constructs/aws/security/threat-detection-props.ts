import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';

/** Where AWS Config delivers the region's configuration history. */
export interface ConfigDelivery {
  /** The bucket (in any region of the account), e.g. `AuditTrail.bucket`. */
  readonly bucket: s3.IBucket;
  /**
   * The bucket's KMS key, which Config encrypts the history with.
   * @default - the bucket's default encryption
   */
  readonly key?: kms.IKey;
}

/** Props of {@link ThreatDetection}. */
export interface ThreatDetectionProps {
  /** Where AWS Config delivers configuration history and snapshots (one delivery channel per region). */
  readonly configDelivery: ConfigDelivery;
  /**
   * Topic that high and critical findings page (the region's `AlertingTopics.critical`); with it, one EventBridge rule
   * routes every Security Hub finding of severity HIGH or CRITICAL (GuardDuty, AWS Config, IAM Access Analyzer, the
   * standards' controls, and the findings of the regions in `aggregateRegions`) with the runbook link.
   * @default - findings are not routed from this region
   */
  readonly findingsTopic?: sns.ITopic;
  /**
   * The customer key `findingsTopic` is encrypted with: EventBridge gets the use of it.
   * @default - the topic has no customer key
   */
  readonly findingsTopicKey?: kms.IKey;
  /**
   * Other regions whose Security Hub findings are aggregated into this one (Security Hub cross-region aggregation), so
   * the rule here routes theirs too.
   * @default - none: this region's findings only
   */
  readonly aggregateRegions?: readonly string[];
  /**
   * Record global resource types (IAM users, roles, policies) in this region: exactly one region of an account should.
   * @default true
   */
  readonly recordGlobalResources?: boolean;
  /**
   * GuardDuty protection plans, by the detector's feature names.
   * S3 protection is always on (the detector's `DataSources.S3Logs`, which Control Tower's CT.GUARDDUTY.PR.1 checks).
   * @default - EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, LAMBDA_NETWORK_LOGS and
   * RUNTIME_MONITORING with ECS Fargate, EKS and EC2 agent management; leave out a plan the region does not offer
   */
  readonly guardDutyFeatures?: readonly string[];
  /**
   * Name of the AWS Config conformance pack (unique in the region).
   * @default 'platform-baseline'
   */
  readonly conformancePackName?: string;
}
