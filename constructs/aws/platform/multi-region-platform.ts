import type { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { runbookBaseUrlOf } from '../private/context';
import { AccountBaselineStack, RegionalBaselineStack } from './baseline-stacks';
import { GlobalStack } from './global-stack';
import type { MultiRegionPlatformProps, PlatformSpec } from './multi-region-platform-props';
import { PrimaryBaseStack } from './primary-base-stack';
import { PrimaryRegionStack } from './primary-region-stack';
import { resolvePlatformSpec } from './private/validate-multi-region-platform-props';
import { SecondaryBaseStack } from './secondary-base-stack';
import { SecondaryRegionStack, secondaryRegionShape } from './secondary-region-stack';

/**
 * A service's whole multi-region platform at a DR tier: the stacks of both regions and the global edge, in
 * deployment order, each exposed for further composition.
 *
 * Each stack by its field (default ID), region, what it holds, and the stacks it is deployed after:
 * - `primaryBase` (`<service>-primary-base`), primary: network, copy vault of the other regions' backups
 *   (origin-verify secret with a domain). After: -.
 * - `secondaryBase` (`<service>-secondary-base`), secondary: network, copy vault of the primary's backups, restore
 *   target. After: -.
 * - `primary` (`<service>-primary`), primary: service, L2 cache, Aurora (global primary from pilot light up), backups,
 *   observability, drills, chaos. After: both bases.
 * - `secondary` (`<service>-secondary`), secondary: pilot light and up: the service sized by the tier
 *   ({@link secondaryRegionShape}), the Aurora global secondary, backups copied back. After: primary, secondary base,
 *   primary base.
 * - `global` (`<service>-global`), us-east-1: CloudFront + WAF, Route 53 region routing (with a domain), the ARC
 *   Region switch plan. After: the regional stacks.
 * - `baseline` (`<service>-baseline`), us-east-1, with `accountBaseline` only: audit trail, threat detection, cost
 *   monitoring of the account. After: global (its topics). `primary-baseline` / `secondary-baseline` (`<service>-<role>-baseline`):
 *   threat detection of those regions (unless us-east-1). After: baseline (its audit bucket).
 *
 * The order is what a deploy needs: a global secondary cluster joins a global cluster its primary stack created, a
 * backup plan copies into a vault that exists, the edge reads the regional stacks' outputs (`Fn::GetStackOutput`).
 * Stacks are created directly in `scope` (an `App` or a `Stage`), not under a construct of their own, so their IDs
 * are what `cdk deploy <id>` and `cdk deploy --all` select.
 *
 * @example
 * const platform = new MultiRegionPlatform(app, {
 *   service: 'orders', account: '123456789012',
 *   primaryRegion: { region: 'eu-west-1' }, secondaryRegion: { region: 'eu-central-1' },
 *   recoveryObjectives: { rto: '15m', rpo: '1m' },        // -> warm standby
 *   slos: [Slo.availability({ service: 'orders', target: 0.999, periodDays: 30 })],
 *   image: ecs.ContainerImage.fromRegistry('ghcr.io/acme/orders:1.4.2'),
 * });
 * platform.primary.observability.topics.critical.addSubscription(new subscriptions.UrlSubscription(pagerDutyUrl));
 */
export class MultiRegionPlatform {
  /** The validated, defaulted props every stack was built from. */
  public readonly spec: PlatformSpec;
  /** Primary-region network and the copy vault of the other regions' recovery points. */
  public readonly primaryBase: PrimaryBaseStack;
  /** Secondary-region network, the copy vault of the primary's recovery points and the restore target. */
  public readonly secondaryBase: SecondaryBaseStack;
  /** The primary region's application, data, backups and observability. */
  public readonly primary: PrimaryRegionStack;
  /** Pilot light and up: the application in the secondary region. */
  public readonly secondary?: SecondaryRegionStack;
  /** us-east-1: CloudFront, WAF, Route 53 region routing, the Region switch plan. */
  public readonly global: GlobalStack;
  /** With `accountBaseline`: us-east-1 audit trail, threat detection and cost monitoring of the account. */
  public readonly baseline?: AccountBaselineStack;
  /** With `accountBaseline`: threat detection of the platform's regions other than us-east-1. */
  public readonly regionalBaselines: readonly RegionalBaselineStack[];

  constructor(scope: Construct, props: MultiRegionPlatformProps) {
    this.spec = MultiRegionPlatform.specOf(scope, props);
    const { spec } = this;
    const ids = spec.stackIds;
    this.primaryBase = new PrimaryBaseStack(scope, ids['primary-base'], { spec });
    this.secondaryBase = new SecondaryBaseStack(scope, ids['secondary-base'], { spec });
    this.primary = new PrimaryRegionStack(scope, ids.primary, { spec, base: this.primaryBase, secondaryBase: this.secondaryBase });
    this.secondary = secondaryRegionShape(spec.drTier, spec.capacity)
      ? new SecondaryRegionStack(scope, ids.secondary, { spec, base: this.secondaryBase, primary: this.primary, primaryBase: this.primaryBase })
      : undefined;
    this.global = new GlobalStack(scope, ids.global, { spec, primary: this.primary, secondary: this.secondary, primaryBase: this.primaryBase });
    const baseline = spec.accountBaseline ? new AccountBaselineStack(scope, ids.baseline, { spec, global: this.global }) : undefined;
    this.baseline = baseline;
    this.regionalBaselines = baseline
      ? (['primary', 'secondary'] as const)
        .filter((role) => (role === 'primary' ? spec.primaryRegion : spec.secondaryRegion) !== baseline.region)
        .map((role) => new RegionalBaselineStack(scope, ids[`${role}-baseline`], { spec, role, account: baseline }))
      : [];
  }

  /** Every stack of the platform, in deployment order. */
  public get stacks(): Stack[] {
    return [this.primaryBase, this.secondaryBase, this.primary, ...(this.secondary ? [this.secondary] : []), this.global,
      ...(this.baseline ? [this.baseline, ...this.regionalBaselines] : [])];
  }

  /**
   * The validated, defaulted spec of `props` in `scope` (what the constructor builds from): to build one of the
   * platform's stacks alone.
   */
  public static specOf(scope: Construct, props: MultiRegionPlatformProps): PlatformSpec {
    const where = `${scope.node.path || 'App'}/MultiRegionPlatform(${props.service})`;
    return resolvePlatformSpec(where, props, props.runbookBaseUrl ?? runbookBaseUrlOf(scope));
  }
}
