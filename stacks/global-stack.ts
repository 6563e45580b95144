import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { EdgeDistribution, EdgeOrigin, PlatformStack, RegionSwitchPlan, crossStackValue } from '../constructs';
import { PlatformValidationError } from '../constructs/core/errors';
import type { PlatformConfig } from './config';
import { platformStackProps } from './config';
import type { PrimaryStack } from './primary-stack';
import { globalClusterIdentifier } from './primary-stack';
import type { SecondaryStack } from './secondary-stack';

/** The Route 53 hosted zone id every CloudFront alias target uses. */
const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

/** Props of {@link GlobalStack}. */
export interface GlobalStackProps {
  readonly config: PlatformConfig;
  readonly primary: PrimaryStack;
  readonly secondary?: SecondaryStack;
}

/**
 * What is global, in us-east-1 (CloudFront's WAF scope lives there): the CloudFront distribution with its WAF
 * in front of the regional load balancers (internal, reached through VPC origins), an origin group that fails
 * over to the secondary region on 5xx when it serves, and the ARC Region switch plan of the tier. `config.activeRegion`
 * swaps the origins: `secondary` sends every request to the secondary region (the failover drills redeploy this
 * stack with it). Regional values arrive as native cross-region stack outputs (`Fn::GetStackOutput`).
 */
export class GlobalStack extends PlatformStack {
  public readonly edge: EdgeDistribution;
  public readonly regionSwitch?: RegionSwitchPlan;

  constructor(scope: Construct, id: string, props: GlobalStackProps) {
    const { config, primary, secondary } = props;
    super(scope, id, platformStackProps(config, 'global', 'CloudFront, WAF and the Region switch plan'));
    this.addStackDependency(primary, 'reads its edge origin outputs');
    if (secondary) this.addStackDependency(secondary, 'reads its edge origin outputs');

    // activeRegion (stacks/config.ts) picks the origin every request goes to, writes included; the other region is the
    // read fallback of the origin group when both serve. A failover redeploys this stack with activeRegion=secondary.
    const primaryOrigin = EdgeOrigin.fromStackOutputs({ stackName: primary.stackName, region: primary.region });
    const secondaryOrigin = secondary ? EdgeOrigin.fromStackOutputs({ stackName: secondary.stackName, region: secondary.region }) : undefined;
    const activeRegion = config.activeRegion;
    if (activeRegion === 'secondary' && !secondaryOrigin) {
      throw new PlatformValidationError(this.node.path, 'activeRegion', activeRegion,
        `needs a secondary stack, which DR tier ${config.drTier.id} does not deploy`,
        'restore into the secondary region first (runbooks/drills/backup-restore-failover.md), or run a tier with a secondary stack (pilot-light, warm-standby, active-active)');
    }
    const [active, standby] = activeRegion === 'secondary' && secondaryOrigin ? [secondaryOrigin, primaryOrigin] : [primaryOrigin, secondaryOrigin];
    const serving = secondary !== undefined && config.drTier.secondaryServes;
    this.edge = new EdgeDistribution(this, 'Edge', {
      primaryOrigin: active,
      secondaryOrigin: serving ? standby : undefined,
      domainNames: config.domainName ? [config.domainName] : undefined,
      certificate: config.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn) : undefined,
    });
    if (config.domainName && config.hostedZoneId) {
      // The service's name points at the distribution: region selection happens behind it (origin failover and
      // activeRegion), so one record serves every tier and a failover never waits for DNS caches.
      for (const type of ['A', 'AAAA']) {
        new route53.CfnRecordSet(this, `Alias${type}`, {
          hostedZoneId: config.hostedZoneId,
          name: `${config.domainName}.`,
          type,
          aliasTarget: { dnsName: this.edge.distribution.distributionDomainName, hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID },
        });
      }
    }

    if (secondary) {
      const targets = (stack: PrimaryStack | SecondaryStack) => ({
        databaseClusterArn: crossStackValue(stack, this, 'DatabaseClusterArn', stack.database.cluster.clusterArn),
        ecsClusterArn: crossStackValue(stack, this, 'EcsClusterArn', stack.service.cluster.clusterArn),
        ecsServiceArn: crossStackValue(stack, this, 'EcsServiceArn', stack.service.service.serviceArn),
        pageAlarmArn: crossStackValue(stack, this, 'PageAlarmArn', stack.observability.monitoring.pageAlarm.alarmArn),
      });
      this.regionSwitch = new RegionSwitchPlan(this, 'RegionSwitch', {
        planName: `${config.service}-region-switch`.slice(0, 32).replace(/-$/, ''),
        drTier: config.drTier,
        primaryRegion: config.primaryRegion,
        secondaryRegion: config.secondaryRegion,
        primary: targets(primary),
        secondary: targets(secondary),
        globalClusterIdentifier: globalClusterIdentifier(config),
      });
    }
  }
}
