import { Annotations, Stack, Tags, Token } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DrTier } from '../core/dr-tier';
import { PlatformValidationError } from '../core/errors';
import { defaultAvailabilityZones, isKnownRegion, requireRegionFormat } from '../core/regions';

/** Role of a stack in the multi-region platform (`platform:region-role` tag). */
export type RegionRole = 'primary' | 'secondary' | 'global';

/** Props of {@link PlatformStack}. */
export interface PlatformStackProps extends StackProps {
  /** The service the stack belongs to (`platform:service` tag). */
  readonly service: string;
  /** Primary, secondary or global (`platform:region-role` tag). */
  readonly regionRole: RegionRole;
  /** The DR tier the platform runs at (`platform:dr-tier` tag). */
  readonly drTier: DrTier;
  /**
   * Availability zones of the stack's region, so synthesis never looks them up.
   * @default - the region's first three zones (`<region>a`, `b`, `c`, or the region's known letters)
   */
  readonly availabilityZones?: string[];
  /**
   * Whether CloudFormation refuses to delete the stack (and the data it retains the keys and alarms of) until the
   * protection is turned off. Turning it off warns.
   * @default true
   */
  readonly terminationProtection?: boolean;
}

/** Tag keys every stack carries (DESIGN.md "Stack tags"). */
export const STACK_TAG_KEYS = {
  service: 'platform:service',
  regionRole: 'platform:region-role',
  drTier: 'platform:dr-tier',
} as const;

/**
 * A stack tagged per the platform contract whose availability zones come from config, not from a lookup:
 * `cdk synth` stays offline even for environment-specific stacks.
 */
export class PlatformStack extends Stack {
  public readonly serviceName: string;
  public readonly regionRole: RegionRole;
  public readonly drTier: DrTier;
  private readonly zones: string[] | undefined;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    // Stack-level tags go in the props: under `@aws-cdk/core:explicitStackTags` (recommended for new projects)
    // Tags.of(stack) no longer tags the stack itself, only the resources in it.
    super(scope, id, {
      ...props,
      terminationProtection: props.terminationProtection ?? true,
      tags: {
        ...props.tags,
        [STACK_TAG_KEYS.service]: props.service,
        [STACK_TAG_KEYS.regionRole]: props.regionRole,
        [STACK_TAG_KEYS.drTier]: props.drTier.id,
      },
    });
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(props.service)) {
      throw new PlatformValidationError(this.node.path, 'service', props.service,
        'is not a valid service name', 'use 1-40 lowercase letters, digits and dashes, starting with a letter');
    }
    this.serviceName = props.service;
    this.regionRole = props.regionRole;
    this.drTier = props.drTier;
    const region = props.env?.region;
    if (region !== undefined && !Token.isUnresolved(region)) requireRegionFormat(this.node.path, 'env.region', region);
    if (props.terminationProtection === false) {
      Annotations.of(this).addWarningV2('platform:stack:no-termination-protection',
        'terminationProtection is false: a `cdk destroy` or a console click deletes the stack without a second step. Leave it on (the default) for every stack that serves or holds data.');
    }
    if (props.availabilityZones) {
      const foreign = region ? props.availabilityZones.filter((az) => !az.startsWith(region)) : [];
      if (foreign.length > 0) {
        throw new PlatformValidationError(this.node.path, 'availabilityZones', props.availabilityZones,
          `contains zones outside ${region}`, `use zones of ${region} such as ${region}a`);
      }
      this.zones = [...props.availabilityZones];
    } else if (region && isKnownRegion(region)) {
      this.zones = defaultAvailabilityZones(region, 3);
    }
    // ...and the resources carry them too, so the template shows what each one belongs to.
    Tags.of(this).add(STACK_TAG_KEYS.service, props.service);
    Tags.of(this).add(STACK_TAG_KEYS.regionRole, props.regionRole);
    Tags.of(this).add(STACK_TAG_KEYS.drTier, props.drTier.id);
  }

  public override get availabilityZones(): string[] {
    return this.zones ?? super.availabilityZones;
  }
}
