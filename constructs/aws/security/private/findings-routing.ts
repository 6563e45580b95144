import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { runbookUrl } from '../../../core/runbooks';
import { runbookBaseUrlOf } from '../../private/context';
import { allowServiceToPublish } from '../../private/topic-access';

/** Runbook of a routed high or critical security finding. */
export const SECURITY_FINDING_RUNBOOK = 'alerts/security/SecurityFindingHigh';

/** The Security Hub severity labels that page. */
export const PAGED_SEVERITIES: readonly string[] = ['HIGH', 'CRITICAL'];

/**
 * One EventBridge rule sending every new, active Security Hub finding of severity HIGH or CRITICAL (what GuardDuty, AWS
 * Config, IAM Access Analyzer and the standards' controls import, aggregated regions included) to `topic` as one line
 * that starts with `[critical]` and ends with `Runbook: <url>`, as an alarm's description does.
 */
export function routeFindings(scope: Construct, topic: sns.ITopic, key: kms.IKey | undefined): events.Rule {
  const stack = Stack.of(scope);
  allowServiceToPublish(topic, key, {
    service: 'events.amazonaws.com', sid: 'EventBridgeRules', sourceArn: `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/*`,
  });
  const finding = (path: string): string => events.EventField.fromPath(`$.detail.findings[0].${path}`);
  const message = `[critical] Security finding (${finding('Severity.Label')}) from ${finding('ProductName')}: ${finding('Title')}`
    + ` on ${finding('Resources[0].Id')} in account ${finding('AwsAccountId')}, ${finding('Region')}.`
    + ` Runbook: ${runbookUrl(runbookBaseUrlOf(scope), SECURITY_FINDING_RUNBOOK)}`;
  const target: events.IRuleTarget = { bind: () => ({ arn: topic.topicArn, input: events.RuleTargetInput.fromText(message) }) };
  return new events.Rule(scope, 'FindingsToPage', {
    description: `${scope.node.path}: new Security Hub findings of severity ${PAGED_SEVERITIES.join(' or ')} page the on-call`,
    eventPattern: {
      source: ['aws.securityhub'],
      detailType: ['Security Hub Findings - Imported'],
      detail: { findings: { Severity: { Label: [...PAGED_SEVERITIES] }, Workflow: { Status: ['NEW'] }, RecordState: ['ACTIVE'] } },
    },
    targets: [target],
  });
}
