import { Validations } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { acknowledgeControlTower, acknowledgeLogBucketControls, acknowledgeShortLogRetention } from '../../private/control-tower';
import { acknowledgeRoutedByComposer } from '../../private/runbook-alarm';
import type { ResilientService } from '../resilient-service';
import type { ResilientServiceSettings } from './validate-resilient-service-props';

/** What {@link acknowledgeResilientServiceFindings} needs beyond the service's own properties. */
export interface ResilientServiceFindingsContext {
  readonly settings: ResilientServiceSettings;
  /** Whether the service created its cluster (no `cluster` prop). */
  readonly clusterCreated: boolean;
  /** The port-80 listener redirecting to HTTPS; only with a certificate. */
  readonly redirect?: elbv2.ApplicationListener;
}

/**
 * Every cdk-nag and Control Tower finding a `ResilientService` acknowledges, each on the narrowest construct with its
 * reason. Called once the service is built (cdk-nag and the Control Tower plugin evaluate at synth).
 */
export function acknowledgeResilientServiceFindings(service: ResilientService, context: ResilientServiceFindingsContext): void {
  const { settings } = context;
  if (context.clusterCreated) {
    acknowledgeControlTower(service.cluster, 'CT.ECS.PR.2',
      "Container Insights is on, with enhanced observability (ClusterSettings containerInsights 'enhanced', a superset of 'enabled'); the control's rule accepts only the value 'enabled'.");
  }
  acknowledgeShortLogRetention(service.logGroup, settings.logRetention, 'Container logs', 'logRetention');

  // ---- task definition
  const executionPolicy = service.taskDefinition.obtainExecutionRole().node.findChild('DefaultPolicy');
  Validations.of(executionPolicy).acknowledge({
    id: 'NIST.800.53.R5-IAMNoInlinePolicy',
    reason: 'The execution role policy CDK generates (log stream writes to this service\'s log group, image pulls) is attached to this one role only and lives and dies with it; a managed policy would not narrow it.',
  });
  Validations.of(executionPolicy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ecr:GetAuthorizationToken, which pulling a private (e.g. asset-built) image needs, has no resource-level permission; the repository pull actions are scoped to the repository.',
  });
  Validations.of(service.taskDefinition.taskRole).acknowledge({
    id: 'NIST.800.53.R5-IAMNoInlinePolicy',
    reason: 'Grants to the task role (grantConnect, grantRead, ...) land in the policy CDK generates for this one role, each statement scoped to the granted resource; a managed policy would only widen who could attach it.',
  });
  // The cache tier settings are always passed as plain environment variables (no secrets: credentials are ECS secrets).
  Validations.of(service.taskDefinition).acknowledge({
    id: 'AwsSolutions-ECS2',
    reason: 'environment carries non-secret configuration only (cache TTLs and sizes, the cache endpoint, and the environment prop, documented as secret-free); secrets are injected from Secrets Manager or SSM through ECS secrets.',
  });

  // ---- load balancer, access logs, target groups, listeners
  const logDestination = 'This bucket is itself a log destination (ALB access logs); logging its own accesses would need another log bucket that needs one in turn. API access to it is recorded by CloudTrail.';
  Validations.of(service.accessLogBucket).acknowledge(
    { id: 'AwsSolutions-S1', reason: logDestination },
    { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: logDestination },
    { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'Elastic Load Balancing writes access logs only to buckets encrypted with SSE-S3; SSE-KMS is not supported for ALB access logs.' },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'ALB access logs are regional diagnostics that expire after 365 days; they are covered by the backup plan (platform:backup tag) rather than cross-region replication.' },
  );
  acknowledgeLogBucketControls(service.accessLogBucket, 'ALB access logs', { sseS3Only: true });
  Validations.of(service.loadBalancer).acknowledge({
    id: 'NIST.800.53.R5-ALBWAFEnabled',
    reason: 'Request filtering rules are not owned by a service construct: the composing stack (edge layer) associates its WAFv2 web ACL with loadBalancer, so one rule set serves every service of the environment.',
  });
  const loadBalancerSecurityGroup = service.loadBalancer.node.findChild('SecurityGroup');
  if (service.allowsInternetIngress) {
    Validations.of(loadBalancerSecurityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'An internet-facing load balancer accepts its listener ports (443, and 80 which only redirects when a certificate is set) from any address; the tasks behind it accept only the load balancer security group.',
    });
  }
  for (const targetGroup of [service.targetGroup, service.alternateTargetGroup]) {
    if (targetGroup) {
      acknowledgeControlTower(targetGroup, 'CT.ELASTICLOADBALANCING.PR.15',
        'Cross-zone load balancing is off on purpose (zonal independence): each load balancer node sends only to the tasks of its own AZ, so an ARC zonal shift (the az-evacuation drill) or an impaired zone takes that zone out of every path.');
    }
  }
  if (context.redirect) {
    Validations.of(context.redirect).acknowledge({
      id: 'NIST.800.53.R5-ELBv2ACMCertificateRequired',
      reason: 'This port-80 listener serves nothing: its only action is a 301 redirect to the HTTPS listener on 443, which uses the ACM certificate.',
    });
  } else {
    acknowledgeControlTower(service.listener, 'CT.ELASTICLOADBALANCING.PR.1',
      'No certificate was given, so this internal load balancer (reachable from inside the VPC only, e.g. by a CloudFront VPC origin) serves plain HTTP on port 80, as the synth warning platform:service:no-certificate says. Pass certificate: HTTPS on 443 with port 80 redirected passes this control.');
    if (service.testListener) {
      const testOnly = 'The test listener of progressive deployments on an internal load balancer without a certificate: plain HTTP reachable from inside the VPC only (smoke tests of the new revision before production traffic reaches it); no viewer ever connects to it. Pass certificate: it then serves HTTPS.';
      acknowledgeControlTower(service.testListener, 'CT.ELASTICLOADBALANCING.PR.1', testOnly);
      Validations.of(service.testListener).acknowledge(
        { id: 'NIST.800.53.R5-ALBHttpToHttpsRedirection', reason: testOnly },
        { id: 'NIST.800.53.R5-ELBv2ACMCertificateRequired', reason: testOnly },
      );
    }
  }
  if (!settings.internetFacing) {
    for (const id of ['AwsSolutions-EC23', 'NIST.800.53.R5-EC2RestrictedCommonPorts', 'NIST.800.53.R5-EC2RestrictedSSH']) {
      Validations.of(loadBalancerSecurityGroup).acknowledge({
        id,
        reason: 'Internal load balancer: its only CIDR source is the VPC block (a token the rule cannot evaluate), on the listener port only; nothing outside the VPC can route to it (the edge reaches it through a CloudFront VPC origin).',
      });
    }
  }

  // ---- alarms and the ECS service
  acknowledgeRoutedByComposer(service.alarms, 'ResilientService.alarms',
    'The 5xx, unhealthy-target and p99-latency alarms are also read directly by ECS to roll deployments back.');
  const alternateTargetRole = service.service.node.tryFindChild('AlternateTargetRole');
  if (alternateTargetRole) {
    Validations.of(alternateTargetRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]',
      reason: 'AWS documents this managed policy as the infrastructure role ECS assumes to shift listener rule weights between blue and green target groups; AWS keeps it in step with the ECS API.',
    });
  }
}
