import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ChaosExperiment } from '../../../constructs/aws/dr/chaos-experiment';
import type { ChaosExperimentProps } from '../../../constructs/aws/dr/chaos-experiment';
import { testStack } from '../../helpers/test-stack';

const CLUSTER_ARN = 'arn:aws:rds:eu-west-1:111111111111:cluster:checkout';

/** GIVEN a stack with a log group and `alarms` stop conditions; WHEN a ChaosExperiment `Experiment` is built from `props`. */
function build(props: Partial<ChaosExperimentProps> = {}, alarmCount = 1): { stack: Stack; experiment: ChaosExperiment; logGroup: logs.LogGroup } {
  const stack = testStack();
  const logGroup = new logs.LogGroup(stack, 'Logs');
  const alarms = Array.from({ length: alarmCount }, (_, i) =>
    cloudwatch.Alarm.fromAlarmArn(stack, `Stop${i}`, `arn:aws:cloudwatch:eu-west-1:111111111111:alarm:stop-${i}`));
  const experiment = new ChaosExperiment(stack, 'Experiment', {
    id: 'aurora-failover',
    description: 'Fail the writer over.',
    stopConditionAlarms: alarms,
    actionId: 'aws:rds:failover-db-cluster',
    targetKey: 'Clusters',
    target: { resourceType: 'aws:rds:cluster', resourceArns: [CLUSTER_ARN], selectionMode: 'ALL' },
    statements: [new iam.PolicyStatement({ sid: 'FailoverCluster', actions: ['rds:FailoverDBCluster'], resources: [CLUSTER_ARN] })],
    logGroup,
    outputName: 'ChaosAuroraFailoverTemplateId',
    ...props,
  });
  return { stack, experiment, logGroup };
}

describe('ChaosExperiment', () => {
  describe('the experiment template', () => {
    const { stack, experiment, logGroup } = build({ actionParameters: { duration: 'PT5M' } }, 2);
    const template = Template.fromStack(stack);
    const props = template.toJSON().Resources[stack.getLogicalId(experiment.template)].Properties;

    test('names the action after the id (PascalCase) and points it at the one target key', () => {
      expect(props.Actions).toEqual({
        AuroraFailover: {
          ActionId: 'aws:rds:failover-db-cluster', Description: 'Fail the writer over.', Targets: { Clusters: 'Clusters' }, Parameters: { duration: 'PT5M' },
        },
      });
      expect(props.Targets).toEqual({ Clusters: { ResourceType: 'aws:rds:cluster', ResourceArns: [CLUSTER_ARN], SelectionMode: 'ALL' } });
    });

    test('stops on every given alarm, logs to the given group, fails on an empty target, one account', () => {
      expect(props.StopConditions).toEqual([
        { Source: 'aws:cloudwatch:alarm', Value: 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:stop-0' },
        { Source: 'aws:cloudwatch:alarm', Value: 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:stop-1' },
      ]);
      expect(props.LogConfiguration).toEqual({
        LogSchemaVersion: 2,
        CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [stack.getLogicalId(logGroup.node.defaultChild as CfnElement), 'Arn'] } },
      });
      expect(props.ExperimentOptions).toEqual({ AccountTargeting: 'single-account', EmptyTargetResolutionMode: 'fail' });
    });

    test('links its runbook chaos/<id> in the description and the tags', () => {
      expect(experiment.runbook).toBe('chaos/aurora-failover');
      expect(experiment.experimentId).toBe('aurora-failover');
      expect(props.Description).toMatch(/^Fail the writer over\. Runbook: https:\/\/\S+\/runbooks\/chaos\/aurora-failover\.md$/);
      expect(props.Tags).toMatchObject({ 'Name': 'aurora-failover', 'platform:chaos-experiment': 'aurora-failover' });
      expect(props.Tags['platform:runbook']).toMatch(/\/runbooks\/chaos\/aurora-failover\.md$/);
    });

    test('publishes the template id under the given output name', () => {
      expect(template.findOutputs('ChaosAuroraFailoverTemplateId').ChaosAuroraFailoverTemplateId.Value).toEqual({ Ref: stack.getLogicalId(experiment.template) });
      expect(stack.resolve(experiment.experimentTemplateId)).toEqual({ Ref: stack.getLogicalId(experiment.template) });
    });

    test('its role trusts FIS experiments of this account and holds the given statements plus log delivery', () => {
      const role = template.toJSON().Resources[stack.getLogicalId(experiment.role.node.defaultChild as CfnElement)].Properties;
      expect(role.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
        Principal: { Service: 'fis.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': 'arn:aws:fis:eu-west-1:111111111111:experiment/*' } },
      });
      const policies = template.findResources('AWS::IAM::Policy');
      const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Sid: string; Resource: unknown }>);
      expect(statements.map((s) => s.Sid).sort()).toEqual(['ExperimentLogDelivery', 'FailoverCluster']);
      expect(statements.find((s) => s.Sid === 'FailoverCluster')?.Resource).toBe(CLUSTER_ARN);
    });
  });

  test('a long description is cut so the runbook link still fits the 512 characters FIS allows', () => {
    const { stack, experiment } = build({ description: 'x'.repeat(600) });
    const props = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(experiment.template)].Properties;
    expect(props.Description.length).toBeLessThanOrEqual(512);
    expect(props.Description).toMatch(/^x+ Runbook: https:\/\/\S+\/runbooks\/chaos\/aurora-failover\.md$/);
    expect(props.Actions.AuroraFailover.Description).toBe('x'.repeat(512));
  });

  describe('validation', () => {
    test('no stop condition is refused', () => {
      expect(() => build({}, 0)).toThrow(
        'Test/Experiment: stopConditionAlarms ([]) is empty: give at least one critical alarm (e.g. ServiceMonitoring.pageAlarm): FIS stops the experiment when it goes to ALARM, and a chaos experiment without a stop condition is not allowed');
    });

    test('more than five stop conditions are refused; five are accepted', () => {
      expect(() => build({}, 6)).toThrow(
        "Test/Experiment: stopConditionAlarms ('6 alarms') exceeds the 5 stop conditions FIS allows per template: combine the alarms in a composite alarm (ServiceMonitoring.pageAlarm already is one) and give that");
      expect(() => build({}, 5)).not.toThrow();
    });
  });
});
