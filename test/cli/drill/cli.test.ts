import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetAutomationExecutionCommand, SSMClient, SendAutomationSignalCommand, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { AZ_EVACUATION } from '../../../constructs/core/drills';
import type { CliIo } from '../../../cli/drill/cli';
import { main, parseArgs } from '../../../cli/drill/cli';
import type { DrillReport } from '../../../cli/drill/report';
import { SdkAwsCaller } from '../../../cli/drill/aws';
import { FakeClock, writeCloudAssembly } from './fixtures';

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

describe('drill CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drill-cli-'));
  writeCloudAssembly(dir);

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

  test('without a cloud assembly, --service names the stacks; without either the placeholders say SERVICE', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'drill-cli-no-cdk-out-'));
    let cli = io();
    expect((await main(['pilot-light-failover', '--cdk-out', empty, '--service', 'orders'], cli)).code).toBe(0);
    expect(cli.text()).toContain("--global-cluster-identifier '<orders-primary.GlobalClusterIdentifier>'");
    cli = io();
    expect((await main(['pilot-light-failover', '--cdk-out', empty], cli)).code).toBe(0);
    expect(cli.text()).toContain("--global-cluster-identifier '<SERVICE-primary.GlobalClusterIdentifier>'");
  });

  test('the SSM Automation path needs the service: from cdk.out or --service', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'drill-cli-no-cdk-out-'));
    const params = ['PrimaryRegion=eu-west-1', 'SecondaryRegion=eu-central-1', 'CacheReplicationGroupId=c', 'StopConditionAlarmName=', 'AutomationAssumeRole=',
      'Approvers=arn:me'].flatMap((p) => ['--param', p]);
    const cli = io();
    expect((await main(['cache-primary-failover', '--cdk-out', empty, '--execute', '--via-automation', ...params], cli)).code).toBe(2);
    expect(cli.text()).toContain('cannot execute: the service is unknown (it names the SSM document <service>-drill-cache-primary-failover): '
      + 'pass --cdk-out <dir> or --service <name>');
  });

  test('--execute refuses to start with unresolved parameters', async () => {
    const cli = io();
    const { code } = await main(['pilot-light-failover', '--cdk-out', dir, '--execute'], cli);
    expect(code).toBe(2);
    expect(cli.text()).toContain('cannot execute: StopConditionAlarmName, GlobalClusterIdentifier');
  });

  test('--execute of a drill whose APIs the SDK registry lacks goes through SSM Automation, which needs its role and approvers', async () => {
    const params = ['LoadBalancerArn=arn:lb', 'AvailabilityZoneId=euw1-az1', 'PrimaryTargetGroupArn=arn:tg', 'StopConditionAlarmName=a'].flatMap((p) => ['--param', p]);
    // without the automation role
    let cli = io();
    expect((await main(['az-evacuation', '--cdk-out', dir, '--execute', ...params], cli)).code).toBe(2);
    expect(cli.text()).toContain('arc-zonal-shift:StartZonalShift, arc-zonal-shift:GetManagedResource, arc-zonal-shift:CancelZonalShift not in the CLI\'s SDK registry '
      + '(cli/drill/aws.ts): running the SSM Automation document shop-drill-az-evacuation in the primary region instead\n');
    expect(cli.text()).toContain('cannot execute: AutomationAssumeRole unresolved: pass --stack-outputs <file> with the DrillAutomationRoleArn output of shop-primary');
    // without approvers
    cli = io();
    expect((await main(['az-evacuation', '--cdk-out', dir, '--execute', ...params, '--param', 'AutomationAssumeRole=arn:role'], cli)).code).toBe(2);
    expect(cli.text()).toContain('cannot execute: the SSM document az-evacuation needs Approvers (--param Approvers=<IAM ARN>');
  });

  test('--execute runs the AZ evacuation drill through its SSM Automation document and writes the reports', async () => {
    // GIVEN the deployed stacks' outputs and an automation that succeeds
    const ssm = mockClient(SSMClient);
    const cw = mockClient(CloudWatchClient);
    try {
      const t0 = Date.parse('2026-01-01T12:00:00Z');
      const steps = (status: string) => AZ_EVACUATION.steps.map((s, i) => ({
        StepName: s.name, StepStatus: status, ExecutionStartTime: new Date(t0 + i * 30_000), ExecutionEndTime: new Date(t0 + i * 30_000 + 20_000),
      }));
      cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ StateValue: 'OK' }] });
      ssm.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: 'exec-az' });
      ssm.on(GetAutomationExecutionCommand)
        .resolvesOnce({ AutomationExecution: { AutomationExecutionStatus: 'InProgress', StepExecutions: steps('InProgress').slice(0, 1) as never } })
        .resolves({ AutomationExecution: { AutomationExecutionStatus: 'Success', StepExecutions: steps('Success') as never } });
      const outputs = join(dir, 'az-outputs.json');
      writeFileSync(outputs, JSON.stringify({
        'shop-primary': {
          LoadBalancerArn: 'arn:lb', TargetGroupArn: 'arn:tg', StopConditionAlarmName: 'shop-primary-critical',
          DrillAutomationRoleArn: 'arn:aws:iam::111111111111:role/shop-primary-DrillsRole',
        },
      }));
      const reportDir = join(dir, 'az-reports');
      const cli = io();
      // WHEN
      const { code, report } = await main(['az-evacuation', '--cdk-out', dir, '--stack-outputs', outputs, '--execute', '--yes', '--report-dir', reportDir,
        '--param', 'AvailabilityZoneId=euw1-az2', '--param', 'Approvers=arn:aws:iam::111111111111:role/a, arn:aws:iam::111111111111:role/b'], cli);
      // THEN
      expect(code).toBe(0);
      expect(report?.outcome).toBe('pass');
      expect(ssm.commandCalls(StartAutomationExecutionCommand)[0].args[0].input).toEqual({
        DocumentName: 'shop-drill-az-evacuation',
        Parameters: {
          AutomationAssumeRole: ['arn:aws:iam::111111111111:role/shop-primary-DrillsRole'], LoadBalancerArn: ['arn:lb'], AvailabilityZoneId: ['euw1-az2'],
          ZonalShiftExpiresIn: ['1h'], PrimaryTargetGroupArn: ['arn:tg'], Approvers: ['arn:aws:iam::111111111111:role/a', 'arn:aws:iam::111111111111:role/b'],
        },
        ClientToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      // with --yes the waiting approval step was approved
      expect(ssm.commandCalls(SendAutomationSignalCommand)[0].args[0].input).toEqual(expect.objectContaining({ AutomationExecutionId: 'exec-az', SignalType: 'Approve' }));
      const text = cli.text();
      expect(text).toContain('running the SSM Automation document shop-drill-az-evacuation in the primary region instead\n'
        + 'started SSM Automation shop-drill-az-evacuation in eu-west-1: execution exec-az\n'
        + '[1/6] ApproveZonalShift (approve, timeout 30m) ...\n');
      expect(text).toContain('[6/6] CancelZonalShift (aws-api, timeout 5m) ...\n    succeeded after 20s, 1 attempt(s)\n');
      expect(text).toContain('RTO 110s (objective 5m), RPO 0s (objective 0s)');
      const files = readdirSync(reportDir).sort();
      expect(files).toEqual(['az-evacuation-2026-01-01T12-00-00-000Z.html', 'az-evacuation-2026-01-01T12-00-00-000Z.json', 'az-evacuation-2026-01-01T12-00-00-000Z.md']);
      const json = JSON.parse(readFileSync(join(reportDir, files[1]), 'utf8')) as DrillReport;
      expect(json.automation).toEqual({
        documentName: 'shop-drill-az-evacuation', region: 'eu-west-1', executionId: 'exec-az', status: 'Success', assumeRole: 'arn:aws:iam::111111111111:role/shop-primary-DrillsRole',
      });
      expect(json.timeline.map((r) => r.outcome)).toEqual(Array(6).fill('succeeded'));
      const markdown = readFileSync(join(reportDir, files[2]), 'utf8');
      expect(markdown).toContain('- Result: **PASS**');
      expect(markdown).toContain('- Run by SSM Automation `shop-drill-az-evacuation` in eu-west-1: execution `exec-az`, Success; role `arn:aws:iam::111111111111:role/shop-primary-DrillsRole`');
    } finally {
      ssm.restore();
      cw.restore();
    }
  });

  test('--via-automation forces the SSM Automation path for a drill the SDK registry covers', async () => {
    const ssm = mockClient(SSMClient);
    try {
      ssm.on(StartAutomationExecutionCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
      const cli = io();
      const { code, report } = await main(['cache-primary-failover', '--cdk-out', dir, '--execute', '--via-automation', '--report-dir', join(dir, 'cache-reports'),
        ...['CacheReplicationGroupId=shop-cache', 'StopConditionAlarmName=', 'AutomationAssumeRole=', 'Approvers=arn:me'].flatMap((p) => ['--param', p])], cli);
      expect(code).toBe(1);
      expect(cli.text()).not.toContain('not in the CLI\'s SDK registry');
      expect(report?.reason).toBe('StartAutomationExecution failed: AccessDeniedException: denied');
      // an empty role: the document's default, the caller's permissions
      expect(ssm.commandCalls(StartAutomationExecutionCommand)[0].args[0].input).toEqual(expect.objectContaining({
        DocumentName: 'shop-drill-cache-primary-failover', Parameters: { CacheReplicationGroupId: ['shop-cache'], CacheNodeGroupId: ['0001'], Approvers: ['arn:me'] },
      }));
    } finally {
      ssm.restore();
    }
  });

  test('--via-automation and --automation-timeout parse; a bad timeout is refused', () => {
    expect(parseArgs(['az-evacuation', '--execute', '--via-automation', '--automation-timeout', '2h'])).toEqual(expect.objectContaining({
      execute: true, viaAutomation: true, automationTimeoutSeconds: 7200,
    }));
    expect(parseArgs(['az-evacuation']).viaAutomation).toBe(false);
    expect(() => parseArgs(['az-evacuation', '--automation-timeout', '90'])).toThrow('--automation-timeout (90) is not a duration: e.g. 90m or 2h');
  });

  test('--help documents --via-automation', async () => {
    const cli = io();
    expect((await main(['--help'], cli)).code).toBe(0);
    expect(cli.text()).toContain('--via-automation        with --execute: start the SSM Automation document <service>-drill-<drill>');
  });

  test('--execute runs the drill and writes the JSON, markdown and HTML report', async () => {
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
    expect(files).toEqual(['html', 'json', 'md'].map((ext) => `regional-failback-2026-01-01T12-00-00-000Z.${ext}`));
    expect(JSON.parse(readFileSync(join(reportDir, files[1]), 'utf8')).timeline[1]).toEqual(expect.objectContaining({ step: 'ScaleUpPrimaryService', outcome: 'failed' }));
    expect(readFileSync(join(reportDir, files[2]), 'utf8')).toContain('- Result: **FAIL**: step ScaleUpPrimaryService failed: AccessDeniedException: denied');
    expect(readFileSync(join(reportDir, files[0]), 'utf8')).toContain('<span class="result fail" id="result">FAIL</span>');
    ecs.restore();
  });

  test('an unknown drill lists the drills', async () => {
    const cli = io();
    expect((await main(['nope'], cli)).code).toBe(2);
    expect(cli.text()).toContain("unknown drill 'nope': use one of backup-restore-failover, pilot-light-failover");
  });
});
