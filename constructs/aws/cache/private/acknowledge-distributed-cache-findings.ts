import { Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { acknowledgeShortLogRetention } from '../../private/control-tower';
import { acknowledgeRoutedByComposer } from '../../private/runbook-alarm';

/** The parts of a `DistributedCache` whose findings are acknowledged. */
export interface DistributedCacheFindingScopes {
  /** The replication group. */
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** The application user's secret. */
  readonly secret: secretsmanager.ISecret;
  /** The slow-log group. */
  readonly slowLogGroup: logs.LogGroup;
  /** The engine-log group. */
  readonly engineLogGroup: logs.LogGroup;
  /** Retention of both log groups (`logRetention`). */
  readonly logRetention: logs.RetentionDays;
  /** Every alarm the construct exposes (`DistributedCache.alarms`). */
  readonly alarms: readonly cloudwatch.Alarm[];
}

/**
 * Every cdk-nag and Control Tower finding of a `DistributedCache` that is not a violation here, acknowledged on the
 * narrowest construct with its reason: the default port and RBAC instead of an AUTH token (replication group), no
 * hosted rotation for ElastiCache users (secret), a log retention shorter than the controls' (log groups, only when
 * `logRetention` is), and the alarms the composing stack routes.
 */
export function acknowledgeDistributedCacheFindings(parts: DistributedCacheFindingScopes): void {
  acknowledgeShortLogRetention(parts.slowLogGroup, parts.logRetention, 'Cache slow logs', 'logRetention');
  acknowledgeShortLogRetention(parts.engineLogGroup, parts.logRetention, 'Cache engine logs', 'logRetention');
  Validations.of(parts.replicationGroup).acknowledge(
    {
      id: 'AwsSolutions-AEC5',
      reason: 'The cache listens on the engine default port unless port is set: a non-default port is obscurity, not a control; ingress is closed except to granted security groups, and clients need TLS and the RBAC user password.',
    },
    {
      id: 'AwsSolutions-AEC6',
      reason: 'Authentication is role-based access control (a user group with the default user disabled and a generated-password application user), which replaces the AUTH token this rule looks for; ElastiCache does not allow both.',
    },
  );
  Validations.of(parts.secret).acknowledge(
    {
      id: 'AwsSolutions-SMG4',
      reason: 'No rotation yet: AWS ships no hosted rotation (CloudFormation HostedRotationLambda or CDK HostedRotation) for ElastiCache users; the secret has the shape of the ElastiCache user rotation template (username, password, user_arn) so a rotation function can be attached through DistributedCache.secret.',
    },
    {
      id: 'NIST.800.53.R5-SecretsManagerRotationEnabled',
      reason: 'No rotation yet: AWS ships no hosted rotation for ElastiCache users; the secret has the shape of the ElastiCache user rotation template so one can be attached through DistributedCache.secret.',
    },
  );
  acknowledgeRoutedByComposer(parts.alarms, 'DistributedCache.alarms');
}
