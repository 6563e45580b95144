import { Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledgeControlTower, acknowledgeLogBucketControls } from '../../private/control-tower';
import { acknowledgeRoutedByComposer } from '../../private/runbook-alarm';

/**
 * What viewers get without a certificate: CloudFront's default `*.cloudfront.net` certificate, whose security policy
 * is fixed at TLSv1 (TLSv1 and TLSv1.1 accepted); `minimumProtocolVersion` applies to custom certificates only.
 */
const DEFAULT_CERTIFICATE_REASON = 'Without domainNames and certificate the distribution answers on its *.cloudfront.net name with the CloudFront default certificate, whose security policy CloudFront fixes at TLSv1 (TLSv1 and TLSv1.1 are accepted; no minimumProtocolVersion applies). The synth warning platform:edge:default-certificate names the fix: pass domainNames and an ACM certificate in us-east-1, and viewers need TLSv1.2 (TLSv1.2_2021).';

/** The parts of an `EdgeDistribution` whose findings are acknowledged. */
export interface EdgeDistributionFindingScopes {
  /** The access-log bucket. */
  readonly logBucket: s3.Bucket;
  /** The distribution. */
  readonly distribution: cloudfront.Distribution;
  /** Whether viewers get a custom certificate (`certificate` set). */
  readonly hasCertificate: boolean;
  /** Whether static reads fail over to a secondary origin (`secondaryOrigin` set). */
  readonly hasFailoverOrigin: boolean;
  /** Every alarm the construct exposes (`EdgeDistribution.alarms`). */
  readonly alarms: readonly cloudwatch.Alarm[];
}

/**
 * Every cdk-nag and Control Tower finding of an `EdgeDistribution` that is not a violation here, acknowledged on the
 * narrowest construct with its reason: the log bucket's own logging and replication, the distribution's geo
 * restriction, default root object, single origin (without `secondaryOrigin`) and default certificate (without
 * `certificate`), and the alarms the composing stack routes.
 */
export function acknowledgeEdgeDistributionFindings(parts: EdgeDistributionFindingScopes): void {
  const selfLogging = 'This bucket is itself the log destination (CloudFront access logs); logging its own accesses would need another log bucket that needs one in turn. API access to it is recorded by CloudTrail.';
  Validations.of(parts.logBucket).acknowledge(
    { id: 'AwsSolutions-S1', reason: selfLogging },
    { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: selfLogging },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'CloudFront access logs are diagnostics that expire after their retention; they are covered by the backup plan (platform:backup tag) rather than cross-region replication.' },
  );
  acknowledgeLogBucketControls(parts.logBucket, 'CloudFront access logs');

  const distribution = parts.distribution;
  Validations.of(distribution).acknowledge({
    id: 'AwsSolutions-CFR1',
    reason: 'The service is offered worldwide: no country is blocked at the edge. The WAF web ACL (IP reputation, rate limit, managed rule groups) filters abusive clients instead.',
  });
  acknowledgeControlTower(distribution, 'CT.CLOUDFRONT.PR.1',
    "The origins are services (load balancers), not an S3 website: the service answers '/' itself, and a default root object would rewrite viewer requests for '/' to a fixed object key.");
  if (!parts.hasFailoverOrigin) {
    acknowledgeControlTower(distribution, 'CT.CLOUDFRONT.PR.4',
      'No secondaryOrigin: only one region serves (at the pilot-light and backup-and-restore tiers the secondary serves nothing until a failover, which re-points the primary origin). With secondaryOrigin, reads fail over through an origin group and this control passes.');
  }
  if (!parts.hasCertificate) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: DEFAULT_CERTIFICATE_REASON,
    });
    for (const control of ['CT.CLOUDFRONT.PR.6', 'CT.CLOUDFRONT.PR.7', 'CT.CLOUDFRONT.PR.9'] as const) {
      acknowledgeControlTower(distribution, control, DEFAULT_CERTIFICATE_REASON);
    }
  }

  acknowledgeRoutedByComposer(parts.alarms, 'EdgeDistribution.alarms');
}
