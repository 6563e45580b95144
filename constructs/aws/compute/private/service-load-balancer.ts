import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { markForBackup } from '../../private/stateful';
import type { ResilientServiceSettings } from './validate-resilient-service-props';
import { enableZonalShift } from './zonal-shift';
import { TARGET_HEALTH_CHECK } from '../../../core/health-check';

/** What {@link buildServiceLoadBalancer} builds. */
export interface ServiceLoadBalancer {
  readonly accessLogBucket: s3.Bucket;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** BLUE_GREEN, LINEAR and CANARY only. */
  readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
  /** HTTPS 443 with a certificate, else HTTP 80. */
  readonly listener: elbv2.ApplicationListener;
  /** The port-80 listener redirecting to HTTPS; only with a certificate. */
  readonly redirect?: elbv2.ApplicationListener;
  readonly productionRule: elbv2.ApplicationListenerRule;
  /** BLUE_GREEN, LINEAR and CANARY only: the listener smoke tests reach the new revision through before production. */
  readonly testListener?: elbv2.ApplicationListener;
  /** BLUE_GREEN, LINEAR and CANARY only: the test listener's rule (ECS points it at the new revision first). */
  readonly testRule?: elbv2.ApplicationListenerRule;
}

/**
 * The way in of a `ResilientService`, built in `scope` (construct IDs `AccessLogs`, `LoadBalancer`, `TargetGroup`,
 * `AlternateTargetGroup`, `ProductionRule`, `TestRule`): the access-log bucket (retained, versioned, SSE-S3, the only encryption
 * ALB access logs accept), the load balancer with ARC zonal shift enabled, target groups checking readiness with
 * cross-zone off, the listeners (HTTPS with a redirect from 80, or HTTP on an internal load balancer) and the rule
 * forwarding every path to the service; for a progressive strategy also the test listener (`testListenerPort`, HTTPS
 * with a certificate, else HTTP; open to nothing but the VPC of an internal load balancer) and its rule.
 */
export function buildServiceLoadBalancer(scope: Construct, vpc: ec2.IVpc, settings: ResilientServiceSettings,
  certificate?: acm.ICertificate): ServiceLoadBalancer {
  const { internetFacing, allowsInternetIngress: open } = settings;
  const accessLogBucket = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED, // ALB access logs support SSE-S3 only
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
  });
  markForBackup(accessLogBucket);

  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', {
    vpc,
    internetFacing,
    vpcSubnets: { subnetType: internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS },
    dropInvalidHeaderFields: true,
    deletionProtection: true,
    http2Enabled: true,
  });
  loadBalancer.logAccessLogs(accessLogBucket, 'alb');
  enableZonalShift(loadBalancer);

  const newTargetGroup = (id: string) => new elbv2.ApplicationTargetGroup(scope, id, {
    vpc,
    port: settings.containerPort,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
    // Zonal independence: each load balancer node sends only to the tasks of its own AZ, so a zonal shift (or an
    // impaired zone) takes that zone's tasks out of every path; an ALB cannot turn cross-zone off at its own level.
    crossZoneEnabled: false,
    deregistrationDelay: settings.deregistrationDelay,
    healthCheck: {
      path: settings.readinessPath,
      interval: Duration.seconds(TARGET_HEALTH_CHECK.intervalSeconds),
      timeout: Duration.seconds(TARGET_HEALTH_CHECK.timeoutSeconds),
      unhealthyThresholdCount: TARGET_HEALTH_CHECK.unhealthyThreshold,
      healthyThresholdCount: TARGET_HEALTH_CHECK.healthyThreshold,
      healthyHttpCodes: `${TARGET_HEALTH_CHECK.healthyStatusCodes.min}-${TARGET_HEALTH_CHECK.healthyStatusCodes.max}`,
    },
  });
  const targetGroup = newTargetGroup('TargetGroup');
  const alternateTargetGroup = settings.progressive ? newTargetGroup('AlternateTargetGroup') : undefined;

  // Listeners: HTTPS with redirect from 80, or HTTP (internal load balancers only; the props warn).
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not Found' });
  let listener: elbv2.ApplicationListener;
  let redirect: elbv2.ApplicationListener | undefined;
  if (certificate) {
    listener = loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open,
      defaultAction: notFound,
    });
    redirect = loadBalancer.addRedirect({
      sourcePort: 80, sourceProtocol: elbv2.ApplicationProtocol.HTTP, targetPort: 443, targetProtocol: elbv2.ApplicationProtocol.HTTPS, open,
    });
  } else {
    listener = loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open, defaultAction: notFound });
  }
  if (!internetFacing) {
    loadBalancer.connections.allowFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(listener.port), 'Clients inside the VPC');
  }
  // One rule matching every path; ECS shifts its weights between blue and green in progressive deployments.
  const productionRule = new elbv2.ApplicationListenerRule(scope, 'ProductionRule', {
    listener,
    priority: 1,
    conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
    action: alternateTargetGroup
      ? elbv2.ListenerAction.weightedForward([
        { targetGroup, weight: 100 },
        { targetGroup: alternateTargetGroup, weight: 0 },
      ])
      : elbv2.ListenerAction.forward([targetGroup]),
  });
  const test = alternateTargetGroup
    ? buildTestListener(scope, vpc, settings, { loadBalancer, targetGroup, alternateTargetGroup }, certificate)
    : undefined;
  return { accessLogBucket, loadBalancer, targetGroup, alternateTargetGroup, listener, redirect, productionRule, ...test };
}

/**
 * The test listener of a progressive deployment: ECS sends it to the new (green) revision from the test traffic shift
 * on, before production traffic moves, so smoke tests reach the new revision first. It admits nothing by itself on an
 * internet-facing load balancer (the composer opens it to its smoke tests); an internal one admits the VPC, as its
 * production listener does.
 */
function buildTestListener(scope: Construct, vpc: ec2.IVpc, settings: ResilientServiceSettings, parts: {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly alternateTargetGroup: elbv2.ApplicationTargetGroup;
}, certificate?: acm.ICertificate): { testListener: elbv2.ApplicationListener; testRule: elbv2.ApplicationListenerRule } {
  const port = settings.testListenerPort;
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not Found' });
  const testListener = certificate
    ? parts.loadBalancer.addListener('TestHttps', {
      port, protocol: elbv2.ApplicationProtocol.HTTPS, certificates: [certificate], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, open: false,
      defaultAction: notFound,
    })
    : parts.loadBalancer.addListener('TestHttp', { port, protocol: elbv2.ApplicationProtocol.HTTP, open: false, defaultAction: notFound });
  if (!settings.internetFacing) {
    parts.loadBalancer.connections.allowFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(port), 'Smoke tests inside the VPC (test listener)');
  }
  const testRule = new elbv2.ApplicationListenerRule(scope, 'TestRule', {
    listener: testListener,
    priority: 1,
    conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
    action: elbv2.ListenerAction.weightedForward([
      { targetGroup: parts.targetGroup, weight: 100 },
      { targetGroup: parts.alternateTargetGroup, weight: 0 },
    ]),
  });
  return { testListener, testRule };
}
