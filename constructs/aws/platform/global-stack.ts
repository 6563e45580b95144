import { Fn, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { DrTier } from '../../core/dr-tier';
import { PlatformValidationError } from '../../core/errors';
import { BackupPolicy } from '../backup/backup-policy';
import { crossStackValue } from '../cross-region';
import { RegionRouting } from '../dr/region-routing';
import type { RoutedRegion } from '../dr/region-routing';
import { RegionSwitchPlan } from '../dr/region-switch-plan';
import { EdgeDistribution } from '../edge/edge-distribution';
import { EdgeOrigin } from '../edge/edge-origin';
import { DEFAULT_PUBLIC_ORIGIN_OUTPUT_PREFIX, publicOriginOutputNames } from '../edge/public-origin-access';
import { AlertingTopics } from '../observability/alerting-topics';
import { AutoRemediation } from '../incidents/auto-remediation';
import { edgeUrlParameter } from '../release/edge-canary';
import { responsePlanName } from '../../core/incidents/runbook-sections';
import { PlatformStack } from '../platform-stack';
import type { PlatformSpec } from './multi-region-platform-props';
import type { PrimaryBaseStack } from './primary-base-stack';
import type { PrimaryRegionStack } from './primary-region-stack';
import { globalClusterIdentifier, originRoutingNames, regionalOriginName } from './private/origin-routing';
import type { OriginRoutingNames } from './private/origin-routing';
import { platformStackProps, useRunbookBase } from './private/platform-stack-props';
import type { SecondaryRegionStack } from './secondary-region-stack';
import { StackOutput } from '../../core/stack-outputs';

/** The Route 53 hosted zone id every CloudFront alias target uses. */
const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

/** Props of {@link GlobalStack}. */
export interface GlobalStackProps {
  /** The platform this stack belongs to. */
  readonly spec: PlatformSpec;
  readonly primary: PrimaryRegionStack;
  readonly secondary?: SecondaryRegionStack;
  /** The primary region's base: its vault is the copy destination of this stack's backup plan. */
  readonly primaryBase: PrimaryBaseStack;
}

/**
 * What is global, in us-east-1 (CloudFront's WAF scope lives there): the CloudFront distribution with its WAF
 * in front of the regional load balancers, an origin group that fails over to the secondary region on 5xx when it
 * serves, and the ARC Region switch plan of the tier.
 *
 * Region selection, two ways:
 * - with a `domain`: CloudFront's origin is `origin.<domain>`, which
 *   Route 53 resolves with failover records (pilot light, warm standby: health checks on each region's `/health`,
 *   failover within about 30 seconds for every method) or latency records (active/active: each edge goes to the
 *   nearest healthy region). The load balancers are internet-facing, admit CloudFront only and require the
 *   origin-verify header.
 * - without a domain: VPC origins on internal load balancers; `activeRegion` picks the origin every request goes to.
 *
 * `spec.activeRegion=secondary` makes the secondary the active region either way (the failover drills redeploy
 * this stack with it). Regional values arrive as native cross-region stack outputs (`Fn::GetStackOutput`).
 */
export class GlobalStack extends PlatformStack {
  public readonly edge: EdgeDistribution;
  public readonly regionSwitch?: RegionSwitchPlan;
  /** Route 53 failover (pilot light, warm standby) or latency (active/active) routing, with a domain and a secondary. */
  public readonly routing?: RegionRouting;
  /** On-call topics of the global alarms (edge error rate and latency, region health checks). */
  public readonly topics: AlertingTopics;
  /**
   * AWS Backup of this region's data (the edge access log bucket), copied to the primary region's vault; none when
   * a regional stack's plan already runs in this region (it selects the same tag).
   */
  public readonly backup?: BackupPolicy;
  /** The edge's automatic remediation (tightening the WAF rate limit during a traffic spike), unless turned off. */
  public readonly remediation?: AutoRemediation;

  constructor(scope: Construct, id: string, props: GlobalStackProps) {
    const { spec, primary, secondary } = props;
    super(scope, id, platformStackProps(spec, 'global', 'CloudFront, WAF and the Region switch plan'));
    useRunbookBase(this, spec);
    this.addStackDependency(primary, 'reads its edge origin outputs');
    if (secondary) this.addStackDependency(secondary, 'reads its edge origin outputs');

    const activeRegion = spec.activeRegion;
    if (activeRegion === 'secondary' && !secondary) {
      throw new PlatformValidationError(this.node.path, 'activeRegion', activeRegion,
        `needs a secondary stack, which DR tier ${spec.drTier.id} does not deploy`,
        'restore into the secondary region first (runbooks/drills/backup-restore-failover.md), or run a tier with a secondary stack (pilot-light, warm-standby, active-active)');
    }
    const serving = secondary !== undefined && spec.drTier.secondaryServes;
    const names = originRoutingNames(spec);
    const origins = names
      ? this.dnsRoutedOrigins(spec, names, primary, secondary)
      : vpcOrigins(spec, primary, secondary);
    this.edge = new EdgeDistribution(this, 'Edge', {
      primaryOrigin: origins.primary,
      secondaryOrigin: serving ? origins.fallback : undefined,
      healthCheckOrigins: origins.healthCheck,
      domainNames: spec.domain ? [spec.domain.domainName] : undefined,
      certificate: spec.domain ? acm.Certificate.fromCertificateArn(this, 'Certificate', spec.domain.certificateArn) : undefined,
    });
    if (names && secondary) {
      this.routing = this.addRegionRouting(spec, names, primary, secondary);
    }
    // CloudFront and Route 53 health-check metrics live in us-east-1: so do their alarms and the topics they page.
    this.topics = new AlertingTopics(this, 'Alerting', {
      displayNamePrefix: `${spec.service} global`, pageReceivers: spec.pageReceivers, ticketReceivers: spec.ticketReceivers, production: spec.production,
    });
    // Stateful data here (the edge access logs) is in a backup selection of this region: the regional plan when one
    // runs here, else a plan of this stack copying to the primary region's vault (deployed before this stack).
    const planHere = this.region === spec.primaryRegion || (secondary !== undefined && this.region === spec.secondaryRegion);
    if (!planHere) {
      this.addStackDependency(props.primaryBase, 'backup copies go to its vault');
      this.backup = new BackupPolicy(this, 'Backup', { copyDestination: props.primaryBase.backupVault.copyDestination });
    }
    const backupAlarms = this.backup
      ? [this.backup.backupJobFailedAlarm, ...(this.backup.copyJobFailedAlarm ? [this.backup.copyJobFailedAlarm] : [])]
      : [];
    for (const alarm of [...this.edge.alarms, ...(this.routing?.alarms ?? []), ...backupAlarms]) this.topics.routeAlarm(alarm);
    if (spec.autoRemediation) this.remediation = this.addEdgeRemediation(spec);
    if (spec.domain) {
      // The service's name points at the distribution; region selection happens behind it (the routed origin name,
      // the origin group and activeRegion), so viewers' DNS caches never hold a dead region.
      for (const type of ['A', 'AAAA']) {
        new route53.CfnRecordSet(this, `Alias${type}`, {
          hostedZoneId: spec.domain.hostedZoneId,
          name: `${spec.domain.domainName}.`,
          type,
          aliasTarget: { dnsName: this.edge.distribution.distributionDomainName, hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID },
        });
      }
    }

    // The URL users reach the service under, read by the regional edge canaries at every run. Retained: a deleted edge
    // is still called (and fails) rather than silently skipped.
    new ssm.StringParameter(this, 'EdgeUrl', {
      parameterName: edgeUrlParameter(spec.service),
      stringValue: `https://${spec.domain?.domainName ?? this.edge.domainName}`,
      description: `${spec.service}: the URL users reach the service under (the edge canaries call it)`,
    }).applyRemovalPolicy(RemovalPolicy.RETAIN);

    if (secondary) {
      const targets = (stack: PrimaryRegionStack | SecondaryRegionStack) => ({
        databaseClusterArn: crossStackValue(stack, this, StackOutput.DATABASE_CLUSTER_ARN, stack.database.cluster.clusterArn),
        ecsClusterArn: crossStackValue(stack, this, StackOutput.ECS_CLUSTER_ARN, stack.service.cluster.clusterArn),
        ecsServiceArn: crossStackValue(stack, this, StackOutput.ECS_SERVICE_ARN, stack.service.service.serviceArn),
        pageAlarmArn: crossStackValue(stack, this, StackOutput.PAGE_ALARM_ARN, stack.observability.monitoring.pageAlarm.alarmArn),
      });
      this.regionSwitch = new RegionSwitchPlan(this, 'RegionSwitch', {
        planName: `${spec.service}-region-switch`.slice(0, 32).replace(/-$/, ''),
        drTier: spec.drTier,
        primaryRegion: spec.primaryRegion,
        secondaryRegion: spec.secondaryRegion,
        primary: targets(primary),
        secondary: targets(secondary),
        globalClusterIdentifier: globalClusterIdentifier(spec),
      });
    }
  }

  /** Tightens the WAF's per-IP limit for 30 minutes when the edge's traffic spike alarm fires, with the regions' guard rails. */
  private addEdgeRemediation(spec: PlatformSpec): AutoRemediation {
    const remediation = new AutoRemediation(this, 'Remediation', {
      service: spec.service,
      drillRegions: [spec.primaryRegion, spec.secondaryRegion],
      // One pause switch for the service: the primary stack's parameter, read in the primary region.
      pauseParameterRegion: spec.primaryRegion,
      createPauseParameter: false,
      incidentRegion: spec.primaryRegion,
      responsePlanName: spec.onCallContacts.length > 0 ? responsePlanName(spec.service) : undefined,
      key: this.topics.key,
    });
    remediation.addWafRateLimitAction({
      ruleGroupName: this.edge.rateLimitRuleGroupName,
      ruleGroupId: this.edge.rateLimitRuleGroup.attrId,
      ruleGroupArn: this.edge.rateLimitRuleGroup.attrArn,
      metricName: this.edge.rateLimitMetricName,
      normalLimit: this.edge.rateLimitPerIp,
    });
    remediation.bindAlarms([this.edge.trafficSpikeAlarm]);
    return remediation;
  }

  /**
   * Origins with a domain: every behaviour goes to `origin.<domain>`, which Route 53 resolves to a region (failover or
   * latency records); the origin group falls back to the standby region's own name; each region's own name also
   * answers `/_health/<region>` for the health checks.
   */
  private dnsRoutedOrigins(spec: PlatformSpec, names: OriginRoutingNames, primary: PrimaryRegionStack,
    secondary?: SecondaryRegionStack): EdgeOrigins {
    const originVerifyHeader = { name: names.headerName, value: SecretValue.secretsManager(names.secretName).unsafeUnwrap() };
    const regional = (region: string) => EdgeOrigin.fromPublicName({ domainName: regionalOriginName(names, region), region, originVerifyHeader });
    const primaryRegional = regional(primary.region);
    const secondaryRegional = secondary ? regional(secondary.region) : undefined;
    if (!secondary) {
      // One region (backup & restore): nothing to route between; the region's own name is the origin.
      return { primary: primaryRegional, healthCheck: [primaryRegional] };
    }
    const standby = spec.activeRegion === 'secondary' ? primaryRegional : secondaryRegional;
    return {
      primary: EdgeOrigin.fromPublicName({ domainName: names.routed, originVerifyHeader }),
      fallback: standby,
      healthCheck: [primaryRegional, secondaryRegional!],
    };
  }

  /**
   * Failover records for pilot light and warm standby (the active region PRIMARY; a pilot-light standby has no task, so
   * its health check fails by design and no alarm watches it), latency records for active/active (both serve).
   */
  private addRegionRouting(spec: PlatformSpec, names: OriginRoutingNames, primary: PrimaryRegionStack,
    secondary: SecondaryRegionStack): RegionRouting {
    const outputs = publicOriginOutputNames(DEFAULT_PUBLIC_ORIGIN_OUTPUT_PREFIX);
    const active = spec.activeRegion === 'secondary' ? secondary : primary;
    const passive = active === primary ? secondary : primary;
    const routed = (stack: PrimaryRegionStack | SecondaryRegionStack): RoutedRegion => ({
      region: stack.region,
      loadBalancerDnsName: Fn.getStackOutput(stack.stackName, outputs.loadBalancerDnsName, stack.region),
      loadBalancerHostedZoneId: Fn.getStackOutput(stack.stackName, outputs.canonicalHostedZoneId, stack.region),
      standby: spec.drTier === DrTier.PILOT_LIGHT && stack === passive,
    });
    return new RegionRouting(this, 'Routing', {
      hostedZone: route53.HostedZone.fromHostedZoneId(this, 'HostedZone', spec.domain!.hostedZoneId),
      recordName: names.routed,
      policy: spec.drTier === DrTier.ACTIVE_ACTIVE ? 'latency' : 'failover',
      regions: [routed(active), routed(passive)],
      healthCheckFqdn: this.edge.domainName,
    });
  }
}

/** The distribution's origins: where every behaviour goes, the origin-group fallback, the health-check origins. */
interface EdgeOrigins {
  readonly primary: EdgeOrigin;
  readonly fallback?: EdgeOrigin;
  readonly healthCheck?: EdgeOrigin[];
}

/**
 * Origins without a domain: VPC origins on the internal load balancers. `activeRegion` picks the one every request
 * goes to, writes included; the other region is the read fallback of the origin group when both serve. A failover
 * redeploys this stack with activeRegion=secondary.
 */
function vpcOrigins(spec: PlatformSpec, primary: PrimaryRegionStack, secondary?: SecondaryRegionStack): EdgeOrigins {
  const primaryOrigin = EdgeOrigin.fromStackOutputs({ stackName: primary.stackName, region: primary.region });
  const secondaryOrigin = secondary ? EdgeOrigin.fromStackOutputs({ stackName: secondary.stackName, region: secondary.region }) : undefined;
  const [active, standby] = spec.activeRegion === 'secondary' && secondaryOrigin ? [secondaryOrigin, primaryOrigin] : [primaryOrigin, secondaryOrigin];
  return { primary: active, fallback: standby };
}
