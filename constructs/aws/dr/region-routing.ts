import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { requireRegion } from '../../core/regions';
import { requireIntegerInRange } from '../../core/validate';
import { EDGE_REGION, EdgeDistribution } from '../edge/edge-distribution';
import { requireStackRegion } from '../private/context';
import { acknowledgeRoutedByComposer, createRunbookAlarm } from '../private/runbook-alarm';

/**
 * How Route 53 picks the region a name resolves to:
 * - `failover`: the primary while its health check passes, else the secondary (warm standby, pilot light);
 * - `latency`: the healthy region with the lowest latency to the resolver (active/active: every region serves).
 */
export type RegionRoutingPolicy = 'failover' | 'latency';

/** One region behind the routed name (plain values: tokens of `Fn.getStackOutput` welcome). */
export interface RoutedRegion {
  /** Region code (a plain string). */
  readonly region: string;
  /** DNS name of the region's internet-facing load balancer (the alias target). */
  readonly loadBalancerDnsName: string;
  /** Route 53 hosted zone ID of that load balancer (`loadBalancerCanonicalHostedZoneId`). */
  readonly loadBalancerHostedZoneId: string;
  /**
   * A standby that runs no task until a failover scales it (pilot light): its health check is expected to fail, so
   * no alarm watches it. Its record is ready all the same.
   * @default false
   */
  readonly standby?: boolean;
}

/** Props of {@link RegionRouting}. */
export interface RegionRoutingProps {
  /** Hosted zone of `recordName` (e.g. `HostedZone.fromHostedZoneId`: no lookup). */
  readonly hostedZone: route53.IHostedZone;
  /** The routed name, fully qualified without the trailing dot (e.g. `origin.shop.example.com`). */
  readonly recordName: string;
  /** `failover` (two regions: primary first) or `latency` (two or more serving regions). */
  readonly policy: RegionRoutingPolicy;
  /** The regions; with `failover` the first is PRIMARY and the second SECONDARY. */
  readonly regions: RoutedRegion[];
  /**
   * Host the health checkers call over HTTPS (SNI on): the CloudFront distribution's domain name, which answers each
   * region's health endpoint at `healthCheckPathFor(region)` ({@link EdgeDistribution} `healthCheckOrigins`).
   */
  readonly healthCheckFqdn: string;
  /**
   * The path that reaches one region's health endpoint on `healthCheckFqdn`.
   * @default EdgeDistribution.healthCheckPathFor - `/_health/<region>`
   */
  readonly healthCheckPathFor?: (region: string) => string;
  /**
   * Seconds between two checks of one checker: 10 (fast) or 30.
   * @default Duration.seconds(10)
   */
  readonly requestInterval?: Duration;
  /**
   * Consecutive failed checks that turn a region unhealthy (1 to 10). With 10-second checks and the default 3, a
   * region that stops answering leaves DNS answers after about 30 seconds (plus the resolvers' 60-second alias TTL).
   * @default 3
   */
  readonly failureThreshold?: number;
}

/** Runbook of the health-check alarms. */
const RUNBOOK = 'alerts/dr/RegionHealthCheckFailing';

/**
 * Route 53 region selection for a service: one health check per region (HTTPS to the region's health endpoint,
 * through the distribution so the load balancers admit CloudFront only), and failover or latency alias records of
 * one name pointing at the regions' load balancers, each answered only while its health check passes
 * (`EvaluateTargetHealth` on as well: a load balancer without a healthy target drops out too). When every region is
 * unhealthy Route 53 answers as if all were healthy (failover: the primary), so a broken health endpoint cannot
 * take the service off DNS. A critical alarm, linked to its runbook, watches each serving region's health check.
 *
 * Built in us-east-1 (the global stack): Route 53 publishes health-check metrics there only.
 */
export class RegionRouting extends Construct {
  /** Health check of each region, by region code. */
  public readonly healthChecks: Record<string, route53.HealthCheck>;
  /** The routed records, in `regions` order. */
  public readonly records: route53.ARecord[];
  /** One critical alarm per serving region (none for standbys). */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RegionRoutingProps) {
    super(scope, id);
    const where = this.node.path;
    requireStackRegion(this, EDGE_REGION, `Route 53 publishes health-check metrics (which the alarms read) in ${EDGE_REGION} only`,
      `build RegionRouting in the global stack (env.region '${EDGE_REGION}')`);
    if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(props.recordName)) {
      throw new PlatformValidationError(where, 'recordName', props.recordName, 'is not a fully qualified DNS name',
        "pass a name such as 'origin.shop.example.com' (no trailing dot)");
    }
    const count = props.regions.length;
    if (props.policy === 'failover' && count !== 2) {
      throw new PlatformValidationError(where, 'regions', count, 'must be exactly two regions for failover routing',
        'pass the primary region first and the secondary second, or use latency routing for more regions');
    }
    if (props.policy === 'latency' && count < 2) {
      throw new PlatformValidationError(where, 'regions', count, 'must be at least two regions for latency routing',
        'pass every serving region, or point a simple record at the only one');
    }
    if (props.policy !== 'failover' && props.policy !== 'latency') {
      throw new PlatformValidationError(where, 'policy', String(props.policy), 'is not a routing policy', "use 'failover' or 'latency'");
    }
    const seen = new Set<string>();
    props.regions.forEach((r, index) => {
      requireRegion(where, `regions[${index}].region`, r.region);
      if (seen.has(r.region)) {
        throw new PlatformValidationError(where, `regions[${index}].region`, r.region, 'appears twice',
          'route each region once (the secondary region must differ from the primary)');
      }
      seen.add(r.region);
      if (props.policy === 'latency' && r.standby) {
        throw new PlatformValidationError(where, `regions[${index}].standby`, true, 'contradicts latency routing, where every region serves',
          'use failover routing for a standby region, or scale it to serve (active/active)');
      }
    });
    if (props.policy === 'failover' && props.regions[0].standby) {
      throw new PlatformValidationError(where, 'regions[0].standby', true, 'marks the primary as a standby',
        'the primary serves: mark only the secondary (regions[1]) as standby');
    }
    const intervalSeconds = (props.requestInterval ?? Duration.seconds(10)).toSeconds({ integral: false });
    if (intervalSeconds !== 10 && intervalSeconds !== 30) {
      throw new PlatformValidationError(where, 'requestInterval', `${intervalSeconds} seconds`, 'is not an interval Route 53 health checks support',
        'use Duration.seconds(10) (fast) or Duration.seconds(30)');
    }
    const failureThreshold = props.failureThreshold ?? 3;
    requireIntegerInRange(where, 'failureThreshold', failureThreshold, 1, 10);
    const pathFor = props.healthCheckPathFor ?? EdgeDistribution.healthCheckPathFor;

    this.healthChecks = {};
    this.records = [];
    this.alarms = [];
    props.regions.forEach((r, index) => {
      const name = regionId(r.region);
      const healthCheck = new route53.HealthCheck(this, `${name}HealthCheck`, {
        type: route53.HealthCheckType.HTTPS,
        fqdn: props.healthCheckFqdn,
        port: 443,
        resourcePath: pathFor(r.region),
        enableSNI: true,
        requestInterval: Duration.seconds(intervalSeconds),
        failureThreshold,
        measureLatency: true,
      });
      this.healthChecks[r.region] = healthCheck;
      const target = route53.RecordTarget.fromAlias({
        bind: () => ({ dnsName: r.loadBalancerDnsName, hostedZoneId: r.loadBalancerHostedZoneId, evaluateTargetHealth: true }),
      });
      this.records.push(new route53.ARecord(this, `${name}Record`, {
        zone: props.hostedZone,
        recordName: `${props.recordName}.`,
        target,
        setIdentifier: r.region,
        healthCheck,
        ...(props.policy === 'failover'
          ? { failover: index === 0 ? route53.Failover.PRIMARY : route53.Failover.SECONDARY }
          : { region: r.region }),
      }));
      if (!r.standby) {
        this.alarms.push(createRunbookAlarm(this, `${name}HealthAlarm`, {
          metric: new cloudwatch.Metric({
            namespace: 'AWS/Route53',
            metricName: 'HealthCheckStatus',
            dimensionsMap: { HealthCheckId: healthCheck.healthCheckId },
            statistic: 'Minimum',
            period: Duration.minutes(1),
          }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 2,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
          severity: 'critical',
          summary: `Route 53 health check of ${r.region} (${props.recordName}) failing for 2 minutes: the region is out of DNS answers.`,
          runbook: RUNBOOK,
        }));
      }
    });
    acknowledgeRoutedByComposer(this.alarms, 'RegionRouting.alarms');
  }
}

/** `eu-west-1` -> `EuWest1`, for construct IDs. */
function regionId(region: string): string {
  return region.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
