import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { CliIo } from '../../stacks/drill/cli';
import { main } from '../../stacks/drill/cli';
import { SdkAwsCaller } from '../../stacks/drill/aws';
import { FakeClock } from './fixtures';

function io(): CliIo & { text: () => string } {
  const chunks: string[] = [];
  return {
    out: (t) => { chunks.push(t); },
    text: () => chunks.join(''),
    aws: () => new SdkAwsCaller(),
    confirm: async () => true,
    clock: new FakeClock(),
    random: () => 0,
    pollIntervalMs: 1000,
  };
}

function cloudAssembly(dir: string): void {
  const stack = (role: string, region: string) => ({
    type: 'aws:cloudformation:stack', environment: `aws://111111111111/${region}`,
    properties: { tags: { 'platform:region-role': role, 'platform:dr-tier': 'pilot-light', 'platform:service': 'shop' } },
  });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    artifacts: { 'shop-primary': stack('primary', 'eu-west-1'), 'shop-secondary': stack('secondary', 'eu-central-1'), 'shop-global': stack('global', 'us-east-1') },
  }));
}

describe('drill CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drill-cli-'));
  cloudAssembly(dir);

  test('plan mode resolves parameters from the stack outputs file and regions from the cloud assembly', async () => {
    // GIVEN
    const outputs = join(dir, 'outputs.json');
    writeFileSync(outputs, JSON.stringify({
      'shop-primary': { LoadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/shop/1', TargetGroupArn: 'arn:tg/primary', StopConditionAlarmName: 'shop-primary-critical' },
    }));
    const cli = io();
    // WHEN
    const { code } = await main(['az-evacuation', '--stack-outputs', outputs, '--cdk-out', dir, '--param', 'AvailabilityZoneId=euw1-az2'], cli);
    // THEN
    expect(code).toBe(0);
    const text = cli.text();
    expect(text).toContain('Tier pilot-light; objectives RTO 5m, RPO 0s; runs in the primary region (eu-west-1).');
    expect(text).toContain([
      '   aws arc-zonal-shift start-zonal-shift \\',
      '     --region eu-west-1 \\',
      '     --resource-identifier arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/shop/1 \\',
      '     --away-from euw1-az2 \\',
      '     --expires-in 1h \\',
      "     --comment 'DR drill: AZ evacuation'",
    ].join('\n'));
    expect(text).toContain('StopConditionAlarmName = shop-primary-critical');
    expect(text).not.toContain('Unresolved');
  });

  test('without outputs, plan mode shows <stack.Output> placeholders named after the cloud assembly', async () => {
    const cli = io();
    const { code } = await main(['pilot-light-failover', '--cdk-out', dir], cli);
    expect(code).toBe(0);
    expect(cli.text()).toContain("--global-cluster-identifier '<shop-primary.GlobalClusterIdentifier>'");
    expect(cli.text()).toContain('SecondaryRegion = eu-central-1');
    expect(cli.text()).toContain('Unresolved: StopConditionAlarmName, GlobalClusterIdentifier');
  });

  test('--execute refuses to start with unresolved parameters', async () => {
    const cli = io();
    const { code } = await main(['pilot-light-failover', '--cdk-out', dir, '--execute'], cli);
    expect(code).toBe(2);
    expect(cli.text()).toContain('cannot execute: StopConditionAlarmName, GlobalClusterIdentifier');
  });

  test('--execute refuses a drill whose APIs the SDK registry lacks, pointing at the SSM document', async () => {
    const cli = io();
    const params = ['LoadBalancerArn=arn:lb', 'AvailabilityZoneId=euw1-az1', 'PrimaryTargetGroupArn=arn:tg', 'StopConditionAlarmName=a'].flatMap((p) => ['--param', p]);
    const { code } = await main(['az-evacuation', '--cdk-out', dir, '--execute', ...params], cli);
    expect(code).toBe(2);
    expect(cli.text()).toContain('start the SSM Automation document <service>-drill-az-evacuation in the primary region instead');
  });

  test('--execute runs the drill and writes the markdown and JSON report', async () => {
    // GIVEN a failback drill whose first AWS call fails
    const ecs = mockClient(ECSClient);
    ecs.on(UpdateServiceCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const reportDir = join(dir, 'reports');
    const params = ['GlobalClusterIdentifier=g', 'PrimaryClusterIdentifier=p', 'PrimaryClusterArn=arn:p', 'PrimaryEcsClusterName=c', 'PrimaryServiceName=s',
      'PrimaryTargetGroupArn=arn:tg', 'SecondaryEcsClusterName=c2', 'SecondaryServiceName=s2', 'DrTier=pilot-light', 'StopConditionAlarmName=']
      .flatMap((p) => ['--param', p]);
    const cli = io();
    // WHEN
    const { code, report } = await main(['regional-failback', '--cdk-out', dir, '--execute', '--yes', '--report-dir', reportDir, ...params], cli);
    // THEN
    expect(code).toBe(1);
    expect(report?.outcome).toBe('fail');
    const files = readdirSync(reportDir).sort();
    expect(files).toEqual([`regional-failback-2026-01-01T12-00-00-000Z.json`, `regional-failback-2026-01-01T12-00-00-000Z.md`]);
    expect(JSON.parse(readFileSync(join(reportDir, files[0]), 'utf8')).timeline[1]).toEqual(expect.objectContaining({ step: 'ScaleUpPrimaryService', outcome: 'failed' }));
    expect(readFileSync(join(reportDir, files[1]), 'utf8')).toContain('- Result: **FAIL**: step ScaleUpPrimaryService failed: AccessDeniedException: denied');
    ecs.restore();
  });

  test('an unknown drill lists the drills', async () => {
    const cli = io();
    expect((await main(['nope'], cli)).code).toBe(2);
    expect(cli.text()).toContain("unknown drill 'nope': use one of backup-restore-failover, pilot-light-failover");
  });
});
