import { Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeWildcards } from '../../private/nag';

/** Every cdk-nag finding of an AutoRemediation that is not a violation, acknowledged on the policy it arises on. */
export function acknowledgeAutoRemediationFindings(automationPolicy: iam.ManagedPolicy, guardPolicy: iam.ManagedPolicy, documents: string): void {
  Validations.of(automationPolicy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'application-autoscaling:DescribeScalableTargets has no resource-level permissions; the scale-out action only reads the range of the service\'s scalable target with it.',
  });
  Validations.of(guardPolicy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ssm:DescribeAutomationExecutions and ssm-incidents:ListIncidentRecords have no resource-level permissions; both only read (run history, open incidents).',
  });
  acknowledgeWildcards(guardPolicy, [documents],
    'The guard starts the remediation documents of this service only (<service>-remediate-*, any version); which one is decided at run time by the alarm.');
}
