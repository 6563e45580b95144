import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { EDGE_REGION, EdgeDistribution } from '../edge/edge-distribution';
import { requireStackRegion } from '../private/context';
import { acknowledgeRoutedByComposer, createRunbookAlarm } from '../private/runbook-alarm';
import { validateRegionRoutingProps } from './private/validate-region-routing-props';

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
  /**
   * The critical health-check alarm of each serving region, by region code (none for standbys): the region's
   * `HealthCheckStatus` below 1 (failing; missing data counts as failing) for 2 one-minute periods.
   */
  public readonly healthAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** Every alarm of the routing: the alarms of `healthAlarms`, in `regions` order. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RegionRoutingProps) {
    super(scope, id);
    requireStackRegion(this, EDGE_REGION, `Route 53 publishes health-check metrics (which the alarms read) in ${EDGE_REGION} only`,
      `build RegionRouting in the global stack (env.region '${EDGE_REGION}')`);
    const { intervalSeconds, failureThreshold } = validateRegionRoutingProps(this.node.path, props);
    const pathFor = props.healthCheckPathFor ?? EdgeDistribution.healthCheckPathFor;

    this.healthChecks = {};
    this.records = [];
    const healthAlarms: Record<string, cloudwatch.Alarm> = {};
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
        healthAlarms[r.region] = createRunbookAlarm(this, `${name}HealthAlarm`, {
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
        });
      }
    });
    this.healthAlarms = healthAlarms;
    this.alarms = Object.values(healthAlarms);
    acknowledgeRoutedByComposer(this.alarms, 'RegionRouting.alarms');
  }
}

/** `eu-west-1` -> `EuWest1`, for construct IDs. */
function regionId(region: string): string {
  return region.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
