/** Fake clock and parameter values for drill runner tests: nothing waits, nothing calls AWS. */
import type { DrillClock } from '../../stacks/drill/runner';

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
