import { Annotations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DrTier, DrillAutomation, PlatformStack } from '../constructs';
import type { AuroraDatabase, DistributedCache, ResilientService } from '../constructs';
import type { PlatformConfig } from './config';
import { platformStackProps } from './config';
import type { PrimaryStack } from './primary-stack';
import { globalClusterIdentifier } from './primary-stack';
import { addRegionalObservability } from './observability';
import type { RegionalObservability } from './observability';
import { addRegionalOutputs } from './outputs';
import { addRegionalApp } from './regional-app';
import type { SecondaryBaseStack } from './secondary-base-stack';

/** Props of {@link SecondaryStack}. */
export interface SecondaryStackProps {
  readonly config: PlatformConfig;
  readonly base: SecondaryBaseStack;
  readonly primary: PrimaryStack;
}

/** How the secondary region runs at each tier that keeps it provisioned. */
interface SecondaryShape {
  readonly readers: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly cache: boolean;
  readonly writeForwarding: boolean;
}

/**
 * The secondary region's share of each tier (the AWS whitepaper's definitions):
 * - pilot light: the data replicates (a global secondary with its writer-to-be only), the service and its load
 *   balancer exist with zero tasks; failover promotes the cluster and scales the service out.
 * - warm standby: a scaled-down copy runs (two tasks, one reader, its own cache) and serves health checks.
 * - active/active: a full copy serves traffic; writes issued here are forwarded to the primary.
 */
export function secondaryShape(tier: DrTier): SecondaryShape | undefined {
  switch (tier) {
    case DrTier.PILOT_LIGHT: return { readers: 0, minCapacity: 0, maxCapacity: 20, cache: false, writeForwarding: false };
    case DrTier.WARM_STANDBY: return { readers: 1, minCapacity: 2, maxCapacity: 20, cache: true, writeForwarding: false };
    case DrTier.ACTIVE_ACTIVE: return { readers: 2, minCapacity: 3, maxCapacity: 20, cache: true, writeForwarding: true };
    default: return undefined;
  }
}

/**
 * The secondary region's application for the tiers that keep it provisioned (pilot light and up), deployed
 * after the primary (it joins the primary's Aurora Global Database).
 */
export class SecondaryStack extends PlatformStack {
  public readonly database: AuroraDatabase;
  public readonly cache?: DistributedCache;
  public readonly service: ResilientService;
  public readonly observability: RegionalObservability;

  constructor(scope: Construct, id: string, props: SecondaryStackProps) {
    const { config } = props;
    const shape = secondaryShape(config.drTier);
    if (!shape) {
      throw new Error(`SecondaryStack: DR tier ${config.drTier.id} keeps no application in the secondary region`);
    }
    super(scope, id, platformStackProps(config, 'secondary', 'secondary-region application'));
    this.addStackDependency(props.primary, 'joins its Aurora Global Database');
    this.addStackDependency(props.base, 'runs in its network');
    const app = addRegionalApp(this, {
      config,
      vpc: props.base.network.vpc,
      database: {
        globalClusterIdentifier: globalClusterIdentifier(config),
        globalRole: 'secondary',
        readers: shape.readers,
        writeForwarding: shape.writeForwarding || undefined,
      },
      cache: shape.cache,
      minCapacity: shape.minCapacity,
      maxCapacity: shape.maxCapacity,
    });
    this.database = app.database;
    this.cache = app.cache;
    this.service = app.service;
    this.observability = addRegionalObservability(this, { config, app, grafana: false });
    addRegionalOutputs(this, app);
    new DrillAutomation(this, 'Drills', { service: config.service, tier: config.drTier, regionRole: 'secondary' });
    // A standby below one task per AZ is the tier's design, not an oversight: failover scales it out.
    if (shape.minCapacity === 0) {
      Annotations.of(this.service).acknowledgeWarning('platform:service:min-capacity-zero',
        'Pilot light: the service and its load balancer are provisioned with zero tasks; the failover drill and the Region switch plan scale it out.');
    } else if (shape.minCapacity < config.secondaryAzs.length) {
      Annotations.of(this.service).acknowledgeWarning('platform:service:min-below-azs',
        'Warm standby runs scaled down on purpose; the failover drill and the Region switch plan scale it to the primary capacity before traffic moves.');
    }
  }
}
