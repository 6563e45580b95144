/** Fake clock, parameter values and a cloud assembly for drill CLI tests: nothing waits, nothing calls AWS. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrillClock } from '../../../cli/drill/runner';

export class FakeClock implements DrillClock {
  public readonly sleeps: number[] = [];
  constructor(public time = Date.parse('2026-01-01T12:00:00Z')) {}
  public now(): number {
    return this.time;
  }
  public async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

export const PILOT_LIGHT_VALUES: Record<string, string> = {
  PrimaryRegion: 'eu-west-1',
  SecondaryRegion: 'eu-central-1',
  StopConditionAlarmName: 'checkout-secondary-critical',
  GlobalClusterIdentifier: 'checkout-global',
  SecondaryClusterIdentifier: 'checkout-secondary-db',
  SecondaryClusterArn: 'arn:aws:rds:eu-central-1:111111111111:cluster:checkout-secondary-db',
  SecondaryEcsClusterName: 'checkout-secondary',
  SecondaryServiceName: 'checkout',
  SecondaryTargetGroupArn: 'arn:aws:elasticloadbalancing:eu-central-1:111111111111:targetgroup/checkout/abc',
  ServiceDesiredCount: '3',
};

/** The AZ evacuation drill's values (its zonal-shift steps run through the SSM Automation document). */
export const AZ_EVACUATION_VALUES: Record<string, string> = {
  PrimaryRegion: 'eu-west-1',
  SecondaryRegion: 'eu-central-1',
  StopConditionAlarmName: 'shop-primary-critical',
  LoadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/shop/1',
  AvailabilityZoneId: 'euw1-az1',
  ZonalShiftExpiresIn: '1h',
  PrimaryTargetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/shop/abc',
};

/** An AWS throttling error as the SDK throws it. */
export function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
}

/** Writes `<dir>/manifest.json`: the pilot-light stacks of service `shop` as `cdk synth` leaves them (tags, environments). */
export function writeCloudAssembly(dir: string): void {
  const stack = (role: string, region: string) => ({
    type: 'aws:cloudformation:stack', environment: `aws://111111111111/${region}`,
    properties: { tags: { 'platform:region-role': role, 'platform:dr-tier': 'pilot-light', 'platform:service': 'shop' } },
  });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    artifacts: { 'shop-primary': stack('primary', 'eu-west-1'), 'shop-secondary': stack('secondary', 'eu-central-1'), 'shop-global': stack('global', 'us-east-1') },
  }));
}
