import type { Construct } from 'constructs';
import { MultiAzNetwork, PlatformStack } from '../constructs';
import type { PlatformConfig } from './config';
import { platformStackProps } from './config';

/** Props of {@link PrimaryBaseStack}. */
export interface PrimaryBaseStackProps {
  readonly config: PlatformConfig;
}

/**
 * The primary region's network (its planned, non-overlapping CIDR), in a stack of its own like the
 * secondary's: the network outlives application deployments, and the application stack keeps room under the
 * per-stack resource budget.
 */
export class PrimaryBaseStack extends PlatformStack {
  public readonly network: MultiAzNetwork;

  constructor(scope: Construct, id: string, props: PrimaryBaseStackProps) {
    const { config } = props;
    super(scope, id, platformStackProps(config, 'primary', 'primary-region network'));
    this.network = new MultiAzNetwork(this, 'Network', { availabilityZones: config.primaryAzs });
  }
}
